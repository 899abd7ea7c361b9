import type { CheckDefinition } from '../../../core/check.js';
import { RESOURCE_LIMITS_MAPPINGS } from '../../_lib/mappings.js';
import { evaluateLimit, LIMIT_MESSAGES } from '../_lib/limits.js';

/** Every container and initContainer sets `resources.limits.memory`. */
export const check: CheckDefinition = {
  id: 'k8s.memory-limits-set',
  title: 'Containers set a memory limit',
  severity: 'low',
  rationale:
    'Without a memory limit a leaking or attacked container can exhaust node memory and get other workloads OOM-killed, a risk to availability.',
  remediation:
    'Set `resources.limits.memory` (e.g. `512Mi`) on every container and initContainer, or enforce a default with a LimitRange in the namespace.',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: LIMIT_MESSAGES,
  adversarial: {
    'equivalent-values': ['fail-zero-limit.yaml', 'fail-zero-spellings.yaml'],
    'invalid-input': ['unknown-not-a-quantity.yaml'],
    coverage: ['fail-requests-without-limits.yaml', 'fail-init-container-unlimited.yaml'],
  },
  mappings: RESOURCE_LIMITS_MAPPINGS,
  trivyEquivalents: ['kubernetes/memory_not_limited'],
  references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],

  evaluate(_facts, ctx) {
    return evaluateLimit(ctx, 'memory');
  },
};

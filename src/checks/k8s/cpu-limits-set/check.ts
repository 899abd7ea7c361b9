import type { CheckDefinition } from '../../../core/check.js';
import { RESOURCE_LIMITS_MAPPINGS } from '../../_lib/mappings.js';
import { evaluateLimit, LIMIT_MESSAGES } from '../_lib/limits.js';

/** Every container and initContainer sets `resources.limits.cpu`. */
export const check: CheckDefinition = {
  id: 'k8s.cpu-limits-set',
  title: 'Containers set a CPU limit',
  severity: 'low',
  rationale:
    'Without a CPU limit one container can starve every other workload on its node, a noisy-neighbour or denial-of-service risk to availability.',
  remediation:
    'Set `resources.limits.cpu` (e.g. `500m`) on every container and initContainer, or enforce a default with a LimitRange in the namespace.',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: LIMIT_MESSAGES,
  adversarial: {
    'equivalent-values': ['fail-zero-limit.yaml', 'fail-zero-spellings.yaml'],
    'invalid-input': ['unknown-not-a-quantity.yaml'],
    coverage: ['fail-requests-without-limits.yaml'],
  },
  mappings: RESOURCE_LIMITS_MAPPINGS,
  trivyEquivalents: ['kubernetes/CPU_not_limited'],
  references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],

  evaluate(_facts, ctx) {
    return evaluateLimit(ctx, 'cpu');
  },
};

import type { CheckDefinition } from '../../../core/check.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import {
  ALL_CONTAINER_GROUPS,
  containerLabel,
  containerSecurityFlag,
  evaluateContainers,
} from '../_lib/pod.js';

/** No container (regular, init or ephemeral) sets `securityContext.privileged: true` (default false). */
export const check: CheckDefinition = {
  id: 'k8s.no-privileged-containers',
  title: 'Containers do not run privileged',
  severity: 'high',
  rationale:
    'A privileged container has all Linux capabilities and the host devices: a compromise of the container is a compromise of the node and every workload on it.',
  remediation:
    'Remove `securityContext.privileged: true` from every container, initContainer and ephemeralContainer (or set it to `false`); grant only the specific capabilities needed via `securityContext.capabilities.add`.',
  input: 'kubernetes',
  adversarial: {
    ordering: ['fail-merge-key-after-explicit.yaml'],
    indirection: ['fail-privileged-in-list-item-anchor.yaml', 'fail-template-braces-in-comment.yaml'],
    coverage: [
      'fail-json-manifest.json',
      'fail-openshift-deployment-config.yaml',
      'fail-privileged-init-container.yaml',
    ],
    unresolvable: ['unknown-privileged-string.yaml'],
  },
  mappings: CONTAINER_HARDENING_MAPPINGS,
  trivyEquivalents: ['kubernetes/privileged'],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  ],
  evaluate(facts) {
    return evaluateContainers(facts, ALL_CONTAINER_GROUPS, (c) => {
      const f = containerSecurityFlag(
        c,
        'privileged',
        `whether ${containerLabel(c)} runs privileged is unknown`,
      );
      if (f.problem) return f.problem;
      if (f.value) return { outcome: 'fail', message: `${containerLabel(c)} runs privileged`, path: f.path };
      return {
        outcome: 'pass',
        message: `${containerLabel(c)} is not privileged${f.value === undefined ? ' (privileged not set, default false)' : ''}`,
      };
    });
  },
};

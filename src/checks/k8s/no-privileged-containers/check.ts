import type { CheckDefinition } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import { ALL_CONTAINER_GROUPS, at, evaluateContainers, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  privileged: '{{container}} runs privileged',
  'not-privileged': '{{container}} is not privileged{{note}}',
};

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
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
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

  evaluate(_facts, ctx) {
    return evaluateContainers(
      ctx,
      ALL_CONTAINER_GROUPS,
      ({ container, label }) => {
        const v = container.securityContext.privileged;
        if (v.state === 'unknown') return unknownPart(v, `whether ${label} runs privileged is unknown`);
        if (v.state === 'known' && v.value) return at('fail', 'privileged', v, { container: label });
        return pass('not-privileged', {
          container: label,
          note: v.state === 'absent' ? ' (privileged not set, default false)' : '',
        });
      },
      MESSAGES,
    );
  },
};

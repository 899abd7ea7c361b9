import type { CheckDefinition } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { at, evaluateWorkloads, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  default: "{{key}} is default: the pod shares the namespace's default account",
  unset: "serviceAccountName is not set: the pod runs as the namespace's default service account",
  dedicated: 'the pod runs as service account {{name}}',
};

/**
 * The pod spec names a service account other than `default` in `serviceAccountName` (or the
 * deprecated `serviceAccount`). Absent means `default`.
 */
export const check: CheckDefinition = {
  id: 'k8s.dedicated-service-account',
  title: 'Workloads use a dedicated service account',
  severity: 'low',
  rationale:
    "Pods without a service account run as the namespace's `default` account, shared by every such pod: any RBAC granted to it is granted to all of them, and API access cannot be attributed to one workload.",
  remediation:
    'Create a ServiceAccount per workload with only the RBAC it needs and set `serviceAccountName` in the pod spec.',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  adversarial: {
    spelling: ['fail-deprecated-service-account-field.yaml', 'fail-empty-service-account-name.yaml'],
  },
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    'iso27001-2022': ['A.5.15', 'A.5.18', 'A.8.2'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'],

  evaluate(_facts, ctx) {
    return evaluateWorkloads(
      ctx,
      (w) => {
        const sa = w.pod.serviceAccountName;
        if (sa.state === 'unknown') return unknownPart(sa, 'the service account is unknown');
        if (sa.state === 'absent') return at('fail', 'unset', sa);
        if (sa.value === 'default')
          return at('fail', 'default', sa, { key: sa.name.split('.').pop() ?? sa.name });
        return pass('dedicated', { name: sa.value });
      },
      MESSAGES,
    );
  },
};

import type { CheckDefinition } from '../../../core/check.js';
import { combine, invalidVerdict, stringField, workloads } from '../_lib/pod.js';

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
  evaluate(facts) {
    return workloads(facts).map((obj) => {
      const pod = obj.podSpec!;
      for (const key of ['serviceAccountName', 'serviceAccount']) {
        const path = [...pod.path, key];
        const f = stringField(pod.spec, key);
        if (f.state === 'invalid') {
          return combine(obj, [invalidVerdict(path, f.raw, 'a string', 'the service account is unknown')]);
        }
        if (f.state === 'ok' && f.value !== '') {
          return combine(obj, [
            f.value === 'default'
              ? {
                  outcome: 'fail',
                  message: `${key} is default: the pod shares the namespace's default account`,
                  path,
                }
              : { outcome: 'pass', message: `the pod runs as service account ${f.value}` },
          ]);
        }
      }
      return combine(obj, [
        {
          outcome: 'fail',
          message: "serviceAccountName is not set: the pod runs as the namespace's default service account",
          path: pod.path,
        },
      ]);
    });
  },
};

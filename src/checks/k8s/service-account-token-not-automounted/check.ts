import type { CheckDefinition } from '../../../core/check.js';
import type { Facts, KubernetesObject } from '../../../core/facts.js';
import { boolField, combine, invalidBoolVerdict, type Verdict, workloads } from '../_lib/pod.js';

/** The ServiceAccount object named `name` in the workload's namespace, when the scan contains it. */
function findServiceAccount(
  facts: Facts,
  workload: KubernetesObject,
  name: string,
): KubernetesObject | undefined {
  return (
    facts.kubernetes.find(
      (o) =>
        o.objectKind === 'ServiceAccount' &&
        o.name === name &&
        (o.namespace ?? 'default') === (workload.namespace ?? 'default') &&
        o.location.file === workload.location.file,
    ) ??
    facts.kubernetes.find(
      (o) =>
        o.objectKind === 'ServiceAccount' &&
        o.name === name &&
        (o.namespace ?? 'default') === (workload.namespace ?? 'default'),
    )
  );
}

/**
 * The service-account token is not mounted: the pod spec sets `automountServiceAccountToken: false`,
 * or leaves it unset and its ServiceAccount (found among the scanned objects, same name and
 * namespace) sets `automountServiceAccountToken: false`. The pod-level value wins over the account's.
 * Otherwise the Kubernetes default (`true`) applies and the check fails.
 */
export const check: CheckDefinition = {
  id: 'k8s.service-account-token-not-automounted',
  title: 'Service-account tokens are not auto-mounted into pods',
  severity: 'medium',
  rationale:
    'An auto-mounted service-account token gives anyone who compromises the container an API credential; most workloads never call the Kubernetes API and should not carry one.',
  remediation:
    'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount); workloads that need the API can mount a projected token explicitly.',
  input: 'kubernetes',
  adversarial: {
    coverage: ['fail-default-service-account.yaml'],
    linking: ['pass-disabled-on-service-account.yaml'],
  },
  mappings: {
    soc2: ['CC6.1'],
    'iso27001-2022': ['A.5.15', 'A.8.2', 'A.8.5'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  ],
  evaluate(facts) {
    // The `default` ServiceAccount of a namespace is what every pod naming no account runs as: it is
    // judged itself (Kubernetes docs, "Opt out of API credential automounting").
    const defaults = facts.kubernetes
      .filter((o) => o.objectKind === 'ServiceAccount' && o.name === 'default')
      .map((sa) => {
        const f = boolField(sa.manifest, 'automountServiceAccountToken');
        const path = ['automountServiceAccountToken'];
        const v: Verdict =
          f.state === 'invalid'
            ? invalidBoolVerdict(path, f.raw, 'whether the token is mounted is unknown')
            : f.state === 'ok' && !f.value
              ? {
                  outcome: 'pass',
                  message: 'the default ServiceAccount sets automountServiceAccountToken: false',
                }
              : {
                  outcome: 'fail',
                  message: `the default ServiceAccount ${f.state === 'ok' ? 'sets automountServiceAccountToken: true' : 'does not set automountServiceAccountToken: false'}: every pod of the namespace that names no account gets its API token`,
                  path: f.state === 'ok' ? path : [],
                };
        return combine(sa, [v]);
      });
    return [
      ...defaults,
      ...workloads(facts).map((obj) => {
        const pod = obj.podSpec!;
        const path = [...pod.path, 'automountServiceAccountToken'];
        const f = boolField(pod.spec, 'automountServiceAccountToken');
        let v: Verdict;
        if (f.state === 'invalid') {
          v = invalidBoolVerdict(path, f.raw, 'whether the token is mounted is unknown');
        } else if (f.state === 'ok') {
          v = f.value
            ? {
                outcome: 'fail',
                message: 'automountServiceAccountToken: true mounts the service-account token',
                path,
              }
            : { outcome: 'pass', message: 'automountServiceAccountToken: false on the pod spec' };
        } else {
          const named = pod.spec.serviceAccountName ?? pod.spec.serviceAccount;
          const saName = typeof named === 'string' && named !== '' ? named : 'default';
          const sa = findServiceAccount(facts, obj, saName);
          const saField = sa ? boolField(sa.manifest, 'automountServiceAccountToken') : undefined;
          if (sa && saField?.state === 'ok' && !saField.value) {
            v = {
              outcome: 'pass',
              message: `ServiceAccount ${saName} sets automountServiceAccountToken: false`,
            };
          } else if (sa && saField?.state === 'invalid') {
            v = {
              outcome: 'unknown',
              message: `ServiceAccount ${saName} has automountServiceAccountToken ${JSON.stringify(saField.raw)}, not true or false: whether the token is mounted is unknown; fix the manifest`,
            };
          } else {
            v = {
              outcome: 'fail',
              message: `automountServiceAccountToken is not set on the pod spec${sa ? ` nor false on ServiceAccount ${saName}` : ''}, so the token of service account ${saName} is mounted (default true)`,
              path: pod.path,
            };
          }
        }
        return combine(obj, [v]);
      }),
    ];
  },
};

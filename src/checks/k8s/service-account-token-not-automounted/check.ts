import { type CheckDefinition, type CheckResult, subjectOf } from '../../../core/check.js';
import type { Facts } from '../../../core/facts.js';
import { type Messages, toResult, verdict } from '../../../core/verdict.js';
import { at, evaluateWorkloads, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  'pod-true': 'automountServiceAccountToken: true mounts the service-account token',
  'pod-false': 'automountServiceAccountToken: false on the pod spec',
  'account-false': 'ServiceAccount {{account}} sets automountServiceAccountToken: false',
  'provider-default':
    'automount_service_account_token is not set and the Terraform kubernetes provider writes {{value}} (source: {{source}})',
  mounted:
    'automountServiceAccountToken is not set on the pod spec{{account}}, so the token of service account {{name}} is mounted (default true)',
  'default-account-false': 'the default ServiceAccount sets automountServiceAccountToken: false',
  'default-account-mounts':
    'the default ServiceAccount {{how}}: every pod of the namespace that names no account mounts its token',
  'default-account-invalid':
    'the default ServiceAccount has automountServiceAccountToken {{raw}}, not true or false: whether the token is mounted is unknown; fix the manifest',
};

/**
 * The `default` ServiceAccount of a namespace is what every pod naming no account runs as: it is
 * judged itself (Kubernetes docs, "Opt out of API credential automounting"). Read from the manifests
 * (the model's workloads link their account; a ServiceAccount is not a workload).
 */
function defaultAccounts(facts: Facts): CheckResult[] {
  return facts.kubernetes
    .filter((o) => o.objectKind === 'ServiceAccount' && o.name === 'default')
    .map((sa) => {
      const raw = sa.manifest.automountServiceAccountToken;
      const path = ['automountServiceAccountToken'];
      const v =
        raw === false
          ? verdict('pass', 'default-account-false')
          : raw === true
            ? verdict(
                'fail',
                'default-account-mounts',
                { how: 'sets automountServiceAccountToken: true' },
                { path },
              )
            : raw === undefined || raw === null
              ? verdict('fail', 'default-account-mounts', {
                  how: 'does not set automountServiceAccountToken: false',
                })
              : verdict('unknown', 'default-account-invalid', { raw: JSON.stringify(raw) }, { path });
      return toResult(
        { subject: subjectOf(sa), locate: (p) => sa.locate(typeof p === 'string' ? [p] : p) },
        v,
        MESSAGES,
      );
    });
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
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
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

  evaluate(facts, ctx) {
    return [
      ...defaultAccounts(facts),
      ...evaluateWorkloads(
        ctx,
        (w) => {
          const pod = w.pod.automountServiceAccountToken;
          if (pod.state === 'unknown') return unknownPart(pod, 'whether the token is mounted is unknown');
          if (pod.state === 'known') return pod.value ? at('fail', 'pod-true', pod) : pass('pod-false');
          if (pod.default) {
            // the provider writes its default into the pod spec: the ServiceAccount cannot override it
            const data = { value: String(pod.default.value), source: pod.default.source };
            return pod.default.value
              ? at('fail', 'provider-default', pod, data)
              : pass('provider-default', data);
          }
          const sa = w.pod.serviceAccountName;
          const name = sa.state === 'known' ? sa.value : 'default';
          const account = w.serviceAccount;
          const token = account.automountToken;
          if (token.state === 'known' && !token.value) return pass('account-false', { account: name });
          if (token.state === 'unknown') return unknownPart(token, 'whether the token is mounted is unknown');
          return verdict(
            'fail',
            'mounted',
            { account: account.source.state === 'known' ? ` nor false on ServiceAccount ${name}` : '', name },
            { location: pod.location },
          );
        },
        MESSAGES,
      ),
    ];
  },
};

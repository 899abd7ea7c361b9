import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, verdict } from '../../../core/verdict.js';
import { at, evaluateWorkloads, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  'pod-true': 'automountServiceAccountToken: true mounts the service-account token',
  'pod-false': 'automountServiceAccountToken: false on the pod spec',
  'account-false': 'ServiceAccount {{account}} sets automountServiceAccountToken: false',
  'provider-default':
    'automount_service_account_token is not set and the Terraform kubernetes provider writes {{value}} (source: {{source}})',
  mounted:
    'automountServiceAccountToken is not set on the pod spec{{account}}, so the token of service account {{name}} is mounted (default true)',
};

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
  mappings: {
    soc2: ['CC6.1'],
    'iso27001-2022': ['A.5.15', 'A.8.2', 'A.8.5'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  ],

  evaluate(_facts, ctx) {
    return evaluateWorkloads(
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
    );
  },
};

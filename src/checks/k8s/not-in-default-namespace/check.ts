import type { CheckDefinition } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { at, evaluateWorkloads, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  unset:
    'metadata.namespace is not set: the workload lands in the current context namespace, usually default',
  default: 'the workload is in the default namespace',
  namespaced: 'the workload is in namespace {{namespace}}',
};

/**
 * Workloads set `metadata.namespace` to something other than `default`. An absent namespace fails:
 * `kubectl apply` then puts the object in the context's namespace, usually `default`.
 */
export const check: CheckDefinition = {
  id: 'k8s.not-in-default-namespace',
  title: 'Workloads are not deployed to the default namespace',
  severity: 'low',
  rationale:
    'Namespaces are the unit of RBAC, network policy, quotas and Pod Security admission; workloads in `default` share one undifferentiated boundary and usually escape the policies set on application namespaces.',
  remediation:
    'Set `metadata.namespace` on every workload to a dedicated namespace (e.g. `payments`) that carries its own RBAC, NetworkPolicy and Pod Security labels.',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  adversarial: {
    spelling: ['fail-default-namespace-quoted.yaml', 'fail-namespace-empty-string.yaml'],
  },
  mappings: {
    soc2: ['CC6.1'],
    'iso27001-2022': ['A.5.15', 'A.8.9', 'A.8.22'],
  },
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],

  evaluate(_facts, ctx) {
    return evaluateWorkloads(
      ctx,
      (w) => {
        const ns = w.namespace;
        if (ns.state === 'unknown') return unknownPart(ns, 'the namespace is unknown');
        if (ns.state === 'absent' || (ns.state === 'known' && ns.value === ''))
          return ns.state === 'absent' && ns.default ? at('fail', 'default', ns) : at('fail', 'unset', ns);
        if (ns.value === 'default') return at('fail', 'default', ns);
        return pass('namespaced', { namespace: ns.value });
      },
      MESSAGES,
    );
  },
};

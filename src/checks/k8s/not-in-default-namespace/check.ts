import type { CheckDefinition } from '../../../core/check.js';
import { combine, workloads } from '../_lib/pod.js';

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
  adversarial: {
    spelling: ['fail-default-namespace-quoted.yaml', 'fail-namespace-empty-string.yaml'],
  },
  mappings: {
    soc2: ['CC6.1'],
    'iso27001-2022': ['A.5.15', 'A.8.9', 'A.8.22'],
  },
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
  evaluate(facts) {
    return workloads(facts).map((obj) => {
      const raw = (obj.manifest.metadata as Record<string, unknown> | undefined)?.namespace;
      const path = ['metadata', 'namespace'];
      if (raw !== undefined && raw !== null && typeof raw !== 'string') {
        return combine(obj, [
          {
            outcome: 'unknown',
            message: `metadata.namespace is ${JSON.stringify(raw)}, not a string: the namespace is unknown; fix the manifest`,
            path,
          },
        ]);
      }
      if (raw === undefined || raw === null || raw === '') {
        return combine(obj, [
          {
            outcome: 'fail',
            message:
              'metadata.namespace is not set: the workload lands in the current context namespace, usually default',
            path: ['metadata'],
          },
        ]);
      }
      if (raw === 'default') {
        return combine(obj, [{ outcome: 'fail', message: 'the workload is in the default namespace', path }]);
      }
      return combine(obj, [{ outcome: 'pass', message: `the workload is in namespace ${raw}` }]);
    });
  },
};

import type { CheckContext, CheckResult } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { at, evaluateContainers, pass, RESOURCE_CONTAINER_GROUPS, unknownPart } from './pod.js';

const MESSAGES: Messages = {
  'no-limit': '{{container}} sets no {{resource}} limit',
  limited: '{{container}} limits {{resource}} to {{quantity}}',
  'zero-limit': '{{container}} sets a {{resource}} limit of {{quantity}}, which is no limit',
  'not-quantity':
    "{{container}} has {{resource}} limit {{quantity}}, not a non-negative quantity (e.g. 500m, 256Mi): the API server rejects it, so {{container}}'s {{resource}} limit is unknown; fix the manifest",
};

/**
 * One result per workload: every container and initContainer sets `resources.limits.<resource>`
 * to a quantity (a string like `500m`/`256Mi` or a number). Ephemeral containers cannot declare
 * resources and are not checked. A limit of 0 (in any spelling: `0`, `0m`, `0Gi`) is no limit:
 * `fail`. A limit that is not a non-negative quantity (the API server rejects it) or whose map is
 * malformed gives `unknown`.
 */
export function evaluateLimit(ctx: CheckContext, resource: 'cpu' | 'memory'): CheckResult[] {
  return evaluateContainers(
    ctx,
    RESOURCE_CONTAINER_GROUPS,
    ({ container, label }) => {
      const v = resource === 'cpu' ? container.resources.limitsCpu : container.resources.limitsMemory;
      if (v.state === 'unknown') return unknownPart(v, `${label}'s ${resource} limit is unknown`);
      if (v.state === 'absent' || v.value === '')
        return at('fail', 'no-limit', v, { container: label, resource });
      const data = { container: label, resource, quantity: JSON.stringify(v.value) };
      const q = parseQuantity(v.value);
      if (q === undefined || q < 0) return at('unknown', 'not-quantity', v, data);
      if (q === 0) return at('fail', 'zero-limit', v, data);
      return pass('limited', { container: label, resource, quantity: v.value });
    },
    MESSAGES,
  );
}

/** The messages of the limit checks. */
export const LIMIT_MESSAGES = MESSAGES;

const SUFFIX_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The value of a Kubernetes quantity (k8s.io/apimachinery resource.Quantity: a signed decimal
 * number with a binary-SI (`Ki`..`Ei`), decimal-SI (`n` `u` `m` `k` `M` `G` `T` `P` `E`) or decimal
 * exponent (`e3`, `E-2`) suffix), or undefined for text that is not one (`"lots"`, `"1 Gi"`, `"1gi"`).
 * A YAML number is its own value. Approximate (floating point): used to tell zero and negative
 * limits apart from real ones.
 */
export function parseQuantity(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  return n * (SUFFIX_FACTORS[m[3] ?? ''] as number);
}

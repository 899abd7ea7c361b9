import type { CheckResult } from '../../../core/check.js';
import type { Facts } from '../../../core/facts.js';
import {
  containerLabel,
  evaluateContainers,
  invalidVerdict,
  mapField,
  RESOURCE_CONTAINER_GROUPS,
  type Verdict,
} from './pod.js';

/**
 * One result per workload: every container and initContainer sets `resources.limits.<resource>`
 * to a quantity (a string like `500m`/`256Mi` or a number). Ephemeral containers cannot declare
 * resources and are not checked. A `resources` or `limits` that is not a map, or a limit that is not
 * a quantity, gives `unknown`.
 */
export function evaluateLimit(facts: Facts, resource: 'cpu' | 'memory'): CheckResult[] {
  return evaluateContainers(facts, RESOURCE_CONTAINER_GROUPS, (c): Verdict => {
    const label = containerLabel(c);
    const resPath = [...c.path, 'resources'];
    const res = mapField(c.spec, 'resources');
    if (res.state === 'invalid')
      return invalidVerdict(resPath, res.raw, 'a map', `${label}'s limits are unknown`);
    const limits = mapField(res.state === 'ok' ? res.value : undefined, 'limits');
    const limitsPath = [...resPath, 'limits'];
    if (limits.state === 'invalid') {
      return invalidVerdict(limitsPath, limits.raw, 'a map', `${label}'s limits are unknown`);
    }
    const v = limits.state === 'ok' ? limits.value[resource] : undefined;
    if (v === undefined || v === null || v === '') {
      return {
        outcome: 'fail',
        message: `${label} sets no ${resource} limit`,
        path: limits.state === 'ok' ? limitsPath : res.state === 'ok' ? resPath : c.path,
      };
    }
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
    if (q === undefined || q < 0) {
      // The API server rejects it (quantities must match the resource.Quantity grammar and limits
      // cannot be negative): the limit this container would get is unknown, never a pass.
      return invalidVerdict(
        [...limitsPath, resource],
        v,
        'a non-negative quantity (e.g. 500m, 256Mi)',
        `${label}'s ${resource} limit is unknown`,
      );
    }
    if (q === 0)
      return {
        outcome: 'fail',
        message: `${label} sets a ${resource} limit of ${JSON.stringify(v)}, which is no limit`,
        path: [...limitsPath, resource],
      };
    return { outcome: 'pass', message: `${label} limits ${resource} to ${v}` };
  });
}

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

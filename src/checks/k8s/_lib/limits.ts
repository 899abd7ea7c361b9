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
    if (typeof v !== 'string' && typeof v !== 'number') {
      return invalidVerdict(
        [...limitsPath, resource],
        v,
        'a quantity',
        `${label}'s ${resource} limit is unknown`,
      );
    }
    return { outcome: 'pass', message: `${label} limits ${resource} to ${v}` };
  });
}

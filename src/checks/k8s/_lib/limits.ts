import type { CheckContext, CheckResult } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { at, evaluateContainers, pass, RESOURCE_CONTAINER_GROUPS, unknownPart } from './pod.js';

const MESSAGES: Messages = {
  'no-limit': '{{container}} sets no {{resource}} limit',
  limited: '{{container}} limits {{resource}} to {{quantity}}',
};

/**
 * One result per workload: every container and initContainer sets `resources.limits.<resource>`
 * to a quantity (a string like `500m`/`256Mi` or a number). Ephemeral containers cannot declare
 * resources and are not checked. A limit that is not a quantity (or whose map is malformed) gives
 * `unknown`.
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
      return pass('limited', { container: label, resource, quantity: v.value });
    },
    MESSAGES,
  );
}

/** The messages of the limit checks. */
export const LIMIT_MESSAGES = MESSAGES;

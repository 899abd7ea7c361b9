import type { TerraformResource } from '../../../core/facts.js';
import { boolAttr, type Verdict } from '../../_lib/terraform-values.js';

/**
 * `verdict` about one setting of a CloudTrail trail, qualified by whether the trail logs at all:
 * `enable_logging = false` (provider default true) means the trail records nothing, so the setting
 * protects nothing: `fail`. An `enable_logging` not known statically turns a `pass` into `unknown`.
 */
export function whileLogging(trail: TerraformResource, verdict: Verdict): Verdict {
  const logging = boolAttr(trail.attributes, 'enable_logging', true);
  if (logging.state === 'ok' && !logging.value)
    return {
      outcome: 'fail',
      message: 'enable_logging = false: the trail records nothing, whatever its other settings',
      path: 'enable_logging',
    };
  if (logging.state === 'invalid')
    return { outcome: 'fail', message: 'enable_logging is not a boolean', path: 'enable_logging' };
  if (logging.state === 'unresolved' && verdict.outcome === 'pass')
    return {
      outcome: 'unknown',
      message: `${verdict.message}, but enable_logging is not known statically (${logging.value.reason}): the trail may record nothing`,
      path: 'enable_logging',
    };
  return verdict;
}

import { type Messages, type Verdict, verdict } from '../../../core/verdict.js';
import type { CloudTrailTrail } from '../../../model/aws/cloudtrail.js';

/** Messages of the trail-logging qualification. */
export const TRAIL_MESSAGES: Messages = {
  'not-logging': 'enable_logging = false: the trail records nothing, whatever its other settings',
  'logging-not-boolean': 'enable_logging is not a boolean',
};

/**
 * `setting` (a verdict about one setting of a trail) qualified by whether the trail records at all:
 * `enable_logging = false` (default true) means the setting protects nothing: `fail`; an
 * `enable_logging` not known statically turns a `pass` into `unknown` (doubt named).
 */
export function whileLogging(trail: CloudTrailTrail, setting: Verdict): Verdict {
  const logging = trail.logging;
  if (logging.state === 'known' && !logging.value)
    return verdict('fail', 'not-logging', undefined, { location: logging.location });
  if (logging.state === 'unknown' && 'invalid' in logging)
    return verdict('fail', 'logging-not-boolean', undefined, { location: logging.location });
  if (logging.state === 'unknown' && setting.outcome === 'pass')
    return {
      ...setting,
      outcome: 'unknown',
      doubt: `enable_logging is not known statically (${logging.unresolved.reason}): the trail may record nothing`,
    };
  return setting;
}

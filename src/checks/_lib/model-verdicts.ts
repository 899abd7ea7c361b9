// Verdict helpers for checks over the model (src/model): unknown values become `unknown` verdicts
// with one wording, list Values are walked with their unknown parts kept.
import type { Unresolved } from '../../core/unresolved.js';
import { type Verdict, verdict } from '../../core/verdict.js';
import { itemsOf, type ListValue, type Unknown, type Value } from '../../model/value.js';

/**
 * The `unknown` verdict for a value that is not known statically (`<name> is not known statically
 * (<reason>)`, messageId `unknown-value`) or has the wrong type (its reason, messageId
 * `invalid-value`), located where the value is written. `consequence` completes the sentence
 * (`: <consequence>`); `where` prefixes it (`aws_s3_bucket_acl.x: `).
 */
export function unknownVerdict(v: Unknown, opts: { consequence?: string; where?: string } = {}): Verdict {
  const common = {
    where: opts.where ?? '',
    consequence: opts.consequence ? `: ${opts.consequence}` : '',
  };
  return 'invalid' in v
    ? verdict(
        'unknown',
        'invalid-value',
        { ...common, reason: v.unresolved.reason },
        { location: v.location },
      )
    : verdict(
        'unknown',
        'unknown-value',
        { ...common, name: v.name, reason: v.unresolved.reason },
        { location: v.location },
      );
}

/** The items of a list: an unknown list is one unknown item (so a fold sees it), an absent list none. */
export function items<T>(list: ListValue<T>): readonly Value<T>[] {
  return itemsOf(list) ?? [list as Unknown];
}

/** A list of strings split into its known values and the markers of its unknown parts. */
export interface Strings {
  values: string[];
  unresolved: Unresolved[];
}

/** {@link Strings} of a list of strings. */
export function strings(list: ListValue<string>): Strings {
  const out: Strings = { values: [], unresolved: [] };
  for (const item of items(list)) {
    if (item.state === 'known') out.values.push(item.value);
    else if (item.state === 'unknown') out.unresolved.push(item.unresolved);
  }
  return out;
}

/** Why a link is doubtful: the reason of an unknown `applies`, else undefined (certain). */
export function doubtOf(applies: Value<boolean>): string | undefined {
  return applies.state === 'unknown' ? applies.unresolved.reason : undefined;
}

/**
 * Verdict for a boolean that must be true: `pass` when it is (set, or by its default), `unknown` when
 * not known statically, `fail` when false, unset with a false default (or no default), or not a
 * boolean. Located at the value when it is written, else at the subject.
 */
export function requireTrue(v: Value<boolean>, where = ''): Verdict {
  if (v.state === 'unknown') {
    return 'invalid' in v
      ? verdict('fail', 'not-boolean', { where, name: v.name }, { location: v.location })
      : unknownVerdict(v, { where });
  }
  if (v.state === 'known')
    return v.value
      ? verdict('pass', 'value-true', { where, name: v.name }, { location: v.location })
      : verdict('fail', 'value-false', { where, name: v.name, state: 'false' }, { location: v.location });
  if (v.default?.value) return verdict('pass', 'value-true', { where, name: `${v.name} (default)` });
  return verdict('fail', 'value-false', { where, name: v.name, state: 'not set (defaults to false)' });
}

// The three-state value of the concern-typed model (DESIGN.md layer 2, "Each model value is
// three-state"). Every leaf of a model object and every list is a Value: known (with where it is
// written), unknown (with why and where), or absent (with the default that applies and its source).
import type { SourceLocation } from '../core/location.js';
import { Unresolved } from '../core/unresolved.js';

/**
 * A default that applies when a field is absent: the value the provider or platform uses, and the
 * documented source that says so (a provider doc URL with its anchor, an API reference). Adapters
 * only record defaults that a test names the source of.
 */
export interface DefaultValue<T> {
  readonly value: T;
  /** Documentation URL or citation that states this default, e.g. the provider doc `#anchor`. */
  readonly source: string;
}

/** Fields every state carries. */
interface ValueBase {
  /**
   * The attribute or property as the input writes it, for messages: `block_public_acls`,
   * `versioning.0.enabled` (Terraform), `BucketEncryption.ServerSideEncryptionConfiguration`
   * (CloudFormation), `securityContext.privileged` (Kubernetes).
   */
  readonly name: string;
  /**
   * Where the value is written; for an absent value, where it would be written (the block or
   * resource that lacks it).
   */
  readonly location: SourceLocation;
}

/** A value read from the input. */
export interface Known<T> extends ValueBase {
  readonly state: 'known';
  readonly value: T;
}

/**
 * A value that is not known statically: a variable without a default, an attribute computed at
 * apply time, an unresolvable intrinsic function; or a value of the wrong type (`invalid` holds it:
 * the platform would reject or reinterpret it, so nothing can be concluded from it).
 */
export interface Unknown extends ValueBase {
  readonly state: 'unknown';
  /** The marker the rule engines recognise (reason, referenced addresses). */
  readonly unresolved: Unresolved;
  /** The raw value when it is present but of the wrong type (`"yes"` for a boolean). */
  readonly invalid?: unknown;
}

/** A value the input does not set (missing or null). `default` is what the platform then uses, when documented. */
export interface Absent<T> extends ValueBase {
  readonly state: 'absent';
  readonly default?: DefaultValue<T>;
}

/** A three-state model value. */
export type Value<T> = Known<T> | Unknown | Absent<T>;

/** A model list: the list itself may be unknown (a dynamic block over an unknown collection), and so may each item. */
export type ListValue<T> = Value<readonly Value<T>[]>;

const BRAND = Symbol.for('evident.model.value');

function brand<V extends object>(v: V): V {
  Object.defineProperty(v, BRAND, { value: true, enumerable: false });
  return v;
}

/** True when `v` is a model {@link Value} (made by {@link known}, {@link unknown} or {@link absent}). */
export function isValue(v: unknown): v is Value<unknown> {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}

/** A known value named `name`, written at `location`. */
export function known<T>(value: T, name: string, location: SourceLocation): Known<T> {
  return brand({ state: 'known' as const, value, name, location });
}

/**
 * An unknown value. `why` is an {@link Unresolved} marker from the source (kept as is, refs
 * included) or a reason text.
 */
export function unknown(why: Unresolved | string, name: string, location: SourceLocation): Unknown {
  const unresolved = typeof why === 'string' ? new Unresolved(why) : why;
  return brand({ state: 'unknown' as const, unresolved, name, location });
}

/**
 * An unknown value for a present value of the wrong type: `reason` says what was expected
 * (`not a boolean`), `raw` is the value as written.
 */
export function invalid(raw: unknown, reason: string, name: string, location: SourceLocation): Unknown {
  return brand({
    state: 'unknown' as const,
    unresolved: new Unresolved(`${name} is ${describeRaw(raw)}, ${reason}`),
    invalid: raw,
    name,
    location,
  });
}

/** An absent value named `name`, whose owner is at `location`, with the default that applies if any. */
export function absent<T>(name: string, location: SourceLocation, dflt?: DefaultValue<T>): Absent<T> {
  return brand(
    dflt
      ? { state: 'absent' as const, name, location, default: dflt }
      : { state: 'absent' as const, name, location },
  );
}

/** Short rendering of a raw value for messages: `the string "yes"`, `42`, `a list`, `a map`. */
export function describeRaw(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'a map';
  if (typeof v === 'string')
    return v.length > 40
      ? `the string ${JSON.stringify(`${v.slice(0, 37)}...`)}`
      : `the string ${JSON.stringify(v)}`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * The value a rule sees: the known value, the default of an absent value (undefined without one),
 * or the {@link Unresolved} marker of an unknown value.
 */
export function effective<T>(v: Value<T>): T | Unresolved | undefined {
  if (v.state === 'known') return v.value;
  if (v.state === 'unknown') return v.unresolved;
  return v.default?.value;
}

/** True when the value is known or absent with a default (so {@link effective} gives a `T`). */
export function isDetermined<T>(v: Value<T>): v is Known<T> | (Absent<T> & { default: DefaultValue<T> }) {
  return v.state === 'known' || (v.state === 'absent' && v.default !== undefined);
}

/** The items of a list value: `[]` when absent, undefined when the list itself is unknown. */
export function itemsOf<T>(list: ListValue<T>): readonly Value<T>[] | undefined {
  if (list.state === 'known') return list.value;
  if (list.state === 'absent') return list.default?.value ?? [];
  return undefined;
}

/** The known items of a list value (unknown items and an unknown list are left out). */
export function knownItems<T>(list: ListValue<T>): T[] {
  const out: T[] = [];
  for (const item of itemsOf(list) ?? []) if (item.state === 'known') out.push(item.value);
  return out;
}

/** A value's `invalid` raw payload, when it is an unknown caused by a wrong type. */
export function isInvalid(v: Value<unknown>): v is Unknown & { invalid: unknown } {
  return v.state === 'unknown' && 'invalid' in v;
}

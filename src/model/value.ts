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

/** A value or a function computing it on first use (locations cost a YAML/AST walk: most are never read). */
export type Lazy<T> = T | (() => T);

/**
 * Where a value sits in a format's fact tree: its name and location are computed from it on first
 * read (src/adapters/tree.ts passes the tree's `name` and `locate`), so adapters can describe
 * thousands of values without locating or naming each one.
 */
export interface ValueSite {
  name(path: readonly (string | number)[]): string;
  locate(path: readonly (string | number)[]): SourceLocation;
}

/** What a state adds to a value: its value, marker, raw invalid value or default. */
type StateProps = {
  value?: unknown;
  unresolved?: Unresolved;
  invalid?: unknown;
  default?: DefaultValue<unknown>;
};

/**
 * The one implementation of every state. `name` and `location` are resolved on first read. Only the
 * properties of the value's state exist (`'invalid' in v` tells an invalid unknown from another).
 */
class ModelValue {
  readonly state: 'known' | 'unknown' | 'absent';
  #name: Lazy<string> | undefined;
  #location: Lazy<SourceLocation> | undefined;
  #site: ValueSite | undefined;
  #at: { readonly path: readonly (string | number)[] } | undefined;
  declare readonly value?: unknown;
  declare readonly unresolved?: Unresolved;
  declare readonly invalid?: unknown;
  declare readonly default?: DefaultValue<unknown>;

  constructor(
    state: 'known' | 'unknown' | 'absent',
    name: Lazy<string> | undefined,
    location: Lazy<SourceLocation> | undefined,
    props: StateProps,
    site?: ValueSite,
    at?: { readonly path: readonly (string | number)[] },
  ) {
    this.state = state;
    this.#name = name;
    this.#location = location;
    this.#site = site;
    this.#at = at;
    if ('value' in props) (this as { value?: unknown }).value = props.value;
    if (props.unresolved) (this as { unresolved?: Unresolved }).unresolved = props.unresolved;
    if ('invalid' in props) (this as { invalid?: unknown }).invalid = props.invalid;
    if (props.default) (this as { default?: DefaultValue<unknown> }).default = props.default;
  }

  get name(): string {
    let n = this.#name;
    if (n === undefined) n = this.#site!.name(this.#at!.path);
    else if (typeof n === 'function') n = n();
    this.#name = n;
    return n;
  }

  get location(): SourceLocation {
    let l = this.#location;
    if (l === undefined) l = this.#site!.locate(this.#at!.path);
    else if (typeof l === 'function') l = l();
    this.#location = l;
    return l;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, location: this.location };
  }
}

/** True when `v` is a model {@link Value} (made by {@link known}, {@link unknown} or {@link absent}). */
export function isValue(v: unknown): v is Value<unknown> {
  return v instanceof ModelValue;
}

/** A known value named `name`, written at `location` (either may be computed on first use). */
export function known<T>(value: T, name: Lazy<string>, location: Lazy<SourceLocation>): Known<T> {
  return new ModelValue('known', name, location, { value }) as unknown as Known<T>;
}

/**
 * An unknown value. `why` is an {@link Unresolved} marker from the source (kept as is, refs
 * included) or a reason text.
 */
export function unknown(
  why: Unresolved | string,
  name: Lazy<string>,
  location: Lazy<SourceLocation>,
): Unknown {
  const unresolved = typeof why === 'string' ? new Unresolved(why) : why;
  return new ModelValue('unknown', name, location, { unresolved }) as unknown as Unknown;
}

/**
 * An unknown value for a present value of the wrong type: `reason` says what was expected
 * (`not a boolean`), `raw` is the value as written.
 */
export function invalid(
  raw: unknown,
  reason: string,
  name: Lazy<string>,
  location: Lazy<SourceLocation>,
): Unknown {
  const n = typeof name === 'function' ? name() : name;
  return new ModelValue('unknown', n, location, {
    unresolved: new Unresolved(`${n} is ${describeRaw(raw)}, ${reason}`),
    invalid: raw,
  }) as unknown as Unknown;
}

/** An absent value named `name`, whose owner is at `location`, with the default that applies if any. */
export function absent<T>(
  name: Lazy<string>,
  location: Lazy<SourceLocation>,
  dflt?: DefaultValue<T>,
): Absent<T> {
  return new ModelValue('absent', name, location, dflt ? { default: dflt } : {}) as unknown as Absent<T>;
}

/**
 * A value at `at.path` of a fact tree (`site`), named and located from it on first read: the
 * allocation-light form adapters use for every leaf (`at` may compute its path lazily). `state` and
 * `props` as for {@link known}, {@link unknown}, {@link absent}.
 */
export function valueAt<T>(
  state: 'known' | 'unknown' | 'absent',
  props: StateProps,
  site: ValueSite,
  at: { readonly path: readonly (string | number)[] },
): Value<T> {
  return new ModelValue(state, undefined, undefined, props, site, at) as unknown as Value<T>;
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

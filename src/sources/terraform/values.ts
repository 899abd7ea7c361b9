import type { TfObject, TfValue } from '../../core/facts.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { TfNumber } from './tf-number.js';

/**
 * An Unresolved produced by an evaluation error (missing attribute, bad index, wrong argument type)
 * rather than by an unknown input. Terraform would reject the configuration; Evident keeps going with
 * an Unresolved value. `try()`/`can()` treat it as an error, as Terraform does.
 */
export class EvalFailure extends Unresolved {}

/**
 * For an Unresolved string template whose only unknown parts are computed resource attributes: the
 * text with those parts written as `${address.attr}` placeholders (used by toJsonValue).
 */
export const partialTemplates = {
  get: (u: Unresolved): string | undefined => u.template,
  set: (u: Unresolved, text: string): void => {
    u.template = text;
  },
};

/** Data sources whose computed attributes are plain identifiers (never wildcards or documents). */
const IDENTIFIER_DATA_SOURCES = new Set(['aws_caller_identity', 'aws_partition', 'aws_region']);

const COMPUTED_REF =
  /^(?:module\.[A-Za-z0-9_-]+(?:\[[^\].]*\])?\.)*(data\.)?([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)$/;

/**
 * The placeholder text (`address.attr`) for an Unresolved that may be shown as `${address.attr}` inside
 * a JSON document, or undefined. Allowed: attributes computed by the provider for a managed resource
 * (ids, ARNs, names), ARNs of data sources, and attributes of aws_caller_identity / aws_partition /
 * aws_region. Not allowed (the value could be anything, even `*`): variables, other data source
 * attributes (`terraform_remote_state.outputs`, `external.result`, ...), evaluation errors.
 */
export function placeholderFor(u: Unresolved): string | undefined {
  if (u instanceof EvalFailure || !u.reason.startsWith('computed: ')) return undefined;
  const ref = u.reason.slice('computed: '.length);
  const m = COMPUTED_REF.exec(ref);
  if (!m) return undefined;
  const [, isData, type, attr] = m;
  if (!isData) return ref;
  if (IDENTIFIER_DATA_SOURCES.has(type ?? '') || attr === 'arn' || attr?.endsWith('_arn')) return ref;
  return undefined;
}

/** Thrown inside function implementations to abort with an Unresolved result. */
export class UnresolvedSignal {
  constructor(readonly value: Unresolved) {}
}

/** True for a plain object value (not a list, not null, not Unresolved). */
export function isObj(v: TfValue | undefined): v is TfObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnresolved(v) && !isTfNumber(v);
}

/**
 * Numbers inside the evaluator: a JavaScript number when the value is a safe integer (exact either
 * way), else a {@link TfNumber} carrying Terraform's 512-bit value (tf-number.ts). TfNumber values
 * never reach facts: {@link toFactValue} turns them into the nearest JavaScript number.
 */
export function isTfNumber(v: unknown): v is TfNumber {
  return v instanceof TfNumber;
}

/** A TfNumber as an evaluator value: a JavaScript number when it is a safe integer other than -0. */
export function numberValue(n: TfNumber): TfValue {
  if (n.isInteger() && !(n.isZero() && n.neg)) {
    const i = n.truncate() as bigint;
    if (i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(i);
  }
  return n as unknown as TfValue;
}

/** The exact number of a value (`"0.1"` parses at 512 bits, as Terraform converts strings), or undefined. */
export function exactNumber(v: TfValue | undefined): TfNumber | undefined {
  if (isTfNumber(v)) return v;
  if (typeof v === 'number') return TfNumber.fromJs(v);
  if (typeof v === 'string') return TfNumber.parse(v);
  return undefined;
}

/** `v` with every TfNumber replaced by the nearest JavaScript number (facts hold plain numbers). */
export function toFactValue(v: TfValue): TfValue {
  if (isTfNumber(v)) return v.toJs();
  if (Array.isArray(v)) return v.some(hasTfNumber) ? v.map(toFactValue) : v;
  if (isObj(v) && Object.values(v).some(hasTfNumber)) {
    const o: TfObject = {};
    for (const [k, x] of Object.entries(v)) o[k] = toFactValue(x);
    return o;
  }
  return v;
}

function hasTfNumber(v: TfValue): boolean {
  if (isTfNumber(v)) return true;
  if (Array.isArray(v)) return v.some(hasTfNumber);
  return isObj(v) && Object.values(v).some(hasTfNumber);
}

/** Union of the refs of several values (only top-level Unresolved values count). */
export function mergeRefs(...vs: (TfValue | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of vs) if (isUnresolved(v)) for (const r of v.refs) out.add(r);
  return [...out];
}

/** An Unresolved carrying the refs of `from`; an EvalFailure when any of `from` is one. */
export function unresolvedFrom(reason: string, ...from: (TfValue | undefined)[]): Unresolved {
  const failed = from.some((v) => v instanceof EvalFailure);
  const refs = mergeRefs(...from);
  return failed ? new EvalFailure(reason, refs) : new Unresolved(reason, refs);
}

/** The first Unresolved found anywhere inside `v` (depth-first), with the refs of all Unresolved inside. */
export function deepUnresolved(v: TfValue): Unresolved | undefined {
  let first: Unresolved | undefined;
  const refs = new Set<string>();
  const walk = (x: TfValue): void => {
    if (isUnresolved(x)) {
      first ??= x;
      for (const r of x.refs) refs.add(r);
    } else if (Array.isArray(x)) {
      for (const e of x) walk(e);
    } else if (isObj(x)) {
      for (const k in x) walk(x[k] as TfValue);
    }
  };
  walk(v);
  if (!first) return undefined;
  const Cls = first instanceof EvalFailure ? EvalFailure : Unresolved;
  return new Cls(first.reason, [...refs]);
}

/** Collects every ref of every Unresolved inside `v` into `out`. */
export function collectDeepRefs(v: TfValue, out: Set<string>): void {
  if (isUnresolved(v)) for (const r of v.refs) out.add(r);
  else if (Array.isArray(v)) for (const e of v) collectDeepRefs(e, out);
  else if (isObj(v)) for (const k in v) collectDeepRefs(v[k] as TfValue, out);
}

/** True when `v` contains an EvalFailure anywhere. */
export function hasFailure(v: TfValue): boolean {
  if (v instanceof EvalFailure) return true;
  if (Array.isArray(v)) return v.some(hasFailure);
  if (isObj(v)) return Object.values(v).some(hasFailure);
  return false;
}

/** Terraform type name of a value, for messages. */
export function typeName(v: TfValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (isUnresolved(v)) return 'unknown';
  if (isTfNumber(v)) return 'number';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Structural equality of two known values (Unresolved never equal). */
export function deepEqual(a: TfValue, b: TfValue): boolean {
  if (a === b) return true;
  if (isTfNumber(a) || isTfNumber(b)) {
    // cty: numbers are equal when their shortest texts are (rawNumberEqual); never equal to strings.
    if (typeof a === 'string' || typeof b === 'string') return false;
    const x = exactNumber(a);
    const y = exactNumber(b);
    return x !== undefined && y !== undefined && x.equals(y);
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as TfValue));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k] as TfValue, b[k] as TfValue));
  }
  return false;
}

/**
 * Converts a primitive to its Terraform string form (`tostring`, template interpolation).
 * Returns undefined for null, collections and Unresolved.
 */
export function toStr(v: TfValue): string | undefined {
  if (typeof v === 'string') return v;
  if (isTfNumber(v)) return v.toString();
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** Number formatting like Terraform's (integers without a decimal point, no exponent for common sizes). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Converts a value to a number the way Terraform converts strings (`"5"` → 5); undefined when impossible. */
export function toNum(v: TfValue): number | undefined {
  if (typeof v === 'number') return v;
  if (isTfNumber(v)) return v.toJs();
  if (typeof v === 'string' && v.trim() !== '' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim()))
    return Number(v);
  return undefined;
}

/** Converts a value to a bool (`"true"`/`"false"` strings accepted); undefined when impossible. */
export function toBool(v: TfValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** Lexical key order, as Terraform iterates maps and string sets. */
export function sortedKeys(o: TfObject): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

import { isUnresolved, type Unresolved } from '../core/unresolved.js';

/**
 * One reason an expression's value is not known statically: the attribute it depends on (`path`,
 * rendered as in CEL: `resource.versioning[0].enabled`, or `aws_s3_bucket_versioning.v.status` for a
 * companion) and why the source could not resolve it (`var.enabled has no value`).
 */
export interface UnknownCause {
  path: string;
  reason: string;
}

/**
 * The third truth value (Kleene logic): the result depends on a value that is not known statically.
 * Carries every cause that contributed, de-duplicated, in evaluation order.
 */
export class Unknown {
  readonly causes: readonly UnknownCause[];

  constructor(causes: readonly UnknownCause[]) {
    this.causes = causes;
  }

  /** One Unknown holding the causes of all of `parts` (de-duplicated), or undefined when none is unknown. */
  static merge(...parts: unknown[]): Unknown | undefined {
    let out: UnknownCause[] | undefined;
    let single: Unknown | undefined;
    for (const p of parts) {
      if (!(p instanceof Unknown)) continue;
      if (!single) {
        single = p;
        continue;
      }
      out ??= [...single.causes];
      for (const c of p.causes) if (!out.some((x) => x.path === c.path && x.reason === c.reason)) out.push(c);
    }
    return out ? new Unknown(out) : single;
  }

  /** `path is not known statically (reason)`, joined with `; `. */
  describe(): string {
    return this.causes.map((c) => `${c.path} is not known statically (${c.reason})`).join('; ');
  }
}

/**
 * A CEL evaluation error as a value (CEL's error semantics: `false && error` is `false`, so errors
 * must flow through the logical operators instead of unwinding). `message` says what went wrong in the
 * rule author's terms; `start`/`end` are offsets in the expression text.
 */
export class CelError {
  constructor(
    readonly message: string,
    readonly start = 0,
    readonly end = 0,
  ) {}
}

/**
 * A list whose membership is only partly known: `known` holds the elements known to be in it; more
 * elements may exist (`unknown` says why). Produced by `filter` with an unknown predicate and by
 * `related()` when a companion may or may not belong. `exists` can still be true and `all` still false.
 */
export class PartialList {
  constructor(
    readonly known: readonly unknown[],
    readonly unknown: Unknown,
  ) {}
}

/**
 * A runtime value of the evaluator: JSON values (numbers are JS numbers: CEL int, uint and double
 * share one numeric domain), lists (arrays, or {@link PartialList}), maps (plain objects), plus
 * {@link Unknown} and {@link CelError}. Fact values may still hold {@link Unresolved} markers inside
 * containers; the evaluator turns each into an {@link Unknown} (with its path) when it reads it.
 */
export type Value = unknown;

/** True for Unknown or CelError: a value that operators propagate instead of computing with. */
export function isSpecial(v: unknown): v is Unknown | CelError {
  return v instanceof Unknown || v instanceof CelError;
}

/**
 * True for a CEL map value: a plain object (prototype Object.prototype or null), which facts (JSON,
 * YAML, HCL values) and map literals are; arrays and the marker classes are not.
 */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The CEL type name of a value for error messages: `int`/`double` are both `number` here. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v) || v instanceof PartialList) return 'list';
  if (v instanceof Unknown) return 'unknown';
  if (v instanceof CelError) return 'error';
  if (isUnresolved(v)) return 'unknown';
  return 'map';
}

/** Renders a value for messages: strings as written, lists and maps as compact JSON, unknown as `<unknown>`. */
export function formatValue(v: unknown): string {
  if (v instanceof Unknown || isUnresolved(v)) return '<unknown>';
  if (v instanceof CelError) return '<error>';
  if (v instanceof PartialList) return `[${v.known.map(formatValue).join(', ')}, <unknown>...]`;
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v, (_k, x) => (isUnresolved(x) ? '<unknown>' : x));
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** The Unresolved marker type, re-exported for the evaluator's readers. */
export type { Unresolved };

import type { CfnValue } from '../../core/facts.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';

/** `Ref AWS::NoValue`: the property or list element is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** An evaluated value, or {@link NO_VALUE}. */
export type Ev = CfnValue | typeof NO_VALUE;

/** The first Unresolved inside `v` (depth-first), or undefined when `v` is fully known. */
export function findUnresolved(v: unknown): Unresolved | undefined {
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUnresolved(x);
      if (u) return u;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) {
      const u = findUnresolved(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** True when `v` is or contains an Unresolved. */
export function anyUnresolved(v: unknown): boolean {
  return findUnresolved(v) !== undefined;
}

/** The logical ids referenced by every Unresolved inside `from`, deduplicated, in first-seen order. */
export function mergeRefs(...from: unknown[]): string[] {
  const refs = new Set<string>();
  const walk = (x: unknown): void => {
    if (isUnresolved(x)) for (const r of x.refs) refs.add(r);
    else if (Array.isArray(x)) for (const e of x) walk(e);
    else if (x !== null && typeof x === 'object') for (const e of Object.values(x)) walk(e);
  };
  for (const f of from) walk(f);
  return [...refs];
}

/** A new Unresolved with `reason` carrying the refs of every Unresolved inside `from`. */
export function unresolvedFrom(reason: string, ...from: unknown[]): Unresolved {
  return new Unresolved(reason, mergeRefs(...from));
}

/** A scalar as CloudFormation's string functions read it (numbers and booleans as their text). */
export function scalarText(v: CfnValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

// Three-valued CEL operators over evaluator values (src/cel/value.ts): equality, ordering,
// arithmetic and membership. Every operator propagates CelError first, then Unknown (a strict
// function's result depends on every argument); only the logical operators, the ternary and the
// comprehensions absorb (see compile.ts).
import { isUnresolved } from '../core/unresolved.js';
import { CelError, isMap, PartialList, typeName, Unknown } from './value.js';

/** The first CelError among `values`, else their merged Unknown, else undefined. */
export function special(...values: unknown[]): CelError | Unknown | undefined {
  let any = false;
  for (const v of values) {
    if (v instanceof CelError) return v;
    if (v instanceof Unknown) any = true;
  }
  return any ? Unknown.merge(...values) : undefined;
}

/**
 * CEL equality (spec "Equality"): numbers by value (int and double alike), strings, bools, null,
 * lists element-wise, maps key-wise; values of different types are not equal. Unknown when the answer
 * depends on an unknown part (`[1, ?] == [1, 2]`), false as soon as a known part differs.
 */
export function celEquals(a: unknown, b: unknown): boolean | Unknown {
  if (typeof a !== 'object' && typeof b !== 'object') return a === b;
  if (a instanceof Unknown || b instanceof Unknown) return Unknown.merge(a, b)!;
  if (isUnresolved(a) || isUnresolved(b)) {
    const u = isUnresolved(a) ? a : (b as { reason: string });
    return new Unknown([{ path: 'a list or map element', reason: u.reason }]);
  }
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') {
    if (typeof a === 'number' && typeof b === 'number') return a === b;
    return false;
  }
  if (a instanceof PartialList || b instanceof PartialList) {
    const known = a instanceof PartialList ? a : (b as PartialList);
    return known.unknown;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    if (a.length !== b.length) return false;
    let unknown: Unknown | undefined;
    for (let i = 0; i < a.length; i++) {
      const r = celEquals(a[i], b[i]);
      if (r === false) return false;
      if (r instanceof Unknown) unknown = Unknown.merge(unknown, r);
    }
    return unknown ?? true;
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    let unknown: Unknown | undefined;
    for (const k of ka) {
      if (!Object.hasOwn(b, k)) return false;
      const r = celEquals(a[k], b[k]);
      if (r === false) return false;
      if (r instanceof Unknown) unknown = Unknown.merge(unknown, r);
    }
    return unknown ?? true;
  }
  return false;
}

/** `<`, `<=`, `>`, `>=` over numbers, strings or bools; a CelError for other operand types. */
export function compare(op: string, a: unknown, b: unknown, start: number, end: number): unknown {
  let c: number;
  if (typeof a === 'object' || typeof b === 'object') {
    const s = special(a, b);
    if (s) return s;
  }
  if (typeof a === 'number' && typeof b === 'number') c = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'boolean' && typeof b === 'boolean') c = Number(a) - Number(b);
  else return new CelError(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`, start, end);
  if (Number.isNaN(c)) return false;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/**
 * Arithmetic (`+ - * / %`): numbers (whole numbers divide and take remainders as CEL ints do,
 * truncating), string and list concatenation with `+`. Division or remainder by zero is a CelError.
 */
export function arithmetic(op: string, a: unknown, b: unknown, start: number, end: number): unknown {
  if (typeof a === 'object' || typeof b === 'object') {
    const s = special(a, b);
    if (s) return s;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) return new CelError('division by zero', start, end);
        return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
      case '%':
        if (b === 0) return new CelError('modulus by zero', start, end);
        return a % b;
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (a instanceof PartialList || b instanceof PartialList) {
      const pa = a instanceof PartialList ? a : undefined;
      const pb = b instanceof PartialList ? b : undefined;
      return (pa ?? pb)!.unknown;
    }
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  }
  return new CelError(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`, start, end);
}

/**
 * `x in container`: list membership by {@link celEquals} (true when a known element equals x; unknown
 * when none does but some element, or the list's membership, is unknown), or map key membership.
 */
export function membership(x: unknown, container: unknown, start: number, end: number): unknown {
  if (Array.isArray(container) && typeof x !== 'object') {
    let unknown: Unknown | undefined;
    for (const item of container) {
      if (item === x) return true;
      if (typeof item === 'object' && item !== null) {
        const r = celEquals(x, item);
        if (r === true) return true;
        if (r instanceof Unknown) unknown = Unknown.merge(unknown, r);
      }
    }
    return unknown ?? false;
  }
  const s = special(x, container);
  if (s) return s;
  if (Array.isArray(container) || container instanceof PartialList) {
    const items = Array.isArray(container) ? container : container.known;
    let unknown: Unknown | undefined = container instanceof PartialList ? container.unknown : undefined;
    for (const item of items) {
      const r = celEquals(x, item);
      if (r === true) return true;
      if (r instanceof Unknown) unknown = Unknown.merge(unknown, r);
    }
    return unknown ?? false;
  }
  if (isMap(container)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
      return Object.hasOwn(container, String(x));
    return false;
  }
  return new CelError(`no such overload: ${typeName(x)} in ${typeName(container)}`, start, end);
}

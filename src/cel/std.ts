// The CEL standard functions Evident's evaluator implements (CEL language definition, "List of
// Standard Definitions"), with the signatures @marcbachmann/cel-js already declares for its type
// checker. Functions the library declares but this list lacks (timestamps, durations, bytes) are
// rejected when a rule is loaded.
import type { CelFunction } from './function.js';
import { CelError, isMap, PartialList, typeName } from './value.js';

const expect = (what: string, v: unknown): never => {
  throw new Error(`expected ${what}, got ${typeName(v)}`);
};
const str = (v: unknown): string => (typeof v === 'string' ? v : expect('a string', v));
const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : expect('an int', v));

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    regexCache.set(pattern, re);
  }
  return re;
}

function fn(
  name: string,
  usage: string,
  doc: string,
  form: { global?: boolean; member?: boolean },
  arity: [number, number],
  impl: CelFunction['impl'],
): CelFunction {
  return {
    name,
    usage,
    doc,
    signatures: [],
    global: form.global ?? false,
    member: form.member ?? false,
    minArgs: arity[0],
    maxArgs: arity[1],
    impl,
  };
}

/** The standard CEL functions, in the order docs/policies.md lists them. */
export const STANDARD_FUNCTIONS: readonly CelFunction[] = [
  fn(
    'size',
    'size(x)',
    'length of a string (in code points), list or map; unknown for a list whose membership is unknown',
    { global: true, member: true },
    [1, 1],
    ([x]) => {
      if (typeof x === 'string') return [...x].length;
      if (Array.isArray(x)) return x.length;
      if (x instanceof PartialList) return x.unknown;
      if (isMap(x)) return Object.keys(x).length;
      return expect('a string, list or map', x);
    },
  ),
  fn('contains', 's.contains(sub)', 'true when `s` contains `sub`', { member: true }, [2, 2], ([s, t]) =>
    str(s).includes(str(t)),
  ),
  fn(
    'startsWith',
    's.startsWith(prefix)',
    'true when `s` starts with `prefix`',
    { member: true },
    [2, 2],
    ([s, t]) => str(s).startsWith(str(t)),
  ),
  fn(
    'endsWith',
    's.endsWith(suffix)',
    'true when `s` ends with `suffix`',
    { member: true },
    [2, 2],
    ([s, t]) => str(s).endsWith(str(t)),
  ),
  fn(
    'matches',
    's.matches(re)',
    'true when the regular expression `re` matches part of `s` (ECMAScript syntax with the `u` flag; anchor with `^...$`)',
    { member: true },
    [2, 2],
    ([s, re], site) => {
      try {
        return regex(str(re)).test(str(s));
      } catch (e) {
        return new CelError(`invalid regular expression: ${(e as Error).message}`, site.start, site.end);
      }
    },
  ),
  fn(
    'lowerAscii',
    's.lowerAscii()',
    '`s` with ASCII letters in lower case',
    { member: true },
    [1, 1],
    ([s]) => str(s).replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  ),
  fn(
    'upperAscii',
    's.upperAscii()',
    '`s` with ASCII letters in upper case',
    { member: true },
    [1, 1],
    ([s]) => str(s).replace(/[a-z]+/g, (m) => m.toUpperCase()),
  ),
  fn('trim', 's.trim()', '`s` without leading and trailing white space', { member: true }, [1, 1], ([s]) =>
    str(s).trim(),
  ),
  fn(
    'split',
    's.split(sep[, n])',
    'the parts of `s` between occurrences of `sep` (at most `n` parts when given)',
    { member: true },
    [2, 3],
    ([s, sep, n]) => {
      const parts = str(s).split(str(sep));
      if (n === undefined || int(n) < 0) return parts;
      if (int(n) === 0) return [];
      return [...parts.slice(0, int(n) - 1), parts.slice(int(n) - 1).join(str(sep))];
    },
  ),
  fn(
    'join',
    'list.join([sep])',
    'the strings of a list joined with `sep` (default empty)',
    { member: true },
    [1, 2],
    ([l, sep]) => {
      if (l instanceof PartialList) return l.unknown;
      if (!Array.isArray(l)) return expect('a list', l);
      return l.map(str).join(sep === undefined ? '' : str(sep));
    },
  ),
  fn(
    'indexOf',
    's.indexOf(sub[, from])',
    'index of the first `sub` in `s` at or after `from`, or -1',
    { member: true },
    [2, 3],
    ([s, t, from]) => str(s).indexOf(str(t), from === undefined ? 0 : int(from)),
  ),
  fn(
    'lastIndexOf',
    's.lastIndexOf(sub[, from])',
    'index of the last `sub` in `s` at or before `from`, or -1',
    { member: true },
    [2, 3],
    ([s, t, from]) => str(s).lastIndexOf(str(t), from === undefined ? Number.POSITIVE_INFINITY : int(from)),
  ),
  fn(
    'substring',
    's.substring(start[, end])',
    'the part of `s` from `start` (inclusive) to `end` (exclusive)',
    { member: true },
    [2, 3],
    ([s, a, b]) => {
      const cps = [...str(s)];
      const end = b === undefined ? cps.length : int(b);
      if (int(a) < 0 || end > cps.length || int(a) > end) throw new Error('index out of range');
      return cps.slice(int(a), end).join('');
    },
  ),
  fn(
    'int',
    'int(x)',
    'whole number from a number (truncated) or a decimal string',
    { global: true },
    [1, 1],
    ([x]) => {
      if (typeof x === 'number') return Math.trunc(x);
      if (typeof x === 'string' && /^\s*[-+]?\d+\s*$/.test(x)) return Number.parseInt(x, 10);
      return expect('a number or an integer string', x);
    },
  ),
  fn(
    'uint',
    'uint(x)',
    'non-negative whole number from a number or string',
    { global: true },
    [1, 1],
    ([x]) => {
      const n =
        typeof x === 'number'
          ? Math.trunc(x)
          : typeof x === 'string' && /^\s*\d+\s*$/.test(x)
            ? Number(x)
            : -1;
      if (n < 0) return expect('a non-negative number', x);
      return n;
    },
  ),
  fn('double', 'double(x)', 'number from a number or numeric string', { global: true }, [1, 1], ([x]) => {
    if (typeof x === 'number') return x;
    if (typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x))) return Number(x);
    return expect('a number or numeric string', x);
  }),
  fn('string', 'string(x)', 'text form of a string, number or bool', { global: true }, [1, 1], ([x]) => {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
    return expect('a string, number or bool', x);
  }),
  fn(
    'bool',
    'bool(x)',
    'a bool, or `"true"`/`"false"` as a bool (as Terraform converts them)',
    { global: true },
    [1, 1],
    ([x]) => {
      if (typeof x === 'boolean') return x;
      if (x === 'true' || x === 'false') return x === 'true';
      return expect('a bool or "true"/"false"', x);
    },
  ),
  fn(
    'dyn',
    'dyn(x)',
    'x itself (tells the type checker the value may be any type)',
    { global: true },
    [1, 1],
    ([x]) => x,
  ),
];

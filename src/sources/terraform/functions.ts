import { createHash } from 'node:crypto';
import { stringify as yamlStringify } from 'yaml';
import type { TfObject, TfValue } from '../../core/facts.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { goLower, goTitle, goUpper } from './go-case.js';
import { TfNumber } from './tf-number.js';
import {
  deepEqual,
  deepUnresolved,
  EvalFailure,
  exactNumber,
  isObj,
  isTfNumber,
  numberValue,
  partialTemplates,
  placeholderFor,
  sortedKeys,
  toBool,
  toNum,
  toStr,
  typeName,
  UnresolvedSignal,
  unresolvedFrom,
} from './values.js';

/** What functions may ask of the evaluator (file access is restricted to the scan root there). */
export interface FunctionEnv {
  /** Text of a file, path as written in the configuration (relative to the root module dir). */
  readFile(p: string): string | Unresolved;
  /** `templatefile(path, vars)`: renders the file as an HCL template with `vars`. */
  templateFile(p: string, vars: TfObject): TfValue;
}

type Fn = (args: TfValue[], env: FunctionEnv) => TfValue;

function fail(msg: string): never {
  throw new UnresolvedSignal(new EvalFailure(msg));
}

function known(v: TfValue | undefined): TfValue {
  if (v === undefined) fail('missing argument');
  if (isUnresolved(v)) throw new UnresolvedSignal(v);
  return v;
}

function deepKnown(v: TfValue | undefined): TfValue {
  const k = known(v);
  const u = deepUnresolved(k);
  if (u) throw new UnresolvedSignal(u);
  return k;
}

function str(v: TfValue | undefined): string {
  const k = known(v);
  const s = toStr(k);
  if (s === undefined) fail(`expected a string, got ${typeName(k)}`);
  return s;
}

function num(v: TfValue | undefined): number {
  const k = known(v);
  const n = toNum(k);
  if (n === undefined) fail(`expected a number, got ${typeName(k)}`);
  return n;
}

function bool(v: TfValue | undefined): boolean {
  const k = known(v);
  const b = toBool(k);
  if (b === undefined) fail(`expected a bool, got ${typeName(k)}`);
  return b;
}

function list(v: TfValue | undefined): TfValue[] {
  const k = known(v);
  if (!Array.isArray(k)) fail(`expected a list, got ${typeName(k)}`);
  return k;
}

function obj(v: TfValue | undefined): TfObject {
  const k = known(v);
  if (!isObj(k)) fail(`expected a map or object, got ${typeName(k)}`);
  return k;
}

/** List of known strings (every element must be known). */
function strList(v: TfValue | undefined): string[] {
  return list(v).map((e) => str(e));
}

/**
 * The elements of a tuple converted to one list element type, as cty's type unification does when a
 * function takes `list(any)` / `set(any)` (`distinct([1, "1"])` is `["1"]`, `toset([true, "true"])`
 * is `["true"]`: numbers and bools convert to strings when a string is among them; numbers and bools
 * without a string cannot unify: "all list elements must have the same type").
 */
export function unifyElements(items: TfValue[]): TfValue[] {
  const prim = (x: TfValue) =>
    typeof x === 'string'
      ? 's'
      : typeof x === 'boolean'
        ? 'b'
        : typeof x === 'number' || isTfNumber(x)
          ? 'n'
          : 'o';
  const kinds = new Set(items.filter((x) => x !== null).map(prim));
  if (kinds.has('o') || kinds.size <= 1) return items;
  if (!kinds.has('s')) fail('all list elements must have the same type');
  return items.map((x) => (x === null ? null : (toStr(x) as string)));
}

/** A set: duplicates removed; a set of only strings is sorted lexically, as Terraform orders string sets. */
export function toSet(items: TfValue[]): TfValue[] {
  const out: TfValue[] = [];
  for (const it of unifyElements(items)) if (!out.some((o) => deepEqual(o, it))) out.push(it);
  if (out.every((x) => typeof x === 'string'))
    out.sort((a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0));
  return out;
}

/**
 * Deep-converts a value for JSON output. A value computed at apply time that is an identifier (see
 * placeholderFor: a managed resource's ARN or id, ...) is written as a `${address.attr}` placeholder
 * so that a policy document stays inspectable; any other Unresolved (unknown variable, remote state
 * output, unsupported function) aborts with that Unresolved.
 */
export function toJsonValue(v: TfValue): unknown {
  if (isTfNumber(v)) return v.toJs();
  if (isUnresolved(v)) {
    const partial = partialTemplates.get(v);
    if (partial !== undefined) return partial;
    const ref = placeholderFor(v);
    if (ref !== undefined) return `\${${ref}}`;
    throw new UnresolvedSignal(v);
  }
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (isObj(v)) {
    const o: Record<string, unknown> = {};
    for (const k of sortedKeys(v)) o[k] = toJsonValue(v[k] as TfValue);
    return o;
  }
  return v;
}

/** Converts parsed JSON/YAML data to a TfValue. */
export function fromJson(x: unknown): TfValue {
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(fromJson);
  if (typeof x === 'object') {
    const o: TfObject = {};
    for (const [k, val] of Object.entries(x as Record<string, unknown>)) o[k] = fromJson(val);
    return o;
  }
  return null;
}

function re2ToJs(pattern: string): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), 'u');
  } catch {
    try {
      return new RegExp(pattern.replace(/\(\?P</g, '(?<'));
    } catch (err) {
      fail(`invalid regular expression: ${(err as Error).message}`);
    }
  }
}

function matchResult(m: RegExpExecArray): TfValue {
  if (m.groups && Object.keys(m.groups).length) {
    const o: TfObject = {};
    for (const [k, val] of Object.entries(m.groups)) o[k] = val ?? null;
    return o;
  }
  if (m.length > 1) return m.slice(1).map((x) => x ?? null);
  return m[0];
}

function formatVerb(
  flags: string,
  width: string | undefined,
  prec: string | undefined,
  verb: string,
  arg: TfValue,
): string {
  let s: string;
  switch (verb) {
    case 'd':
      s = Math.trunc(num(arg)).toFixed(0);
      if (flags.includes('+') && !s.startsWith('-')) s = `+${s}`;
      break;
    case 'f':
    case 'e':
    case 'g': {
      const n = num(arg);
      const p = prec === undefined ? 6 : Number(prec);
      s = verb === 'f' ? toFixedEven(n, p) : verb === 'e' ? n.toExponential(p) : String(n);
      break;
    }
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const k = known(arg);
      const radix = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      s =
        typeof k === 'string' && radix === 16
          ? Buffer.from(k).toString('hex')
          : Math.trunc(num(k)).toString(radix);
      if (verb === 'X') s = s.toUpperCase();
      break;
    }
    case 'q':
      s = JSON.stringify(str(arg));
      break;
    case 't':
      s = bool(arg) ? 'true' : 'false';
      break;
    case 'v':
    case 's': {
      const k = deepKnown(arg);
      s = toStr(k) ?? JSON.stringify(toJsonValue(k));
      if (prec !== undefined) s = s.slice(0, Number(prec));
      break;
    }
    default:
      fail(`format verb %${verb} is not supported`);
  }
  if (width !== undefined && s.length < Number(width)) {
    const pad = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(Number(width) - s.length);
    s = flags.includes('-') ? s + pad : pad + s;
  }
  return s;
}

/** `toFixed` with Go's rounding: exact binary ties round to even (`%.1f` of 2.25 is `2.2`). */
function toFixedEven(n: number, digits: number): string {
  const scaled = n * 10 ** digits;
  if (
    Number.isFinite(scaled) &&
    Math.abs(scaled) < 2 ** 52 &&
    scaled - Math.trunc(scaled) !== 0 &&
    Math.abs(scaled % 1) === 0.5
  ) {
    const down = Math.trunc(scaled);
    const even = down % 2 === 0 ? down : down + Math.sign(scaled);
    return (even / 10 ** digits).toFixed(digits);
  }
  return n.toFixed(digits);
}

/** Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029; Terraform's jsonencode output does too. */
function goJson(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function format(spec: string, args: TfValue[]): string {
  let i = 0;
  return spec.replace(
    /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g,
    (_m, flags: string, width?: string, prec?: string, verb?: string) => {
      if (verb === '%') return '%';
      if (i >= args.length) fail('format: not enough arguments');
      return formatVerb(flags, width, prec, verb ?? 's', args[i++] as TfValue);
    },
  );
}

function ipv4(cidr: string): { ip: number; bits: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) fail(`"${cidr}" is not an IPv4 CIDR prefix (IPv6 is not evaluated)`);
  const parts = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (parts.some((p) => p > 255) || bits > 32) fail(`invalid CIDR prefix "${cidr}"`);
  const ip =
    ((parts[0] as number) * 2 ** 24 +
      (parts[1] as number) * 2 ** 16 +
      (parts[2] as number) * 2 ** 8 +
      (parts[3] as number)) >>>
    0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { ip: (ip & mask) >>> 0, bits };
}

function ipStr(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

function hash(alg: string): Fn {
  return ([s]) => createHash(alg).update(str(s), 'utf8').digest('hex');
}

function fileHash(alg: string, enc: 'hex' | 'base64'): Fn {
  return ([p], env) => {
    const r = env.readFile(str(p));
    if (isUnresolved(r)) throw new UnresolvedSignal(r);
    return createHash(alg).update(r, 'utf8').digest(enc);
  };
}

function flattenList(l: TfValue[]): TfValue[] {
  const out: TfValue[] = [];
  for (const e of l) {
    if (isUnresolved(e)) throw new UnresolvedSignal(e);
    if (Array.isArray(e)) out.push(...flattenList(e));
    else out.push(e);
  }
  return out;
}

function compareForSort(a: TfValue, b: TfValue): number {
  const x = toStr(a) ?? '';
  const y = toStr(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: ([v]) => goJson(JSON.stringify(toJsonValue(known(v)))),
  jsondecode: ([s]) => {
    const text = str(s);
    try {
      return fromJson(JSON.parse(text));
    } catch (err) {
      fail(`jsondecode: invalid JSON (${(err as Error).message})`);
    }
  },
  yamlencode: ([v]) =>
    yamlStringify(toJsonValue(known(v)), {
      defaultStringType: 'QUOTE_DOUBLE',
      defaultKeyType: 'QUOTE_DOUBLE',
      indentSeq: false,
    }),
  yamldecode: () => fail('yamldecode is not evaluated'),
  merge: (args) => {
    const out: TfObject = {};
    for (const a of args) {
      if (a === null) continue;
      Object.assign(out, obj(a));
    }
    return out;
  },
  concat: (args) => args.flatMap((a) => list(a)),
  lookup: ([m, k, d]) => {
    const o = obj(m);
    const key = str(k);
    if (Object.hasOwn(o, key)) return o[key] as TfValue;
    if (d === undefined) fail(`lookup: key "${key}" not found`);
    return d;
  },
  element: ([l, i]) => {
    const xs = list(l);
    if (xs.length === 0) fail('element: empty list');
    const n = Math.trunc(num(i));
    if (n < 0) fail('element: negative index');
    return xs[n % xs.length] as TfValue;
  },
  index: ([l, v]) => {
    const xs = list(l);
    const k = known(v);
    const i = xs.findIndex((x) => deepEqual(x, k));
    if (i < 0) fail('index: element not found');
    return i;
  },
  length: ([v]) => {
    const k = known(v);
    if (typeof k === 'string') return [...k].length;
    if (Array.isArray(k)) return k.length;
    if (isObj(k)) return Object.keys(k).length;
    fail(`length: expected a collection or string, got ${typeName(k)}`);
  },
  keys: ([m]) => sortedKeys(obj(m)),
  values: ([m]) => {
    const o = obj(m);
    return sortedKeys(o).map((k) => o[k] as TfValue);
  },
  contains: ([l, v]) => {
    const xs = list(l);
    const k = deepKnown(v);
    if (xs.some((x) => deepEqual(x, k))) return true;
    const u = deepUnresolved(xs);
    if (u) throw new UnresolvedSignal(u);
    return false;
  },
  coalesce: (args) => {
    for (const a of args) {
      if (isUnresolved(a)) throw new UnresolvedSignal(a);
      if (a !== null && a !== '') return a;
    }
    fail('coalesce: no non-null, non-empty argument');
  },
  coalescelist: (args) => {
    for (const a of args) {
      const l = list(a);
      if (l.length) return l;
    }
    return [];
  },
  compact: ([l]) =>
    unifyElements(list(l)).filter((x) => {
      if (isUnresolved(x)) throw new UnresolvedSignal(x);
      return x !== null && x !== '';
    }),
  distinct: ([l]) => {
    const out: TfValue[] = [];
    for (const x of unifyElements(list(l).map(deepKnown))) {
      const k = deepKnown(x);
      if (!out.some((o) => deepEqual(o, k))) out.push(k);
    }
    return out;
  },
  flatten: ([l]) => flattenList(list(l)),
  format: ([spec, ...rest]) => format(str(spec), rest),
  formatlist: ([spec, ...rest]) => {
    const s = str(spec);
    const lens = rest.filter((r) => Array.isArray(known(r))).map((r) => (r as TfValue[]).length);
    if (!lens.length) return [format(s, rest)];
    const n = lens[0] as number;
    if (lens.some((x) => x !== n)) fail('formatlist: lists of different lengths');
    return Array.from({ length: n }, (_, i) =>
      format(
        s,
        rest.map((r) => (Array.isArray(r) ? (r[i] as TfValue) : r)),
      ),
    );
  },
  join: ([sep, ...ls]) => {
    const s = str(sep);
    return ls.flatMap((l) => strList(l)).join(s);
  },
  split: ([sep, s]) => {
    const text = str(s);
    if (text === '') return [''];
    return text.split(str(sep));
  },
  lower: ([s]) => goLower(str(s)),
  upper: ([s]) => goUpper(str(s)),
  title: ([s]) => goTitle(str(s)),
  replace: ([s, sub, rep]) => {
    const text = str(s);
    const what = str(sub);
    const with_ = str(rep);
    if (what.length > 1 && what.startsWith('/') && what.endsWith('/')) {
      const re = re2ToJs(what.slice(1, -1));
      const jsRep = with_.replace(/\$\{(\w+)\}/g, (_m, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`));
      return text.replace(new RegExp(re.source, `${re.flags}g`), jsRep);
    }
    return what === '' ? text : text.split(what).join(with_);
  },
  substr: ([s, o, l]) => {
    const chars = [...str(s)];
    let off = Math.trunc(num(o));
    let len = Math.trunc(num(l));
    if (off < 0) off = chars.length + off;
    if (off < 0 || off > chars.length) fail('substr: offset out of range');
    if (len < 0) len = chars.length - off;
    return chars.slice(off, off + len).join('');
  },
  trimspace: ([s]) => str(s).trim(),
  trim: ([s, cut]) => {
    const c = new Set([...str(cut)]);
    const chars = [...str(s)];
    let a = 0;
    let b = chars.length;
    while (a < b && c.has(chars[a] as string)) a++;
    while (b > a && c.has(chars[b - 1] as string)) b--;
    return chars.slice(a, b).join('');
  },
  trimprefix: ([s, p]) => {
    const t = str(s);
    const pre = str(p);
    return t.startsWith(pre) ? t.slice(pre.length) : t;
  },
  trimsuffix: ([s, p]) => {
    const t = str(s);
    const suf = str(p);
    return suf && t.endsWith(suf) ? t.slice(0, -suf.length) : t;
  },
  chomp: ([s]) => str(s).replace(/(\r?\n)+$/, ''),
  indent: ([n, s]) => str(s).replace(/\n/g, `\n${' '.repeat(num(n))}`),
  strrev: ([s]) => [...str(s)].reverse().join(''),
  startswith: ([s, p]) => str(s).startsWith(str(p)),
  endswith: ([s, p]) => str(s).endsWith(str(p)),
  strcontains: ([s, p]) => str(s).includes(str(p)),
  tostring: ([v]) => {
    const k = known(v);
    if (k === null) return null;
    const s = toStr(k);
    if (s === undefined) fail(`tostring: cannot convert ${typeName(k)} to string`);
    return s;
  },
  tonumber: ([v]) => {
    const k = known(v);
    if (k === null) return null;
    // Strings parse exactly (512 bits) and only as decimal numbers (`"0x10"`, `" 1"` are errors).
    if (typeof k === 'string') {
      const n = TfNumber.parse(k);
      if (!n)
        fail(`cannot convert "${k}" to number; given string must be a decimal representation of a number`);
      return numberValue(n);
    }
    return typeof k === 'number' || isTfNumber(k) ? k : num(k);
  },
  tobool: ([v]) => {
    const k = known(v);
    return k === null ? null : bool(k);
  },
  tolist: ([v]) => unifyElements(list(v)),
  toset: ([v]) => toSet(list(v).map((x) => known(x))),
  tomap: ([v]) => obj(v),
  max: (args) => Math.max(...args.flatMap((a) => (Array.isArray(a) ? a.map(num) : [num(a)]))),
  min: (args) => Math.min(...args.flatMap((a) => (Array.isArray(a) ? a.map(num) : [num(a)]))),
  abs: ([n]) => Math.abs(num(n)),
  ceil: ([n]) => Math.ceil(num(n)),
  floor: ([n]) => Math.floor(num(n)),
  pow: ([a, b]) => num(a) ** num(b),
  signum: ([n]) => Math.sign(num(n)),
  log: ([n, b]) => Math.log(num(n)) / Math.log(num(b)),
  parseint: ([s, b]) => {
    const r = Number.parseInt(str(s), num(b));
    if (Number.isNaN(r)) fail('parseint: not a number in that base');
    return r;
  },
  range: (args) => {
    const ns = args.map(num);
    const [start, end, step] =
      ns.length === 1
        ? [0, ns[0] as number, 1]
        : [ns[0] as number, ns[1] as number, ns[2] ?? ((ns[0] as number) <= (ns[1] as number) ? 1 : -1)];
    if (step === 0) fail('range: step must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) fail('range: more than 1024 elements');
    }
    return out;
  },
  zipmap: ([ks, vs]) => {
    const keys = strList(ks);
    const vals = list(vs);
    const o: TfObject = {};
    keys.forEach((k, i) => {
      o[k] = vals[i] ?? null;
    });
    return o;
  },
  slice: ([l, a, b]) => list(l).slice(num(a), num(b)),
  reverse: ([l]) => [...list(l)].reverse(),
  sort: ([l]) => [...strList(l)].sort(compareForSort),
  one: ([l]) => {
    const xs = list(l);
    if (xs.length > 1) fail('one: more than one element');
    return xs[0] ?? null;
  },
  sum: ([l]) => {
    let acc = TfNumber.fromBigInt(0n);
    for (const x of list(l)) {
      const n = exactNumber(known(x));
      if (!n) fail(`sum: expected numbers, got ${typeName(x)}`);
      const next = acc.add(n);
      if (!next) fail('sum: infinity minus infinity');
      acc = next;
    }
    return numberValue(acc);
  },
  alltrue: ([l]) => list(l).every((x) => bool(x)),
  anytrue: ([l]) => list(l).some((x) => bool(x)),
  setunion: (args) => toSet(args.flatMap((a) => list(a).map(deepKnown))),
  setintersection: ([first, ...rest]) =>
    toSet(
      list(first)
        .map(deepKnown)
        .filter((x) => rest.every((r) => list(r).some((y) => deepEqual(x, deepKnown(y))))),
    ),
  setsubtract: ([a, b]) =>
    toSet(
      list(a)
        .map(deepKnown)
        .filter((x) => !list(b).some((y) => deepEqual(x, deepKnown(y)))),
    ),
  setproduct: (args) => {
    let acc: TfValue[][] = [[]];
    for (const a of args) acc = acc.flatMap((p) => list(a).map((x) => [...p, x]));
    return acc;
  },
  chunklist: ([l, n]) => {
    const xs = list(l);
    const size = num(n);
    if (size <= 0) return [xs];
    const out: TfValue[] = [];
    for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
    return out;
  },
  transpose: ([m]) => {
    const o = obj(m);
    const out: Record<string, string[]> = {};
    for (const k of sortedKeys(o)) {
      for (const v of strList(o[k])) {
        const l = out[v] ?? [];
        l.push(k);
        out[v] = l;
      }
    }
    return out;
  },
  matchkeys: ([vals, ks, search]) => {
    const v = list(vals);
    const k = list(ks);
    const s = list(search).map(deepKnown);
    return v.filter((_, i) => s.some((x) => deepEqual(x, deepKnown(k[i]))));
  },
  regex: ([p, s]) => {
    const m = re2ToJs(str(p)).exec(str(s));
    if (!m) fail('regex: pattern did not match');
    return matchResult(m);
  },
  regexall: ([p, s]) => {
    const re = re2ToJs(str(p));
    const g = new RegExp(re.source, `${re.flags}g`);
    const out: TfValue[] = [];
    for (const m of str(s).matchAll(g)) {
      out.push(matchResult(m as RegExpExecArray));
      if (m[0] === '') g.lastIndex++;
    }
    return out;
  },
  base64encode: ([s]) => Buffer.from(str(s), 'utf8').toString('base64'),
  base64decode: ([s]) => Buffer.from(str(s), 'base64').toString('utf8'),
  urlencode: ([s]) => encodeURIComponent(str(s)),
  md5: hash('md5'),
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
  basename: ([s]) => str(s).replace(/\/+$/, '').split('/').pop() ?? '',
  dirname: ([s]) => {
    const p = str(s);
    const i = p.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
  },
  sensitive: ([v]) => known(v),
  nonsensitive: ([v]) => known(v),
  file: ([p], env) => {
    const r = env.readFile(str(p));
    if (isUnresolved(r)) throw new UnresolvedSignal(r);
    return r;
  },
  fileexists: ([p], env) => !isUnresolved(env.readFile(str(p))),
  filebase64: ([p], env) => {
    const r = env.readFile(str(p));
    if (isUnresolved(r)) throw new UnresolvedSignal(r);
    return Buffer.from(r, 'utf8').toString('base64');
  },
  filemd5: fileHash('md5', 'hex'),
  filesha1: fileHash('sha1', 'hex'),
  filesha256: fileHash('sha256', 'hex'),
  filesha512: fileHash('sha512', 'hex'),
  filebase64sha256: fileHash('sha256', 'base64'),
  filebase64sha512: fileHash('sha512', 'base64'),
  base64sha256: ([s]) => createHash('sha256').update(str(s), 'utf8').digest('base64'),
  base64sha512: ([s]) => createHash('sha512').update(str(s), 'utf8').digest('base64'),
  templatefile: ([p, vars], env) => env.templateFile(str(p), vars === undefined ? {} : obj(vars)),
  cidrsubnet: ([prefix, newbits, netnum]) => {
    const { ip, bits } = ipv4(str(prefix));
    const nb = num(newbits);
    const nn = num(netnum);
    if (bits + nb > 32 || nn >= 2 ** nb) fail('cidrsubnet: not enough address space');
    const newBits = bits + nb;
    return `${ipStr((ip + nn * 2 ** (32 - newBits)) >>> 0)}/${newBits}`;
  },
  cidrhost: ([prefix, hostnum]) => {
    const { ip, bits } = ipv4(str(prefix));
    let h = num(hostnum);
    const size = 2 ** (32 - bits);
    if (h < 0) h = size + h;
    if (h < 0 || h >= size) fail('cidrhost: host number out of range');
    return ipStr((ip + h) >>> 0);
  },
  cidrnetmask: ([prefix]) => {
    const { bits } = ipv4(str(prefix));
    return ipStr(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
  },
};

/** Functions that build a string from their arguments; with placeholder-able unknowns they get a partial rendering. */
const STRING_BUILDERS = new Set(['format', 'join']);

/** `fn` applied with every placeholder-able unknown replaced by its placeholder text; undefined if any is not. */
function partialString(fn: Fn, args: TfValue[], env: FunctionEnv): string | undefined {
  let ok = true;
  const sub = (v: TfValue): TfValue => {
    if (isUnresolved(v)) {
      const partial = partialTemplates.get(v);
      if (partial !== undefined) return partial;
      const ref = placeholderFor(v);
      if (ref === undefined) ok = false;
      return ref === undefined ? '' : `\${${ref}}`;
    }
    return Array.isArray(v) ? v.map(sub) : v;
  };
  const replaced = args.map(sub);
  if (!ok) return undefined;
  try {
    const r = fn(replaced, env);
    return typeof r === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

const APPLY_TIME = new Set([
  'timestamp',
  'uuid',
  'uuidv5',
  'bcrypt',
  'plantimestamp',
  'formatdate',
  'timeadd',
  'timecmp',
]);

/**
 * Calls the Terraform built-in `name` (https://developer.hashicorp.com/terraform/language/functions)
 * on evaluated arguments. Pure except for file access through `env`. Never throws: unsupported
 * functions, apply-time functions (`timestamp`, `uuid`) and argument errors return Unresolved; an
 * Unresolved argument makes the result Unresolved with its refs (coalesce returns the first known
 * non-empty argument before any unknown one).
 */
export function callFunction(name: string, args: TfValue[], env: FunctionEnv): TfValue {
  const fname = name;
  if (APPLY_TIME.has(fname)) return new Unresolved(`${fname}() is known only at apply time`);
  const fn = FUNCTIONS[fname];
  if (!fn) return new Unresolved(`unsupported function ${fname}`);
  if (fname !== 'coalesce') {
    const top = args.filter(isUnresolved);
    if (top.length) {
      const result = unresolvedFrom(`${fname}(): ${top[0]?.reason ?? 'unknown argument'}`, ...top);
      if (STRING_BUILDERS.has(fname)) {
        const partial = partialString(fn, args, env);
        if (partial !== undefined) partialTemplates.set(result, partial);
      }
      return result;
    }
  }
  if (STRING_BUILDERS.has(fname) && args.some((a) => Array.isArray(a) && a.some(isUnresolved))) {
    const u = deepUnresolved(args);
    if (u) {
      const result = unresolvedFrom(`${fname}(): ${u.reason}`, u);
      const partial = partialString(fn, args, env);
      if (partial !== undefined) partialTemplates.set(result, partial);
      return result;
    }
  }
  try {
    return fn(args, env);
  } catch (err) {
    if (err instanceof UnresolvedSignal) {
      const v = err.value;
      return v instanceof EvalFailure
        ? new EvalFailure(`${fname}(): ${v.reason}`, v.refs)
        : new Unresolved(`${fname}(): ${v.reason}`, v.refs);
    }
    return new EvalFailure(`${fname}(): ${(err as Error).message ?? String(err)}`);
  }
}

// Compiles a parsed CEL expression (the AST of @marcbachmann/cel-js) into a closure that evaluates it
// with Kleene three-valued logic (docs/policies.md "Unknown values"). The library parses and
// type-checks; it cannot carry unknown values, so evaluation is ours.
import type { ASTNode } from '@marcbachmann/cel-js';
import { isUnresolved, type Unresolved } from '../core/unresolved.js';
import type { Activation, CallSite, CelFunction } from './function.js';
import { arithmetic, celEquals, compare, membership, special } from './operators.js';
import { CelError, isMap, PartialList, typeName, Unknown } from './value.js';

/** A compiled expression: evaluates to a value, an {@link Unknown} or a {@link CelError}; never throws for data. */
export type Program = (a: Activation) => unknown;

/** A problem found while compiling (an unsupported construct or function); offsets in the expression. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

/** Functions by name, split by call form. */
export interface FunctionTable {
  global: Map<string, CelFunction>;
  member: Map<string, CelFunction>;
}

/** Builds a {@link FunctionTable} from function definitions (later definitions of a name win). */
export function functionTable(fns: readonly CelFunction[]): FunctionTable {
  const t: FunctionTable = { global: new Map(), member: new Map() };
  for (const f of fns) {
    if (f.global) t.global.set(f.name, f);
    if (f.member) t.member.set(f.name, f);
  }
  return t;
}

/** The macros the compiler expands itself (CEL spec "Macros"), plus Evident's `default`. */
export const MACROS = ['has', 'default', 'all', 'exists', 'exists_one', 'map', 'filter'] as const;

interface Scope {
  names: Map<string, number>;
  slots: { n: number };
}

/**
 * Compiles `ast` (from `Environment.parse(...).ast`) into a {@link Program}. `globals` are the
 * variable names the activation provides; `fns` the callable functions. Throws {@link CompileError}
 * for a construct or function the evaluator does not implement (so such a rule is rejected when it
 * is loaded, never at scan time).
 */
export function compileAst(ast: ASTNode, globals: readonly string[], fns: FunctionTable): Program {
  const scope: Scope = { names: new Map(), slots: { n: 0 } };
  return new Compiler(new Set(globals), fns).node(ast, scope);
}

/** Text of a node in its expression, for messages. */
function text(n: ASTNode): string {
  return n.input.slice(n.start, n.end);
}

function absent(what: string, n: ASTNode, detail: string): CelError {
  const e = new CelError(
    `${what} ${detail}: test it with has() or state the default with default(${what}, ...)`,
    n.start,
    n.end,
  );
  (e as { absent?: boolean }).absent = true;
  return e;
}

/** True for the CelError raised when an attribute, key or index is absent (has() and default() accept it). */
export function isAbsence(v: unknown): boolean {
  return v instanceof CelError && (v as { absent?: boolean }).absent === true;
}

function unresolvedAt(
  a: Activation,
  container: object | undefined,
  step: string,
  u: Unresolved,
  n: ASTNode,
): Unknown {
  const base = container ? a.host.pathOf(container) : undefined;
  return new Unknown([{ path: base ? `${base}${step}` : text(n), reason: u.reason }]);
}

function stepText(key: string | number): string {
  return typeof key === 'number'
    ? `[${key}]`
    : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
      ? `.${key}`
      : `[${JSON.stringify(key)}]`;
}

/**
 * The elements of a list (or keys of a map) to iterate, with Unresolved elements turned into
 * Unknowns carrying their path, and the Unknown of a partial list's missing members.
 */
function iterationItems(
  a: Activation,
  target: unknown,
  n: ASTNode,
): { items: readonly unknown[]; tail?: Unknown } | CelError {
  if (Array.isArray(target)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < target.length; i++) {
      const x = target[i];
      if (isUnresolved(x)) {
        items ??= target.slice();
        items[i] = unresolvedAt(a, target, stepText(i), x, n);
      } else if (x === undefined) {
        items ??= target.slice();
        items[i] = null;
      }
    }
    return { items: items ?? target };
  }
  if (target instanceof PartialList) return { items: target.known, tail: target.unknown };
  if (isMap(target)) return { items: Object.keys(target) };
  return new CelError(`cannot iterate over ${typeName(target)} (${text(n)})`, n.start, n.end);
}

class Compiler {
  constructor(
    private readonly globals: ReadonlySet<string>,
    private readonly fns: FunctionTable,
  ) {}

  node(n: ASTNode, s: Scope): Program {
    switch (n.op) {
      case 'value':
        return this.literal(n);
      case 'id':
        return this.ident(n, s);
      case '.':
        return this.select(n, s);
      case '[]':
        return this.index(n, s);
      case 'list': {
        const items = n.args.map((x) => this.node(x, s));
        return (a) => {
          const out = new Array(items.length);
          for (let i = 0; i < items.length; i++) {
            const v = items[i]!(a);
            if (v instanceof CelError) return v;
            out[i] = v;
          }
          return out;
        };
      }
      case 'map': {
        const entries = n.args.map(([k, v]) => [this.node(k, s), this.node(v, s)] as const);
        return (a) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of entries) {
            const key = k(a);
            if (key instanceof CelError || key instanceof Unknown) return key;
            const value = v(a);
            if (value instanceof CelError) return value;
            out[String(key)] = value;
          }
          return out;
        };
      }
      case '&&':
      case '||':
        return this.logical(n.op, this.node(n.args[0], s), this.node(n.args[1], s), n);
      case '!_': {
        const x = this.node(n.args, s);
        return (a) => {
          const v = x(a);
          if (typeof v === 'boolean') return !v;
          if (v instanceof Unknown || v instanceof CelError) return v;
          return new CelError(`'!' needs a bool, got ${typeName(v)} (${text(n)})`, n.start, n.end);
        };
      }
      case '-_': {
        const x = this.node(n.args, s);
        return (a) => {
          const v = x(a);
          if (typeof v === 'number') return -v;
          return special(v) ?? new CelError(`'-' needs a number, got ${typeName(v)}`, n.start, n.end);
        };
      }
      case '?:':
        return this.ternary(n, s);
      case '==':
      case '!=': {
        const l = this.node(n.args[0], s);
        const r = this.node(n.args[1], s);
        const negate = n.op === '!=';
        return (a) => {
          const x = l(a);
          const y = r(a);
          if (typeof x !== 'object' && typeof y !== 'object') return (x === y) !== negate;
          if (x instanceof CelError) return x;
          if (y instanceof CelError) return y;
          const eq = celEquals(x, y);
          return typeof eq === 'boolean' ? eq !== negate : eq;
        };
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const l = this.node(n.args[0], s);
        const r = this.node(n.args[1], s);
        const op = n.op;
        return (a) => compare(op, l(a), r(a), n.start, n.end);
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const l = this.node(n.args[0], s);
        const r = this.node(n.args[1], s);
        const op = n.op;
        return (a) => arithmetic(op, l(a), r(a), n.start, n.end);
      }
      case 'in': {
        const l = this.node(n.args[0], s);
        const r = this.node(n.args[1], s);
        return (a) => membership(l(a), r(a), n.start, n.end);
      }
      case 'call':
        return this.call(n.args[0], undefined, n.args[1], n, s);
      case 'rcall':
        return this.call(n.args[0], n.args[1], n.args[2], n, s);
      default:
        throw new CompileError(`'${n.op}' is not supported in Evident rules`, n.start, n.end);
    }
  }

  private literal(n: ASTNode & { op: 'value' }): Program {
    const raw = n.args as unknown;
    let v: unknown = raw;
    if (typeof raw === 'bigint') v = Number(raw);
    else if (raw !== null && typeof raw === 'object' && !(raw instanceof Uint8Array)) {
      // UnsignedInt (`1u`)
      v = Number((raw as { valueOf(): bigint }).valueOf());
    }
    if (raw instanceof Uint8Array) throw new CompileError('bytes literals are not supported', n.start, n.end);
    return () => v;
  }

  private ident(n: ASTNode & { op: 'id' }, s: Scope): Program {
    const name = n.args;
    const slot = s.names.get(name);
    if (slot !== undefined) return (a) => a.slots[slot];
    if (!this.globals.has(name)) throw new CompileError(`unknown variable '${name}'`, n.start, n.end);
    return (a) => a.vars[name];
  }

  private select(n: ASTNode & { op: '.' }, s: Scope): Program {
    const [operandNode, field] = n.args;
    const operand = this.node(operandNode, s);
    return (a) => {
      const v = operand(a);
      if (isMap(v)) {
        const child = v[field];
        if (child === undefined && !Object.hasOwn(v, field)) return absent(text(n), n, 'is absent');
        if (typeof child === 'object' && child !== null && isUnresolved(child))
          return unresolvedAt(a, v, stepText(field), child, n);
        return child === undefined ? null : child;
      }
      if (v instanceof Unknown || v instanceof CelError) return v;
      if (v === null || v === undefined)
        return absent(text(n), n, `is absent (${text(operandNode)} is null)`);
      return new CelError(
        `cannot read '.${field}' of a ${typeName(v)} (${text(operandNode)})`,
        n.start,
        n.end,
      );
    };
  }

  private index(n: ASTNode & { op: '[]' }, s: Scope): Program {
    const operand = this.node(n.args[0], s);
    const key = this.node(n.args[1], s);
    return (a) => {
      const v = operand(a);
      const k = key(a);
      const sp = special(v, k);
      if (sp) return sp;
      if (Array.isArray(v)) {
        if (typeof k !== 'number' || !Number.isInteger(k))
          return new CelError(`a list index must be an int, got ${typeName(k)}`, n.start, n.end);
        if (k < 0 || k >= v.length)
          return absent(
            text(n),
            n,
            `is absent (the list has ${v.length} element${v.length === 1 ? '' : 's'})`,
          );
        const child = v[k];
        if (isUnresolved(child)) return unresolvedAt(a, v, stepText(k), child, n);
        return child === undefined ? null : child;
      }
      if (v instanceof PartialList) return v.unknown;
      if (isMap(v)) {
        const key = String(k);
        if (!Object.hasOwn(v, key)) return absent(text(n), n, 'is absent');
        const child = v[key];
        if (isUnresolved(child)) return unresolvedAt(a, v, stepText(key), child, n);
        return child === undefined ? null : child;
      }
      if (v === null || v === undefined) return absent(text(n), n, 'is absent (null)');
      return new CelError(`cannot index a ${typeName(v)}`, n.start, n.end);
    };
  }

  /** Kleene AND / OR with CEL's commutative error absorption: a decisive operand wins over unknown and error. */
  private logical(op: '&&' | '||', l: Program, r: Program, n: ASTNode): Program {
    const decisive = op === '||';
    return (a) => {
      const x = l(a);
      if (x === decisive) return decisive;
      const y = r(a);
      if (y === decisive) return decisive;
      if (x === !decisive && y === !decisive) return !decisive;
      for (const v of [x, y]) {
        if (typeof v !== 'boolean' && !(v instanceof Unknown) && !(v instanceof CelError))
          return new CelError(`'${op}' needs bool operands, got ${typeName(v)}`, n.start, n.end);
      }
      if (x instanceof CelError) return x;
      if (y instanceof CelError) return y;
      return Unknown.merge(x, y);
    };
  }

  /** `c ? t : f`; with c unknown, the common value of both branches when they agree, else unknown. */
  private ternary(n: ASTNode & { op: '?:' }, s: Scope): Program {
    const [c, t, f] = n.args.map((x) => this.node(x, s)) as [Program, Program, Program];
    return (a) => {
      const cond = c(a);
      if (cond === true) return t(a);
      if (cond === false) return f(a);
      if (cond instanceof CelError) return cond;
      if (!(cond instanceof Unknown))
        return new CelError(`a condition must be a bool, got ${typeName(cond)}`, n.start, n.end);
      const x = t(a);
      const y = f(a);
      if (x instanceof CelError) return x;
      if (y instanceof CelError) return y;
      return celEquals(x, y) === true ? x : Unknown.merge(cond, x, y);
    };
  }

  private call(
    name: string,
    receiverNode: ASTNode | undefined,
    argNodes: readonly ASTNode[],
    n: ASTNode,
    s: Scope,
  ): Program {
    if (receiverNode === undefined && name === 'has') return this.has(argNodes, n, s);
    if (receiverNode === undefined && name === 'default') return this.default(argNodes, n, s);
    if (receiverNode !== undefined && ['all', 'exists', 'exists_one', 'map', 'filter'].includes(name))
      return this.comprehension(name, receiverNode, argNodes, n, s);
    const fn = receiverNode === undefined ? this.fns.global.get(name) : this.fns.member.get(name);
    if (!fn) {
      const other = receiverNode === undefined ? this.fns.member.get(name) : this.fns.global.get(name);
      const hint = other
        ? receiverNode === undefined
          ? ` (call it as a method: x.${name}(...))`
          : ` (call it as a function: ${name}(x, ...))`
        : '';
      throw new CompileError(`unknown function '${name}'${hint}`, n.start, n.end);
    }
    const args = [...(receiverNode ? [receiverNode] : []), ...argNodes].map((x) => this.node(x, s));
    if (args.length < fn.minArgs || args.length > fn.maxArgs)
      throw new CompileError(`${fn.usage}: wrong number of arguments`, n.start, n.end);
    const strict = fn.strict !== false;
    return (a) => {
      const values = new Array(args.length);
      for (let i = 0; i < args.length; i++) values[i] = args[i]!(a);
      if (strict) {
        const sp = special(...values);
        if (sp) return sp;
      } else {
        for (const v of values) if (v instanceof CelError) return v;
      }
      const site: CallSite = { a, name, start: n.start, end: n.end };
      try {
        return fn.impl(values, site);
      } catch (err) {
        return new CelError(`${name}: ${(err as Error).message}`, n.start, n.end);
      }
    };
  }

  /**
   * `has(x.f)`: true when `f` is present on `x` and is not null, an empty list or an empty map
   * (Terraform and plan JSON spell an unset block as absent, null or `[]`); false when `x` or any
   * step before it is absent; unknown when `x` or `f` is not known statically (an unresolved value
   * may be null at apply time).
   */
  private has(args: readonly ASTNode[], n: ASTNode, s: Scope): Program {
    const arg = args[0];
    if (args.length !== 1 || arg?.op !== '.')
      throw new CompileError('has() takes one field selection, e.g. has(resource.logging)', n.start, n.end);
    const [operandNode, field] = arg.args;
    const operand = this.node(operandNode, s);
    return (a) => {
      const v = operand(a);
      if (isAbsence(v)) return false;
      if (v instanceof Unknown || v instanceof CelError) return v;
      if (v === null || v === undefined) return false;
      if (!isMap(v))
        return new CelError(
          `has() needs a map or object, got ${typeName(v)} (${text(operandNode)})`,
          n.start,
          n.end,
        );
      if (!Object.hasOwn(v, field)) return false;
      const child = v[field];
      if (isUnresolved(child)) return unresolvedAt(a, v, stepText(field), child, n);
      if (child === null || child === undefined) return false;
      if (Array.isArray(child)) return child.length > 0;
      if (isMap(child)) return Object.keys(child).length > 0;
      return true;
    };
  }

  /**
   * `default(x, d)`: `x`, or `d` when `x` is absent (a missing attribute, key or index anywhere in
   * the chain) or null. Unknown when `x` is not known statically (it may be null at apply time).
   */
  private default(args: readonly ASTNode[], n: ASTNode, s: Scope): Program {
    if (args.length !== 2)
      throw new CompileError('default() takes two arguments: default(value, fallback)', n.start, n.end);
    const value = this.node(args[0]!, s);
    const fallback = this.node(args[1]!, s);
    return (a) => {
      const v = value(a);
      if (isAbsence(v) || v === null || v === undefined) return fallback(a);
      return v;
    };
  }

  /** `all`, `exists`, `exists_one`, `map` and `filter` (CEL macros) with Kleene semantics over unknowns. */
  private comprehension(
    name: string,
    targetNode: ASTNode,
    args: readonly ASTNode[],
    n: ASTNode,
    s: Scope,
  ): Program {
    const maxArgs = name === 'map' ? 3 : 2;
    if (args.length < 2 || args.length > maxArgs || args[0]!.op !== 'id')
      throw new CompileError(
        `${name}() takes a variable name and ${name === 'map' ? 'an expression' : 'a predicate'}, e.g. list.${name}(x, ...)`,
        n.start,
        n.end,
      );
    const target = this.node(targetNode, s);
    const varName = args[0]!.args as string;
    const slot = s.slots.n++;
    const inner: Scope = { names: new Map(s.names).set(varName, slot), slots: s.slots };
    const body = args.slice(1).map((x) => this.node(x, inner));
    const run = (a: Activation) => {
      const t = target(a);
      if (t instanceof Unknown || t instanceof CelError) return t;
      if (isUnresolved(t)) return unresolvedAt(a, undefined, '', t, targetNode);
      return iterationItems(a, t, targetNode);
    };
    const notBool = (v: unknown) =>
      new CelError(`the ${name}() predicate must be a bool, got ${typeName(v)}`, n.start, n.end);
    switch (name) {
      case 'exists':
      case 'all': {
        const pred = body[0]!;
        const decisive = name === 'exists';
        return (a) => {
          const it = run(a);
          if (it instanceof Unknown || it instanceof CelError) return it;
          let unknown = it.tail;
          let error: CelError | undefined;
          for (const item of it.items) {
            a.slots[slot] = item;
            const r = pred(a);
            if (r === decisive) return decisive;
            if (r === !decisive) continue;
            if (r instanceof Unknown) unknown = Unknown.merge(unknown, r);
            else error ??= r instanceof CelError ? r : notBool(r);
          }
          return error ?? unknown ?? !decisive;
        };
      }
      case 'exists_one': {
        const pred = body[0]!;
        return (a) => {
          const it = run(a);
          if (it instanceof Unknown || it instanceof CelError) return it;
          let unknown = it.tail;
          let count = 0;
          for (const item of it.items) {
            a.slots[slot] = item;
            const r = pred(a);
            if (r === true) count++;
            else if (r === false) continue;
            else if (r instanceof Unknown) unknown = Unknown.merge(unknown, r);
            else return r instanceof CelError ? r : notBool(r);
          }
          if (count > 1) return false;
          return unknown ?? count === 1;
        };
      }
      case 'filter':
      case 'map': {
        const hasFilter = name === 'filter' || body.length === 2;
        const pred = hasFilter ? body[0]! : undefined;
        const transform = name === 'map' ? body[body.length - 1]! : undefined;
        return (a) => {
          const it = run(a);
          if (it instanceof Unknown || it instanceof CelError) return it;
          let unknown = it.tail;
          const out: unknown[] = [];
          for (const item of it.items) {
            a.slots[slot] = item;
            if (pred) {
              const keep = pred(a);
              if (keep === false) continue;
              if (keep instanceof Unknown) {
                unknown = Unknown.merge(unknown, keep);
                continue;
              }
              if (keep !== true) return keep instanceof CelError ? keep : notBool(keep);
            }
            const v = transform ? transform(a) : item;
            if (v instanceof CelError) return v;
            out.push(v);
          }
          return unknown ? new PartialList(out, unknown) : out;
        };
      }
    }
    throw new CompileError(`unknown macro ${name}`, n.start, n.end);
  }
}

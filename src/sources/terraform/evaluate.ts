import type { TfObject, TfValue } from '../../core/facts.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import type { Expr, Step, TplPart } from './ast.js';
import { callFunction, type FunctionEnv, toJsonValue } from './functions.js';
import { TfNumber } from './tf-number.js';
import {
  deepEqual,
  deepUnresolved,
  EvalFailure,
  exactNumber,
  hasFailure,
  isObj,
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

/** Names bound by `for` expressions, `count`, `each`, dynamic-block iterators; chained to outer scopes. */
export interface Scope {
  vars: Map<string, TfValue>;
  parent?: Scope;
}

/** Looks `name` up in the scope chain. */
export function lookupScope(scope: Scope | undefined, name: string): TfValue | undefined {
  for (let s = scope; s; s = s.parent) {
    if (s.vars.has(name)) return s.vars.get(name);
  }
  return undefined;
}

/** A child scope binding `vars`. */
export function childScope(parent: Scope | undefined, vars: Record<string, TfValue>): Scope {
  const s: Scope = { vars: new Map(Object.entries(vars)) };
  if (parent) s.parent = parent;
  return s;
}

/** What the module evaluator supplies: root references (`var`, `local`, resources, ...) and file access. */
export interface EvalHost {
  /**
   * Resolves a traversal whose root `name` is not bound in scope (`var`, `local`, `module`, `data`,
   * `path`, `terraform`, resource types). Returns the value and how many of `steps` it consumed.
   */
  resolve(name: string, steps: Step[], scope: Scope): { v: TfValue; used: number };
  fnEnv: FunctionEnv;
}

/**
 * Objects standing for a whole resource instance (`aws_s3_bucket.b`): reading an attribute they do
 * not hold gives `computed: <address>.<attr>` instead of an error.
 */
const resourceObjects = new WeakMap<object, { base: string; instance: string }>();

/** Marks `o` as the object of resource instance `instance` of resource `base` (see resourceObjects). */
export function markResourceObject(o: TfObject, base: string, instance: string = base): TfObject {
  resourceObjects.set(o, { base, instance });
  return o;
}

/**
 * Marker for a computed resource attribute: `computed: <base>.<attr>` with ref `base`, carrying
 * `computed` (the instance address and attribute) so that a value passed on unchanged identifies
 * the resource (Unresolved.computed).
 */
export function computed(base: string, attr: string, instance: string = base): Unresolved {
  const u = new Unresolved(`computed: ${base}.${attr}`, [base]);
  u.computed = { address: instance, attribute: attr };
  return u;
}

/** Evaluates HCL expressions (Terraform semantics) against an {@link EvalHost}. Never throws for input. */
export class Evaluator {
  constructor(private readonly host: EvalHost) {}

  /** Evaluates `e` in `scope`. */
  eval(e: Expr, scope: Scope | undefined): TfValue {
    try {
      return this.ev(e, scope);
    } catch (err) {
      if (err instanceof UnresolvedSignal) return err.value;
      if (err instanceof RangeError) return new EvalFailure('expression too deeply nested');
      throw err;
    }
  }

  private ev(e: Expr, scope: Scope | undefined): TfValue {
    switch (e.k) {
      case 'lit':
        if (e.num !== undefined) {
          const n = TfNumber.parse(e.num);
          if (n) return numberValue(n);
        }
        return e.v;
      case 'tpl':
        return this.template(e.parts, scope);
      case 'tuple':
        return e.items.map((x) => this.ev(x, scope));
      case 'object': {
        const o: TfObject = {};
        for (const it of e.items) {
          let key: TfValue;
          if (it.ident !== undefined) key = it.ident;
          else key = this.ev(it.key, scope);
          if (isUnresolved(key)) return unresolvedFrom(`object key unknown: ${key.reason}`, key);
          const ks = toStr(key);
          if (ks === undefined) return new EvalFailure(`object key must be a string, got ${typeName(key)}`);
          o[ks] = this.ev(it.val, scope);
        }
        return o;
      }
      case 'var':
        return this.traverse(e.name, [], scope);
      case 'trav':
        if (e.base.k === 'var') return this.traverse(e.base.name, e.steps, scope);
        return this.applySteps(this.ev(e.base, scope), e.steps, scope);
      case 'call':
        return this.call(e, scope);
      case 'cond': {
        const c = this.ev(e.c, scope);
        if (isUnresolved(c)) {
          const t = this.ev(e.t, scope);
          const f = this.ev(e.f, scope);
          return unresolvedFrom(`condition unknown: ${c.reason}`, c, t, f);
        }
        const b = toBool(c);
        if (b === undefined) return new EvalFailure(`condition must be a bool, got ${typeName(c)}`);
        return b ? this.ev(e.t, scope) : this.ev(e.f, scope);
      }
      case 'unop': {
        const v = this.ev(e.e, scope);
        if (isUnresolved(v)) return v;
        if (e.op === '!') {
          const b = toBool(v);
          return b === undefined ? new EvalFailure(`! needs a bool, got ${typeName(v)}`) : !b;
        }
        const n = exactNumber(v);
        return n === undefined
          ? new EvalFailure(`- needs a number, got ${typeName(v)}`)
          : numberValue(n.negate());
      }
      case 'binop':
        return this.binop(e.op, e.l, e.r, scope);
      case 'for':
        return this.forExpr(e, scope);
      case 'error':
        return new EvalFailure(`expression not understood: ${e.text}`);
    }
  }

  private traverse(name: string, steps: Step[], scope: Scope | undefined): TfValue {
    const bound = lookupScope(scope, name);
    if (bound !== undefined) return this.applySteps(bound, steps, scope);
    const { v, used } = this.host.resolve(name, steps, scope ?? { vars: new Map() });
    return used >= steps.length ? v : this.applySteps(v, steps.slice(used), scope);
  }

  /** Applies attribute/index/splat steps to a value. */
  applySteps(v: TfValue, steps: Step[], scope: Scope | undefined): TfValue {
    let cur = v;
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i] as Step;
      if (isUnresolved(cur)) return cur;
      if (st.t === 'splat') {
        if (cur === null) return [];
        const items = Array.isArray(cur) ? cur : [cur];
        const rest = [...st.steps, ...steps.slice(i + 1)];
        return items.map((x) => this.applySteps(x, rest, scope));
      }
      if (st.t === 'attr') {
        cur = this.getAttr(cur, st.name);
        continue;
      }
      const key = this.ev(st.e, scope);
      if (isUnresolved(key)) return unresolvedFrom(`index unknown: ${key.reason}`, key);
      cur = this.index(cur, key);
    }
    return cur;
  }

  private getAttr(v: TfValue, name: string): TfValue {
    if (isObj(v)) {
      if (Object.hasOwn(v, name)) return v[name] as TfValue;
      const res = resourceObjects.get(v);
      if (res) return computed(res.base, name, res.instance);
      return new EvalFailure(`attribute "${name}" not found`);
    }
    if (v === null) return new EvalFailure(`attribute "${name}" of null`);
    return new EvalFailure(`cannot read attribute "${name}" of a ${typeName(v)}`);
  }

  private index(v: TfValue, key: TfValue): TfValue {
    if (Array.isArray(v)) {
      const n = toNum(key);
      if (n === undefined || !Number.isInteger(n))
        return new EvalFailure(`list index must be a whole number, got ${typeName(key)}`);
      if (n < 0 || n >= v.length) return new EvalFailure(`index ${n} out of range (length ${v.length})`);
      return v[n] as TfValue;
    }
    if (isObj(v)) {
      const k = toStr(key);
      if (k === undefined) return new EvalFailure(`map key must be a string, got ${typeName(key)}`);
      if (Object.hasOwn(v, k)) return v[k] as TfValue;
      const res = resourceObjects.get(v);
      if (res) return computed(res.base, k, res.instance);
      return new EvalFailure(`key "${k}" not found`);
    }
    return new EvalFailure(`cannot index a ${typeName(v)}`);
  }

  private call(e: Extract<Expr, { k: 'call' }>, scope: Scope | undefined): TfValue {
    if (e.name === 'try') {
      let lastFail: TfValue = new EvalFailure('try(): no argument succeeded');
      for (const a of e.args) {
        const v = this.ev(a, scope);
        if (hasFailure(v)) {
          lastFail = v;
          continue;
        }
        return v;
      }
      return isUnresolved(lastFail)
        ? new EvalFailure(`try(): no argument succeeded (${lastFail.reason})`, lastFail.refs)
        : lastFail;
    }
    if (e.name === 'can') {
      const a = e.args[0];
      if (!a) return new EvalFailure('can() needs one argument');
      const v = this.ev(a, scope);
      if (hasFailure(v)) return false;
      const u = deepUnresolved(v);
      return u ?? true;
    }
    const args = e.args.map((a) => this.ev(a, scope));
    if (e.expand) {
      const last = args.pop();
      if (isUnresolved(last)) return unresolvedFrom(`expanded argument unknown: ${last.reason}`, last);
      if (!Array.isArray(last)) return new EvalFailure(`... needs a list, got ${typeName(last)}`);
      args.push(...last);
    }
    return callFunction(e.name, args, this.host.fnEnv);
  }

  private binop(op: string, le: Expr, re: Expr, scope: Scope | undefined): TfValue {
    const l = this.ev(le, scope);
    if (op === '&&' || op === '||') {
      const lb = isUnresolved(l) ? undefined : toBool(l);
      if (!isUnresolved(l) && lb === undefined)
        return new EvalFailure(`${op} needs bools, got ${typeName(l)}`);
      if (op === '&&' && lb === false) return false;
      if (op === '||' && lb === true) return true;
      const r = this.ev(re, scope);
      const rb = isUnresolved(r) ? undefined : toBool(r);
      if (!isUnresolved(r) && rb === undefined)
        return new EvalFailure(`${op} needs bools, got ${typeName(r)}`);
      if (op === '&&' && rb === false) return false;
      if (op === '||' && rb === true) return true;
      if (isUnresolved(l) || isUnresolved(r)) return unresolvedFrom(`operand of ${op} unknown`, l, r);
      return rb as boolean;
    }
    const r = this.ev(re, scope);
    if (isUnresolved(l) || isUnresolved(r)) {
      const u = (isUnresolved(l) ? l : r) as Unresolved;
      return unresolvedFrom(u.reason, l, r);
    }
    if (op === '==' || op === '!=') {
      const du = deepUnresolved(l) ?? deepUnresolved(r);
      if (du) return du;
      const eq = deepEqual(l, r);
      return op === '==' ? eq : !eq;
    }
    // Terraform numbers: exact 512-bit arithmetic (tf-number.ts); safe integers stay JS numbers.
    if (typeof l === 'number' && typeof r === 'number' && (op === '+' || op === '-' || op === '*')) {
      const quick = op === '+' ? l + r : op === '-' ? l - r : l * r;
      if (
        Number.isSafeInteger(l) &&
        Number.isSafeInteger(r) &&
        Number.isSafeInteger(quick) &&
        !Object.is(quick, -0)
      )
        return quick;
    }
    const a = exactNumber(l);
    const b = exactNumber(r);
    if (a === undefined || b === undefined)
      return new EvalFailure(`${op} needs numbers, got ${typeName(l)} and ${typeName(r)}`);
    const arith = (x: TfNumber | undefined, what: string): TfValue =>
      x === undefined ? new EvalFailure(what) : numberValue(x);
    switch (op) {
      case '+':
        return arith(a.add(b), 'infinity minus infinity');
      case '-':
        return arith(a.sub(b), 'infinity minus infinity');
      case '*':
        return arith(a.mul(b), 'zero times infinity');
      case '/':
        return arith(a.quo(b), "can't divide zero by zero or infinity by infinity");
      case '%':
        return arith(a.mod(b), 'modulo of infinities');
      case '<':
        return a.cmp(b) < 0;
      case '>':
        return a.cmp(b) > 0;
      case '<=':
        return a.cmp(b) <= 0;
      case '>=':
        return a.cmp(b) >= 0;
      default:
        return new EvalFailure(`operator ${op} not supported`);
    }
  }

  /** Iteration pairs of a collection: lists by index, maps/objects by lexical key. */
  static entries(coll: TfValue): [TfValue, TfValue][] | undefined {
    if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
    if (isObj(coll)) return sortedKeys(coll).map((k) => [k, coll[k] as TfValue]);
    return undefined;
  }

  private forExpr(e: Extract<Expr, { k: 'for' }>, scope: Scope | undefined): TfValue {
    const coll = this.ev(e.coll, scope);
    if (isUnresolved(coll))
      return unresolvedFrom(`for expression over unknown collection: ${coll.reason}`, coll);
    if (coll === null) return new EvalFailure('for expression over null');
    const entries = Evaluator.entries(coll);
    if (!entries) return new EvalFailure(`for expression over a ${typeName(coll)}`);
    const list: TfValue[] = [];
    const obj: TfObject = {};
    const groups: Record<string, TfValue[]> = {};
    for (const [k, v] of entries) {
      const vars: Record<string, TfValue> = { [e.valVar]: v };
      if (e.keyVar !== undefined) vars[e.keyVar] = k;
      const s = childScope(scope, vars);
      if (e.cond) {
        const c = this.ev(e.cond, s);
        if (isUnresolved(c)) return unresolvedFrom(`for expression condition unknown: ${c.reason}`, c);
        if (toBool(c) !== true) continue;
      }
      if (!e.obj) {
        list.push(this.ev(e.valExpr, s));
        continue;
      }
      const key = e.keyExpr ? this.ev(e.keyExpr, s) : null;
      if (isUnresolved(key)) return unresolvedFrom(`for expression key unknown: ${key.reason}`, key);
      const ks = toStr(key);
      if (ks === undefined)
        return new EvalFailure(`for expression key must be a string, got ${typeName(key)}`);
      const val = this.ev(e.valExpr, s);
      if (e.group) {
        const g = groups[ks] ?? [];
        g.push(val);
        groups[ks] = g;
      } else if (Object.hasOwn(obj, ks))
        return new EvalFailure(`duplicate key "${ks}" in for expression (use ... to group)`);
      else obj[ks] = val;
    }
    if (!e.obj) return list;
    return e.group ? (groups as TfObject) : obj;
  }

  /**
   * Renders template parts. A template whose only unknown parts are computed resource attributes and
   * whose text is a JSON document (a heredoc policy) is rendered with `${address.attr}` placeholders
   * (see toJsonValue); otherwise any unknown part makes the result Unresolved.
   */
  template(parts: TplPart[], scope: Scope | undefined): TfValue {
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only && typeof only !== 'string' && only.k === 'interp') return this.ev(only.e, scope);
    const pieces: TfValue[] = [];
    this.renderParts(parts, scope, pieces);
    const unknowns = pieces.filter(isUnresolved);
    if (!unknowns.length) return pieces.join('');
    const result = unresolvedFrom((unknowns[0] as Unresolved).reason, ...unknowns);
    if (unknowns.every((u) => placeholderFor(u) !== undefined || partialTemplates.get(u) !== undefined)) {
      const rendered = pieces.map((p) => (isUnresolved(p) ? (toJsonValue(p) as string) : p)).join('');
      // A JSON document (heredoc policy) stays inspectable: computed ARNs/ids become placeholders.
      if (/^\s*[{[]/.test(rendered) && isJson(rendered)) return rendered;
      partialTemplates.set(result, rendered);
    }
    return result;
  }

  private renderParts(parts: TplPart[], scope: Scope | undefined, out: TfValue[]): void {
    for (const p of parts) {
      if (typeof p === 'string') {
        out.push(p);
      } else if (p.k === 'interp') {
        const v = this.ev(p.e, scope);
        if (isUnresolved(v)) out.push(v);
        else {
          const s = toStr(v);
          out.push(s ?? new EvalFailure(`cannot interpolate a ${typeName(v)} into a string`));
        }
      } else if (p.k === 'if') {
        const c = this.ev(p.cond, scope);
        if (isUnresolved(c)) out.push(c);
        else this.renderParts(toBool(c) ? p.yes : p.no, scope, out);
      } else {
        const coll = this.ev(p.coll, scope);
        if (isUnresolved(coll)) {
          out.push(coll);
          continue;
        }
        const entries = Evaluator.entries(coll);
        if (!entries) {
          out.push(new EvalFailure(`template for over a ${typeName(coll)}`));
          continue;
        }
        for (const [k, v] of entries) {
          const vars: Record<string, TfValue> = { [p.valVar]: v };
          if (p.keyVar !== undefined) vars[p.keyVar] = k;
          this.renderParts(p.body, childScope(scope, vars), out);
        }
      }
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

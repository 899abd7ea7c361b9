import type { CfnObject, CfnValue } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { type CallContext, callFunction } from './functions.js';
import { type CfnNode, callOf, describeNode } from './node.js';
import { type Frame, PSEUDO_PARAMETERS, pseudoValue, splitList, type TemplateScope } from './scope.js';
import { anyUnresolved, type Ev, findUnresolved, mergeRefs, NO_VALUE, unresolvedFrom } from './values.js';

/** Three-valued condition result. */
export type Truth = boolean | Unresolved;

/**
 * Evaluates template values (CloudFormation "Intrinsic function reference"): `Ref` (parameters with
 * their default or a `--parameter` value, pseudo parameters when given, resources as Unresolved with
 * the logical id in `refs`), `Fn::GetAtt`, `Fn::Sub`, `Fn::If` with the `Conditions` section
 * (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`) in three-valued logic, and the functions
 * of functions.ts. What is not known statically becomes {@link Unresolved} with a reason; problems
 * CloudFormation would reject (unknown names, bad arguments) are reported through the scope.
 */
export class Evaluator implements CallContext {
  private readonly paramCache = new Map<string, CfnValue>();
  private readonly condCache = new Map<string, Truth>();
  private readonly condActive = new Set<string>();

  constructor(readonly scope: TemplateScope) {}

  /** Evaluates `node` at `frame.path`, recording locations and references in the frame. */
  value(node: CfnNode, frame: Frame): Ev {
    if (frame.path !== '' && !(frame.path in frame.locs)) frame.locs[frame.path] = node.loc;
    const call = callOf(node);
    if (call) return this.call(call.name, call.arg, node, frame);
    if (node.t === 'scalar') return node.value;
    if (node.t === 'seq') {
      const out: CfnValue[] = [];
      for (const item of node.items) {
        const p = `${frame.path === '' ? '' : `${frame.path}.`}${out.length}`;
        const v = this.value(item, { ...frame, path: p });
        if (v === NO_VALUE) {
          delete frame.locs[p];
          continue;
        }
        out.push(v);
      }
      return out;
    }
    const obj: CfnObject = {};
    for (const e of node.entries) {
      const key = frame.loop.size ? this.substituteKey(e.key, frame) : e.key;
      const p = frame.path === '' ? key : `${frame.path}.${key}`;
      frame.locs[p] = e.keyLoc;
      const v = this.value(e.value, { ...frame, path: p });
      if (v === NO_VALUE) {
        delete frame.locs[p];
        continue;
      }
      obj[key] = v;
    }
    return obj;
  }

  /** Evaluates `node` with a scratch frame (locations discarded); for function arguments. */
  arg(node: CfnNode, frame: Frame): Ev {
    return this.value(node, { ...frame, path: '', locs: {} });
  }

  /** Reports a problem at `loc`; `error` unless a transform may explain it (then `warning`). */
  problem(message: string, loc: SourceLocation, rejectable = true): void {
    this.scope.diag(rejectable && !this.scope.generated ? 'error' : 'warning', message, loc);
  }

  private call(name: string, arg: CfnNode, node: CfnNode, frame: Frame): Ev {
    switch (name) {
      case 'Ref':
        return this.ref(arg, node, frame);
      case 'Fn::GetAtt':
        return this.getAtt(arg, node, frame);
      case 'Fn::Sub':
        return this.sub(arg, node, frame);
      case 'Fn::If':
        return this.fnIf(arg, node, frame);
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        this.scope.diag(
          'warning',
          `${name} is a condition function: CloudFormation accepts it only in Conditions (use Fn::If with a named condition).`,
          node.loc,
        );
        return this.truth(node, frame, []);
      default:
        return callFunction(this, name, arg, node, frame);
    }
  }

  private ref(arg: CfnNode, node: CfnNode, frame: Frame): Ev {
    if (arg.t !== 'scalar' || typeof arg.value !== 'string') {
      this.problem(`Ref takes a name, got ${describeNode(arg)}.`, node.loc);
      return new Unresolved('Ref of something that is not a name');
    }
    return this.named(arg.value, node.loc, frame, `Ref ${arg.value}`);
  }

  /**
   * The value of a name as `Ref` (or `${name}` in `Fn::Sub`) reads it: a loop identifier, a
   * parameter, a pseudo parameter, or a resource (Unresolved, referenced).
   */
  named(name: string, loc: SourceLocation, frame: Frame, label: string): Ev {
    if (frame.loop.has(name)) return frame.loop.get(name)!;
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (this.scope.parameters.has(name)) return this.parameter(name);
    if (PSEUDO_PARAMETERS.has(name)) {
      const v = pseudoValue(name, this.scope.overrides);
      return v ?? new Unresolved(`${name} is not known statically (give it with --parameter ${name}=VALUE)`);
    }
    if (this.scope.resources.has(name)) {
      frame.refs.add(name);
      return new Unresolved(`${label}: the physical id of resource ${name} is known after deployment`, [
        name,
      ]);
    }
    this.problem(
      `${label}: no parameter, pseudo parameter or resource named ${name}${this.scope.generated ? ' (a transform may declare it)' : ''}.`,
      loc,
    );
    return new Unresolved(`${label}: ${name} is not declared in the template`);
  }

  /** A parameter's value: `--parameter` value, else its Default; Unresolved for NoEcho, SSM types and no default. */
  parameter(name: string): CfnValue {
    const cached = this.paramCache.get(name);
    if (cached !== undefined) return cached;
    const decl = this.scope.parameters.get(name)!;
    let v: CfnValue;
    const given = this.scope.overrides[name];
    const isList = decl.type === 'CommaDelimitedList' || decl.type.startsWith('List<');
    if (decl.noEcho) {
      v = new Unresolved(`parameter ${name} is NoEcho (a secret): its value is not read`);
    } else if (decl.type.startsWith('AWS::SSM::Parameter::Value<')) {
      v = new Unresolved(`parameter ${name} is read from SSM Parameter Store at deployment`);
    } else if (given !== undefined) {
      v = isList ? splitList(given) : given;
    } else if (decl.defaultNode) {
      const d = this.value(decl.defaultNode, { path: '', locs: {}, refs: new Set(), loop: new Map() });
      if (d === NO_VALUE || anyUnresolved(d))
        v = new Unresolved(`parameter ${name} has a default that is not a value`);
      else if (isList && typeof d === 'string') v = splitList(d);
      else if (isList && (typeof d === 'number' || typeof d === 'boolean')) v = splitList(String(d));
      else v = d;
    } else {
      v = new Unresolved(`parameter ${name} has no default (give it with --parameter ${name}=VALUE)`);
    }
    this.paramCache.set(name, v);
    return v;
  }

  private getAtt(arg: CfnNode, node: CfnNode, frame: Frame): Ev {
    let resource: string | undefined;
    let attr: CfnValue | undefined;
    if (arg.t === 'scalar' && typeof arg.value === 'string') {
      const dot = arg.value.indexOf('.');
      if (dot > 0) {
        resource = arg.value.slice(0, dot);
        attr = arg.value.slice(dot + 1);
      }
    } else if (arg.t === 'seq' && arg.items.length === 2) {
      const r = arg.items[0]!;
      if (r.t === 'scalar' && typeof r.value === 'string') resource = r.value;
      const a = this.arg(arg.items[1]!, frame);
      attr = a === NO_VALUE ? undefined : a;
    }
    if (resource === undefined || attr === undefined) {
      this.problem(
        `Fn::GetAtt takes [resource, attribute] or "resource.attribute", got ${describeNode(arg)}.`,
        node.loc,
      );
      return new Unresolved('Fn::GetAtt with malformed arguments');
    }
    if (frame.loop.has(resource)) {
      const lv = frame.loop.get(resource)!;
      if (typeof lv === 'string') resource = lv;
    }
    const attrText = typeof attr === 'string' ? attr : isUnresolved(attr) ? '?' : JSON.stringify(attr);
    if (!this.scope.resources.has(resource)) {
      this.problem(
        `Fn::GetAtt ${resource}.${attrText}: no resource ${resource} in the template${this.scope.generated ? ' (a transform may declare it)' : ''}.`,
        node.loc,
      );
      return new Unresolved(`Fn::GetAtt ${resource}.${attrText}: resource not declared in the template`);
    }
    frame.refs.add(resource);
    return new Unresolved(`attribute ${attrText} of resource ${resource} is known after deployment`, [
      resource,
    ]);
  }

  private sub(arg: CfnNode, node: CfnNode, frame: Frame): Ev {
    let text: CfnNode | undefined;
    const vars = new Map<string, Ev>();
    if (arg.t === 'seq' && arg.items.length === 2 && arg.items[1]!.t === 'map') {
      text = arg.items[0];
      for (const e of (arg.items[1] as { entries: { key: string; value: CfnNode }[] }).entries)
        vars.set(e.key, this.arg(e.value, frame));
    } else {
      text = arg;
    }
    const t = text ? this.arg(text, frame) : undefined;
    if (typeof t !== 'string') {
      if (isUnresolved(t)) return t;
      this.problem(`Fn::Sub takes a string or [string, {variables}], got ${describeNode(arg)}.`, node.loc);
      return new Unresolved('Fn::Sub with malformed arguments');
    }
    const parts: string[] = [];
    const unknown: Unresolved[] = [];
    let last = 0;
    const re = /\$\{([^}]*)\}/g;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      parts.push(t.slice(last, m.index));
      last = m.index + m[0].length;
      const inner = m[1]!;
      if (inner.startsWith('!')) {
        parts.push(`\${${inner.slice(1)}}`);
        continue;
      }
      const name = inner.trim();
      let v: Ev;
      if (vars.has(name)) v = vars.get(name)!;
      else if (name.includes('.') && !this.scope.parameters.has(name) && !frame.loop.has(name)) {
        const dot = name.indexOf('.');
        const res = name.slice(0, dot);
        if (this.scope.resources.has(res)) {
          frame.refs.add(res);
          v = new Unresolved(
            `attribute ${name.slice(dot + 1)} of resource ${res} is known after deployment`,
            [res],
          );
        } else {
          this.problem(
            `Fn::Sub \${${name}}: no resource ${res} in the template${this.scope.generated ? ' (a transform may declare it)' : ''}.`,
            node.loc,
          );
          v = new Unresolved(`\${${name}}: resource not declared in the template`);
        }
      } else v = this.named(name, node.loc, frame, `Fn::Sub \${${name}}`);
      if (v === NO_VALUE) {
        this.problem(`Fn::Sub \${${name}}: AWS::NoValue cannot be substituted into a string.`, node.loc);
        unknown.push(new Unresolved('AWS::NoValue in Fn::Sub'));
      } else if (isUnresolved(v)) unknown.push(v);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        parts.push(String(v));
      else {
        this.problem(
          `Fn::Sub \${${name}} is ${Array.isArray(v) ? 'a list' : 'not a string'}: CloudFormation substitutes strings only.`,
          node.loc,
        );
        unknown.push(new Unresolved(`\${${name}} is not a string`));
      }
    }
    parts.push(t.slice(last));
    if (unknown.length) return unresolvedFrom(`Fn::Sub: ${unknown[0]!.reason}`, ...unknown);
    return parts.join('');
  }

  private fnIf(arg: CfnNode, node: CfnNode, frame: Frame): Ev {
    if (arg.t !== 'seq' || arg.items.length !== 3) {
      this.problem(
        `Fn::If takes [condition, value if true, value if false], got ${describeNode(arg)}.`,
        node.loc,
      );
      return new Unresolved('Fn::If with malformed arguments');
    }
    const [c, a, b] = arg.items as [CfnNode, CfnNode, CfnNode];
    if (c.t !== 'scalar' || typeof c.value !== 'string') {
      this.problem('Fn::If takes the name of a condition first.', c.loc);
      return new Unresolved('Fn::If without a condition name');
    }
    const truth = this.condition(c.value, c.loc, []);
    if (truth === true) return this.value(a, frame);
    if (truth === false) return this.value(b, frame);
    // Unknown condition: the value is known only when both branches agree.
    const va = this.value(a, { ...frame, locs: {} });
    const vb = this.value(b, { ...frame, locs: {} });
    if (sameValue(va, vb)) return this.value(a, frame);
    return new Unresolved(`depends on condition ${c.value}: ${truth.reason}`, mergeRefs(truth, va, vb));
  }

  /** The value of named condition `name` (memoised; a cycle is an error and Unresolved). */
  condition(name: string, loc: SourceLocation, chain: string[]): Truth {
    const cached = this.condCache.get(name);
    if (cached !== undefined) return cached;
    const entry = this.scope.conditions.get(name);
    if (!entry) {
      this.problem(`Condition ${name} is not declared in the Conditions section.`, loc);
      return new Unresolved(`condition ${name} is not declared`);
    }
    if (this.condActive.has(name)) {
      this.scope.diag('error', `Circular condition: ${[...chain, name].join(' -> ')}.`, entry.keyLoc);
      return new Unresolved(`condition ${name} is circular`);
    }
    this.condActive.add(name);
    const v = this.truth(entry.value, { path: '', locs: {}, refs: new Set(), loop: new Map() }, [
      ...chain,
      name,
    ]);
    this.condActive.delete(name);
    this.condCache.set(name, v);
    return v;
  }

  /** A condition expression in three-valued logic. */
  truth(node: CfnNode, frame: Frame, chain: string[]): Truth {
    if (node.t === 'map' && node.entries.length === 1 && node.entries[0]!.key === 'Condition') {
      const ref = node.entries[0]!.value;
      if (ref.t === 'scalar' && typeof ref.value === 'string')
        return this.condition(ref.value, node.loc, chain);
    }
    if (node.t === 'scalar' && typeof node.value === 'boolean') return node.value;
    if (node.t === 'scalar' && (node.value === 'true' || node.value === 'false'))
      return node.value === 'true';
    const call = callOf(node);
    const args = call?.arg.t === 'seq' ? call.arg.items : undefined;
    switch (call?.name) {
      case 'Fn::Equals': {
        if (args?.length !== 2) break;
        const a = this.arg(args[0]!, frame);
        const b = this.arg(args[1]!, frame);
        const u = [a, b].filter((x) => x !== NO_VALUE && anyUnresolved(x)) as CfnValue[];
        if (u.length)
          return unresolvedFrom(`Fn::Equals of a value not known statically: ${firstReason(u)}`, ...u);
        return canonical(a) === canonical(b);
      }
      case 'Fn::Not': {
        if (args?.length !== 1) break;
        const v = this.truth(args[0]!, frame, chain);
        return isUnresolved(v) ? v : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!args || args.length < 2 || args.length > 10) break;
        const want = call.name === 'Fn::Or';
        const vs = args.map((x) => this.truth(x, frame, chain));
        if (vs.includes(want)) return want;
        const u = vs.filter(isUnresolved);
        return u.length ? unresolvedFrom(u[0]!.reason, ...u) : !want;
      }
      case 'Fn::If': {
        const v = this.value(node, frame);
        if (typeof v === 'boolean') return v;
        if (isUnresolved(v)) return v;
        break;
      }
      default:
        break;
    }
    this.problem(
      `Not a condition: expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, got ${describeNode(node)}${call && args === undefined ? ' without a list of arguments' : ''}.`,
      node.loc,
    );
    return new Unresolved('malformed condition');
  }

  /** `${Id}` and `&{Id}` of the loop identifiers in a key (`Fn::ForEach` output keys). */
  substituteKey(key: string, frame: Frame): string {
    return key.replace(/([$&])\{([^}]*)\}/g, (whole, sigil: string, name: string) => {
      if (!frame.loop.has(name)) return whole;
      const v = frame.loop.get(name)!;
      const s = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '*';
      return sigil === '&' ? s.replace(/[^A-Za-z0-9*]/g, '') : s;
    });
  }
}

/** The canonical text `Fn::Equals` compares: scalars as strings, lists and maps as JSON of those. */
function canonical(v: Ev): string {
  if (v === NO_VALUE) return '\u0000novalue';
  if (v === null) return 'null';
  if (typeof v !== 'object') return String(v);
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' || typeof x === 'boolean' ? String(x) : x));
}

function firstReason(vs: CfnValue[]): string {
  for (const v of vs) {
    const u = findUnresolved(v);
    if (u) return u.reason;
  }
  return 'unknown';
}

/** Deep equality of two evaluated values, Unresolved never equal to anything. */
export function sameValue(a: Ev, b: Ev): boolean {
  if (a === NO_VALUE || b === NO_VALUE) return a === b;
  if (anyUnresolved(a) || anyUnresolved(b)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

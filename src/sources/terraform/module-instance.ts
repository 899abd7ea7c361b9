import path from 'node:path';
import type { TerraformResource, TfObject, TfValue } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import { decodeStrictText, describeTextProblem } from '../../core/strict-text.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { readRegularFileSync } from '../read-regular-file.js';
import type { Block, Body, Expr, Pos, Step, TplPart } from './ast.js';
import {
  childScope,
  computed,
  type EvalHost,
  Evaluator,
  markResourceObject,
  type Scope,
} from './evaluate.js';
import type { FunctionEnv } from './functions.js';
import { parseHclWith } from './hcl-parser.js';
import { synthesizePolicyJson } from './iam-policy.js';
import type { CallDef, LoadContext, ModuleDef, ResDef } from './module-def.js';
import { sourceOf } from './provider-versions.js';
import { checkModuleArguments } from './validate-config.js';
import {
  collectDeepRefs,
  EvalFailure,
  isObj,
  sortedKeys,
  toBool,
  toFactValue,
  toNum,
  toStr,
  typeName,
  unresolvedFrom,
} from './values.js';

/** Largest count / for_each expansion evaluated; beyond it the resource is emitted once as `[*]`. */
export const MAX_INSTANCES = 1000;
/** Deepest chain of nested local module calls followed. */
export const MAX_MODULE_DEPTH = 16;
/** Most module instances expanded per loadTerraform call (guards against exponential count/for_each nesting). */
export const MAX_MODULE_INSTANCES = 5000;
/** Largest file `file()` / `templatefile()` will read (bytes). */
export const MAX_FUNCTION_FILE_BYTES = 1024 * 1024;

const RESOURCE_META_ATTRS = new Set(['count', 'for_each', 'provider', 'depends_on']);
const RESOURCE_META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);
const MODULE_META_ATTRS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Instance key: none, count index, for_each key, or unknown expansion. */
export type IKey = null | number | string | typeof UNKNOWN;
/** The key of the single instance emitted for a resource whose count/for_each is unknown (`[*]`). */
export const UNKNOWN: unique symbol = Symbol('unknown-instance');

type Expansion =
  | { kind: 'single' }
  | { kind: 'count'; n: number }
  | { kind: 'each'; keys: string[]; values: Map<string, TfValue> }
  | { kind: 'unknown'; reason: Unresolved };

type ChildSet =
  | { kind: 'none'; why: Unresolved }
  | { kind: 'some'; exp: Expansion; instances: Map<IKey, ModuleInstance> };

/** Renders an instance key in Terraform address syntax: `[0]`, `["a"]`, `[*]` (unknown), `` (none). */
export function keySuffix(k: IKey): string {
  if (k === null) return '';
  if (k === UNKNOWN) return '[*]';
  return typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(k)}]`;
}

/**
 * The provider configuration key a reference names: `aws.usw2` for `aws.usw2`, `aws` for `aws`
 * (also as a string literal, as object keys of a `providers` map may be); undefined for anything else.
 */
function providerRef(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'var') return e.name;
  if (e.k === 'trav' && e.base.k === 'var' && e.steps.length === 1 && e.steps[0]?.t === 'attr')
    return `${e.base.name}.${e.steps[0].name}`;
  if (e.k === 'lit' && typeof e.v === 'string' && /^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)?$/.test(e.v)) return e.v;
  return undefined;
}

/**
 * Resolves a provider configuration key of a module (`aws`, `aws.inner`) to the configuration it
 * stands for, named as in the root module (`aws`, `aws.usw2`) or `module.x:aws` for one declared
 * inside module x; undefined when the module was given none under that key.
 */
export type ProviderResolver = (localKey: string) => string | undefined;

/**
 * The provider configuration key a resource uses: its `provider` meta-argument (`aws.usw2`), else
 * the implicit one, the resource type's prefix before the first `_` (`aws_ebs_volume` → `aws`).
 */
function resourceProviderKey(def: ResDef): string {
  const explicit = providerRef(def.block.body.attributes.find((x) => x.name === 'provider')?.expr);
  if (explicit) return explicit;
  const i = def.type.indexOf('_');
  return i > 0 ? def.type.slice(0, i) : def.type;
}

/** The instance key of an index step with a literal number or string (`[0]`, `["logs"]`), else undefined. */
function literalIndex(step: Step | undefined): number | string | undefined {
  if (step?.t !== 'index') return undefined;
  const e = step.e;
  if (e.k === 'lit' && (typeof e.v === 'number' || typeof e.v === 'string')) return e.v;
  if (e.k === 'tpl' && e.parts.length === 1 && typeof e.parts[0] === 'string') return e.parts[0];
  if (e.k === 'tpl' && e.parts.length === 0) return '';
  return undefined;
}

function keysOf(exp: Expansion): IKey[] {
  switch (exp.kind) {
    case 'single':
      return [null];
    case 'count':
      return Array.from({ length: exp.n }, (_, i) => i);
    case 'each':
      return exp.keys;
    case 'unknown':
      return [UNKNOWN];
  }
}

let nextId = 0;

/**
 * One module instance (root, or a local module call instance), evaluated lazily with memoisation.
 * Terraform semantics: https://developer.hashicorp.com/terraform/language (expressions, meta-arguments).
 */
export class ModuleInstance implements EvalHost {
  readonly evaluator: Evaluator;
  readonly fnEnv: FunctionEnv;
  private readonly id = nextId++;
  private readonly memo = new Map<string, TfValue>();
  private readonly attrMemo = new Map<string, { v: TfValue; locs: Record<string, Pos> }>();
  private readonly expansions = new Map<string, Expansion>();
  private readonly childSets = new Map<CallDef, ChildSet>();

  /**
   * modulePath: `''` for a root, `module.a[0]` style otherwise. rootDir: absolute root module dir.
   * ancestry: module dirs of the calling chain (for recursion detection). varValue: the value given
   * for an input variable (tfvars / -var / module block argument), undefined when none.
   * callKey: module call names from the root joined by `.` (the `Key` of `.terraform/modules/modules.json`).
   */
  constructor(
    private readonly ctx: LoadContext,
    readonly def: ModuleDef,
    readonly modulePath: string,
    private readonly rootDir: string,
    private readonly ancestry: string[],
    private readonly varValue: (name: string) => TfValue | undefined,
    private readonly callKey = '',
    private readonly passedProviders?: ProviderResolver,
  ) {
    this.evaluator = new Evaluator(this);
    this.fnEnv = { readFile: (p) => this.readFile(p), templateFile: (p, vars) => this.templateFile(p, vars) };
  }

  /**
   * The configuration provider key `localKey` (`aws`, `aws.inner`) means in this module, named as in
   * the root module: `aws` / `aws.usw2` for root configurations, `module.x:aws` (module path without
   * instance keys) for one declared by a `provider` block of module x, or for an alias the module
   * call did not pass (invalid in Terraform; kept distinct so it matches no root configuration).
   * Terraform semantics: module `providers` meta-argument; default (unaliased) configurations not
   * listed are inherited from the parent, as `terraform show -json` resolves them.
   */
  providerConfig(localKey: string): string {
    if (!this.modulePath) return localKey;
    const own = `module.${this.callKey.split('.').join('.module.')}:${localKey}`;
    if (this.def.providerConfigs.has(localKey)) return own;
    return this.passedProviders?.(localKey) ?? own;
  }

  /** The resolver a child module call gets: its `providers` map, else the parent's default configurations. */
  private childProviders(call: CallDef): ProviderResolver {
    const attr = call.block.body.attributes.find((a) => a.name === 'providers');
    const mapped = new Map<string, string>();
    if (attr?.expr.k === 'object') {
      for (const item of attr.expr.items) {
        const inChild = providerRef(item.key);
        const inParent = providerRef(item.val);
        if (inChild && inParent) mapped.set(inChild, this.providerConfig(inParent));
      }
    }
    return (localKey) => {
      const m = mapped.get(localKey);
      if (m !== undefined) return m;
      return localKey.includes('.') ? undefined : this.providerConfig(localKey);
    };
  }

  private prefix(key: string): string {
    return this.modulePath ? `${this.modulePath}.${key}` : key;
  }

  private guard<T extends TfValue>(key: string, compute: () => T, what: string): T | Unresolved {
    const k = `${this.id}|${key}`;
    const active = activeKeys;
    if (active.has(k)) return new EvalFailure(`cycle while evaluating ${what}`);
    active.add(k);
    try {
      return compute();
    } finally {
      active.delete(k);
    }
  }

  /** EvalHost: resolves `var.`, `local.`, `module.`, `data.`, `path.`, `terraform.` and resource references. */
  resolve(name: string, steps: Step[], _scope: Scope): { v: TfValue; used: number } {
    const s0 = steps[0];
    const attr0 = s0?.t === 'attr' ? s0.name : undefined;
    switch (name) {
      case 'var':
        return attr0 === undefined
          ? { v: new EvalFailure('var needs an attribute'), used: 0 }
          : { v: this.variable(attr0), used: 1 };
      case 'local':
        return attr0 === undefined
          ? { v: new EvalFailure('local needs an attribute'), used: 0 }
          : { v: this.local(attr0), used: 1 };
      case 'path':
        if (attr0 === 'module') {
          const r = path.relative(this.rootDir, this.def.dir).split(path.sep).join('/');
          return { v: r === '' ? '.' : r, used: 1 };
        }
        if (attr0 === 'root' || attr0 === 'cwd') return { v: '.', used: 1 };
        return { v: new EvalFailure(`unknown path.${attr0 ?? ''}`), used: 1 };
      case 'terraform':
        if (attr0 === 'workspace')
          return {
            v:
              this.ctx.workspace ??
              new Unresolved(
                'terraform.workspace is chosen when Terraform runs (pass --workspace NAME to scan as that workspace)',
              ),
            used: 1,
          };
        return { v: new Unresolved(`terraform.${attr0 ?? ''} is not known statically`), used: 1 };
      case 'module':
        if (attr0 === undefined) return { v: new EvalFailure('module needs a name'), used: 0 };
        return this.resolveModule(attr0, steps.slice(1), 1);
      case 'data': {
        const s1 = steps[1];
        if (attr0 === undefined || s1?.t !== 'attr')
          return { v: new EvalFailure('data needs a type and a name'), used: 0 };
        const def = this.def.resByKey.get(`data.${attr0}.${s1.name}`);
        if (!def) return { v: new EvalFailure(`reference to undeclared data.${attr0}.${s1.name}`), used: 2 };
        return this.resolveResource(def, steps.slice(2), 2);
      }
      case 'count':
      case 'each':
      case 'self':
        return { v: new EvalFailure(`${name} is not available here`), used: 0 };
      default: {
        if (attr0 === undefined) return { v: new EvalFailure(`unknown name "${name}"`), used: 0 };
        const def = this.def.resByKey.get(`${name}.${attr0}`);
        if (!def) return { v: new EvalFailure(`reference to undeclared resource ${name}.${attr0}`), used: 1 };
        return this.resolveResource(def, steps.slice(1), 1);
      }
    }
  }

  /** Value of input variable `name` (given value converted to the declared primitive type, else default). */
  variable(name: string): TfValue {
    const decl = this.def.variables.get(name);
    if (!decl) return new EvalFailure(`reference to undeclared variable var.${name}`);
    const mk = `var:${name}`;
    if (this.memo.has(mk)) return this.memo.get(mk) as TfValue;
    const v = this.guard(
      mk,
      () => {
        const given = this.varValue(name);
        const nullable = decl.block.body.attributes.find((a) => a.name === 'nullable');
        const nonNull = nullable?.expr.k === 'lit' && nullable.expr.v === false;
        if (given !== undefined && !(given === null && nonNull))
          return convertToType(given, primitiveType(decl.block));
        const d = decl.block.body.attributes.find((a) => a.name === 'default');
        if (d) return convertToType(this.evaluator.eval(d.expr, undefined), primitiveType(decl.block));
        return new Unresolved(`variable ${name} has no value`);
      },
      `var.${name}`,
    );
    this.memo.set(mk, v);
    return v;
  }

  /** Value of `local.name` (locals may depend on each other in any order; a cycle gives Unresolved). */
  local(name: string): TfValue {
    const decl = this.def.locals.get(name);
    if (!decl) return new EvalFailure(`reference to undeclared local.${name}`);
    const mk = `local:${name}`;
    if (this.memo.has(mk)) return this.memo.get(mk) as TfValue;
    const v = this.guard(mk, () => this.evaluator.eval(decl.attr.expr, undefined), `local.${name}`);
    this.memo.set(mk, v);
    return v;
  }

  /** Value of output `name` of this module instance. */
  output(name: string): TfValue {
    const decl = this.def.outputs.get(name);
    if (!decl) return new EvalFailure(`module ${this.modulePath || '(root)'} has no output "${name}"`);
    const mk = `output:${name}`;
    if (this.memo.has(mk)) return this.memo.get(mk) as TfValue;
    const valueAttr = decl.block.body.attributes.find((a) => a.name === 'value');
    const v = valueAttr
      ? this.guard(mk, () => this.evaluator.eval(valueAttr.expr, undefined), `output ${name}`)
      : new EvalFailure(`output ${name} has no value`);
    this.memo.set(mk, v);
    return v;
  }

  private outputsObject(): TfObject {
    const o: TfObject = {};
    for (const name of this.def.outputs.keys()) o[name] = this.output(name);
    return o;
  }

  private expansionOf(key: string, body: Body, what: string): Expansion {
    const cached = this.expansions.get(key);
    if (cached) return cached;
    const exp = this.computeExpansion(body, what);
    this.expansions.set(key, exp);
    return exp;
  }

  private computeExpansion(body: Body, what: string): Expansion {
    const countA = body.attributes.find((a) => a.name === 'count');
    const eachA = body.attributes.find((a) => a.name === 'for_each');
    if (countA) {
      const v = this.evaluator.eval(countA.expr, undefined);
      if (isUnresolved(v))
        return { kind: 'unknown', reason: unresolvedFrom(`count of ${what} unknown: ${v.reason}`, v) };
      const n = toNum(v);
      if (n === undefined || !Number.isInteger(n) || n < 0) {
        return {
          kind: 'unknown',
          reason: new EvalFailure(`count of ${what} is not a whole number (${typeName(v)})`),
        };
      }
      if (n > MAX_INSTANCES)
        return {
          kind: 'unknown',
          reason: new Unresolved(`count of ${what} is ${n}, over the ${MAX_INSTANCES} limit`),
        };
      return { kind: 'count', n };
    }
    if (eachA) {
      const v = this.evaluator.eval(eachA.expr, undefined);
      if (isUnresolved(v))
        return { kind: 'unknown', reason: unresolvedFrom(`for_each of ${what} unknown: ${v.reason}`, v) };
      const values = new Map<string, TfValue>();
      if (isObj(v)) {
        for (const k of sortedKeys(v)) values.set(k, v[k] as TfValue);
      } else if (Array.isArray(v)) {
        for (const e of v) {
          if (isUnresolved(e))
            return {
              kind: 'unknown',
              reason: unresolvedFrom(`for_each of ${what} has unknown elements: ${e.reason}`, e),
            };
          const s = toStr(e);
          if (s === undefined)
            return {
              kind: 'unknown',
              reason: new EvalFailure(`for_each of ${what} needs a map or a set of strings`),
            };
          values.set(s, s);
        }
      } else {
        return {
          kind: 'unknown',
          reason: new EvalFailure(`for_each of ${what} needs a map or a set of strings, got ${typeName(v)}`),
        };
      }
      if (values.size > MAX_INSTANCES) {
        return {
          kind: 'unknown',
          reason: new Unresolved(
            `for_each of ${what} has ${values.size} elements, over the ${MAX_INSTANCES} limit`,
          ),
        };
      }
      const keys = [...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return { kind: 'each', keys, values };
    }
    return { kind: 'single' };
  }

  private instanceScope(exp: Expansion, key: IKey, what: string): Scope | undefined {
    if (exp.kind === 'count') return childScope(undefined, { count: { index: key as number } });
    if (exp.kind === 'each') {
      return childScope(undefined, {
        each: { key: key as string, value: exp.values.get(key as string) ?? null },
      });
    }
    if (exp.kind === 'unknown') {
      const u = unresolvedFrom(`instance key of ${what} unknown (${exp.reason.reason})`, exp.reason);
      return childScope(undefined, { count: { index: u }, each: { key: u, value: u } });
    }
    return undefined;
  }

  private resExpansion(def: ResDef): Expansion {
    return this.expansionOf(`res:${memoKey(def)}`, def.block.body, this.prefix(def.key));
  }

  private resolveResource(def: ResDef, rest: Step[], used0: number): { v: TfValue; used: number } {
    const exp = this.resExpansion(def);
    const base = this.prefix(def.key);
    const s0 = rest[0];
    if (exp.kind === 'single') {
      if (s0?.t === 'attr') return { v: this.instAttr(def, null, s0.name), used: used0 + 1 };
      return { v: this.wholeObject(def, null), used: used0 };
    }
    if (exp.kind === 'unknown') {
      const s1 = rest[1];
      if (s0?.t === 'index' && s1?.t === 'attr')
        return { v: this.instAttr(def, UNKNOWN, s1.name), used: used0 + 2 };
      return {
        v: new Unresolved(`instances of ${base} unknown: ${exp.reason.reason}`, [base, ...exp.reason.refs]),
        used: used0 + rest.length,
      };
    }
    if (s0?.t === 'index') {
      const k = this.evaluator.eval(s0.e, undefined);
      if (isUnresolved(k))
        return {
          v: unresolvedFrom(
            `computed: ${base}[?] (index unknown: ${k.reason})`,
            k,
            new Unresolved('', [base]),
          ),
          used: used0 + rest.length,
        };
      let key: IKey | undefined;
      if (exp.kind === 'count') {
        const n = toNum(k);
        if (n !== undefined && Number.isInteger(n) && n >= 0 && n < exp.n) key = n;
      } else {
        const s = toStr(k);
        if (s !== undefined && exp.values.has(s)) key = s;
      }
      if (key === undefined)
        return { v: new EvalFailure(`${base}[${toStr(k) ?? typeName(k)}] does not exist`), used: used0 + 1 };
      const s1 = rest[1];
      if (s1?.t === 'attr') return { v: this.instAttr(def, key, s1.name), used: used0 + 2 };
      return { v: this.wholeObject(def, key), used: used0 + 1 };
    }
    if (s0?.t === 'attr')
      return {
        v: new EvalFailure(`${base} has count or for_each: index it before reading "${s0.name}"`),
        used: used0 + 1,
      };
    if (exp.kind === 'count') return { v: keysOf(exp).map((k) => this.wholeObject(def, k)), used: used0 };
    const o: TfObject = {};
    for (const k of exp.keys) o[k] = this.wholeObject(def, k);
    return { v: o, used: used0 };
  }

  private topLevelNames(def: ResDef): string[] {
    const names: string[] = [];
    const seen = new Set<string>();
    const add = (n: string | undefined) => {
      if (n !== undefined && !seen.has(n)) {
        seen.add(n);
        names.push(n);
      }
    };
    for (const a of def.block.body.attributes) if (!RESOURCE_META_ATTRS.has(a.name)) add(a.name);
    for (const b of def.block.body.blocks) {
      const t = b.type === 'dynamic' ? b.labels[0] : b.type;
      if (t !== undefined && !RESOURCE_META_BLOCKS.has(t)) add(t);
    }
    return names;
  }

  private wholeObject(def: ResDef, key: IKey): TfObject {
    const mk = `whole:${memoKey(def)}${keySuffix(key)}`;
    if (this.memo.has(mk)) return this.memo.get(mk) as TfObject;
    const o: TfObject = {};
    for (const n of this.topLevelNames(def)) o[n] = this.instAttr(def, key, n);
    markResourceObject(o, this.prefix(def.key), `${this.prefix(def.key)}${keySuffix(key)}`);
    this.memo.set(mk, o);
    return o;
  }

  private instAttr(def: ResDef, key: IKey, attr: string): TfValue {
    return this.instAttrFull(def, key, attr).v;
  }

  private instAttrFull(def: ResDef, key: IKey, attr: string): { v: TfValue; locs: Record<string, Pos> } {
    const mk = `${memoKey(def)}${keySuffix(key)}|${attr}`;
    const cached = this.attrMemo.get(mk);
    if (cached) return cached;
    const base = this.prefix(def.key);
    let result: { v: TfValue; locs: Record<string, Pos> } = {
      v: computed(base, attr, `${base}${keySuffix(key)}`),
      locs: {},
    };
    const body = def.block.body;
    const a = RESOURCE_META_ATTRS.has(attr) ? undefined : body.attributes.find((x) => x.name === attr);
    const hasBlocks =
      !RESOURCE_META_BLOCKS.has(attr) &&
      body.blocks.some((b) => b.type === attr || (b.type === 'dynamic' && b.labels[0] === attr));
    if (
      a ||
      hasBlocks ||
      (def.type === 'aws_iam_policy_document' &&
        def.mode === 'data' &&
        (attr === 'json' || attr === 'minified_json'))
    ) {
      const guarded = this.guard(
        `attr:${mk}`,
        () => {
          const scope = this.instanceScope(this.resExpansion(def), key, base);
          if (a) {
            result = { v: this.evaluator.eval(a.expr, scope), locs: { [attr]: a.pos } };
          } else if (hasBlocks) {
            result = this.evalBlockType(body, attr, scope);
          } else {
            const doc: TfObject = {};
            for (const n of [
              'statement',
              'source_policy_documents',
              'override_policy_documents',
              'version',
              'policy_id',
            ]) {
              if (this.topLevelNames(def).includes(n)) doc[n] = this.instAttr(def, key, n);
            }
            const json = synthesizePolicyJson(doc);
            result = {
              v:
                attr === 'minified_json' && typeof json === 'string'
                  ? JSON.stringify(JSON.parse(json))
                  : json,
              locs: {},
            };
          }
          return result.v;
        },
        `${base}.${attr}`,
      );
      if (isUnresolved(guarded) && guarded !== result.v) result = { v: guarded, locs: result.locs };
    }
    this.attrMemo.set(mk, result);
    return result;
  }

  /** Evaluates a body's attributes and nested blocks (plan JSON shape); `locs` keyed by relative path. */
  private evalBody(body: Body, scope: Scope | undefined): { obj: TfObject; locs: Record<string, Pos> } {
    const obj: TfObject = {};
    const locs: Record<string, Pos> = {};
    for (const a of body.attributes) {
      obj[a.name] = this.evaluator.eval(a.expr, scope);
      locs[a.name] = a.pos;
    }
    const types: string[] = [];
    for (const b of body.blocks) {
      const t = b.type === 'dynamic' ? b.labels[0] : b.type;
      if (t !== undefined && !types.includes(t)) types.push(t);
    }
    for (const t of types) {
      const r = this.evalBlockType(body, t, scope);
      obj[t] = r.v;
      Object.assign(locs, r.locs);
    }
    return { obj, locs };
  }

  private evalBlockType(
    body: Body,
    type: string,
    scope: Scope | undefined,
  ): { v: TfValue; locs: Record<string, Pos> } {
    const items: TfValue[] = [];
    const locs: Record<string, Pos> = {};
    let unknown: Unresolved | undefined;
    const push = (b: Block, bodyToEval: Body, s: Scope | undefined) => {
      const r = this.evalBody(bodyToEval, s);
      const i = items.length;
      if (i === 0) locs[type] = b.pos;
      locs[`${type}.${i}`] = b.pos;
      for (const [k, p] of Object.entries(r.locs)) locs[`${type}.${i}.${k}`] = p;
      items.push(r.obj);
    };
    for (const b of body.blocks) {
      if (b.type === type) {
        push(b, b.body, scope);
      } else if (b.type === 'dynamic' && b.labels[0] === type) {
        const fe = b.body.attributes.find((x) => x.name === 'for_each');
        const it = b.body.attributes.find((x) => x.name === 'iterator');
        const itName = it && it.expr.k === 'var' ? it.expr.name : type;
        const content = b.body.blocks.find((x) => x.type === 'content');
        if (!fe || !content) {
          unknown ??= new EvalFailure(`dynamic "${type}" block needs for_each and content`);
          continue;
        }
        const coll = this.evaluator.eval(fe.expr, scope);
        if (isUnresolved(coll)) {
          unknown ??= unresolvedFrom(`dynamic "${type}" blocks unknown: ${coll.reason}`, coll);
          if (!locs[type]) locs[type] = b.pos;
          continue;
        }
        const entries = Evaluator.entries(coll);
        if (!entries) {
          unknown ??= new EvalFailure(`dynamic "${type}" for_each needs a collection, got ${typeName(coll)}`);
          continue;
        }
        for (const [k, v] of entries)
          push(content, content.body, childScope(scope, { [itName]: { key: k, value: v } }));
      }
    }
    return { v: unknown ?? items, locs };
  }

  private resolveModule(name: string, rest: Step[], used0: number): { v: TfValue; used: number } {
    const call = this.def.callByName.get(name);
    if (!call) return { v: new EvalFailure(`reference to undeclared module.${name}`), used: used0 };
    const set = this.children(call);
    if (set.kind === 'none') return { v: set.why, used: used0 + rest.length };
    const exp = set.exp;
    const s0 = rest[0];
    if (exp.kind === 'single') {
      const inst = set.instances.get(null) as ModuleInstance;
      if (s0?.t === 'attr') return { v: inst.output(s0.name), used: used0 + 1 };
      return { v: inst.outputsObject(), used: used0 };
    }
    if (exp.kind === 'unknown') {
      const inst = set.instances.get(UNKNOWN) as ModuleInstance;
      const s1 = rest[1];
      if (s0?.t === 'index' && s1?.t === 'attr') {
        const v = inst.output(s1.name);
        return {
          v: isUnresolved(v)
            ? v
            : unresolvedFrom(`module.${name} instances unknown: ${exp.reason.reason}`, exp.reason),
          used: used0 + 2,
        };
      }
      return {
        v: unresolvedFrom(`module.${name} instances unknown: ${exp.reason.reason}`, exp.reason),
        used: used0 + rest.length,
      };
    }
    if (s0?.t === 'index') {
      const k = this.evaluator.eval(s0.e, undefined);
      if (isUnresolved(k)) return { v: k, used: used0 + rest.length };
      const key = exp.kind === 'count' ? toNum(k) : toStr(k);
      const inst = key === undefined ? undefined : set.instances.get(key);
      if (!inst)
        return {
          v: new EvalFailure(`module.${name}[${toStr(k) ?? typeName(k)}] does not exist`),
          used: used0 + 1,
        };
      const s1 = rest[1];
      if (s1?.t === 'attr') return { v: inst.output(s1.name), used: used0 + 2 };
      return { v: inst.outputsObject(), used: used0 + 1 };
    }
    if (exp.kind === 'count')
      return { v: [...set.instances.values()].map((i) => i.outputsObject()), used: used0 };
    const o: TfObject = {};
    for (const [k, i] of set.instances) o[String(k)] = i.outputsObject();
    return { v: o, used: used0 };
  }

  private children(call: CallDef): ChildSet {
    const cached = this.childSets.get(call);
    if (cached) return cached;
    const set = this.makeChildren(call);
    this.childSets.set(call, set);
    return set;
  }

  private makeChildren(call: CallDef): ChildSet {
    const where = { file: call.file, line: call.block.pos.line, column: call.block.pos.col };
    const callKey = this.callKey ? `${this.callKey}.${call.name}` : call.name;
    const installed = call.localDir ? undefined : this.ctx.installedModules(this.rootDir).get(callKey);
    const childDir = call.localDir ?? installed;
    if (!childDir) {
      const src = call.source ?? '(not a literal string)';
      this.ctx.diag({
        severity: 'info',
        code: 'E_INPUT_UNSUPPORTED',
        ...where,
        message: `module "${call.name}" has source ${JSON.stringify(src)}, which is not a local path: its resources were not evaluated and its outputs are unknown. Scan a plan JSON (terraform show -json) to include them.`,
      });
      return {
        kind: 'none',
        why: new Unresolved(
          `module.${call.name} is not evaluated (source ${JSON.stringify(src)} is not a local path)`,
        ),
      };
    }
    if (!this.ctx.inside(childDir)) {
      this.ctx.diag({
        severity: 'warning',
        code: 'E_INPUT_UNSUPPORTED',
        ...where,
        message: `module "${call.name}" points outside the scan root (${call.source}): its resources were not evaluated. Scan from a directory that contains the module.`,
      });
      return { kind: 'none', why: new Unresolved(`module.${call.name} is outside the scan root`) };
    }
    const chain = [...this.ancestry, this.def.dir];
    if (chain.includes(childDir) || chain.length >= MAX_MODULE_DEPTH) {
      const names = [...chain, childDir].map((d) => this.ctx.rel(d)).join(' -> ');
      const msg = chain.includes(childDir)
        ? `module "${call.name}" is recursive (${names}): it was not expanded, so resources further down this chain were not evaluated. Remove the cycle.`
        : `module "${call.name}" nests deeper than ${MAX_MODULE_DEPTH} levels (${names}): not expanded, resources further down were not evaluated.`;
      this.ctx.diag({ severity: 'error', code: 'E_INPUT_LOOP', ...where, message: msg });
      return { kind: 'none', why: new EvalFailure(`module.${call.name} is recursive; not evaluated`) };
    }
    const childDef = this.ctx.loadModule(childDir);
    for (const p of checkModuleArguments(call.block, childDef)) {
      this.ctx.diag({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: p.pos.file ?? call.file,
        line: p.pos.line,
        column: p.pos.col,
        message: `${p.summary}: ${p.detail} Terraform refuses this module call (terraform validate reports it); fix it.`,
      });
    }
    const what = this.prefix(`module.${call.name}`);
    const exp = this.expansionOf(`mod:${call.name}${call.dup ? `#${call.dup}` : ''}`, call.block.body, what);
    const planned = keysOf(exp).length;
    if (this.ctx.moduleInstances + planned > MAX_MODULE_INSTANCES) {
      this.ctx.diag({
        severity: 'error',
        code: 'E_INPUT_TOO_LARGE',
        ...where,
        message: `expanding module "${call.name}" would exceed ${MAX_MODULE_INSTANCES} module instances: not expanded, its resources were not evaluated. Scan a plan JSON instead.`,
      });
      return {
        kind: 'none',
        why: new Unresolved(`module.${call.name} not expanded (too many module instances)`),
      };
    }
    this.ctx.moduleInstances += planned;
    const instances = new Map<IKey, ModuleInstance>();
    const providers = this.childProviders(call);
    for (const key of keysOf(exp)) {
      const scope = this.instanceScope(exp, key, what);
      const inputs = new Map(
        call.block.body.attributes
          .filter((a) => !MODULE_META_ATTRS.has(a.name))
          .map((a) => [a.name, a.expr] as const),
      );
      const child = new ModuleInstance(
        this.ctx,
        childDef,
        `${what}${keySuffix(key)}`,
        this.rootDir,
        chain,
        (vname) => {
          const e = inputs.get(vname);
          return e ? this.evaluator.eval(e, scope) : undefined;
        },
        callKey,
        providers,
      );
      instances.set(key, child);
    }
    return { kind: 'some', exp, instances };
  }

  private staticRefs(e: Expr, out: Set<string>): void {
    const visitSteps = (steps: Step[]) => {
      for (const s of steps) {
        if (s.t === 'index') this.staticRefs(s.e, out);
        else if (s.t === 'splat') visitSteps(s.steps);
      }
    };
    const visitParts = (parts: TplPart[]) => {
      for (const p of parts) {
        if (typeof p === 'string') continue;
        if (p.k === 'interp') this.staticRefs(p.e, out);
        else if (p.k === 'if') {
          this.staticRefs(p.cond, out);
          visitParts(p.yes);
          visitParts(p.no);
        } else {
          this.staticRefs(p.coll, out);
          visitParts(p.body);
        }
      }
    };
    switch (e.k) {
      case 'trav': {
        visitSteps(e.steps);
        if (e.base.k !== 'var') {
          this.staticRefs(e.base, out);
          break;
        }
        const root = e.base.name;
        const [s0, s1, s2] = e.steps;
        if (root === 'data' && s0?.t === 'attr' && s1?.t === 'attr') {
          const key = `data.${s0.name}.${s1.name}`;
          if (this.def.resByKey.has(key)) {
            out.add(this.prefix(key));
            const k = literalIndex(s2);
            if (k !== undefined) out.add(`${this.prefix(key)}${keySuffix(k)}`);
          }
        } else if (
          s0?.t === 'attr' &&
          this.def.types.has(root) &&
          this.def.resByKey.has(`${root}.${s0.name}`)
        ) {
          const base = this.prefix(`${root}.${s0.name}`);
          out.add(base);
          // `aws_s3_bucket.b["logs"].id`: also the instance address, so linking can tell instances apart
          const k = literalIndex(s1);
          if (k !== undefined) out.add(`${base}${keySuffix(k)}`);
        }
        break;
      }
      case 'tpl':
        visitParts(e.parts);
        break;
      case 'tuple':
        for (const x of e.items) this.staticRefs(x, out);
        break;
      case 'object':
        for (const x of e.items) {
          this.staticRefs(x.key, out);
          this.staticRefs(x.val, out);
        }
        break;
      case 'call':
        for (const x of e.args) this.staticRefs(x, out);
        break;
      case 'cond':
        this.staticRefs(e.c, out);
        this.staticRefs(e.t, out);
        this.staticRefs(e.f, out);
        break;
      case 'unop':
        this.staticRefs(e.e, out);
        break;
      case 'binop':
        this.staticRefs(e.l, out);
        this.staticRefs(e.r, out);
        break;
      case 'for':
        this.staticRefs(e.coll, out);
        if (e.keyExpr) this.staticRefs(e.keyExpr, out);
        this.staticRefs(e.valExpr, out);
        if (e.cond) this.staticRefs(e.cond, out);
        break;
      default:
        break;
    }
  }

  private bodyRefs(body: Body, out: Set<string>): void {
    for (const a of body.attributes) this.staticRefs(a.expr, out);
    for (const b of body.blocks) this.bodyRefs(b.body, out);
  }

  private loc(file: string, p: Pos): SourceLocation {
    return { file: p.file ?? file, line: p.line, column: p.col, endLine: p.endLine };
  }

  private emit(def: ResDef, key: IKey, rootModule: string): TerraformResource {
    const attributes: TfObject = {};
    const references: Record<string, string[]> = {};
    const attributeLocations: Record<string, SourceLocation> = {};
    const body = def.block.body;
    const singleReference = body.attributes
      .filter((a) => a.expr.k === 'trav' && a.expr.base.k === 'var')
      .map((a) => a.name);
    for (const name of this.topLevelNames(def)) {
      const r = this.instAttrFull(def, key, name);
      attributes[name] = toFactValue(r.v);
      for (const [p, pos] of Object.entries(r.locs)) attributeLocations[p] = this.loc(def.file, pos);
      const refs = new Set<string>();
      const a = body.attributes.find((x) => x.name === name);
      if (a) this.staticRefs(a.expr, refs);
      for (const b of body.blocks)
        if (b.type === name || (b.type === 'dynamic' && b.labels[0] === name)) this.bodyRefs(b.body, refs);
      collectDeepRefs(r.v, refs);
      if (refs.size) references[name] = [...refs].sort();
    }
    if (def.mode === 'data' && def.type === 'aws_iam_policy_document' && !('json' in attributes)) {
      attributes.json = this.instAttr(def, key, 'json');
      const refs = new Set<string>();
      collectDeepRefs(attributes.json, refs);
      for (const n of ['statement', 'source_policy_documents', 'override_policy_documents'])
        for (const r of references[n] ?? []) refs.add(r);
      if (refs.size) references.json = [...refs].sort();
    }
    const baseAddress = this.prefix(def.key);
    const localProvider = resourceProviderKey(def).split('.')[0] ?? '';
    const providerVersion = this.ctx.providerTables.get(rootModule)?.get(sourceOf(this.def, localProvider));
    const config = this.providerConfig(resourceProviderKey(def));
    // a root module's default configuration is recorded as undefined (see TerraformResource.provider)
    const provider = config.includes('.') || config.includes(':') ? config : undefined;
    return {
      ...(provider ? { provider } : {}),
      ...(singleReference.length ? { singleReference } : {}),
      ...(providerVersion ? { providerVersion } : {}),
      kind: 'terraform',
      mode: def.mode,
      type: def.type,
      name: def.name,
      address: `${baseAddress}${keySuffix(key)}`,
      baseAddress,
      modulePath: this.modulePath,
      rootModule,
      attributes,
      references,
      location: this.loc(def.file, def.block.pos),
      attributeLocations,
      origin: 'hcl',
    };
  }

  /** Appends every resource and data source instance of this module and of its local module calls. */
  emitAll(rootModule: string, out: TerraformResource[]): void {
    for (const def of this.def.resources) {
      const exp = this.resExpansion(def);
      for (const key of keysOf(exp)) out.push(this.emit(def, key, rootModule));
    }
    for (const call of this.def.calls) {
      const set = this.children(call);
      if (set.kind === 'some') for (const inst of set.instances.values()) inst.emitAll(rootModule, out);
    }
  }

  private resolveFile(p: string): string | Unresolved {
    const abs = path.resolve(this.rootDir, p);
    // Symlinks resolved: a link inside the root to a file outside it is not read either.
    if (!this.ctx.inside(abs) || !this.ctx.insideReal(abs))
      return new Unresolved(`file ${JSON.stringify(p)} is outside the scan root; not read`);
    return abs;
  }

  private readFile(p: string): string | Unresolved {
    const abs = this.resolveFile(p);
    if (isUnresolved(abs)) return abs;
    return readSmallText(abs, p);
  }

  private templateFile(p: string, vars: TfObject): TfValue {
    const text = this.readFile(p);
    if (isUnresolved(text)) return text;
    const marker = 'EVIDENT_TEMPLATE_EOT_7f3a';
    const src = `x = <<${marker}\n${text}${text.endsWith('\n') ? '' : '\n'}${marker}\n`;
    const parsed = parseHclWith(this.ctx.parser, src);
    const attr = parsed.body.attributes[0];
    if (parsed.error || !attr)
      return new EvalFailure(`templatefile ${JSON.stringify(p)}: template syntax error`);
    const host: EvalHost = {
      resolve: (name) => ({
        v: new EvalFailure(`templatefile: "${name}" is not a template variable`),
        used: 0,
      }),
      fnEnv: this.fnEnv,
    };
    const v = new Evaluator(host).eval(attr.expr, childScope(undefined, vars));
    if (typeof v === 'string' && !text.endsWith('\n') && v.endsWith('\n')) return v.slice(0, -1);
    return v;
  }
}

const activeKeys = new Set<string>();

/** The key a resource's evaluation is memoised under: its address key, told apart for duplicate blocks. */
function memoKey(def: ResDef): string {
  return def.dup ? `${def.key}#${def.dup}` : def.key;
}

/**
 * Reads a file for `file()` / `templatefile()` and the file hash functions: a regular file under
 * MAX_FUNCTION_FILE_BYTES, as UTF-8 text. Binary or invalid UTF-8 content is unknown (Terraform's
 * file() fails on it, filebase64() reads the bytes, which this text interface cannot give).
 */
function readSmallText(abs: string, shown: string): string | Unresolved {
  const read = readRegularFileSync(abs, MAX_FUNCTION_FILE_BYTES);
  if ('refused' in read) {
    const r = read.refused;
    if (r.kind === 'too-large')
      return new Unresolved(
        `file ${JSON.stringify(shown)} is over ${MAX_FUNCTION_FILE_BYTES} bytes; not read`,
      );
    if (r.kind === 'not-regular')
      return new Unresolved(`file ${JSON.stringify(shown)} is ${r.what}; not read`);
    return new EvalFailure(`file ${JSON.stringify(shown)} not found`);
  }
  const decoded = decodeStrictText(read.buf, 'hcl');
  if ('problem' in decoded)
    return new Unresolved(
      `file ${JSON.stringify(shown)} is not UTF-8 text (${describeTextProblem(decoded.problem)}); not read`,
    );
  return read.buf.toString('utf8');
}

type Prim = 'string' | 'number' | 'bool' | undefined;

function primitiveType(block: Block): Prim {
  const t = block.body.attributes.find((a) => a.name === 'type');
  if (!t) return undefined;
  const name =
    t.expr.k === 'var'
      ? t.expr.name
      : t.expr.k === 'lit' && typeof t.expr.v === 'string'
        ? t.expr.v
        : undefined;
  return name === 'string' || name === 'number' || name === 'bool' ? name : undefined;
}

function convertToType(v: TfValue, t: Prim): TfValue {
  if (t === undefined || v === null || isUnresolved(v)) return v;
  if (t === 'string') return toStr(v) ?? v;
  if (t === 'number') return toNum(v) ?? v;
  return toBool(v) ?? v;
}

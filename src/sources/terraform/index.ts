import fs from 'node:fs';
import path from 'node:path';
import { EvidentError } from '../../core/errors.js';
import type { TerraformResource, TfValue } from '../../core/facts.js';
import { DEFAULT_LIMITS, limitHint, type ScanLimits } from '../../core/limits.js';
import type { SourceResult } from '../../core/source-result.js';
import { isUnresolved } from '../../core/unresolved.js';
import { jsonDepthExceeded } from '../json-depth.js';
import type { Attribute, Expr, TplPart } from './ast.js';
import { type EvalHost, Evaluator } from './evaluate.js';
import { fromJson } from './functions.js';
import { getHclParser, parseHclWith } from './hcl-parser.js';
import { LoadContext, type ModuleDef, realDir } from './module-def.js';
import { ModuleInstance } from './module-instance.js';
import { platformConstraintDiagnostics } from './platform-constraints.js';
import { providerTable } from './provider-versions.js';
import { checkVarsFile, redefinedNames } from './validate-config.js';
import { EvalFailure, hasFailure } from './values.js';

export { keySuffix, MAX_INSTANCES, MAX_MODULE_DEPTH } from './module-instance.js';

/** Options of {@link loadTerraform}, mirroring `terraform plan -var-file` / `-var`. */
export interface TerraformLoadOptions {
  /** Extra -var-file paths (absolute or relative to cwd); applied to every root module after its own terraform.tfvars / *.auto.tfvars. */
  varFiles?: string[];
  /** -var overrides, name -> raw string (parse as HCL expression if it looks like one, else string). */
  vars?: Record<string, string>;
  /** `tf-file-bytes`, `tf-line-chars` and `nesting-depth` limits; default: the defaults. */
  limits?: Partial<ScanLimits>;
  /** The Terraform workspace to evaluate as (`terraform.workspace`); absent: the workspace is not known statically. */
  workspace?: string;
}

/** An evaluator host for variable files: no references are allowed, only constant expressions. */
const CONSTANT_HOST: EvalHost = {
  resolve: (name) => ({ v: new EvalFailure(`variable values may not reference "${name}"`), used: 0 }),
  fnEnv: {
    readFile: () => new EvalFailure('file() is not allowed in variable values'),
    templateFile: () => new EvalFailure('templatefile() is not allowed in variable values'),
  },
};

function jsonErrorPosition(text: string, err: Error): { line?: number; column?: number } {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return {};
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/** Values read from one variables file, and (HCL files) the argument each came from. */
interface VarsFile {
  values: Map<string, TfValue>;
  args: Map<string, { attr: Attribute; file: string }>;
}

/**
 * Reads one variables file (`.tfvars` HCL or `.tfvars.json`); problems become diagnostics: syntax,
 * blocks and arguments set twice (validate-config.ts `checkVarsFile`), JSON nested deeper than the
 * `nesting-depth` limit.
 */
function readVarsFile(ctx: LoadContext, abs: string, confined: boolean): VarsFile {
  const out = new Map<string, TfValue>();
  const args = new Map<string, { attr: Attribute; file: string }>();
  if (abs.endsWith('.json')) {
    const text = ctx.readText(abs, 'terraform-vars', confined);
    if (text === undefined) return { values: out, args };
    const deep = jsonDepthExceeded(text, ctx.limits['nesting-depth']);
    if (deep >= 0) {
      ctx.diag({
        severity: 'error',
        code: 'E_INPUT_TOO_LARGE',
        file: ctx.rel(abs),
        ...jsonErrorPosition(text, new Error(`position ${deep}`)),
        message: `JSON nested more than ${ctx.limits['nesting-depth']} levels deep; variable values in this file were not applied. ${limitHint('nesting-depth', ctx.limits['nesting-depth'])}.`,
      });
      return { values: out, args };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      ctx.diag({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: ctx.rel(abs),
        ...jsonErrorPosition(text, err as Error),
        message: `invalid JSON (${(err as Error).message}); variable values in this file were not applied, so results that depend on them may be wrong. Fix the file.`,
      });
      return { values: out, args };
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      ctx.diag({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: ctx.rel(abs),
        message: 'a .tfvars.json file must hold a JSON object; its values were not applied.',
      });
      return { values: out, args };
    }
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) out.set(k, fromJson(v));
    return { values: out, args };
  }
  const parsed = ctx.parseFile(abs, 'terraform-vars', confined);
  if (!parsed) return { values: out, args };
  const file = ctx.rel(abs);
  for (const p of checkVarsFile(file, parsed.body)) {
    ctx.diag({
      severity: 'error',
      code: 'E_INPUT_PARSE',
      file: p.file,
      line: p.line,
      column: p.column,
      message: `${p.summary}: ${p.detail} Terraform refuses this variables file (terraform plan reports it); fix it.`,
    });
  }
  const ev = new Evaluator(CONSTANT_HOST);
  const twice = redefinedNames(parsed.body);
  for (const a of parsed.body.attributes) {
    if (args.has(a.name)) continue;
    // An argument set twice: Terraform applies neither value, so neither does the scan.
    out.set(
      a.name,
      twice.has(a.name)
        ? new EvalFailure(`variable "${a.name}" is set twice in ${file}`)
        : ev.eval(a.expr, undefined),
    );
    args.set(a.name, { attr: a, file });
  }
  return { values: out, args };
}

/**
 * The value of a declared variable in a variables file must be a constant: Terraform refuses
 * references ("Variables not allowed") and function calls ("Function calls not allowed") there
 * (values of undeclared variables are not evaluated, only warned about, by Terraform).
 */
function checkConstantValues(ctx: LoadContext, def: ModuleDef, vf: VarsFile): void {
  for (const [name, { attr, file }] of vf.args) {
    if (!def.variables.has(name)) continue;
    const what = nonConstant(attr.expr);
    if (!what) continue;
    ctx.diag({
      severity: 'error',
      code: 'E_INPUT_PARSE',
      file,
      line: attr.pos.line,
      column: attr.pos.col,
      message:
        what === 'call'
          ? 'Function calls not allowed: Functions may not be called here. Terraform refuses this variables file (terraform plan reports it); write the value out.'
          : 'Variables not allowed: Variables may not be used here. Terraform refuses this variables file (terraform plan reports it); write the value out.',
    });
  }
}

/** `ref` or `call` when an expression is not a constant (a reference or a function call in it). */
function nonConstant(e: Expr): 'ref' | 'call' | undefined {
  const parts = (ps: readonly TplPart[]): 'ref' | 'call' | undefined => {
    for (const p of ps) {
      if (typeof p === 'string') continue;
      const r =
        p.k === 'interp'
          ? nonConstant(p.e)
          : p.k === 'if'
            ? (nonConstant(p.cond) ?? parts(p.yes) ?? parts(p.no))
            : nonConstant(p.coll);
      if (r) return r;
    }
    return undefined;
  };
  switch (e.k) {
    case 'lit':
    case 'error':
      return undefined;
    case 'var':
    case 'trav':
      return 'ref';
    case 'for':
      return nonConstant(e.coll);
    case 'call':
      return 'call';
    case 'tpl':
      return parts(e.parts);
    case 'tuple':
      return e.items.map(nonConstant).find(Boolean);
    case 'object':
      return e.items
        .map((i) => (i.ident !== undefined ? undefined : nonConstant(i.key)) ?? nonConstant(i.val))
        .find(Boolean);
    case 'cond':
      return nonConstant(e.c) ?? nonConstant(e.t) ?? nonConstant(e.f);
    case 'unop':
      return nonConstant(e.e);
    case 'binop':
      return nonConstant(e.l) ?? nonConstant(e.r);
  }
}

function autoVarFiles(dir: string): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of ['terraform.tfvars', 'terraform.tfvars.json']) if (names.includes(n)) out.push(n);
  out.push(...names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')).sort());
  return out.map((n) => path.join(dir, n));
}

/** A `-var` string: a constant HCL expression when it parses as one (and the variable is not typed `string`), else the raw string. */
function parseVarString(ctx: LoadContext, def: ModuleDef, name: string, raw: string): TfValue {
  const decl = def.variables.get(name);
  const t = decl?.block.body.attributes.find((a) => a.name === 'type');
  if (
    t &&
    ((t.expr.k === 'var' && t.expr.name === 'string') || (t.expr.k === 'lit' && t.expr.v === 'string'))
  )
    return raw;
  const parsed = parseHclWith(ctx.parser, `v = ${raw}\n`);
  const attr = parsed.body.attributes[0];
  if (parsed.error || !attr || parsed.body.attributes.length !== 1 || parsed.body.blocks.length) return raw;
  const v = new Evaluator(CONSTANT_HOST).eval(attr.expr, undefined);
  return isUnresolved(v) || hasFailure(v) ? raw : v;
}

/**
 * Loads Terraform HCL configuration statically (no terraform binary, no providers, no network).
 *
 * root: the scan root (absolute). dirs: absolute directories holding `*.tf` files (from discovery);
 * each is a module. Root modules are the dirs no other dir in `dirs` calls as a local module or installs
 * as a remote module (`.terraform/modules/modules.json`, written by `terraform init`; remote modules
 * found there are evaluated like local ones, others get an info diagnostic) (dirs only
 * reachable through a module cycle are treated as roots too, so nothing is silently dropped); each root
 * is evaluated once, inlining its local module calls (`module.a`, `module.a[0]`, `module.a["k"]`).
 * Variables: defaults < `terraform.tfvars` < `terraform.tfvars.json` < `*.auto.tfvars(.json)` (lexical)
 * in the root module dir < `opts.varFiles` < `opts.vars`.
 *
 * Returns one {@link TerraformResource} per resource / data source instance in the shape of plan JSON
 * `resource_changes[].change.after`. Values that cannot be known statically are `Unresolved`. A resource
 * whose `count`/`for_each` is unknown is emitted once with instance key `[*]` (e.g. `aws_s3_bucket.b[*]`,
 * `count.index`/`each.*` Unresolved), never dropped. Never throws for bad input files: syntax errors,
 * binary or oversized files, remote modules and recursive modules become diagnostics.
 *
 * @throws EvidentError E_USAGE when `root` is not absolute or a `varFiles` entry does not exist.
 */
export async function loadTerraform(
  root: string,
  dirs: string[],
  opts: TerraformLoadOptions = {},
): Promise<SourceResult<TerraformResource>> {
  if (!path.isAbsolute(root))
    throw new EvidentError('E_USAGE', `scan root must be an absolute path, got ${JSON.stringify(root)}`);
  const varFiles = (opts.varFiles ?? []).map((f) => path.resolve(process.cwd(), f));
  for (const f of varFiles) {
    if (!fs.existsSync(f)) {
      throw new EvidentError('E_USAGE', `variables file ${f} does not exist`, {
        hint: 'check the --var-file path (relative paths are resolved from the current directory)',
      });
    }
  }
  const parser = await getHclParser();
  const ctx = new LoadContext(realDir(path.resolve(root)), parser, { ...DEFAULT_LIMITS, ...opts.limits });
  if (opts.workspace !== undefined) ctx.workspace = opts.workspace;
  const absDirs = [...new Set(dirs.map((d) => realDir(path.resolve(root, d))))].sort();
  const dirSet = new Set(absDirs);
  await ctx.prefetch(absDirs);
  const defs = new Map<string, ModuleDef>(absDirs.map((d) => [d, ctx.loadModule(d)]));

  const edges = new Map<string, string[]>();
  const called = new Set<string>();
  for (const [d, def] of defs) {
    const targets = def.calls
      .map((c) => c.localDir)
      .filter((t): t is string => t !== undefined && dirSet.has(t) && t !== d);
    for (const installed of ctx.installedModules(d).values())
      if (dirSet.has(installed) && installed !== d) targets.push(installed);
    edges.set(d, targets);
    for (const t of targets) called.add(t);
  }
  const roots = absDirs.filter((d) => !called.has(d));
  const reached = new Set<string>();
  const reach = (d: string) => {
    if (reached.has(d)) return;
    reached.add(d);
    for (const t of edges.get(d) ?? []) reach(t);
  };
  for (const r of roots) reach(r);
  for (const d of absDirs) {
    if (!reached.has(d)) {
      roots.push(d);
      reach(d);
    }
  }

  // --var-file paths are the user's choice: they may lie outside the scan root.
  const extraVars = varFiles.map((f) => readVarsFile(ctx, f, false));
  const facts: TerraformResource[] = [];
  for (const dir of roots) {
    const def = defs.get(dir) as ModuleDef;
    const values = new Map<string, TfValue>();
    for (const vf of [...autoVarFiles(dir).map((f) => readVarsFile(ctx, f, true)), ...extraVars]) {
      for (const [k, v] of vf.values) values.set(k, v);
      checkConstantValues(ctx, def, vf);
    }
    for (const [k, raw] of Object.entries(opts.vars ?? {})) values.set(k, parseVarString(ctx, def, k, raw));
    const tree = new Set<string>();
    const walk = (d: string) => {
      if (tree.has(d)) return;
      tree.add(d);
      for (const t of edges.get(d) ?? []) walk(t);
    };
    walk(dir);
    ctx.providerTables.set(
      def.rel,
      providerTable(
        ctx,
        dir,
        [...tree].map((d) => defs.get(d) as ModuleDef),
      ),
    );
    const inst = new ModuleInstance(ctx, def, '', dir, [], (name) => values.get(name));
    const before = facts.length;
    try {
      inst.emitAll(def.rel, facts);
    } catch (err) {
      facts.length = before;
      ctx.diag({
        severity: 'error',
        code: 'E_INTERNAL',
        file: def.rel,
        message: `evaluating this root module failed (${err instanceof RangeError ? 'expressions nested too deeply' : (err as Error).message}); its resources were not evaluated. Please report this with the configuration that triggers it.`,
      });
    }
  }
  // Terraform warns about a value for an undeclared variable; a silently ignored override would
  // leave the user believing the scan saw it.
  const declared = (name: string) => roots.some((d) => (defs.get(d) as ModuleDef).variables.has(name));
  const undeclared = (name: string, via: string, file?: string) =>
    ctx.diag({
      severity: 'warning',
      code: 'E_USAGE',
      file: file ?? '.',
      message: `${via} sets variable "${name}", which no root module declares (${roots.length} root module(s) scanned); the value was not used. Check the name, or the scan path.`,
    });
  for (const name of Object.keys(opts.vars ?? {})) if (!declared(name)) undeclared(name, `--var ${name}=…`);
  extraVars.forEach((m, i) => {
    for (const name of m.values.keys())
      if (!declared(name))
        undeclared(name, `--var-file ${opts.varFiles?.[i]}`, ctx.rel(varFiles[i] as string));
  });
  const inputs = [...ctx.inputs.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  ctx.diagnostics.push(...platformConstraintDiagnostics(facts));
  return { facts, inputs, skipped: ctx.skipped, diagnostics: ctx.diagnostics };
}

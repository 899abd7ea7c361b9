import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { Diagnostic } from '../../core/errors.js';
import type { ProviderVersion } from '../../core/facts.js';
import { DEFAULT_LIMITS, limitHint, type ScanLimits } from '../../core/limits.js';
import type { ScannedInput, SkippedInput } from '../../core/scan-result.js';
import { decodeStrictText, describeTextProblem } from '../../core/strict-text.js';
import { readRegularFileSync } from '../read-regular-file.js';
import type { Attribute, Block, Body, ParsedFile } from './ast.js';
import { parseHclWith } from './hcl-parser.js';
import { parseAll } from './parse-pool.js';
import { type ConfigFile, checkConfigFile, checkDuplicates, redefinedNames } from './validate-config.js';
import { checkReferences, declarationsOf } from './validate-references.js';

/** Files larger than this (bytes) are not parsed by default; `--limit tf-file-bytes` changes it. */
export const MAX_TF_FILE_BYTES = DEFAULT_LIMITS['tf-file-bytes'];

/** A `resource` or `data` block of a module. */
export interface ResDef {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** `aws_s3_bucket.b` or `data.aws_iam_policy_document.p` (no module prefix). */
  key: string;
  block: Block;
  /** File relative to the scan root, POSIX. */
  file: string;
  /**
   * Set on the second and later blocks declaring the same address (Terraform refuses that with
   * "Duplicate resource"; the diagnostic is recorded): 1, 2, ... They are evaluated on their own,
   * under the same address, so a duplicate never hides the block it repeats.
   */
  dup?: number;
}

/** A `module` block. `localDir` is set for `./` and `../` sources (absolute path). */
export interface CallDef {
  name: string;
  block: Block;
  file: string;
  source?: string;
  localDir?: string;
  /** As {@link ResDef.dup}: a second `module` block of the same name, expanded on its own. */
  dup?: number;
}

/** Everything declared in one directory of `.tf` files. */
export interface ModuleDef {
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the scan root, POSIX, `.` for the root. */
  rel: string;
  variables: Map<string, { block: Block; file: string }>;
  locals: Map<string, { attr: Attribute; file: string }>;
  outputs: Map<string, { block: Block; file: string }>;
  resources: ResDef[];
  resByKey: Map<string, ResDef>;
  /** Resource types declared (managed), to tell `aws_x.y` references from unknown roots. */
  types: Set<string>;
  calls: CallDef[];
  callByName: Map<string, CallDef>;
  /**
   * Provider configurations declared by `provider` blocks of this module, by local key: `aws` for a
   * default configuration, `aws.west` for one with `alias = "west"` (a literal alias only).
   */
  providerConfigs: Set<string>;
  /**
   * `terraform { required_providers { ... } }` entries by local name: the source address and version
   * constraint as written (literal strings only; the legacy `aws = "~> 3.0"` form is a constraint).
   */
  requiredProviders: Map<string, { source?: string; version?: string }>;
}

/** Shared state of one loadTerraform call: parser, caches, collected inputs and diagnostics. */
export class LoadContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly inputs = new Map<string, ScannedInput>();
  readonly skipped: SkippedInput[] = [];
  private readonly diagKeys = new Set<string>();
  /** Module instances created so far (bounded by MAX_MODULE_INSTANCES). */
  moduleInstances = 0;
  /** Provider versions per root module (its `rel` directory), filled before its resources are emitted. */
  readonly providerTables = new Map<string, ReadonlyMap<string, ProviderVersion>>();
  /**
   * The Terraform workspace the scan assumes (`--workspace`); undefined: `terraform.workspace` is not
   * known statically (the workspace is chosen when Terraform runs, not in the configuration).
   */
  workspace?: string;
  private readonly defs = new Map<string, ModuleDef>();

  /** root: absolute scan root; limits: `tf-file-bytes`, `tf-line-chars`, `nesting-depth` (default: the defaults). */
  constructor(
    readonly root: string,
    readonly parser: Parser,
    readonly limits: Pick<ScanLimits, 'tf-file-bytes' | 'tf-line-chars' | 'nesting-depth'> = DEFAULT_LIMITS,
  ) {}

  /** The `tf-file-bytes` limit. */
  get maxFileBytes(): number {
    return this.limits['tf-file-bytes'];
  }

  /** Path relative to the scan root, POSIX; `.` for the root itself. */
  rel(abs: string): string {
    const r = path.relative(this.root, abs).split(path.sep).join('/');
    return r === '' ? '.' : r;
  }

  /** True when `abs` is the scan root or inside it. */
  inside(abs: string): boolean {
    const r = path.relative(this.root, abs);
    return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
  }

  private realRoot: string | undefined;

  /**
   * False when `abs` exists and a symlink takes it out of the scan root (its real path is outside
   * the root's real path); true otherwise (also when it does not exist: reading it fails anyway).
   */
  insideReal(abs: string): boolean {
    let real: string;
    try {
      this.realRoot ??= fs.realpathSync(this.root);
      real = fs.realpathSync(abs);
    } catch {
      return true;
    }
    const r = path.relative(this.realRoot, real);
    return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
  }

  /** Records a diagnostic once (same code, file, line and message). */
  diag(d: Diagnostic): void {
    const key = `${d.code}|${d.file}|${d.line ?? ''}|${d.message}`;
    if (this.diagKeys.has(key)) return;
    this.diagKeys.add(key);
    this.diagnostics.push(d);
  }

  /**
   * Reads a text input file, records it in `inputs` (sha256, bytes) and returns its text; returns
   * undefined with a Diagnostic for unreadable, oversized, binary or non-UTF-8 files, FIFOs and other
   * non-regular files (never blocked on), and, when `confined`, files whose real path is outside the
   * scan root (a symlink out of the repository: E_INPUT_OUTSIDE_ROOT).
   */
  readText(abs: string, kind: ScannedInput['kind'], confined = true): string | undefined {
    const file = this.rel(abs);
    if (confined && !this.insideReal(abs)) {
      this.diag({
        severity: 'error',
        code: 'E_INPUT_OUTSIDE_ROOT',
        file,
        message:
          'symlink leads outside the scan root: not read, so nothing outside the scanned tree is recorded as evidence, and the resources it holds were not evaluated. Scan from a directory that contains its target, or remove the link.',
      });
      return undefined;
    }
    const read = readRegularFileSync(abs, this.maxFileBytes);
    if ('refused' in read) {
      const r = read.refused;
      this.diag(
        r.kind === 'too-large'
          ? {
              severity: 'error',
              code: 'E_INPUT_TOO_LARGE',
              file,
              message: `file is ${r.bytes} bytes, over the ${this.maxFileBytes}-byte limit; resources in this file were not evaluated. Split the file, exclude it from the scan, or raise the limit: ${limitHint('tf-file-bytes', this.maxFileBytes)}.`,
            }
          : {
              severity: 'error',
              code: 'E_IO',
              file,
              message: `cannot read file (${r.kind === 'io' ? r.code : `it is ${r.what}, not a regular file`}); resources in this file were not evaluated.`,
            },
      );
      return undefined;
    }
    const { buf } = read;
    const decoded = decodeStrictText(buf, abs.endsWith('.json') ? 'json' : 'hcl');
    if ('problem' in decoded) {
      const p = decoded.problem;
      this.diag({
        severity: 'error',
        code: 'E_INPUT_BINARY',
        file,
        line: p.line,
        column: p.column,
        message: p.nul
          ? 'file is binary (it holds NUL bytes), not Terraform text; resources in this file were not evaluated. Remove it or rename it so it does not end in .tf.'
          : `file is not UTF-8 text: ${describeTextProblem(p)} (Terraform refuses it: "Invalid character encoding"); resources in this file were not evaluated. Re-save it as UTF-8.`,
      });
      return undefined;
    }
    const long = longLine(decoded.text, this.limits['tf-line-chars']);
    if (long && !abs.endsWith('.json')) {
      this.diag({
        severity: 'error',
        code: 'E_INPUT_TOO_LARGE',
        file,
        line: long.line,
        column: 1,
        message: `line ${long.line} is ${long.chars} characters long, over the ${this.limits['tf-line-chars']}-character limit (the HCL parser's memory grows with its longest token); resources in this file were not evaluated. Move the long value to a file read with file(), or raise the limit: ${limitHint('tf-line-chars', this.limits['tf-line-chars'])}.`,
      });
      return undefined;
    }
    this.inputs.set(file, {
      file,
      sha256: createHash('sha256').update(buf).digest('hex'),
      kind,
      bytes: buf.length,
    });
    return decoded.text;
  }

  private readonly manifests = new Map<string, Map<string, string>>();

  /**
   * Modules installed by `terraform init` for the root module in `rootDir`: call key (`a`, `a.b`) ->
   * absolute directory, from `.terraform/modules/modules.json` (Terraform's module manifest). Empty
   * when the file is absent; unreadable or malformed manifests get a warning diagnostic.
   */
  installedModules(rootDir: string): Map<string, string> {
    const cached = this.manifests.get(rootDir);
    if (cached) return cached;
    const out = new Map<string, string>();
    this.manifests.set(rootDir, out);
    const file = path.join(rootDir, '.terraform', 'modules', 'modules.json');
    const read = readRegularFileSync(file, this.maxFileBytes);
    if ('refused' in read) return out; // absent (or not a regular file): no installed modules
    const text = read.buf.toString('utf8');
    try {
      const data = JSON.parse(text) as { Modules?: { Key?: unknown; Dir?: unknown }[] };
      for (const m of data.Modules ?? []) {
        if (typeof m.Key === 'string' && m.Key !== '' && typeof m.Dir === 'string')
          out.set(m.Key, realDir(path.resolve(rootDir, m.Dir)));
      }
    } catch (err) {
      this.diag({
        severity: 'warning',
        code: 'E_INPUT_PARSE',
        file: this.rel(file),
        message: `invalid module manifest (${(err as Error).message}); installed remote modules were not evaluated. Run terraform init again.`,
      });
    }
    return out;
  }

  private readonly prefetched = new Map<string, ParsedFile | undefined>();

  /**
   * Reads and parses every `*.tf` file of `dirs` up front, in parallel where it pays (parse-pool.ts),
   * so that {@link parseFile} later returns the cached result. Same diagnostics and inputs as parsing
   * the files one by one.
   */
  async prefetch(dirs: readonly string[]): Promise<void> {
    const files: string[] = [];
    const texts: string[] = [];
    for (const dir of dirs) {
      let names: string[];
      try {
        names = tfFileNames(dir);
      } catch {
        continue; // loadModule reports the unreadable directory
      }
      for (const name of names) {
        const abs = path.join(dir, name);
        const text = this.readText(abs, 'terraform');
        if (text === undefined) this.prefetched.set(abs, undefined);
        else {
          files.push(abs);
          texts.push(text);
        }
      }
    }
    const parsed = await parseAll(this.parser, texts, { maxDepth: this.limits['nesting-depth'] });
    files.forEach((abs, i) => {
      const p = parsed[i];
      this.prefetched.set(abs, p ? this.checkParsed(abs, p) : undefined);
    });
  }

  /** Parses a file; a syntax error becomes a Diagnostic and the file is left out (undefined). */
  parseFile(abs: string, kind: ScannedInput['kind'], confined = true): ParsedFile | undefined {
    if (this.prefetched.has(abs)) return this.prefetched.get(abs);
    const text = this.readText(abs, kind, confined);
    if (text === undefined) return undefined;
    return this.checkParsed(abs, parseHclWith(this.parser, text, { maxDepth: this.limits['nesting-depth'] }));
  }

  private checkParsed(abs: string, parsed: ParsedFile): ParsedFile | undefined {
    if (parsed.error) {
      this.diag({
        severity: 'error',
        code: parsed.error.limit ? 'E_INPUT_TOO_LARGE' : 'E_INPUT_PARSE',
        file: this.rel(abs),
        line: parsed.error.line,
        column: parsed.error.col,
        message: `${parsed.error.message}; resources in this file were not evaluated. ${
          parsed.error.limit
            ? 'Simplify the file.'
            : 'Fix the HCL syntax (terraform validate shows the same error).'
        }`,
      });
      return undefined;
    }
    return parsed;
  }

  /**
   * Records, as `error` diagnostics, what Terraform would refuse in the module's files before
   * planning (validate-config.ts, validate-references.ts), then makes every argument set more than
   * once unknown (Terraform keeps none of the values, so neither may a check).
   */
  private validate(def: ModuleDef, files: ConfigFile[]): void {
    const problems = [
      ...files.flatMap((f) => checkConfigFile(f)),
      ...checkDuplicates(files),
      ...checkReferences(
        files,
        declarationsOf(files),
        def.rel === '.' ? 'the root module' : `the module in ${def.rel}`,
      ),
    ];
    for (const p of problems) {
      this.diag({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: p.file,
        line: p.line,
        column: p.column,
        message: `${p.summary}: ${p.detail} Terraform refuses this configuration (terraform validate reports it), so it cannot be applied as written; fix it.`,
      });
    }
    for (const f of files) unknownRedefined(f.body);
  }

  /** Loads (once) the module in directory `dir` (absolute). */
  loadModule(dir: string): ModuleDef {
    const cached = this.defs.get(dir);
    if (cached) return cached;
    const def: ModuleDef = {
      dir,
      rel: this.rel(dir),
      variables: new Map(),
      locals: new Map(),
      outputs: new Map(),
      resources: [],
      resByKey: new Map(),
      types: new Set(),
      calls: [],
      callByName: new Map(),
      providerConfigs: new Set(),
      requiredProviders: new Map(),
    };
    this.defs.set(dir, def);
    let names: string[] = [];
    try {
      names = tfFileNames(dir);
    } catch (err) {
      this.diag({
        severity: 'error',
        code: 'E_IO',
        file: def.rel,
        message: `cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); its Terraform resources were not evaluated.`,
      });
    }
    const isOverride = (n: string) => n === 'override.tf' || n.endsWith('_override.tf');
    const files: ConfigFile[] = [];
    for (const name of names.filter((n) => !isOverride(n))) {
      const abs = path.join(dir, name);
      const parsed = this.parseFile(abs, 'terraform');
      if (parsed) files.push({ file: this.rel(abs), body: parsed.body, override: false });
    }
    for (const name of names.filter(isOverride)) {
      const abs = path.join(dir, name);
      const parsed = this.parseFile(abs, 'terraform');
      if (parsed) files.push({ file: this.rel(abs), body: parsed.body, override: true });
    }
    this.validate(def, files);
    for (const f of files) {
      if (f.override) applyOverride(def, { body: f.body }, f.file, dir);
      else addFile(def, { body: f.body }, f.file, dir);
    }
    try {
      for (const e of fs.readdirSync(dir)) {
        if (e.endsWith('.tf.json')) {
          this.skipped.push({
            file: this.rel(path.join(dir, e)),
            reason:
              'Terraform JSON syntax (.tf.json) is not evaluated; scan a plan JSON (terraform show -json) to include these resources',
          });
        }
      }
    } catch {
      // reported above
    }
    return def;
  }
}

/** The first line of `text` longer than `max` characters (1-based line, its length), if any. */
function longLine(text: string, max: number): { line: number; chars: number } | undefined {
  if (text.length <= max) return undefined;
  let start = 0;
  let line = 1;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > max) return { line, chars: end - start };
    if (nl < 0) return undefined;
    start = nl + 1;
    line++;
  }
}

/**
 * Names of the `*.tf` entries directly in `dir` that are not directories, sorted: regular files,
 * symlinks and anything else Terraform would try to read (readText refuses what it cannot read, so
 * a FIFO or a link out of the root is reported, never skipped silently). Throws on an unreadable dir.
 */
function tfFileNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name.endsWith('.tf') && !e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The canonical path of a directory (symlinks resolved), so a symlink loop is seen as recursion. */
export function realDir(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function literalString(a: Attribute | undefined): string | undefined {
  return a && a.expr.k === 'lit' && typeof a.expr.v === 'string' ? a.expr.v : undefined;
}

function addFile(def: ModuleDef, parsed: ParsedFile, file: string, dir: string): void {
  for (const b of parsed.body.blocks) {
    const [l0, l1] = b.labels;
    switch (b.type) {
      case 'resource':
      case 'data': {
        if (l0 === undefined || l1 === undefined) break;
        const mode = b.type === 'resource' ? 'managed' : 'data';
        const key = mode === 'data' ? `data.${l0}.${l1}` : `${l0}.${l1}`;
        const r: ResDef = { mode, type: l0, name: l1, key, block: b, file };
        if (def.resByKey.has(key)) {
          // A duplicate (reported by validate-config): evaluated too, never silently dropped.
          r.dup = def.resources.filter((x) => x.key === key).length;
          def.resources.push(r);
          break;
        }
        def.resources.push(r);
        def.resByKey.set(key, r);
        if (mode === 'managed') def.types.add(l0);
        break;
      }
      case 'variable':
        if (l0 !== undefined && !def.variables.has(l0)) def.variables.set(l0, { block: b, file });
        break;
      case 'output':
        if (l0 !== undefined && !def.outputs.has(l0)) def.outputs.set(l0, { block: b, file });
        break;
      case 'locals':
        for (const a of b.body.attributes)
          if (!def.locals.has(a.name)) def.locals.set(a.name, { attr: a, file });
        break;
      case 'module': {
        if (l0 === undefined) break;
        const source = literalString(b.body.attributes.find((a) => a.name === 'source'));
        const call: CallDef = { name: l0, block: b, file };
        if (def.callByName.has(l0)) call.dup = def.calls.filter((c) => c.name === l0).length;
        if (source !== undefined) {
          call.source = source;
          if (source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..') {
            call.localDir = realDir(path.resolve(dir, source));
          }
        }
        def.calls.push(call);
        if (!call.dup) def.callByName.set(l0, call);
        break;
      }
      case 'terraform':
        for (const rp of b.body.blocks) if (rp.type === 'required_providers') addRequiredProviders(def, rp);
        break;
      case 'provider': {
        if (l0 === undefined) break;
        const alias = literalString(b.body.attributes.find((a) => a.name === 'alias'));
        def.providerConfigs.add(alias ? `${l0}.${alias}` : l0);
        break;
      }
      default:
        break;
    }
  }
}

/** Replaces, in `body` and every nested body, an argument set more than once by one unknown value (its first position kept). */
function unknownRedefined(body: Body): void {
  const twice = redefinedNames(body);
  if (twice.size) {
    const kept: Attribute[] = [];
    for (const a of body.attributes) {
      if (!twice.has(a.name)) kept.push(a);
      else if (!kept.some((k) => k.name === a.name))
        kept.push({ ...a, expr: { k: 'error', text: `argument "${a.name}" is set more than once` } });
    }
    body.attributes = kept;
  }
  for (const b of body.blocks) unknownRedefined(b.body);
}

/** Records the entries of a `required_providers` block (literal strings only). */
function addRequiredProviders(def: ModuleDef, block: Block): void {
  for (const a of block.body.attributes) {
    const e = a.expr;
    if (e.k === 'lit' && typeof e.v === 'string') {
      def.requiredProviders.set(a.name, { version: e.v });
    } else if (e.k === 'object') {
      const entry: { source?: string; version?: string } = {};
      for (const item of e.items) {
        const key =
          item.ident ??
          (item.key.k === 'lit' ? item.key.v : item.key.k === 'var' ? item.key.name : undefined);
        const v = item.val.k === 'lit' && typeof item.val.v === 'string' ? item.val.v : undefined;
        if ((key === 'source' || key === 'version') && v !== undefined) entry[key] = v;
      }
      def.requiredProviders.set(a.name, entry);
    }
  }
}

/** Marks every position inside `body` as coming from `file`. */
function stampFile(body: Body, file: string): void {
  for (const a of body.attributes) a.pos.file = file;
  for (const b of body.blocks) {
    b.pos.file = file;
    stampFile(b.body, file);
  }
}

/**
 * Terraform override-file merge (https://developer.hashicorp.com/terraform/language/files/override):
 * arguments replace arguments of the same name; nested blocks of a type present in the override
 * replace all blocks of that type.
 */
function mergeBody(base: Body, over: Body): Body {
  const overTypes = new Set(over.blocks.map((b) => (b.type === 'dynamic' ? b.labels[0] : b.type)));
  const overNames = new Set(over.attributes.map((a) => a.name));
  return {
    attributes: [...base.attributes.filter((a) => !overNames.has(a.name)), ...over.attributes],
    blocks: [
      ...base.blocks.filter((b) => !overTypes.has(b.type === 'dynamic' ? b.labels[0] : b.type)),
      ...over.blocks,
    ],
  };
}

function applyOverride(def: ModuleDef, parsed: ParsedFile, file: string, dir: string): void {
  stampFile(parsed.body, file);
  const rest: Block[] = [];
  for (const b of parsed.body.blocks) {
    const [l0, l1] = b.labels;
    if ((b.type === 'resource' || b.type === 'data') && l0 !== undefined && l1 !== undefined) {
      const key = b.type === 'data' ? `data.${l0}.${l1}` : `${l0}.${l1}`;
      const r = def.resByKey.get(key);
      if (r) {
        r.block = { ...r.block, body: mergeBody(r.block.body, b.body) };
        continue;
      }
    } else if (b.type === 'locals') {
      for (const a of b.body.attributes) def.locals.set(a.name, { attr: a, file });
      continue;
    } else if ((b.type === 'variable' || b.type === 'output') && l0 !== undefined) {
      const map = b.type === 'variable' ? def.variables : def.outputs;
      const existing = map.get(l0);
      if (existing) {
        map.set(l0, {
          block: { ...existing.block, body: mergeBody(existing.block.body, b.body) },
          file: existing.file,
        });
        continue;
      }
    } else if (b.type === 'module' && l0 !== undefined) {
      const call = def.callByName.get(l0);
      if (call) {
        const merged: Block = { ...call.block, body: mergeBody(call.block.body, b.body) };
        def.calls = def.calls.filter((c) => c !== call);
        def.callByName.delete(l0);
        addFile(def, { body: { attributes: [], blocks: [merged] } }, call.file, dir);
        continue;
      }
    }
    rest.push(b);
  }
  addFile(def, { body: { attributes: [], blocks: rest } }, file, dir);
}

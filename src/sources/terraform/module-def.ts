import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { Diagnostic } from '../../core/errors.js';
import type { ProviderVersion } from '../../core/facts.js';
import type { ScannedInput, SkippedInput } from '../../core/scan-result.js';
import type { Attribute, Block, Body, ParsedFile } from './ast.js';
import { parseHclWith } from './hcl-parser.js';
import { parseAll } from './parse-pool.js';

/** Files larger than this (bytes) are not parsed. */
export const MAX_TF_FILE_BYTES = 5 * 1024 * 1024;

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
}

/** A `module` block. `localDir` is set for `./` and `../` sources (absolute path). */
export interface CallDef {
  name: string;
  block: Block;
  file: string;
  source?: string;
  localDir?: string;
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
  private readonly defs = new Map<string, ModuleDef>();

  /** root: absolute scan root. */
  constructor(
    readonly root: string,
    readonly parser: Parser,
  ) {}

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

  /** Records a diagnostic once (same code, file, line and message). */
  diag(d: Diagnostic): void {
    const key = `${d.code}|${d.file}|${d.line ?? ''}|${d.message}`;
    if (this.diagKeys.has(key)) return;
    this.diagKeys.add(key);
    this.diagnostics.push(d);
  }

  /**
   * Reads a text input file, records it in `inputs` (sha256, bytes) and returns its text; returns
   * undefined with a Diagnostic for unreadable, oversized or binary files.
   */
  readText(abs: string, kind: ScannedInput['kind']): string | undefined {
    const file = this.rel(abs);
    let buf: Buffer;
    try {
      const st = fs.statSync(abs);
      if (st.size > MAX_TF_FILE_BYTES) {
        this.diag({
          severity: 'error',
          code: 'E_INPUT_TOO_LARGE',
          file,
          message: `file is ${st.size} bytes, over the ${MAX_TF_FILE_BYTES}-byte limit; resources in this file were not evaluated. Split the file or exclude it from the scan.`,
        });
        return undefined;
      }
      buf = fs.readFileSync(abs);
    } catch (err) {
      this.diag({
        severity: 'error',
        code: 'E_IO',
        file,
        message: `cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); resources in this file were not evaluated.`,
      });
      return undefined;
    }
    let text: string | undefined;
    if (!buf.subarray(0, 8192).includes(0)) {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) {
      this.diag({
        severity: 'error',
        code: 'E_INPUT_BINARY',
        file,
        message:
          'file is binary or not UTF-8 text; resources in this file were not evaluated. Remove it or rename it so it does not end in .tf.',
      });
      return undefined;
    }
    this.inputs.set(file, {
      file,
      sha256: createHash('sha256').update(buf).digest('hex'),
      kind,
      bytes: buf.length,
    });
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_TF_FILE_BYTES) return out;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return out;
    }
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
    const parsed = await parseAll(this.parser, texts);
    files.forEach((abs, i) => {
      const p = parsed[i];
      this.prefetched.set(abs, p ? this.checkParsed(abs, p) : undefined);
    });
  }

  /** Parses a file; a syntax error becomes a Diagnostic and the file is left out (undefined). */
  parseFile(abs: string, kind: ScannedInput['kind']): ParsedFile | undefined {
    if (this.prefetched.has(abs)) return this.prefetched.get(abs);
    const text = this.readText(abs, kind);
    if (text === undefined) return undefined;
    return this.checkParsed(abs, parseHclWith(this.parser, text));
  }

  private checkParsed(abs: string, parsed: ParsedFile): ParsedFile | undefined {
    if (parsed.error) {
      this.diag({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: this.rel(abs),
        line: parsed.error.line,
        column: parsed.error.col,
        message: `${parsed.error.message}; resources in this file were not evaluated. ${
          parsed.error.message.startsWith('syntax error')
            ? 'Fix the HCL syntax (terraform validate shows the same error).'
            : 'Simplify the file.'
        }`,
      });
      return undefined;
    }
    return parsed;
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
    for (const name of names.filter((n) => !isOverride(n))) {
      const abs = path.join(dir, name);
      const parsed = this.parseFile(abs, 'terraform');
      if (parsed) addFile(def, parsed, this.rel(abs), dir);
    }
    for (const name of names.filter(isOverride)) {
      const abs = path.join(dir, name);
      const parsed = this.parseFile(abs, 'terraform');
      if (parsed) applyOverride(def, parsed, this.rel(abs), dir);
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

/** Names of the `*.tf` files (regular or symlinked) directly in `dir`, sorted. Throws on an unreadable dir. */
function tfFileNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name.endsWith('.tf') && (e.isFile() || e.isSymbolicLink()))
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
        if (def.resByKey.has(key)) break;
        const r: ResDef = { mode, type: l0, name: l1, key, block: b, file };
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
        if (l0 === undefined || def.callByName.has(l0)) break;
        const source = literalString(b.body.attributes.find((a) => a.name === 'source'));
        const call: CallDef = { name: l0, block: b, file };
        if (source !== undefined) {
          call.source = source;
          if (source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..') {
            call.localDir = realDir(path.resolve(dir, source));
          }
        }
        def.calls.push(call);
        def.callByName.set(l0, call);
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

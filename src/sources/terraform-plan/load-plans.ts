import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Diagnostic } from '../../core/errors.js';
import type { ProviderVersion, TerraformResource, TfObject, TfValue } from '../../core/facts.js';
import { DEFAULT_LIMITS, limitHint, type ScanLimits } from '../../core/limits.js';
import type { ScannedInput } from '../../core/scan-result.js';
import type { SourceResult } from '../../core/source-result.js';
import { Unresolved } from '../../core/unresolved.js';
import { jsonDepthExceeded } from '../json-depth.js';
import { diagnosticSink, readTextInput } from '../read-text-input.js';
import { platformConstraintDiagnostics } from '../terraform/platform-constraints.js';
import { normalizeSource } from '../terraform/provider-versions.js';
import {
  type AddressStep,
  formatModulePath,
  parseResourceAddress,
  referencedInstance,
  referencedResource,
} from './address.js';
import { jsonErrorPosition, LineIndex } from './text-position.js';

/** Plan JSON files larger than this many bytes are not read (`E_INPUT_TOO_LARGE`); `--limit plan-file-bytes` changes it. */
export const MAX_PLAN_BYTES = DEFAULT_LIMITS['plan-file-bytes'];

/** Reason of the {@link Unresolved} that stands for a value marked in `after_unknown`. */
export const KNOWN_AFTER_APPLY = 'known after apply';

/** Attributes of `aws_iam_policy_document` whose references flow into its computed `json`. */
const POLICY_DOCUMENT_INPUTS = ['statement', 'source_policy_documents', 'override_policy_documents'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Loads Terraform JSON output (`terraform show -json PLANFILE`, format_version 1.x; also the state
 * form `terraform show -json` without a plan) into {@link TerraformResource} facts, `origin: 'plan'`.
 *
 * - One fact per `resource_changes[]` entry, except pure `["delete"]` / `["forget"]`. `attributes`
 *   is `change.after` with every node marked `true` in `change.after_unknown` replaced by
 *   `Unresolved('known after apply', refs)`, refs being the resources the top-level attribute's
 *   configuration expression referenced. Nested blocks stay arrays of objects (same shape as HCL).
 * - Data sources read during planning are not in `resource_changes`: they come from
 *   `prior_state.values` (all known). A state file's `values` give one fact per resource.
 * - `references` come from `configuration` (`expressions.ATTR.references`, recursively through
 *   nested blocks and `module_calls`), reduced to resource base addresses and prefixed with the
 *   instance's own module path (`module.net["a"].aws_s3_bucket.b`), so they compare equal to the
 *   target's `baseAddress`.
 * - `rootModule` and `location.file` are the plan file path relative to `root` (POSIX; the base name
 *   when `root` is the file itself); `location.line/column` point at the entry's `"address"` key.
 * - Sensitive values (`after_sensitive`) are kept as Terraform wrote them: the plan file holds them
 *   in plain text already; checks must not echo attribute values they do not need.
 *
 * Never throws for bad input: unreadable, binary, oversized (`plan-file-bytes`), too deeply nested
 * (`nesting-depth`) or malformed
 * files (line/column of the JSON error), unsupported format versions, and entries of the wrong type
 * (the diagnostic names the JSON path; other entries still load) become {@link Diagnostic}s.
 */
export async function loadTerraformPlans(
  root: string,
  files: string[],
  opts: { limits?: Partial<Pick<ScanLimits, 'plan-file-bytes' | 'nesting-depth'>> } = {},
): Promise<SourceResult<TerraformResource>> {
  const result: SourceResult<TerraformResource> = { facts: [], inputs: [], skipped: [], diagnostics: [] };
  const absRoot = path.resolve(root);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  for (const file of files) {
    await loadOne(
      absRoot,
      path.resolve(absRoot, file),
      result,
      limits['plan-file-bytes'],
      limits['nesting-depth'],
    );
  }
  result.diagnostics.push(...platformConstraintDiagnostics(result.facts));
  return result;
}

async function loadOne(
  root: string,
  file: string,
  out: SourceResult<TerraformResource>,
  maxBytes: number,
  maxDepth: number,
): Promise<void> {
  const rel = relPosix(root, file);
  const diag = diagnosticSink(rel, out.diagnostics);
  const read = await readTextInput(
    file,
    maxBytes,
    {
      tooLarge: (bytes, max) =>
        `Plan JSON is ${bytes} bytes, over the ${max}-byte limit: it was not scanned, so its resources have no findings. Split the plan (plan each root module separately), exclude the file, or raise the limit: ${limitHint('plan-file-bytes', max)}.`,
      unreadable: (code) => `Cannot read plan JSON: ${code}. Its resources were not scanned.`,
      binary:
        'File is binary, not plan JSON: a binary plan file (terraform plan -out) must be converted first with `terraform show -json PLANFILE > plan.json`.',
      notText: () =>
        'None of its resources were scanned. Regenerate it with `terraform show -json PLANFILE` (Terraform writes UTF-8).',
    },
    diag,
    { syntax: 'json', root },
  );
  if (!read) return;
  const { buf, text } = read;

  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    if (err instanceof SyntaxError) {
      const pos = jsonErrorPosition(text, err);
      diag(
        'error',
        'E_INPUT_PARSE',
        `Malformed plan JSON: ${pos.reason}. None of its resources were scanned. Regenerate it with \`terraform show -json PLANFILE > ${path.posix.basename(rel)}\`.`,
        pos.line,
        pos.column,
      );
    } else {
      diag(
        'error',
        'E_INPUT_PARSE',
        `Plan JSON could not be parsed (${String(err)}). None of its resources were scanned.`,
      );
    }
    return;
  }
  const deep = jsonDepthExceeded(text, maxDepth);
  if (deep >= 0) {
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    diag(
      'error',
      'E_INPUT_TOO_LARGE',
      `Plan JSON nested more than ${maxDepth} levels deep: none of its resources were scanned. Terraform does not write such plans; regenerate it, or raise the limit: ${limitHint('nesting-depth', maxDepth)}.`,
      line,
      deep - before.lastIndexOf('\n'),
    );
    return;
  }
  if (!isObject(doc)) {
    diag(
      'error',
      'E_INPUT_PARSE',
      'Plan JSON must be an object at the top level (terraform show -json output). Nothing was scanned from it.',
      1,
      1,
    );
    return;
  }
  const version = doc.format_version;
  if (typeof version !== 'string' || !/^1(\.|$)/.test(version)) {
    diag(
      'error',
      'E_INPUT_UNSUPPORTED',
      `Unsupported Terraform JSON format_version ${JSON.stringify(version ?? null)} (this Evident reads 1.x). Nothing was scanned from it; regenerate it with a Terraform 1.x CLI.`,
      1,
      1,
    );
    return;
  }

  const input: ScannedInput = {
    file: rel,
    sha256: createHash('sha256').update(buf).digest('hex'),
    kind: 'terraform-plan',
    bytes: buf.length,
  };
  out.inputs.push(input);

  const loader = new PlanLoader(rel, text, doc, diag);
  try {
    loader.load(out.facts);
  } catch (err) {
    // Stack overflow on absurdly deep JSON, or a bug: report, keep what loaded.
    diag(
      'error',
      'E_INPUT_PARSE',
      `Plan JSON could not be fully read (${err instanceof Error ? err.message : String(err)}). Some resources may be missing from the scan.`,
    );
  }
  if (doc.errored === true) {
    diag(
      'warning',
      'E_INPUT_PARSE',
      'Terraform reported this plan as errored (`"errored": true`): it may be missing resources. Fix the plan errors and regenerate it.',
    );
  }
}

type Diag = (
  severity: Diagnostic['severity'],
  code: Diagnostic['code'],
  message: string,
  line?: number,
  column?: number,
) => void;

/** Expressions of one configuration resource, by top-level attribute. */
type ConfigRefs = Map<string, string[]>;

/** Top-level attributes of one configuration resource whose expression is a single reference. */
type ConfigSingles = string[];

class PlanLoader {
  /** `moduleCallNames.join('.') + '|' + configAddress` → refs per attribute (module-relative). */
  private readonly config = new Map<string, ConfigRefs>();
  /** Aliased provider configuration per configuration resource (same keys as `config`). */
  private readonly providers = new Map<string, string>();
  /** Single-reference attributes per configuration resource (same keys as `config`). */
  private readonly singles = new Map<string, ConfigSingles>();
  /** Provider version constraint per configuration resource (same keys as `config`). */
  private readonly versions = new Map<string, ProviderVersion>();
  /** `configuration.provider_config` by key: source and version constraint. */
  private readonly providerConfig = new Map<string, ProviderVersion>();
  private lines: LineIndex | undefined;
  private addressOffsets: Map<string, number> | undefined;

  constructor(
    private readonly rel: string,
    private readonly text: string,
    private readonly doc: JsonObject,
    private readonly diag: Diag,
  ) {}

  load(facts: TerraformResource[]): void {
    const configuration = this.doc.configuration;
    if (isObject(configuration) && isObject(configuration.provider_config)) {
      for (const [key, pc] of Object.entries(configuration.provider_config)) {
        if (!isObject(pc)) continue;
        const source =
          typeof pc.full_name === 'string' ? pc.full_name : typeof pc.name === 'string' ? pc.name : key;
        const constraint = typeof pc.version_constraint === 'string' ? pc.version_constraint.trim() : '';
        this.providerConfig.set(key, {
          source: normalizeSource(source),
          constraints: constraint ? [constraint] : [],
        });
      }
    }
    if (isObject(configuration) && configuration.root_module !== undefined) {
      this.readConfigModule(configuration.root_module, []);
    }
    const seen = new Set<string>();

    const changes = this.doc.resource_changes;
    if (changes !== undefined && changes !== null) {
      if (!Array.isArray(changes)) {
        this.diag(
          'error',
          'E_INPUT_PARSE',
          `resource_changes must be an array, found ${typeOf(changes)}: no planned changes were scanned from this file.`,
        );
      } else {
        this.indexAddresses('resource_changes');
        changes.forEach((entry, i) => {
          const fact = this.fromChange(entry, `resource_changes[${i}]`);
          if (fact === 'skip') return;
          if (fact) {
            facts.push(fact);
            seen.add(fact.address);
          } else if (isObject(entry) && typeof entry.address === 'string') {
            seen.add(entry.address); // deleted: do not resurrect it from prior_state
          }
        });
      }
    }

    // Data sources read at plan time (prior_state), or every resource of a state file (values).
    const prior = this.doc.prior_state;
    if (isObject(prior) && isObject(prior.values)) {
      this.indexAddresses('prior_state');
      this.fromValuesModule(prior.values.root_module, 'prior_state.values.root_module', true, seen, facts);
    } else if (changes === undefined && isObject(this.doc.values)) {
      this.indexAddresses('values');
      this.fromValuesModule(this.doc.values.root_module, 'values.root_module', false, seen, facts);
    }
  }

  /** Reads `expressions` of every resource in a configuration module, recursing into module_calls. */
  private readConfigModule(mod: Json | undefined, calls: string[]): void {
    if (!isObject(mod)) return;
    if (Array.isArray(mod.resources)) {
      for (const r of mod.resources) {
        if (!isObject(r) || typeof r.address !== 'string') continue;
        const refs: ConfigRefs = new Map();
        const singles: ConfigSingles = [];
        if (isObject(r.expressions)) {
          for (const [attr, expr] of Object.entries(r.expressions)) {
            const found = new Set<string>();
            collectReferences(expr, found);
            if (found.size) refs.set(attr, [...found]);
            if (isSingleReference(expr)) singles.push(attr);
          }
        }
        this.config.set(`${calls.join('.')}|${r.address}`, refs);
        if (singles.length) this.singles.set(`${calls.join('.')}|${r.address}`, singles);
        const alias = providerAlias(r.provider_config_key);
        if (alias) this.providers.set(`${calls.join('.')}|${r.address}`, alias);
        const version =
          typeof r.provider_config_key === 'string'
            ? this.providerConfig.get(r.provider_config_key)
            : undefined;
        if (version) this.versions.set(`${calls.join('.')}|${r.address}`, version);
      }
    }
    if (isObject(mod.module_calls)) {
      for (const [name, call] of Object.entries(mod.module_calls)) {
        if (isObject(call)) this.readConfigModule(call.module, [...calls, name]);
      }
    }
  }

  /** A fact from one resource_changes entry; undefined when deleted; 'skip' after a diagnostic. */
  private fromChange(entry: Json, jsonPath: string): TerraformResource | undefined | 'skip' {
    if (!isObject(entry)) {
      this.diag(
        'error',
        'E_INPUT_PARSE',
        `${jsonPath} must be an object, found ${typeOf(entry)}: that resource was not scanned.`,
      );
      return 'skip';
    }
    const address = entry.address;
    const parsed = typeof address === 'string' ? parseResourceAddress(address) : undefined;
    if (typeof address !== 'string' || !parsed) {
      this.diag(
        'error',
        'E_INPUT_PARSE',
        `${jsonPath}.address must be a resource address string, found ${typeOf(address)}: that resource was not scanned.`,
      );
      return 'skip';
    }
    const where = this.locate(address);
    const change = entry.change;
    if (!isObject(change)) {
      this.diag(
        'error',
        'E_INPUT_PARSE',
        `${jsonPath}.change must be an object, found ${typeOf(change)}: ${address} was not scanned.`,
        where.line,
        where.column,
      );
      return 'skip';
    }
    const actions = change.actions;
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) {
      this.diag(
        'error',
        'E_INPUT_PARSE',
        `${jsonPath}.change.actions must be an array of strings: ${address} was not scanned.`,
        where.line,
        where.column,
      );
      return 'skip';
    }
    if (actions.length === 1 && (actions[0] === 'delete' || actions[0] === 'forget')) return undefined;
    const after = change.after;
    if (!isObject(after)) {
      this.diag(
        'error',
        'E_INPUT_PARSE',
        `${jsonPath}.change.after must be an object for action ${JSON.stringify(actions)}, found ${typeOf(after)}: ${address} was not scanned.`,
        where.line,
        where.column,
      );
      return 'skip';
    }
    const refs = this.referencesFor(parsed);
    const unknown = change.after_unknown;
    const attributes: TfObject = {};
    const keys = new Set(Object.keys(after));
    if (isObject(unknown)) for (const [k, v] of Object.entries(unknown)) if (v === true) keys.add(k);
    for (const key of [...keys].sort()) {
      const u = isObject(unknown) ? unknown[key] : unknown === true ? true : undefined;
      attributes[key] = withUnknowns(after[key] ?? null, u, refs[key] ?? []);
    }
    return this.fact(parsed, address, entry, attributes, refs, where);
  }

  private fromValuesModule(
    mod: Json | undefined,
    jsonPath: string,
    dataOnly: boolean,
    seen: Set<string>,
    facts: TerraformResource[],
  ): void {
    if (!isObject(mod)) return;
    if (mod.resources !== undefined && !Array.isArray(mod.resources)) {
      this.diag(
        'error',
        'E_INPUT_PARSE',
        `${jsonPath}.resources must be an array, found ${typeOf(mod.resources)}: those resources were not scanned.`,
      );
    } else if (Array.isArray(mod.resources)) {
      mod.resources.forEach((r, i) => {
        if (!isObject(r)) return;
        if (dataOnly && r.mode !== 'data') return;
        const address = r.address;
        const parsed = typeof address === 'string' ? parseResourceAddress(address) : undefined;
        if (typeof address !== 'string' || !parsed || seen.has(address)) return;
        const where = this.locate(address);
        if (!isObject(r.values)) {
          this.diag(
            'error',
            'E_INPUT_PARSE',
            `${jsonPath}.resources[${i}].values must be an object, found ${typeOf(r.values)}: ${address} was not scanned.`,
            where.line,
            where.column,
          );
          return;
        }
        seen.add(address);
        const refs = this.referencesFor(parsed);
        const attributes: TfObject = {};
        for (const key of Object.keys(r.values).sort())
          attributes[key] = withUnknowns(r.values[key] ?? null, undefined, []);
        facts.push(this.fact(parsed, address, r, attributes, refs, where));
      });
    }
    if (Array.isArray(mod.child_modules)) {
      mod.child_modules.forEach((child, i) => {
        this.fromValuesModule(child, `${jsonPath}.child_modules[${i}]`, dataOnly, seen, facts);
      });
    }
  }

  private fact(
    parsed: NonNullable<ReturnType<typeof parseResourceAddress>>,
    address: string,
    entry: JsonObject,
    attributes: TfObject,
    references: Record<string, string[]>,
    where: { line: number; column?: number },
  ): TerraformResource {
    const modulePath = formatModulePath(parsed.modules);
    const mode = entry.mode === 'data' || entry.mode === 'managed' ? entry.mode : parsed.mode;
    const type = typeof entry.type === 'string' ? entry.type : parsed.type;
    const name = typeof entry.name === 'string' ? entry.name : parsed.name;
    const local = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
    const location: TerraformResource['location'] = { file: this.rel, line: where.line };
    if (where.column !== undefined) location.column = where.column;
    const provider = this.providers.get(
      `${parsed.modules.map((m: AddressStep) => m.name).join('.')}|${local}`,
    );
    const singleReference = this.singles.get(
      `${parsed.modules.map((m: AddressStep) => m.name).join('.')}|${local}`,
    );
    const providerVersion = this.versions.get(
      `${parsed.modules.map((m: AddressStep) => m.name).join('.')}|${local}`,
    );
    return {
      ...(provider ? { provider } : {}),
      ...(singleReference ? { singleReference } : {}),
      ...(providerVersion ? { providerVersion } : {}),
      kind: 'terraform',
      mode,
      type,
      name,
      address,
      baseAddress: modulePath ? `${modulePath}.${local}` : local,
      modulePath,
      rootModule: this.rel,
      attributes,
      references,
      location,
      attributeLocations: {},
      origin: 'plan',
    };
  }

  /** References per top-level attribute, prefixed with the instance's module path. */
  private referencesFor(
    parsed: NonNullable<ReturnType<typeof parseResourceAddress>>,
  ): Record<string, string[]> {
    const local = `${parsed.mode === 'data' ? 'data.' : ''}${parsed.type}.${parsed.name}`;
    const cfg = this.config.get(`${parsed.modules.map((m: AddressStep) => m.name).join('.')}|${local}`);
    const out: Record<string, string[]> = {};
    if (!cfg) return out;
    const prefix = formatModulePath(parsed.modules);
    for (const [attr, refs] of cfg) out[attr] = refs.map((r) => (prefix ? `${prefix}.${r}` : r)).sort();
    if (parsed.mode === 'data' && parsed.type === 'aws_iam_policy_document') {
      // `json` is computed from these blocks: its references are theirs (as the HCL source does).
      const json = new Set<string>(out.json ?? []);
      for (const n of POLICY_DOCUMENT_INPUTS) for (const r of out[n] ?? []) json.add(r);
      if (json.size) out.json = [...json].sort();
    }
    return out;
  }

  /**
   * Records the offset of the first `"address": "X"` for every X after the `"section"` key (replacing
   * the previous section's index). Terraform writes each entry's own address before its contents,
   * so the first hit after the section start is the entry itself.
   */
  private indexAddresses(section: string): void {
    const offsets = new Map<string, number>();
    this.addressOffsets = offsets;
    const start = new RegExp(`"${section}"\\s*:`).exec(this.text);
    if (!start) return;
    const re = /"address"\s*:\s*("(?:[^"\\]|\\.)*")/g;
    re.lastIndex = start.index;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      let value: string;
      try {
        value = JSON.parse(m[1]!) as string;
      } catch {
        continue;
      }
      if (!offsets.has(value)) offsets.set(value, m.index);
    }
  }

  private locate(address: string): { line: number; column?: number } {
    const offset = this.addressOffsets?.get(address);
    if (offset === undefined) return { line: 1 };
    this.lines ??= new LineIndex(this.text);
    return this.lines.position(offset);
  }
}

/**
 * `value` with every node marked `true` in `unknown` (the `after_unknown` mirror) replaced by an
 * Unresolved. `unknown` may be missing or shorter than `value`: unmarked nodes are known.
 */
function withUnknowns(value: Json, unknown: Json | undefined, refs: readonly string[]): TfValue {
  if (unknown === true) return new Unresolved(KNOWN_AFTER_APPLY, refs);
  if (Array.isArray(value)) {
    const u = Array.isArray(unknown) ? unknown : undefined;
    const out: TfValue[] = [];
    const len = Math.max(value.length, u ? u.length : 0);
    for (let i = 0; i < len; i++) out.push(withUnknowns(i < value.length ? value[i]! : null, u?.[i], refs));
    return out;
  }
  if (isObject(value)) {
    const u = isObject(unknown) ? unknown : undefined;
    const out: { [key: string]: TfValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = withUnknowns(v, u?.[k], refs);
    if (u)
      for (const [k, v] of Object.entries(u))
        if (v === true && !(k in out)) out[k] = new Unresolved(KNOWN_AFTER_APPLY, refs);
    return out;
  }
  return value;
}

/**
 * The provider configuration of a plan's configuration resource, from its `provider_config_key`,
 * named as `TerraformResource.provider` wants it: `aws.usw2` for a root-module alias, undefined for
 * the root default (`aws`) or a missing key. Terraform 1.x resolves the key of a resource inside a
 * module to the configuration it finally uses (a `providers` map or implicit inheritance leads back
 * to the root key, e.g. `aws.usw2`); a key that still carries a module prefix (`module.net:aws`) is a
 * configuration declared by a `provider` block inside that module, or, in plans from Terraform
 * versions that did not resolve keys, one whose origin the plan does not say (module calls'
 * `providers` maps are not in the JSON). Such a key is kept whole, so that it matches no root
 * configuration: a region-wide default at the root then does not vouch for that resource.
 */
function providerAlias(key: Json | undefined): string | undefined {
  if (typeof key !== 'string' || key === '') return undefined;
  if (key.includes(':')) return key;
  return key.includes('.') ? key : undefined;
}

/**
 * True when a top-level configuration expression is only references (no constant, no nested block)
 * whose entries all belong to one object: one resource (`aws_s3_bucket.b.id`, `aws_s3_bucket.b`),
 * or one `var.x`, `local.y`, `each.value`, `count.index`, `module.m`. Terraform writes the
 * references of a template or conditional the same way, so a template over a single reference also
 * counts (see TerraformResource.singleReference).
 */
function isSingleReference(expr: Json): boolean {
  if (!isObject(expr) || !Array.isArray(expr.references) || expr.references.length === 0) return false;
  if (Object.keys(expr).some((k) => k !== 'references')) return false;
  const roots = new Set<string>();
  for (const r of expr.references) {
    if (typeof r !== 'string') return false;
    roots.add(referencedResource(r) ?? r.split('.').slice(0, 2).join('.').replace(/\[.*$/, ''));
  }
  return roots.size === 1;
}

/** Adds to `found` the resource base addresses of every `references` list inside an expression tree. */
function collectReferences(expr: Json, found: Set<string>): void {
  if (Array.isArray(expr)) {
    for (const e of expr) collectReferences(e, found);
    return;
  }
  if (!isObject(expr)) return;
  for (const [k, v] of Object.entries(expr)) {
    if (k === 'constant_value') continue;
    if (k === 'references' && Array.isArray(v)) {
      for (const r of v) {
        if (typeof r !== 'string') continue;
        const base = referencedResource(r);
        if (base) found.add(base);
        const instance = referencedInstance(r);
        if (instance) found.add(instance);
      }
    } else collectReferences(v, found);
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** `file` relative to `root`, POSIX; the base name when `file` is `root` itself. */
function relPosix(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel === '' ? path.basename(file) : rel;
}

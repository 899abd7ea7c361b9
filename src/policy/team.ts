// Team policies (docs/policies.md "Team policies"): rule files in the directories `policies:` of
// evident.yaml names (default `policy/` beside it), with fixtures in a folder named like the rule file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isSeq, LineCounter, parseDocument } from 'yaml';
import type { CheckDefinition } from '../core/check.js';
import { EvidentError } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import { checkAttributePaths, knownPathsByType } from './attribute-paths.js';
import { FIXTURE_NAME, loadFixture } from './fixtures.js';
import { loadRuleFile } from './load-rule.js';
import type { RuleCheckDefinition } from './rule-check.js';
import { RuleFileError, type RuleIssue } from './rule-error.js';

/**
 * Id domains reserved for built-in rules (`aws.…`, `k8s.…`): a team rule must use its own prefix
 * (`acme.s3-buckets-tagged`). The list grows as Evident adds domains; the domains of every built-in
 * check are reserved too.
 */
export const RESERVED_DOMAINS: readonly string[] = [
  'aws',
  'azure',
  'gcp',
  'k8s',
  'kubernetes',
  'docker',
  'cfn',
  'terraform',
  'github',
  'gha',
  'git',
  'ci',
  'vcs',
  'deps',
  'secrets',
  'identity',
  'access',
  'incident',
  'privacy',
  'vendor',
  'training',
  'risk',
  'policy',
  'evident',
];

/** The conventional policies directory beside evident.yaml (conftest's `policy/`). */
export const DEFAULT_POLICY_DIR = 'policy';

/** A team rule loaded from a policies directory, with where its fixtures live. */
export interface TeamRule {
  check: RuleCheckDefinition;
  /** Absolute path of the rule file. */
  file: string;
  /** Absolute path of its fixture folder (`NAME/` beside `NAME.yaml`); may not exist. */
  fixturesDir: string;
}

/**
 * The policies directories of a control map: `policies:` of evident.yaml (paths relative to its
 * directory), or `policy/` beside it when that directory exists and the key is absent
 * (`policies: []` turns the default off). Absolute paths. Throws E_CONFIG (with the position) when
 * `policies` is not a list of strings. Reads the file itself: the map cannot be validated before the
 * team rules it references are loaded.
 */
export function policyDirsOf(configPath: string, text: string): { dirs: string[]; explicit: boolean } {
  const base = dirname(configPath);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) return { dirs: [], explicit: false }; // the map parser reports them
  const node = doc.get('policies', true) as unknown;
  if (node === undefined || node === null) {
    const dflt = join(base, DEFAULT_POLICY_DIR);
    return { dirs: existsSync(dflt) && statSync(dflt).isDirectory() ? [dflt] : [], explicit: false };
  }
  const value = doc.toJS().policies as unknown;
  if (!isSeq(node) || !Array.isArray(value) || value.some((d) => typeof d !== 'string' || d.trim() === '')) {
    const pos = (node as { range?: number[] }).range?.[0] ?? 0;
    const { line, col } = lc.linePos(pos);
    throw new EvidentError(
      'E_CONFIG',
      'policies: a list of directories of team rule files, e.g. policies: [policy/]',
      {
        file: configPath,
        line,
        column: col,
      },
    );
  }
  return { dirs: (value as string[]).map((d) => resolve(base, d)), explicit: true };
}

/**
 * Rule files under `dir`, recursively, sorted: every `*.yaml`/`*.yml`, except inside a rule's
 * fixture folder (a folder `NAME/` beside `NAME.yaml`) and hidden folders.
 */
export function ruleFilesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name.startsWith('.') || names.has(`${e.name}.yaml`) || names.has(`${e.name}.yml`)) continue;
        walk(p);
      } else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** `NAME/` beside `NAME.yaml`. */
export function fixturesDirOf(ruleFile: string): string {
  return join(dirname(ruleFile), basename(ruleFile).replace(/\.ya?ml$/, ''));
}

/** Options of {@link loadTeamRules}. */
export interface LoadTeamOptions {
  /** Built-in checks: their ids, aliases and domains may not be reused. */
  builtIns: readonly CheckDefinition[];
  /** Directory rule files are named relative to in messages (default: the current directory). */
  displayRoot?: string;
  /** Check attribute paths against each rule's fixtures (loads them through the sources). Default true. */
  checkPaths?: boolean;
  /** Directories that must exist (configured explicitly); others are skipped when absent. */
  required?: boolean;
}

/**
 * Loads every team rule in `dirs` (see {@link ruleFilesIn}), validating each (rule-file.ts), its id
 * (not in a reserved domain, not a built-in id or alias, unique across the directories) and, unless
 * `checkPaths` is false, the attribute paths it reads against its fixtures. Throws RuleFileError
 * (E_CONFIG) listing every problem of every file; E_CONFIG for a required directory that is missing.
 */
export async function loadTeamRules(dirs: readonly string[], opts: LoadTeamOptions): Promise<TeamRule[]> {
  const display = (p: string) =>
    relative(opts.displayRoot ?? process.cwd(), p)
      .split('\\')
      .join('/') || p;
  const issues: (RuleIssue & { file: string })[] = [];
  const rules: TeamRule[] = [];
  const reserved = new Set([...RESERVED_DOMAINS, ...opts.builtIns.map((c) => c.id.split('.')[0]!)]);
  const builtInIds = new Map<string, string>();
  for (const c of opts.builtIns) for (const id of [c.id, ...(c.aliases ?? [])]) builtInIds.set(id, c.id);
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      if (opts.required === false) continue;
      throw new EvidentError(
        'E_CONFIG',
        `policies directory ${display(dir)} does not exist; nothing was scanned`,
        {
          file: display(dir),
          hint: 'create it, fix the path under policies: in evident.yaml, or remove the entry',
        },
      );
    }
    for (const file of ruleFilesIn(dir)) {
      let check: RuleCheckDefinition;
      try {
        check = loadRuleFile(file, display(file));
      } catch (e) {
        if (e instanceof RuleFileError) {
          issues.push(...e.issues);
          continue;
        }
        throw e;
      }
      const at = { file: display(file), line: check.rule.line, column: 5 };
      const domain = check.id.split('.')[0]!;
      if (reserved.has(domain))
        issues.push({
          ...at,
          message: `id '${check.id}': the '${domain}.' prefix is reserved for built-in rules; give team rules your own prefix, e.g. 'acme.${check.id.split('.').slice(1).join('.')}'`,
        });
      for (const id of [check.id, ...(check.aliases ?? [])]) {
        if (builtInIds.has(id))
          issues.push({ ...at, message: `id '${id}' is already the built-in check ${builtInIds.get(id)}` });
        const prev = seen.get(id);
        if (prev)
          issues.push({ ...at, message: `id '${id}' is also defined in ${prev}; rule ids must be unique` });
        seen.set(id, display(file));
      }
      rules.push({ check, file, fixturesDir: fixturesDirOf(file) });
    }
  }
  if (opts.checkPaths !== false) {
    for (const r of rules) {
      const facts = await fixtureFacts(r);
      issues.push(
        ...checkAttributePaths(r.check.rule, r.check.resourceTypes, knownPathsByType(facts)).map((i) => ({
          ...i,
          file: display(r.file),
        })),
      );
    }
  }
  if (issues.length) throw new RuleFileError(issues);
  return rules;
}

/** The facts of every fixture of a team rule that a source reads (fixtures with load errors are skipped here; `policy test` reports them). */
export async function fixtureFacts(rule: TeamRule): Promise<Facts[]> {
  if (!existsSync(rule.fixturesDir)) return [];
  const out: Facts[] = [];
  for (const name of readdirSync(rule.fixturesDir).sort()) {
    if (!FIXTURE_NAME.test(name)) continue;
    try {
      out.push((await loadFixture(join(rule.fixturesDir, name))).facts);
    } catch {
      // reported by `evident policy test`
    }
  }
  return out;
}

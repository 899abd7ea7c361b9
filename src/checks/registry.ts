import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckDefinition } from '../core/check.js';
import { EvidentError } from '../core/errors.js';
import { loadRuleFile } from '../policy/load-rule.js';
import { isRuleCheck } from '../policy/rule-check.js';

/** Directory holding `<domain>/<slug>/check.{ts,js}` (src/checks when run with tsx, dist/checks when built). */
export const CHECKS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Directory holding the built-in rule files `<domain>/<slug>/rule.yaml` (src/rules, or dist/rules when built). */
export const RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));

/** The repository (or package) root: rule files are named relative to it in messages. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let cache: Promise<CheckDefinition[]> | undefined;

/**
 * Loads every built-in check: TypeScript checks (`CHECKS_DIR/<domain>/<slug>/check.(js|ts)`) and
 * rule files (`RULES_DIR/<domain>/<slug>/rule.yaml`, docs/policies.md): adding a check means adding a
 * folder. Sorted by id. Throws EvidentError(E_INTERNAL) on a duplicate id or alias, a folder whose
 * module lacks `export const check`, or a rule whose id is not its folder path; RuleFileError
 * (E_CONFIG) for an invalid built-in rule file.
 */
export function loadChecks(): Promise<CheckDefinition[]> {
  cache ??= discover();
  return cache;
}

function* folders(root: string): Generator<{ domain: string; slug: string; dir: string }> {
  if (!existsSync(root)) return;
  for (const domain of readdirSync(root, { withFileTypes: true })) {
    if (!domain.isDirectory() || domain.name.startsWith('_')) continue;
    const domainDir = join(root, domain.name);
    for (const slug of readdirSync(domainDir, { withFileTypes: true })) {
      if (slug.isDirectory()) yield { domain: domain.name, slug: slug.name, dir: join(domainDir, slug.name) };
    }
  }
}

async function discover(): Promise<CheckDefinition[]> {
  const ext = import.meta.url.endsWith('.ts') ? 'check.ts' : 'check.js';
  const checks: CheckDefinition[] = [];
  for (const { dir } of folders(CHECKS_DIR)) {
    if (!readdirSync(dir).includes(ext)) continue;
    const mod = (await import(pathToFileURL(join(dir, ext)).href)) as { check?: CheckDefinition };
    const check = mod.check;
    if (!check) throw new EvidentError('E_INTERNAL', `${dir}/${ext} has no 'export const check'`);
    checks.push(check);
  }
  for (const { domain, slug, dir } of folders(RULES_DIR)) {
    const file = join(dir, 'rule.yaml');
    if (!existsSync(file)) continue;
    const rule = loadRuleFile(file, relative(PACKAGE_ROOT, file).split('\\').join('/'));
    if (rule.id !== `${domain}.${slug}`)
      throw new EvidentError(
        'E_INTERNAL',
        `${file}: id '${rule.id}' must equal its folder path '${domain}.${slug}'`,
      );
    checks.push(rule);
  }
  assertUniqueIds(checks);
  return checks.sort((a, b) => a.id.localeCompare(b.id));
}

/** Throws EvidentError(E_INTERNAL) when two checks share an id or alias. */
function assertUniqueIds(checks: readonly CheckDefinition[]): void {
  const seen = new Map<string, string>();
  for (const check of checks) {
    for (const id of [check.id, ...(check.aliases ?? [])]) {
      const prev = seen.get(id);
      if (prev)
        throw new EvidentError('E_INTERNAL', `check id '${id}' is defined twice (${prev} and ${check.id})`);
      seen.set(id, check.id);
    }
  }
}

/**
 * The folder of a built-in check (for fixtures): `<CHECKS_DIR>/<domain>/<slug>` for TypeScript checks,
 * `<RULES_DIR>/<domain>/<slug>` for rule files, as derived from the id.
 */
export function checkDir(check: CheckDefinition): string {
  const [domain, slug] = check.id.split('.', 2) as [string, string];
  return join(isRuleCheck(check) ? RULES_DIR : CHECKS_DIR, domain, slug);
}

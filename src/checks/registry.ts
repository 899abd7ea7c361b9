import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckDefinition } from '../core/check.js';
import { EvidentError } from '../core/errors.js';

/** Directory holding `<domain>/<slug>/check.{ts,js}` (src/checks when run with tsx, dist/checks when built). */
export const CHECKS_DIR = fileURLToPath(new URL('.', import.meta.url));

let cache: Promise<CheckDefinition[]> | undefined;

/**
 * Loads every built-in check by walking `CHECKS_DIR/<domain>/<slug>/check.(js|ts)`: adding a check
 * means adding a folder. Sorted by id. Throws EvidentError(E_INTERNAL) on a duplicate id or alias,
 * or a folder whose module lacks `export const check`.
 */
export function loadChecks(): Promise<CheckDefinition[]> {
  cache ??= discover();
  return cache;
}

async function discover(): Promise<CheckDefinition[]> {
  const ext = import.meta.url.endsWith('.ts') ? 'check.ts' : 'check.js';
  const checks: CheckDefinition[] = [];
  const seen = new Map<string, string>();
  for (const domain of readdirSync(CHECKS_DIR, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    const domainDir = join(CHECKS_DIR, domain.name);
    for (const slug of readdirSync(domainDir, { withFileTypes: true })) {
      if (!slug.isDirectory()) continue;
      const dir = join(domainDir, slug.name);
      if (!readdirSync(dir).includes(ext)) continue;
      const mod = (await import(pathToFileURL(join(dir, ext)).href)) as { check?: CheckDefinition };
      const check = mod.check;
      if (!check) throw new EvidentError('E_INTERNAL', `${dir}/${ext} has no 'export const check'`);
      for (const id of [check.id, ...(check.aliases ?? [])]) {
        const prev = seen.get(id);
        if (prev) throw new EvidentError('E_INTERNAL', `check id '${id}' defined in both ${prev} and ${dir}`);
        seen.set(id, dir);
      }
      checks.push(check);
    }
  }
  return checks.sort((a, b) => a.id.localeCompare(b.id));
}

/** The folder of a built-in check (for fixtures): `<CHECKS_DIR>/<domain>/<slug>` as derived from the id. */
export function checkDir(check: CheckDefinition): string {
  const [domain, slug] = check.id.split('.', 2) as [string, string];
  return join(CHECKS_DIR, domain, slug);
}

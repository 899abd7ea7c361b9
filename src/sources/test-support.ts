import { statSync } from 'node:fs';
import path from 'node:path';
import { type DiscoveredInputs, type DiscoverOptions, discoverInputs } from './discover.js';
import { claimInputs } from './registry.js';

/** What tests of the walk and of claiming look at: the files each registered source claimed. */
export interface ClaimedForTest extends DiscoveredInputs {
  /** Absolute directories holding a claimed `.tf` file, sorted, unique. */
  terraformDirs: string[];
  /** Absolute paths claimed by the `terraform-plan` source. */
  planFiles: string[];
  /** Absolute paths claimed by the `kubernetes` source. */
  yamlFiles: string[];
  /** Absolute paths per source id. */
  bySource: Record<string, string[]>;
}

/** Discovers `root` and lets the registered sources claim the files (test helper, not for production). */
export async function discoverAndClaim(root: string, opts: DiscoverOptions = {}): Promise<ClaimedForTest> {
  const r = await discoverInputs(root, opts);
  const abs = path.resolve(root);
  const rootDir = statSync(abs).isDirectory() ? abs : path.dirname(abs);
  const { claims, diagnostics } = await claimInputs(r.files, rootDir);
  const bySource: Record<string, string[]> = {};
  for (const c of claims) bySource[c.source.id] = c.files.map((f) => f.abs);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    ...r,
    diagnostics: [...r.diagnostics, ...diagnostics],
    terraformDirs: [...new Set((bySource.terraform ?? []).map((f) => path.dirname(f)))].sort(cmp),
    planFiles: bySource['terraform-plan'] ?? [],
    yamlFiles: bySource.kubernetes ?? [],
    bySource,
  };
}

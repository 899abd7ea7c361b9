import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `.evident/.gitignore` holds: the logs, bundles, server store and secrets salt Evident writes,
 * not a team's rules (`.evident/policies`). The salt stays out of git because anyone holding it can
 * test guesses against the secret fingerprints in reports (docs/secrets.md "Salt").
 */
export const EVIDENCE_GITIGNORE =
  '# Written by evident: evidence logs and bundles are append-only records kept outside git\n' +
  '# (docs/evidence.md#where-evidence-lives), and the secrets salt is never committed (docs/secrets.md).\n' +
  '# Team rules in .evident/policies are committed as usual.\n' +
  '/ledger*/\n/exports/\n/db/\n/db.lock\n/salt\n';

/**
 * Gives the evidence directory `dir` (created when missing) a `.gitignore` with
 * {@link EVIDENCE_GITIGNORE} unless it already has one (a team's own file is never overwritten).
 * Throws the file system's error when the directory cannot be written.
 */
export function ensureEvidenceGitignore(dir: string): void {
  const ignore = join(dir, '.gitignore');
  if (existsSync(ignore)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(ignore, EVIDENCE_GITIGNORE);
}

// Where the third-party corpora are, and how a test that reads them skips when they are absent.
//
// The corpora (terragoat, kubernetes-goat, trivy-checks, the Merkle and OSCAL test data, ...) live in
// `../shared/corpora` beside the checkout and are read in place, never copied into the repository.
// A fresh clone without them still runs every other test: each test that needs a corpus skips with
// the reason `needs ../shared/corpora/<name>`, and `scripts/corpora-notice.mjs` (run by `npm test`
// before the tests) prints one notice saying so. CI never skips them: `.ci/run` refuses to start
// without the corpora.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The corpora directory: `$EVIDENT_CORPORA` when set (a test of the skip path points it at an empty
 * directory), else `../shared/corpora` beside the repository root.
 */
export const CORPORA: string = process.env.EVIDENT_CORPORA
  ? resolve(process.env.EVIDENT_CORPORA)
  : fileURLToPath(new URL('../../../shared/corpora', import.meta.url));

/** Absolute path of one corpus (`corpus('terragoat')`, `corpus('trivy-checks/checks')`). */
export function corpus(name: string): string {
  return join(CORPORA, name);
}

/**
 * The `skip` option for a test or suite that reads the named corpora: `false` when all exist, else
 * the reason (`needs ../shared/corpora/terragoat`), which node:test prints beside the skipped test.
 * Usage: `describe('terragoat', { skip: needsCorpora('terragoat') }, () => { ... })`.
 */
export function needsCorpora(...names: string[]): false | string {
  const missing = names.filter((n) => !existsSync(corpus(n)));
  return missing.length === 0 ? false : `needs ../shared/corpora/${missing.join(', ')} (absent)`;
}

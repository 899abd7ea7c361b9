// Run by `npm test` before the tests: prints ONE notice when the third-party corpora
// (../shared/corpora, or $EVIDENT_CORPORA) are absent, so the tests that read them skip visibly
// rather than fail with "file not found". With --require (used by .ci/run) their absence is an
// error: CI never skips those tests.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.EVIDENT_CORPORA
  ? resolve(process.env.EVIDENT_CORPORA)
  : fileURLToPath(new URL('../../shared/corpora', import.meta.url));
const NEEDED = [
  'terragoat',
  'kubernetes-goat',
  'trivy-checks',
  'cloudposse-components-0.182.0',
  'merkle-testdata',
  'oscal-schemas',
];
const missing = NEEDED.filter((n) => !existsSync(resolve(dir, n)));
if (missing.length > 0) {
  const what = missing.length === NEEDED.length ? dir : missing.map((m) => resolve(dir, m)).join(', ');
  if (process.argv.includes('--require')) {
    process.stderr.write(
      `error: the third-party corpora are missing (${what}).\n` +
        'CI runs every test: put the shared corpora beside the checkout (../shared/corpora) and run again.\n',
    );
    process.exit(1);
  }
  process.stderr.write(
    `NOTICE: third-party corpora not found (${what}): the tests that read them are SKIPPED ` +
      '(each says "needs ../shared/corpora/..."). Everything else runs. CI (.ci/run) requires them.\n',
  );
}

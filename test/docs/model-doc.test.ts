// docs/model.md is generated from the model's concern schemas and the adapters
// (scripts/gen-model-doc.mjs): it must be current and document every concern, field and adapter.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADAPTERS } from '../../src/adapters/registry.js';
import { CONCERNS } from '../../src/model/concerns.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docPath = join(repoRoot, 'docs', 'model.md');

test('docs/model.md is up to date with the model and the adapters', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-model-doc.mjs', '--stdout'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `scripts/gen-model-doc.mjs failed:\n${r.stderr}`);
  const committed = readFileSync(docPath, 'utf8');
  if (committed !== r.stdout) {
    const a = committed.split('\n');
    const b = r.stdout.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(
      `docs/model.md is out of date: run \`npm run docs\` and commit the result.\nfirst difference at line ${i + 1}:\n  committed: ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}`,
    );
  }
});

test('docs/model.md has a section per concern, a row per top-level field and a part per adapter', () => {
  const doc = readFileSync(docPath, 'utf8');
  for (const c of CONCERNS) {
    assert.ok(doc.includes(`\n## ${c.id}\n`), `no section for ${c.id}`);
    for (const f of Object.keys(c.fields))
      assert.match(doc, new RegExp(`\\| \`${f}(\\[\\])?\` \\|`), `${c.id}.${f}`);
  }
  for (const a of ADAPTERS) assert.ok(doc.includes(`(adapter \`${a.id}\`)`), `no part for adapter ${a.id}`);
});

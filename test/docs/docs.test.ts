// docs/checks.md is generated from the check registry (scripts/gen-checks-doc.mjs): these tests fail when a
// check is added or its metadata changes without `npm run docs`, and when the reference misses a check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadChecks } from '../../src/checks/registry.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docPath = join(repoRoot, 'docs', 'checks.md');

/** Runs the generator the way `npm run docs` does, but printing instead of writing. */
function regenerate(): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-checks-doc.mjs', '--stdout'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `scripts/gen-checks-doc.mjs failed:\n${r.stderr}`);
  return r.stdout;
}

/** The `### <check id>` section headings of docs/checks.md. */
function sectionIds(doc: string): string[] {
  return [...doc.matchAll(/^### (\S+)$/gm)].map((m) => m[1] as string);
}

test('docs/checks.md is up to date with the check registry', () => {
  const committed = readFileSync(docPath, 'utf8');
  const fresh = regenerate();
  assert.ok(fresh.startsWith('# Built-in checks\n'), 'the generator printed the reference');
  if (committed !== fresh) {
    const a = committed.split('\n');
    const b = fresh.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(
      `docs/checks.md is out of date: run \`npm run docs\` and commit the result.\n` +
        `first difference at line ${i + 1}:\n  committed: ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}`,
    );
  }
});

test('docs/checks.md has one section per built-in check, and none for a check that does not exist', async () => {
  const doc = readFileSync(docPath, 'utf8');
  const ids = (await loadChecks()).map((c) => c.id);
  const sections = sectionIds(doc);
  const missing = ids.filter((id) => !sections.includes(id));
  assert.deepEqual(
    missing,
    [],
    `checks missing from docs/checks.md (run \`npm run docs\`): ${missing.join(', ')}`,
  );
  const stale = sections.filter((s) => !ids.includes(s));
  assert.deepEqual(
    stale,
    [],
    `docs/checks.md documents unknown checks (run \`npm run docs\`): ${stale.join(', ')}`,
  );
  assert.equal(new Set(sections).size, sections.length, 'no check is documented twice');
  for (const id of ids) assert.ok(doc.includes(`[\`${id}\`](#`), `${id} is in the summary table`);
});

test('each check section carries its severity, rationale, remediation and default mappings', async () => {
  const doc = readFileSync(docPath, 'utf8');
  const parts = doc.split(/^### /m).slice(1);
  for (const check of await loadChecks()) {
    const part = parts.find((p) => p.startsWith(`${check.id}\n`));
    assert.ok(part, `section for ${check.id}`);
    assert.ok(part.includes(`**${check.title}**`), `${check.id}: title`);
    assert.ok(part.includes(`Severity: **${check.severity}**`), `${check.id}: severity`);
    assert.ok(part.includes(check.rationale), `${check.id}: rationale`);
    assert.ok(part.includes(check.remediation), `${check.id}: remediation`);
    for (const [fw, reqs] of Object.entries(check.mappings)) {
      for (const r of reqs ?? []) assert.ok(part.includes(`\`${r}\``), `${check.id}: ${fw} ${r}`);
    }
    for (const t of check.trivyEquivalents ?? []) assert.ok(part.includes(`\`${t}\``), `${check.id}: ${t}`);
  }
});

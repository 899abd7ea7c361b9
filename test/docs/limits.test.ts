// docs/limits.md names every limit with its default and meaning: this test fails when a limit is
// added, removed, renamed or changes its default without the documentation following.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LIMITS } from '../../src/core/limits.js';

const doc = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');

/** The table row the documentation must hold for a limit. */
function row(name: string, value: number, unit: string, what: string): string {
  const MiB = 1024 * 1024;
  const human = unit === 'bytes' && value % MiB === 0 ? ` (${value / MiB} MiB)` : '';
  return `| \`${name}\` | ${value}${human} | ${what} |`;
}

test('docs/limits.md lists every limit with its default, and nothing else', () => {
  const table = doc.slice(doc.indexOf('<!-- limits-table'), doc.indexOf('<!-- /limits-table -->'));
  const rows = table.split('\n').filter((l) => l.startsWith('| `'));
  assert.deepEqual(
    rows,
    Object.entries(LIMITS).map(([name, l]) => row(name, l.default, l.unit, l.what)),
  );
});

test('README links docs/limits.md', () => {
  assert.match(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'), /\(docs\/limits\.md\)/);
});

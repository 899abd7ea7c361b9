// docs/policies.md stays true: its worked team policies pass `policy test`, and every function rules
// may call is documented there.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { HELPER_FUNCTIONS, RULE_VARIABLES } from '../../src/cel/environment.js';
import { STANDARD_FUNCTIONS } from '../../src/cel/std.js';
import { loadChecks } from '../../src/checks/registry.js';
import { testRule } from '../../src/policy/policy-test.js';
import { loadTeamRules } from '../../src/policy/team.js';

const doc = readFileSync(new URL('../../docs/policies.md', import.meta.url), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'evident-policies-doc-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('the worked team policies in docs/policies.md pass evident policy test', async () => {
  const files = [...doc.matchAll(/```\w+ file=(\S+)\n([\s\S]*?)```/g)];
  assert.ok(files.length >= 9, 'three rules with fixtures');
  for (const [, path, text] of files) {
    const abs = join(work, path!);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text!);
  }
  const rules = await loadTeamRules([work], { builtIns: await loadChecks() });
  assert.equal(rules.length, 3);
  for (const rule of rules) {
    const r = await testRule(rule, (p) => p);
    assert.ok(r.ok, `${r.id}: ${JSON.stringify([r.problems, r.fixtures.filter((f) => !f.ok)], null, 1)}`);
    assert.ok(
      r.fixtures.some((f) => f.fixture.startsWith('unknown-') || f.fixture.startsWith('na-')),
      `${r.id}: shows unknown or na`,
    );
  }
});

test('every function and variable rules may use is documented', () => {
  for (const f of [...STANDARD_FUNCTIONS, ...HELPER_FUNCTIONS])
    assert.ok(doc.includes(`${f.name}(`), `docs/policies.md documents ${f.name}()`);
  for (const v of RULE_VARIABLES)
    assert.ok(doc.includes(`\`${v.name}\``), `docs/policies.md documents ${v.name}`);
  assert.match(doc, /@marcbachmann\/cel-js.*\*\*8\.0\.0\*\*/s, 'the CEL library version is documented');
});

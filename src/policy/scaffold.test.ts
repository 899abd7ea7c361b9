// `evident policy new` and `npm run new:rule` write rules whose fixtures pass as they are.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadChecks } from '../checks/registry.js';
import { testRule } from './policy-test.js';
import { scaffold, writeScaffold } from './scaffold.js';
import { loadTeamRules } from './team.js';

const work = mkdtempSync(join(tmpdir(), 'evident-scaffold-'));
after(() => rmSync(work, { recursive: true, force: true }));

for (const [input, type] of [
  ['terraform', 'aws_s3_bucket'],
  ['terraform', 'data.aws_iam_policy_document'],
  ['kubernetes', 'Deployment'],
] as const) {
  for (const builtIn of [false, true]) {
    test(`scaffold ${input} ${type}${builtIn ? ' (built-in)' : ''} passes policy test`, async () => {
      const id = `acme.${type.replace(/[^a-z]+/gi, '-').toLowerCase()}${builtIn ? '-b' : ''}`;
      const dir = join(work, id);
      const s = scaffold({ id, input, type, builtIn });
      writeScaffold(s, join(dir, `${id}.yaml`), join(dir, id));
      const [rule] = await loadTeamRules([dir], { builtIns: await loadChecks() });
      assert.ok(rule);
      assert.equal(Object.keys(rule.check.mappings).length > 0, builtIn, 'built-in rules carry mappings');
      const r = await testRule(rule, (p) => p);
      assert.ok(r.ok, JSON.stringify(r, null, 1));
      assert.throws(() => writeScaffold(s, join(dir, `${id}.yaml`), join(dir, id)), /already exists/);
    });
  }
}

test('bad ids, inputs and types are usage errors', () => {
  assert.throws(() => scaffold({ id: 'NoDomain', input: 'terraform', type: 'aws_x' }), /not a rule id/);
  assert.throws(() => scaffold({ id: 'acme.x', input: 'cdk', type: 'aws_x' }), /unknown input/);
  assert.throws(() => scaffold({ id: 'acme.x', input: 'terraform', type: 'aws x' }), /not a resource type/);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadChecks } from '../../src/checks/registry.js';
import { parseControlMap } from '../../src/control-map/index.js';
import { parseRuleText } from '../../src/policy/rule-file.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('the control map shown in README.md is valid against the built-in checks and catalogs', async () => {
  const section = readme.slice(readme.indexOf('## The control map'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'README.md has a yaml block under "## The control map"');
  const map = parseControlMap(block, 'README.md', { checks: await loadChecks() });
  assert.deepEqual(
    map.controls.map((c) => c.id),
    ['ENC-1', 'IR-1'],
  );
  assert.equal(map.waivers.length, 1);
});

test('README.md names the two commands CI and a new user run', () => {
  assert.match(readme, /npm ci && npm run example/);
  assert.match(readme, /^npm test$/m);
  const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
  assert.match(ci, /^npm test$/m);
});

test('the team rule shown in README.md is a valid rule and the workflow commands exist', () => {
  const section = readme.slice(readme.indexOf('## Team policies'), readme.indexOf('## The control map'));
  const block = /```yaml\n# (\S+)\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'README.md shows a team rule under "## Team policies"');
  const rule = parseRuleText(block[2]!, block[1]!);
  assert.equal(rule.id, 'acme.buckets-have-owner');
  assert.match(section, /evident policy new acme\.buckets-have-owner --input terraform --type aws_s3_bucket/);
  assert.match(section, /evident policy test/);
});

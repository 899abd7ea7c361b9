// Conformance of every built-in check (DESIGN.md "A check is one folder"): metadata, fixture
// inventory, and each fixture run through the real source compared with expected.json exactly.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { checkInputs } from '../../src/adapters/registry.js';
import { CHECKS_DIR, checkDir, loadChecks, RULES_DIR } from '../../src/checks/registry.js';
import type { CheckDefinition } from '../../src/core/check.js';
import type { Facts } from '../../src/core/facts.js';
import { FRAMEWORK_IDS, type FrameworkId } from '../../src/core/framework-id.js';
import { SEVERITIES } from '../../src/core/outcome.js';
import { loadCatalog } from '../../src/frameworks/catalog.js';
import { checkAttributePaths, knownPathsByType } from '../../src/policy/attribute-paths.js';
import { compareFixture, FIXTURE_NAME, loadFixture, prefixOutcome } from '../../src/policy/fixtures.js';
import { isRuleCheck, type RuleCheckDefinition } from '../../src/policy/rule-check.js';
import { SOURCES, sourceById } from '../../src/sources/registry.js';
import {
  describeErrors,
  inputKindOf,
  outcomesByAddress,
  runCheck,
  runCheckOnFile,
  TRIVY_CHECKS_DIR,
} from './run-fixture.js';

const checks = await loadChecks();
const EXPECTED_OUTCOMES = new Set(['pass', 'fail', 'unknown', 'not-applicable']);

test('registry: every check folder exports a check whose id is <domain>.<slug>', async () => {
  let folders = 0;
  for (const domain of readdirSync(CHECKS_DIR, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    for (const slug of readdirSync(join(CHECKS_DIR, domain.name), { withFileTypes: true })) {
      const file = join(CHECKS_DIR, domain.name, slug.name, 'check.ts');
      if (!slug.isDirectory() || !existsSync(file)) continue;
      folders++;
      const mod = (await import(pathToFileURL(file).href)) as { check?: CheckDefinition };
      assert.equal(mod.check?.id, `${domain.name}.${slug.name}`, `${file}: id must equal the folder path`);
    }
  }
  for (const domain of readdirSync(RULES_DIR, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    for (const slug of readdirSync(join(RULES_DIR, domain.name), { withFileTypes: true })) {
      if (!slug.isDirectory()) continue;
      assert.ok(
        existsSync(join(RULES_DIR, domain.name, slug.name, 'rule.yaml')),
        `${domain.name}/${slug.name}: rule.yaml`,
      );
      folders++;
      const rule = checks.find((c) => c.id === `${domain.name}.${slug.name}`);
      assert.ok(
        rule && isRuleCheck(rule),
        `src/rules/${domain.name}/${slug.name}: a rule whose id is its folder path`,
      );
    }
  }
  assert.equal(
    checks.length,
    folders,
    'loadChecks() must return one check per folder (check.ts or rule.yaml)',
  );
});

function assertMetadata(check: CheckDefinition): void {
  assert.match(check.id, /^[a-z0-9]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id is <domain>.<kebab-slug>');
  for (const field of ['title', 'rationale', 'remediation'] as const) {
    assert.equal(typeof check[field], 'string', `${field} is a string`);
    assert.ok(check[field].trim().length >= 10, `${field} is a real sentence (>= 10 chars)`);
  }
  assert.ok(
    SEVERITIES.includes(check.severity),
    `severity '${check.severity}' is one of ${SEVERITIES.join(', ')}`,
  );
  assert.ok(
    SOURCES.some((s) => s.facts === check.input),
    `input '${check.input}' is a facts family a registered source fills`,
  );
  assert.equal(typeof check.evaluate, 'function', 'evaluate is a function');
  const frameworks = Object.keys(check.mappings) as FrameworkId[];
  assert.ok(frameworks.length > 0, 'mappings name at least one framework');
  for (const fw of frameworks) {
    assert.ok(FRAMEWORK_IDS.includes(fw), `mapping framework '${fw}' is one of ${FRAMEWORK_IDS.join(', ')}`);
    const ids = check.mappings[fw] ?? [];
    assert.ok(ids.length > 0, `mappings.${fw} is non-empty`);
    assert.equal(new Set(ids).size, ids.length, `mappings.${fw} has no duplicates`);
    const catalog = loadCatalog(fw);
    for (const id of ids)
      assert.ok(catalog.byId.has(id), `mappings.${fw}: '${id}' is not a ${fw} requirement ID`);
  }
  for (const p of check.trivyEquivalents ?? []) {
    assert.ok(
      existsSync(join(TRIVY_CHECKS_DIR, `${p}.yaml`)),
      `trivyEquivalents: ${p}.yaml exists in the corpus`,
    );
  }
  for (const ref of check.references ?? []) assert.match(ref, /^https:\/\//, 'references are https URLs');
}

type Expected = Record<string, Record<string, string>>;

/**
 * A rule file's fixtures: every subject of the rule's types must have the outcome the fixture's
 * prefix states unless expected.json refines it (src/policy/fixtures.ts), a fail fixture has exactly
 * one fail (one violation per fail file), and the rule reads no attribute its fixtures lack.
 */
async function ruleConformance(
  t: import('node:test').TestContext,
  check: RuleCheckDefinition,
): Promise<void> {
  await t.test('metadata', () => assertMetadata(check));
  const dir = checkDir(check);
  const fixturesDir = join(dir, 'fixtures');
  const fixtures = existsSync(fixturesDir) ? readdirSync(fixturesDir).sort() : [];
  const expectedPath = join(dir, 'expected.json');
  const expected: Expected = existsSync(expectedPath)
    ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected)
    : {};
  await t.test('fixture inventory', () => {
    assert.ok(
      fixtures.some((f) => f.startsWith('pass-')),
      'at least one pass-* fixture',
    );
    assert.ok(
      fixtures.some((f) => f.startsWith('fail-')),
      'at least one fail-* fixture',
    );
    for (const f of fixtures) {
      assert.match(f, FIXTURE_NAME, `fixture name ${f}`);
      const kind = inputKindOf(f);
      const inputs = checkInputs(check);
      assert.ok(
        kind !== undefined && inputs.includes(sourceById(kind).facts),
        `${f}: a rule over ${inputs.join(', ')} cannot read it`,
      );
    }
    for (const name of Object.keys(expected))
      assert.ok(fixtures.includes(name), `expected.json names ${name}, which is not a fixture`);
  });
  const allFacts: Facts[] = [];
  for (const f of fixtures) {
    await t.test(f, async () => {
      const loaded = await loadFixture(join(fixturesDir, f));
      allFacts.push(loaded.facts);
      assert.equal(describeErrors(loaded.diagnostics), '', `${f} must load without error diagnostics`);
      const results = runCheck(check, loaded.facts);
      const mismatches = compareFixture(check, loaded.facts, results, f, expected[f]);
      assert.deepEqual(mismatches, [], `${check.id} on ${f}: outcomes differ from what the fixture states`);
      const outcomes = results.map((r) => r.outcome);
      if (prefixOutcome(f) === 'fail')
        assert.equal(outcomes.filter((o) => o === 'fail').length, 1, `${f}: exactly one fail`);
      if (prefixOutcome(f) !== 'not-applicable')
        assert.ok(results.length > 0, `${f}: judges at least one subject`);
      for (const r of results)
        assert.ok(r.message.trim().length >= 5, `${r.subject.address}: result has a message`);
      assert.deepEqual(runCheck(check, loaded.facts), results, 'evaluate is deterministic');
    });
  }
  await t.test('attribute paths exist in the fixtures', () => {
    const issues = checkAttributePaths(check.rule, check.resourceTypes, knownPathsByType(allFacts));
    assert.deepEqual(
      issues.map((i) => `${check.rule.file}:${i.line}:${i.column}: ${i.message}`),
      [],
    );
  });
}

for (const check of checks) {
  if (isRuleCheck(check)) {
    test(check.id, (t) => ruleConformance(t, check));
    continue;
  }
  test(check.id, async (t) => {
    await t.test('metadata', () => assertMetadata(check));

    const dir = checkDir(check);
    const fixturesDir = join(dir, 'fixtures');
    const fixtures = existsSync(fixturesDir) ? readdirSync(fixturesDir).sort() : [];
    const expectedPath = join(dir, 'expected.json');
    const expected: Expected = existsSync(expectedPath)
      ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected)
      : {};

    await t.test('fixture inventory', () => {
      assert.ok(existsSync(expectedPath), 'expected.json exists');
      assert.ok(
        fixtures.some((f) => f.startsWith('pass-')),
        'at least one pass-* fixture',
      );
      assert.ok(
        fixtures.some((f) => f.startsWith('fail-')),
        'at least one fail-* fixture',
      );
      for (const f of fixtures) {
        assert.match(
          f,
          /^(pass|fail)-[a-z0-9-]+\.(tf|plan\.json|ya?ml|cfn\.(ya?ml|json)|template)$/,
          `fixture name ${f}`,
        );
        const kind = inputKindOf(f);
        const inputs = checkInputs(check);
        const fitsInput = kind !== undefined && inputs.includes(sourceById(kind).facts);
        assert.ok(
          fitsInput,
          `${f}: a check over ${inputs.join(', ')} cannot read a ${kind ?? 'unknown'} fixture`,
        );
        assert.ok(f in expected, `${f} has an expected.json entry`);
      }
      for (const name of Object.keys(expected))
        assert.ok(fixtures.includes(name), `expected.json names ${name}, which is not a fixture`);
      for (const [name, map] of Object.entries(expected)) {
        const outcomes = Object.values(map);
        for (const o of outcomes) assert.ok(EXPECTED_OUTCOMES.has(o), `${name}: '${o}' is not an outcome`);
        const fails = outcomes.filter((o) => o === 'fail').length;
        if (name.startsWith('fail-')) assert.equal(fails, 1, `${name}: a fail fixture has exactly one fail`);
        if (name.startsWith('pass-')) assert.equal(fails, 0, `${name}: a pass fixture has no fail`);
      }
    });

    for (const f of fixtures) {
      await t.test(f, async () => {
        const run = await runCheckOnFile(check, join(fixturesDir, f));
        const errors = describeErrors(run.diagnostics);
        assert.equal(errors, '', `${f} must load without error diagnostics`);
        const actual = outcomesByAddress(run.results);
        assert.deepEqual(actual, expected[f] ?? {}, `${check.id} on ${f}: results differ from expected.json`);
        for (const r of run.results) {
          assert.ok(r.message.trim().length > 0, `${r.subject.address}: result has a message`);
          if (r.outcome === 'fail' || r.outcome === 'unknown') {
            assert.ok(
              r.message.length >= 10,
              `${r.subject.address}: ${r.outcome} message says what was observed`,
            );
          }
        }
        // Purity: a second evaluation over the same facts gives the same results.
        assert.deepEqual(runCheck(check, run.facts), run.results, 'evaluate is deterministic');
      });
    }
  });
}

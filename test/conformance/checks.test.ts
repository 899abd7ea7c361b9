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
import { needsCorpora } from '../support/corpora.js';
import {
  type CheckFixtureContext,
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
  for (const ref of check.references ?? []) assert.match(ref, /^https:\/\//, 'references are https URLs');
}

test('every trivyEquivalents entry names a file of the trivy-checks corpus', {
  skip: needsCorpora('trivy-checks'),
}, () => {
  for (const check of checks) {
    for (const p of check.trivyEquivalents ?? []) {
      assert.ok(
        existsSync(join(TRIVY_CHECKS_DIR, `${p}.yaml`)),
        `${check.id}: trivyEquivalents: ${p}.yaml exists in the corpus`,
      );
    }
  }
});

/**
 * expected.json: per fixture, outcome by subject address; the optional `$errors` key lists the
 * error diagnostic codes the fixture must produce (an input the platform rejects: E_INPUT_INVALID).
 */
type Expected = Record<string, Record<string, string | string[]>>;

/** The outcome part of an expected.json entry (without `$errors`). */
function outcomesOf(entry: Record<string, string | string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry ?? {})) if (k !== '$errors' && typeof v === 'string') out[k] = v;
  return out;
}

/**
 * The fixture's name states its outcome (DESIGN.md "fixtures whose names say the expected result"):
 * `fail-*` has at least one fail (one violation per fail file; a violation is reported on each
 * resource it concerns, e.g. a policy attachment and the role receiving it); `unknown-*` has no fail and at least
 * one unknown; `pass-*` has at least one pass and nothing else but not-applicable; `na-*` has no
 * result other than not-applicable (the check does not apply to anything in it).
 */
function assertPrefixMatches(name: string, outcomes: readonly string[]): void {
  const n = (o: string) => outcomes.filter((x) => x === o).length;
  const prefix = name.slice(0, name.indexOf('-'));
  if (prefix === 'fail') assert.ok(n('fail') > 0, `${name}: a fail fixture has at least one fail`);
  else if (prefix === 'unknown') {
    assert.equal(n('fail'), 0, `${name}: an unknown fixture has no fail`);
    assert.ok(n('unknown') > 0, `${name}: an unknown fixture has at least one unknown`);
  } else if (prefix === 'pass') {
    assert.ok(n('pass') > 0, `${name}: a pass fixture has at least one pass`);
    assert.equal(n('fail') + n('unknown'), 0, `${name}: a pass fixture has only pass results`);
  } else if (prefix === 'na') {
    assert.equal(
      outcomes.length,
      n('not-applicable'),
      `${name}: an na fixture has no result but not-applicable`,
    );
  } else assert.fail(`${name}: unknown fixture prefix '${prefix}'`);
}

/** The check names the adversarial classes its fixtures cover, each with fixtures that exist. */
function assertAdversarial(check: CheckDefinition, fixtures: readonly string[]): void {
  const classes = Object.entries(check.adversarial ?? {});
  assert.ok(classes.length >= 1, 'adversarial: name the classes of attacker inputs the fixtures cover');
  for (const [cls, names] of classes) {
    assert.ok((names ?? []).length > 0, `adversarial.${cls} names at least one fixture`);
    for (const n of names ?? []) assert.ok(fixtures.includes(n), `adversarial.${cls}: ${n} is not a fixture`);
  }
}

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
    assertAdversarial(check, fixtures);
  });
  const allFacts: Facts[] = [];
  for (const f of fixtures) {
    await t.test(f, async () => {
      const loaded = await loadFixture(join(fixturesDir, f));
      allFacts.push(loaded.facts);
      assert.equal(describeErrors(loaded.diagnostics), '', `${f} must load without error diagnostics`);
      const results = runCheck(check, loaded.facts);
      const mismatches = compareFixture(check, loaded.facts, results, f, outcomesOf(expected[f]));
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
    const contextPath = join(dir, 'context.json');
    const context: CheckFixtureContext = existsSync(contextPath)
      ? (JSON.parse(readFileSync(contextPath, 'utf8')) as CheckFixtureContext)
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
        assert.match(f, FIXTURE_NAME, `fixture name ${f}`);
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
      assertAdversarial(check, fixtures);
      for (const [name, map] of Object.entries(expected)) {
        const outcomes = Object.values(outcomesOf(map));
        for (const o of outcomes) assert.ok(EXPECTED_OUTCOMES.has(o), `${name}: '${o}' is not an outcome`);
        assertPrefixMatches(name, outcomes);
      }
    });

    for (const f of fixtures) {
      await t.test(f, async () => {
        const run = await runCheckOnFile(check, join(fixturesDir, f), context, dir);
        const wanted = (expected[f]?.$errors ?? []) as string[];
        const errors = describeErrors(run.diagnostics.filter((d) => !wanted.includes(d.code)));
        assert.equal(errors, '', `${f} must load without error diagnostics`);
        for (const code of wanted)
          assert.ok(
            run.diagnostics.some((d) => d.severity === 'error' && d.code === code),
            `${f}: expected an error diagnostic ${code}`,
          );
        const actual = outcomesByAddress(run.results);
        assert.deepEqual(
          actual,
          outcomesOf(expected[f]),
          `${check.id} on ${f}: results differ from expected.json`,
        );
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
        assert.deepEqual(
          runCheck(check, run.facts, context.clock?.[f]),
          run.results,
          'evaluate is deterministic',
        );
      });
    }
  });
}

// `evident policy test`: runs every team rule's fixtures (like `conftest verify` / `kyverno test`)
// and reports, per rule, which fixture disagrees with what its name states, naming the resource.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import {
  compareFixture,
  type ExpectedOutcomes,
  FIXTURE_NAME,
  judgeFixture,
  loadFixture,
  readExpected,
} from './fixtures.js';
import type { TeamRule } from './team.js';

/** The verdict on one fixture of a rule. */
export interface FixtureReport {
  fixture: string;
  ok: boolean;
  /** One line per problem: `aws_s3_bucket.b: expected fail, got pass (message)`. */
  problems: string[];
}

/** The verdict on one rule: ok when it has pass and fail fixtures and every fixture agrees. */
export interface RuleTestReport {
  id: string;
  file: string;
  ok: boolean;
  fixtures: FixtureReport[];
  /** Problems of the rule's fixture set itself (no pass fixture, a stray file, a bad expected.json). */
  problems: string[];
}

function errorsOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`);
}

/** Runs the fixtures of one team rule (see docs/policies.md "Testing rules"). Never throws for bad fixtures. */
export async function testRule(rule: TeamRule, display: (p: string) => string): Promise<RuleTestReport> {
  const report: RuleTestReport = {
    id: rule.check.id,
    file: display(rule.file),
    ok: true,
    fixtures: [],
    problems: [],
  };
  const dir = rule.fixturesDir;
  const names = existsSync(dir) ? readdirSync(dir).sort() : [];
  let expected: ExpectedOutcomes = {};
  if (names.includes('expected.json')) {
    try {
      expected = readExpected(join(dir, 'expected.json'));
    } catch (e) {
      report.problems.push((e as Error).message);
    }
  }
  const fixtures = names.filter((n) => n !== 'expected.json');
  for (const n of fixtures)
    if (!FIXTURE_NAME.test(n))
      report.problems.push(
        `${display(join(dir, n))}: fixture names start with pass-, fail-, unknown- or na-`,
      );
  if (!fixtures.some((n) => n.startsWith('pass-')))
    report.problems.push(`no pass-* fixture in ${display(dir)}/: add an input the rule must pass`);
  if (!fixtures.some((n) => n.startsWith('fail-')))
    report.problems.push(`no fail-* fixture in ${display(dir)}/: add an input the rule must fail`);
  for (const name of Object.keys(expected))
    if (!fixtures.includes(name)) report.problems.push(`expected.json names ${name}, which is not a fixture`);
  for (const name of fixtures.filter((n) => FIXTURE_NAME.test(n))) {
    const fr: FixtureReport = { fixture: name, ok: true, problems: [] };
    try {
      const loaded = await loadFixture(join(dir, name));
      fr.problems.push(...errorsOf(loaded.diagnostics));
      const results = judgeFixture(rule.check, loaded.facts);
      const mismatches = compareFixture(rule.check, loaded.facts, results, name, expected[name]);
      for (const m of mismatches)
        fr.problems.push(
          `${m.address}: expected ${m.expected}, got ${m.actual}${m.message ? ` (${m.message})` : ''}`,
        );
      if (results.length === 0 && mismatches.length === 0 && !name.startsWith('na-'))
        fr.problems.push(`no ${rule.check.resourceTypes.join('/')} in this file: the fixture tests nothing`);
    } catch (e) {
      fr.problems.push((e as Error).message);
    }
    fr.ok = fr.problems.length === 0;
    report.fixtures.push(fr);
  }
  report.ok = report.problems.length === 0 && report.fixtures.every((f) => f.ok);
  return report;
}

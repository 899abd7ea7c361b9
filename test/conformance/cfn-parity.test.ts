// CloudFormation/Terraform parity (issue 8): one rule gives the same verdicts on CloudFormation and on
// Terraform of the same infrastructure. Every fixture pair `<name>.tf` + `<name>.cfn.yaml` (or
// `.cfn.yml`, `.cfn.json`) of a check is loaded through the real sources, the check runs on both, and
// the outcome per subject must be identical unless listed in DIVERGENCES with the reason. Subjects are matched by name: the Terraform resource
// `aws_s3_bucket.customer_data` is the CloudFormation logical id `CustomerData` (PascalCase of the
// Terraform name, the convention the twin fixtures follow).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkDir, loadChecks } from '../../src/checks/registry.js';
import { describeErrors, outcomesByAddress, runCheckOnFile } from './run-fixture.js';

const CFN = /\.cfn\.(ya?ml|json)$/;

/** `aws_s3_bucket.customer_data` → `CustomerData`. */
export function twinLogicalId(tfAddress: string): string {
  const name = tfAddress.slice(tfAddress.lastIndexOf('.') + 1);
  return name
    .split(/[_-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** An allowed, explained difference for one subject of one pair; the test fails when it no longer happens. */
interface Divergence {
  checkId: string;
  cfn: string;
  logicalId: string;
  cfnOutcome: string;
  tfOutcome: string;
  reason: string;
}

/**
 * Listed divergences (none today). An input whose honest outcome differs from its Terraform twin's gets
 * a fixture of its own name instead: RDS `PubliclyAccessible` left out is `unknown` in CloudFormation
 * (RDS then decides by the VPC's internet gateway; the Terraform provider sends false), see
 * src/rules/aws/rds-not-publicly-accessible/fixtures/unknown-public-access-unset.cfn.yaml.
 */
const DIVERGENCES: readonly Divergence[] = [];
const seenDivergences = new Set<Divergence>();

const checks = await loadChecks();
const tally = { pairs: 0, subjects: 0, checks: new Set<string>() };

for (const check of checks) {
  const dir = join(checkDir(check), 'fixtures');
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  const pairs = files
    .filter((f) => CFN.test(f))
    .map((f) => ({ cfn: f, tf: f.replace(CFN, '.tf') }))
    .filter((p) => files.includes(p.tf));
  if (pairs.length === 0) continue;
  test(`cloudformation parity: ${check.id}`, async (t) => {
    for (const pair of pairs) {
      await t.test(`${pair.cfn} vs ${pair.tf}`, async () => {
        const cfnRun = await runCheckOnFile(check, join(dir, pair.cfn));
        assert.equal(describeErrors(cfnRun.diagnostics), '', `${pair.cfn} loads without error diagnostics`);
        const tfRun = await runCheckOnFile(check, join(dir, pair.tf));
        assert.equal(describeErrors(tfRun.diagnostics), '', `${pair.tf} loads without error diagnostics`);
        const cfn = outcomesByAddress(cfnRun.results);
        const tf = Object.fromEntries(
          Object.entries(outcomesByAddress(tfRun.results)).map(([a, o]) => [twinLogicalId(a), o]),
        );
        const unexplained: string[] = [];
        for (const id of [...new Set([...Object.keys(cfn), ...Object.keys(tf)])].sort()) {
          const c = cfn[id] ?? 'absent';
          const t = tf[id] ?? 'absent';
          if (c === t) continue;
          const listed = DIVERGENCES.find(
            (d) => d.checkId === check.id && d.cfn === pair.cfn && d.logicalId === id,
          );
          if (listed && listed.cfnOutcome === c && listed.tfOutcome === t) seenDivergences.add(listed);
          else unexplained.push(`${id}: CloudFormation ${c}, Terraform ${t}`);
        }
        assert.deepEqual(unexplained, [], `${check.id}: ${pair.cfn} and ${pair.tf} give the same verdicts`);
        assert.ok(
          cfnRun.results.every((r) => r.subject.kind === 'cloudformation'),
          'the CloudFormation twin is judged as CloudFormation',
        );
        tally.pairs++;
        tally.subjects += Object.keys(cfn).length;
        tally.checks.add(check.id);
      });
    }
  });
}

test('cloudformation parity: summary', () => {
  console.log(
    `cloudformation parity: ${tally.pairs} twin pairs of ${tally.checks.size} checks compared (${tally.subjects} subjects), ${seenDivergences.size} listed divergences`,
  );
  const stale = DIVERGENCES.filter((d) => !seenDivergences.has(d)).map(
    (d) => `${d.checkId} ${d.cfn} ${d.logicalId}`,
  );
  assert.deepEqual(stale, [], 'DIVERGENCES entries that no longer diverge (remove them)');
  assert.ok(
    tally.pairs >= 50,
    `at least 50 CloudFormation/Terraform twin pairs compared, found ${tally.pairs}`,
  );
});

// Plan/HCL parity (issue goal): the same check gives the same verdict on `terraform show -json` output
// and on the HCL of the same infrastructure. Every fixture pair `<name>.tf` + `<name>.plan.json` of a
// check (plus the renamed and multi-file pairs below) is loaded through the real sources, the check runs
// on both, and the outcome per subject address must be identical unless listed in DIVERGENCES.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { checkDir, loadChecks } from '../../src/checks/registry.js';
import type { CheckDefinition } from '../../src/core/check.js';
import { loadTerraform } from '../../src/sources/terraform/index.js';
import { describeErrors, outcomesByAddress, runCheck, runCheckOnFile } from './run-fixture.js';

/** Outcome per subject address (an expected.json entry's shape). */
type Outcomes = Record<string, string>;

/** One plan/HCL pair: the plan fixture and where its HCL twin comes from. */
interface Pair {
  checkId: string;
  /** Plan fixture file name in the check's fixtures folder. */
  plan: string;
  /** HCL twin: a fixture file name in the same folder, or files (relative path → content) of a module tree. */
  hcl: string | Record<string, string>;
}

/** An allowed, explained difference for one subject of one pair (`absent` = not a subject there). */
interface Divergence {
  checkId: string;
  plan: string;
  address: string;
  hcl: string;
  planOutcome: string;
  reason: string;
}

/**
 * Pairs whose plan fixture cannot share the HCL fixture's name: the plan's honest outcome is `unknown`,
 * and a `fail-*` fixture must hold exactly one fail (checks.test.ts), so the plan twin is `unknown-*`.
 */
const RENAMED_TWINS: readonly Pair[] = [
  {
    checkId: 'aws.ebs-volume-encrypted',
    plan: 'unknown-not-set-plan-unknown.plan.json',
    hcl: 'fail-not-set.tf',
  },
  {
    checkId: 'aws.rds-storage-encrypted',
    plan: 'unknown-instance-default-plan-unknown.plan.json',
    hcl: 'fail-instance-default.tf',
  },
];

/** Pairs whose HCL needs more than one file (a child module): the HCL lives here, the plan in fixtures/. */
const MODULE_TWINS: readonly Pair[] = [
  {
    checkId: 'aws.security-group-no-public-admin-ports',
    plan: 'fail-module-for-each-rules.plan.json',
    hcl: {
      'main.tf': `module "edge" {
  source            = "./modules/edge-rules"
  security_group_id = "sg-0fedcba9876543210"
}
`,
      'modules/edge-rules/main.tf': `variable "security_group_id" {
  type = string
}

locals {
  ports = { https = 443, ssh = 22 }
}

resource "aws_security_group_rule" "public" {
  for_each          = local.ports
  type              = "ingress"
  security_group_id = var.security_group_id
  from_port         = each.value
  to_port           = each.value
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  description       = "public \${each.key}"
}
`,
    },
  },
];

/** Same-named fixtures that describe different infrastructure, so they are not compared. */
const NOT_TWINS: readonly { checkId: string; plan: string; reason: string }[] = [
  {
    checkId: 'gcp.firewall-no-internet-ssh-rdp',
    plan: 'fail-ssh-open.plan.json',
    reason:
      'the plan holds module.network.google_compute_firewall.ssh["bastion"] (for_each in a child module), the .tf a root google_compute_firewall.ssh_anywhere: same violation, different configuration',
  },
];

/** Listed divergences; the test fails on any other difference and on an entry that no longer happens. */
const DIVERGENCES: readonly Divergence[] = [
  {
    checkId: 'aws.ebs-volume-encrypted',
    plan: 'unknown-not-set-plan-unknown.plan.json',
    address: 'aws_ebs_volume.logs',
    hcl: 'fail',
    planOutcome: 'unknown',
    reason:
      'aws_ebs_volume.encrypted is Optional+Computed: left unset, the plan marks it known after apply (the region default aws_ebs_encryption_by_default decides), while the HCL source applies the documented default false',
  },
  {
    checkId: 'aws.rds-storage-encrypted',
    plan: 'unknown-instance-default-plan-unknown.plan.json',
    address: 'aws_db_instance.legacy',
    hcl: 'fail',
    planOutcome: 'unknown',
    reason:
      'aws_db_instance.snapshot_identifier is Optional+Computed, so every planned instance has it unknown; the check reads an unknown snapshot_identifier as "maybe restored from an encrypted snapshot" even when the configuration never sets it (no expression, no references)',
  },
];

const checks = await loadChecks();
const byId = new Map(checks.map((c) => [c.id, c]));
const seenDivergences = new Set<Divergence>();
const seenNotTwins = new Set<string>();
const tally = { pairs: 0, agreeing: 0, divergent: 0, subjects: 0 };

/** Every name-matched pair of a check, plus the listed renamed and module twins. */
function pairsOf(check: CheckDefinition): Pair[] {
  const dir = join(checkDir(check), 'fixtures');
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  const out: Pair[] = [];
  for (const f of files) {
    if (!f.endsWith('.plan.json')) continue;
    const tf = f.replace(/\.plan\.json$/, '.tf');
    if (!files.includes(tf)) continue;
    if (NOT_TWINS.some((n) => n.checkId === check.id && n.plan === f)) {
      seenNotTwins.add(`${check.id}/${f}`);
      continue;
    }
    out.push({ checkId: check.id, plan: f, hcl: tf });
  }
  for (const p of [...RENAMED_TWINS, ...MODULE_TWINS]) if (p.checkId === check.id) out.push(p);
  return out;
}

/** Loads a module tree written to a temporary directory with the real HCL source and runs the check. */
async function runOnTree(check: CheckDefinition, files: Record<string, string>): Promise<Outcomes> {
  const dir = mkdtempSync(join(tmpdir(), 'evident-parity-'));
  try {
    const dirs = new Set<string>();
    for (const [rel, content] of Object.entries(files)) {
      const file = join(dir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      dirs.add(dirname(file));
    }
    const r = await loadTerraform(dir, [...dirs].sort());
    assert.equal(describeErrors(r.diagnostics), '', 'module tree loads without error diagnostics');
    return outcomesByAddress(
      runCheck(check, {
        terraform: r.facts,
        cloudformation: [],
        kubernetes: [],
        secrets: [],
        dependencies: [],
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const check of checks) {
  const pairs = pairsOf(check);
  if (pairs.length === 0) continue;
  test(`plan parity: ${check.id}`, async (t) => {
    const fixtures = join(checkDir(check), 'fixtures');
    for (const pair of pairs) {
      const label = `${pair.plan} vs ${typeof pair.hcl === 'string' ? pair.hcl : 'module tree'}`;
      await t.test(label, async () => {
        const planRun = await runCheckOnFile(check, join(fixtures, pair.plan));
        assert.equal(describeErrors(planRun.diagnostics), '', `${pair.plan} loads without error diagnostics`);
        const planOut = outcomesByAddress(planRun.results);
        let hclOut: Outcomes;
        if (typeof pair.hcl === 'string') {
          const hclRun = await runCheckOnFile(check, join(fixtures, pair.hcl));
          assert.equal(describeErrors(hclRun.diagnostics), '', `${pair.hcl} loads without error diagnostics`);
          hclOut = outcomesByAddress(hclRun.results);
        } else {
          hclOut = await runOnTree(check, pair.hcl);
        }
        assert.ok(
          Object.keys(hclOut).length + Object.keys(planOut).length > 0,
          'the check has at least one subject in the pair (otherwise the pair proves nothing)',
        );
        tally.pairs++;
        const unexplained: string[] = [];
        const addresses = [...new Set([...Object.keys(hclOut), ...Object.keys(planOut)])].sort();
        tally.subjects += addresses.length;
        for (const address of addresses) {
          const h = hclOut[address] ?? 'absent';
          const p = planOut[address] ?? 'absent';
          if (h === p) continue;
          const listed = DIVERGENCES.find(
            (d) => d.checkId === check.id && d.plan === pair.plan && d.address === address,
          );
          if (listed && listed.hcl === h && listed.planOutcome === p) seenDivergences.add(listed);
          else unexplained.push(`${address}: HCL ${h}, plan ${p}`);
        }
        const divergent = addresses.some((a) => (hclOut[a] ?? 'absent') !== (planOut[a] ?? 'absent'));
        if (divergent) tally.divergent++;
        else tally.agreeing++;
        assert.deepEqual(unexplained, [], `${check.id} ${label}: unlisted plan/HCL divergence`);
      });
    }
  });
}

test('plan parity: exception lists are current', () => {
  for (const p of [...RENAMED_TWINS, ...MODULE_TWINS]) {
    const check = byId.get(p.checkId);
    assert.ok(check, `listed pair names unknown check ${p.checkId}`);
    const fixtures = join(checkDir(check), 'fixtures');
    assert.ok(existsSync(join(fixtures, p.plan)), `${p.checkId}: listed plan fixture ${p.plan} exists`);
    if (typeof p.hcl === 'string')
      assert.ok(existsSync(join(fixtures, p.hcl)), `${p.checkId}: listed HCL fixture ${p.hcl} exists`);
  }
  for (const n of NOT_TWINS)
    assert.ok(seenNotTwins.has(`${n.checkId}/${n.plan}`), `stale NOT_TWINS entry ${n.checkId}/${n.plan}`);
  const stale = DIVERGENCES.filter((d) => !seenDivergences.has(d)).map(
    (d) => `${d.checkId} ${d.plan} ${d.address}`,
  );
  assert.deepEqual(stale, [], 'DIVERGENCES entries that no longer diverge (remove them)');
  assert.ok(tally.pairs >= 14, `at least 14 plan/HCL pairs compared, found ${tally.pairs}`);
  console.log(
    `plan parity: ${tally.pairs} pairs compared (${tally.subjects} subjects), ${tally.agreeing} agreeing, ${tally.divergent} with listed divergences (${DIVERGENCES.length} subjects)`,
  );
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { evident, outcomeOf, scanJson } from './helpers.js';

const NOW = '2026-11-21T12:00:00Z';
const work = mkdtempSync(join(tmpdir(), 'evident-e2e-example-'));
after(() => rmSync(work, { recursive: true, force: true }));
const ledger = join(work, 'ledger');

describe('evident scan examples/platform (the README main job)', () => {
  const run = scanJson(['examples/platform', '--now', NOW, '--ledger', ledger]);
  const r = run.result;

  test('exits 1 because the example has deliberate violations', () => {
    assert.equal(run.status, 1, run.stderr);
    assert.equal(r.summary.exitCode, 1);
    assert.equal(r.controlMap.builtIn, false);
    assert.equal(
      r.diagnostics.filter((d) => d.severity === 'error').length,
      0,
      JSON.stringify(r.diagnostics),
    );
  });

  test('reports the deliberate violations by resource address', () => {
    assert.equal(
      outcomeOf(r, 'aws.security-group-no-public-admin-ports', 'aws_security_group_rule.debug_admin'),
      'fail',
    );
    assert.equal(outcomeOf(r, 'aws.iam-no-admin-policy', 'aws_iam_role_policy.ci_admin'), 'fail');
    assert.equal(outcomeOf(r, 'aws.rds-backup-retention', 'aws_db_instance.analytics'), 'fail');
    assert.equal(outcomeOf(r, 'k8s.no-host-namespaces', 'Pod/~/netshoot-debug'), 'fail');
    assert.equal(outcomeOf(r, 'k8s.no-privileged-containers', 'Pod/~/netshoot-debug'), 'fail');
    assert.equal(outcomeOf(r, 'k8s.image-pinned', 'Pod/~/netshoot-debug'), 'fail');
    assert.equal(outcomeOf(r, 'k8s.no-host-path-volumes', 'DaemonSet/observability/log-shipper'), 'fail');
  });

  test('passes what is configured correctly, across companion resources, modules and for_each', () => {
    assert.equal(outcomeOf(r, 'aws.s3-bucket-encrypted', 'aws_s3_bucket.customer_uploads'), 'pass');
    assert.equal(outcomeOf(r, 'aws.s3-block-public-policy', 'aws_s3_bucket.customer_uploads'), 'pass');
    assert.equal(
      outcomeOf(r, 'aws.s3-bucket-encrypted', 'module.audit_logs["cloudtrail"].aws_s3_bucket.this'),
      'pass',
    );
    assert.equal(
      outcomeOf(r, 'aws.s3-bucket-encrypted', 'module.audit_logs["alb"].aws_s3_bucket.this'),
      'pass',
    );
    assert.equal(outcomeOf(r, 'aws.rds-storage-encrypted', 'aws_db_instance.ledger'), 'pass');
    assert.equal(outcomeOf(r, 'aws.rds-storage-encrypted', 'aws_db_instance.analytics'), 'pass');
    assert.equal(outcomeOf(r, 'k8s.cpu-limits-set', 'Pod/~/netshoot-debug'), 'pass');
    assert.equal(outcomeOf(r, 'aws.rds-backup-retention', 'aws_db_instance.ledger'), 'pass');
    assert.equal(outcomeOf(r, 'aws.security-group-no-public-admin-ports', 'aws_security_group.web'), 'pass');
    assert.equal(
      outcomeOf(
        r,
        'aws.security-group-no-public-admin-ports',
        'aws_security_group_rule.bastion_ssh["10.20.0.0/16"]',
      ),
      'pass',
    );
    assert.equal(outcomeOf(r, 'aws.iam-no-admin-policy', 'data.aws_iam_policy_document.deploy'), 'pass');
    assert.equal(outcomeOf(r, 'aws.cloudtrail-log-file-validation', 'aws_cloudtrail.org'), 'pass');
    assert.equal(outcomeOf(r, 'k8s.no-privileged-containers', 'Deployment/payments/payments-api'), 'pass');
    assert.equal(outcomeOf(r, 'k8s.runs-as-non-root', 'CronJob/payments/settlement-report'), 'pass');
  });

  test('applies live waivers and fails again on an expired one', () => {
    const waived = r.findings.find(
      (f) => f.checkId === 'aws.s3-no-public-acl' && f.subject.address === 'aws_s3_bucket.marketing_assets',
    );
    assert.equal(waived?.outcome, 'fail');
    assert.equal(waived?.waiver?.owner, 'alice@acme.example');
    assert.equal(waived?.waiver?.expired, false);
    const expired = r.findings.find(
      (f) => f.checkId === 'aws.rds-backup-retention' && f.subject.address === 'aws_db_instance.analytics',
    );
    assert.equal(expired?.outcome, 'fail');
    assert.equal(expired?.waiver?.expired, true);
    const bak = r.controls.find((c) => c.id === 'BAK-1');
    assert.equal(bak?.status, 'fail');
  });

  test('rolls up to all four frameworks with drill-down', () => {
    assert.deepEqual(
      r.frameworks.map((f) => f.id),
      ['soc2', 'iso27001-2022', 'hipaa', 'gdpr'],
    );
    const soc2 = r.frameworks.find((f) => f.id === 'soc2')!;
    assert.equal(soc2.requirementsTotal, 61);
    assert.equal(soc2.inScope, 60); // PI1.5 declared not applicable
    const cc66 = soc2.requirements.find((q) => q.id === 'CC6.6')!;
    assert.equal(cc66.status, 'fail');
    assert.deepEqual(cc66.controls, ['NET-1']);
    const net = r.controls.find((c) => c.id === 'NET-1')!;
    assert.ok(net.findings.length > 0, 'a failing control lists the findings behind it');
    assert.equal(r.controls.find((c) => c.id === 'IR-1')?.status, 'manual');
    assert.equal(r.controls.find((c) => c.id === 'ENC-1')?.status, 'pass');
    assert.equal(r.controls.find((c) => c.id === 'DATA-1')?.status, 'waived');
    assert.equal(soc2.requirements.find((q) => q.id === 'C1.1')?.status, 'pass');
    assert.ok(soc2.compliancePercent > 0 && soc2.compliancePercent < 100);
    assert.ok(r.inputs.some((i) => i.kind === 'control-map' && /^[0-9a-f]{64}$/.test(i.sha256)));
  });

  test('fingerprints are stable across runs and not line-based', () => {
    const again = scanJson(['examples/platform', '--now', NOW, '--no-evidence']).result;
    assert.deepEqual(
      again.findings.map((f) => f.fingerprint),
      r.findings.map((f) => f.fingerprint),
    );
    assert.equal(new Set(r.findings.map((f) => f.fingerprint)).size, r.findings.length);
  });

  test('--baseline turns the scan into a ratchet; --fail-on sets the threshold', () => {
    const base = join(work, 'baseline.json');
    const write = evident([
      'scan',
      'examples/platform',
      '--now',
      NOW,
      '--no-evidence',
      '-q',
      '-f',
      'json',
      '-o',
      base,
    ]);
    assert.equal(write.status, 1);
    const ratchet = evident([
      'scan',
      'examples/platform',
      '--now',
      NOW,
      '--no-evidence',
      '-q',
      '--baseline',
      base,
    ]);
    assert.equal(ratchet.status, 0, ratchet.stdout);
    const critical = scanJson(['examples/platform', '--now', NOW, '--no-evidence', '--fail-on', 'critical']);
    const anyCritical = critical.result.findings.some(
      (f) => f.severity === 'critical' && f.outcome === 'fail' && (!f.waiver || f.waiver.expired),
    );
    assert.equal(critical.status, anyCritical ? 1 : 0);
  });

  test('renders every format', () => {
    const sarif = JSON.parse(
      evident(['scan', 'examples/platform', '--now', NOW, '--no-evidence', '-q', '-f', 'sarif']).stdout,
    );
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; suppressions?: unknown[] }[];
    assert.ok(results.some((x) => x.ruleId === 'aws.iam-no-admin-policy'));
    assert.ok(results.some((x) => x.ruleId === 'aws.s3-no-public-acl' && x.suppressions?.length));
    // URIs are repository-relative (GitHub resolves them against the repo root), not scan-root-relative
    const uris = sarif.runs[0].results.map(
      (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    assert.ok(
      uris.every((u: string) => u.startsWith('examples/platform/')),
      uris.join(' '),
    );
    const junit = evident([
      'scan',
      'examples/platform',
      '--now',
      NOW,
      '--no-evidence',
      '-q',
      '-f',
      'junit',
    ]).stdout;
    assert.match(junit, /<testsuites[^>]*failures="[1-9]/);
    const md = evident([
      'scan',
      'examples/platform',
      '--now',
      NOW,
      '--no-evidence',
      '-q',
      '-f',
      'markdown',
    ]).stdout;
    assert.match(md, /aws_iam_role_policy\.ci_admin/);
    const table = evident(['scan', 'examples/platform', '--now', NOW, '--no-evidence', '-q']).stdout;
    assert.match(table, /terraform\/network\.tf:\d+/);
    assert.match(table, /NET-1/);
  });

  test('records the run as evidence in the ledger', () => {
    const v = evident(['verify', ledger, '--allow-unsigned']);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.ok(readFileSync(join(ledger, 'checkpoint'), 'utf8').length > 0);
  });
});

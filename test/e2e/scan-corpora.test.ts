import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CORPORA, needsCorpora } from '../support/corpora.js';
import { outcomeOf, scanJson } from './helpers.js';

describe('evident scan ../shared/corpora/terragoat (real, deliberately vulnerable Terraform)', {
  skip: needsCorpora('terragoat'),
}, () => {
  const run = scanJson([join(CORPORA, 'terragoat'), '--no-evidence']);
  const r = run.result;
  const aws = 'terraform/aws';

  test('runs to completion and fails', () => {
    assert.equal(run.status, 1, run.stderr);
    assert.ok(r.inputs.filter((i) => i.kind === 'terraform').length >= 40);
    assert.equal(r.findings.filter((f) => f.outcome === 'error').length, 0, 'no check crashed');
  });

  test('finds the AWS violations a security engineer would report, by resource address', () => {
    assert.equal(outcomeOf(r, 'aws.rds-storage-encrypted', 'aws_db_instance.default', aws), 'fail');
    assert.equal(outcomeOf(r, 'aws.rds-not-publicly-accessible', 'aws_db_instance.default', aws), 'fail');
    assert.equal(outcomeOf(r, 'aws.rds-backup-retention', 'aws_db_instance.default', aws), 'fail');
    assert.equal(
      outcomeOf(r, 'aws.security-group-no-public-admin-ports', 'aws_security_group.web-node', aws),
      'fail',
    );
    // No encryption configuration: S3's SSE-S3 default counts (aws.s3-bucket-encrypted passes with a
    // note), the customer-managed-key rule fails.
    assert.equal(outcomeOf(r, 'aws.s3-bucket-encrypted', 'aws_s3_bucket.data', aws), 'pass');
    assert.equal(outcomeOf(r, 'aws.s3-bucket-encrypted-with-cmk', 'aws_s3_bucket.data', aws), 'fail');
    assert.equal(outcomeOf(r, 'aws.s3-bucket-access-logging', 'aws_s3_bucket.data', aws), 'fail');
    assert.equal(outcomeOf(r, 'aws.ebs-volume-encrypted', 'aws_ebs_volume.web_host_storage', aws), 'fail');
    assert.equal(
      outcomeOf(r, 'aws.iam-policy-no-wildcard-actions', 'aws_iam_user_policy.userpolicy', aws),
      'fail',
    );
  });

  test('finds the Azure and GCP violations', () => {
    assert.equal(
      outcomeOf(
        r,
        'azure.nsg-no-internet-ssh-rdp',
        'azurerm_network_security_group.bad_sg',
        'terraform/azure',
      ),
      'fail',
    );
    assert.equal(
      outcomeOf(r, 'gcp.firewall-no-internet-ssh-rdp', 'google_compute_firewall.allow_all', 'terraform/gcp'),
      'fail',
    );
    assert.equal(
      outcomeOf(
        r,
        'gcp.storage-bucket-not-public',
        'google_storage_bucket_iam_binding.allow_public_read',
        'terraform/gcp',
      ),
      'fail',
    );
  });

  test('points findings at file and line', () => {
    const f = r.findings.find(
      (x) => x.checkId === 'aws.rds-storage-encrypted' && x.subject.address === 'aws_db_instance.default',
    )!;
    assert.equal(f.location.file, 'terraform/aws/db-app.tf');
    assert.ok(f.location.line >= 1 && f.location.line <= 25, `line ${f.location.line}`);
  });
});

describe('evident scan ../shared/corpora/kubernetes-goat (real manifests and Helm charts)', {
  skip: needsCorpora('kubernetes-goat'),
}, () => {
  const run = scanJson([join(CORPORA, 'kubernetes-goat'), '--no-evidence']);
  const r = run.result;
  const monitor = 'Deployment/default/system-monitor-deployment';

  test('runs to completion, skips Helm templates instead of crashing', () => {
    assert.equal(run.status, 1, run.stderr);
    assert.ok(r.skipped.some((s) => s.file.includes('templates/') && /helm/i.test(s.reason)));
    assert.equal(r.findings.filter((f) => f.outcome === 'error').length, 0);
  });

  test('finds the host-escape workload by address', () => {
    assert.equal(outcomeOf(r, 'k8s.no-privileged-containers', monitor), 'fail');
    assert.equal(outcomeOf(r, 'k8s.no-host-namespaces', monitor), 'fail');
    assert.equal(outcomeOf(r, 'k8s.no-host-path-volumes', monitor), 'fail');
    assert.equal(outcomeOf(r, 'k8s.no-privilege-escalation', monitor), 'fail');
    assert.equal(outcomeOf(r, 'k8s.not-in-default-namespace', monitor), 'fail');
    const f = r.findings.find(
      (x) => x.checkId === 'k8s.no-privileged-containers' && x.subject.address === monitor,
    )!;
    assert.equal(f.location.file, 'scenarios/system-monitor/deployment.yaml');
    assert.ok(f.location.line > 12);
  });
});

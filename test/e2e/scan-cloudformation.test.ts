import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CORPORA, needsCorpora } from '../support/corpora.js';
import { outcomeOf, scanJson } from './helpers.js';

describe('evident scan ../shared/corpora/aws-cloudformation-templates (real CloudFormation, YAML and JSON)', {
  skip: needsCorpora('aws-cloudformation-templates'),
}, () => {
  const run = scanJson([join(CORPORA, 'aws-cloudformation-templates'), '--no-evidence']);
  const r = run.result;

  test('reads every template without an input error', () => {
    assert.notEqual(run.status, 2, run.stderr);
    assert.equal(r.inputs.filter((i) => i.kind === 'cloudformation').length, 287);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(r.findings.filter((f) => f.outcome === 'error').length, 0, 'no check crashed');
  });

  test('judges S3 buckets with the same checks as Terraform, at the template line', () => {
    const elb = 'ElasticLoadBalancing/ELB_Access_Logs_And_Connection_Draining.yaml';
    const f = r.findings.find(
      (x) =>
        x.checkId === 'aws.s3-bucket-encrypted' &&
        x.subject.scope === elb &&
        x.subject.address === 'LogsBucket',
    );
    // No BucketEncryption: S3's SSE-S3 default (since 2023-01-05) counts, as for Terraform.
    assert.equal(f?.outcome, 'pass');
    assert.match(f?.message ?? '', /SSE-S3/);
    assert.equal(f?.subject.kind, 'cloudformation');
    assert.equal(f?.subject.type, 'AWS::S3::Bucket');
    assert.deepEqual([f?.subject.location.file, f?.subject.location.line], [elb, 132]);
    assert.equal(outcomeOf(r, 'aws.s3-block-public-acls', 'LogsBucket', elb), 'fail');
    assert.equal(outcomeOf(r, 'aws.s3-no-public-acl', 'LogsBucket', elb), 'pass', 'AccessControl: Private');
    // The policy's principal is !FindInMap [Region2ELBAccountId, !Ref AWS::Region, AccountId]: unknown
    // until the region is given.
    const policy = r.findings.find(
      (x) => x.checkId === 'aws.s3-bucket-policy-not-public' && x.subject.scope === elb,
    );
    assert.equal(policy?.outcome, 'unknown');
    assert.equal(policy?.location?.line, 144, 'the finding points at the bucket policy (LogsBucketPolicy)');
    assert.match(policy?.message ?? '', /not known statically/);
    const json = elb.replace(/\.yaml$/, '.json');
    assert.equal(outcomeOf(r, 'aws.s3-bucket-encrypted', 'LogsBucket', json), 'pass', 'the JSON twin agrees');
    const cfn = r.findings.filter((x) => x.subject.kind === 'cloudformation');
    assert.ok(
      cfn.filter((x) => x.checkId === 'aws.s3-bucket-encrypted').length >= 80,
      'every bucket is judged',
    );
  });

  test('--parameter AWS::Region resolves what depends on the region', () => {
    const dir = join(CORPORA, 'aws-cloudformation-templates/ElasticLoadBalancing');
    const run = scanJson([dir, '--no-evidence', '--parameter', 'AWS::Region=us-east-1']);
    const elb = 'ELB_Access_Logs_And_Connection_Draining.yaml';
    assert.equal(outcomeOf(run.result, 'aws.s3-bucket-policy-not-public', 'LogsBucket', elb), 'pass');
  });

  test('lists nested stacks whose templates are remote or computed as not evaluated', () => {
    const nested = r.skipped.filter((s) => /nested stack/.test(s.reason));
    assert.equal(nested.length, 8);
    assert.ok(
      nested.some(
        (s) =>
          s.file === 'Solutions/VPCPeering/templates/VPCPeering-Accepter.main.cfn.yaml' &&
          /VPCPeeringAccepterTagStack/.test(s.reason),
      ),
    );
  });
});

describe('evident scan of a broken CloudFormation template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-e2e-cfn-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'stacks'));
  writeFileSync(
    join(dir, 'stacks/broken.yaml'),
    'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Bucket:\n    Type: AWS::S3::Bucket\n',
  );
  writeFileSync(
    join(dir, 'stacks/ok.yaml'),
    'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Env: {Type: String}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !Ref Env}\n',
  );

  test('exits 2 with the file, line and column; the good template is still read', () => {
    const run = scanJson([
      dir,
      '--no-evidence',
      '--parameter',
      'Env=prod',
      '--parameter',
      'AWS::Region=eu-west-1',
    ]);
    assert.equal(run.status, 2, run.stderr);
    const errors = run.result.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => [d.file, d.line, d.column, d.code]),
      [['stacks/broken.yaml', 5, 3, 'E_INPUT_PARSE']],
    );
    assert.match(errors[0]!.message, /Duplicate key/);
    assert.deepEqual(
      run.result.inputs.map((i) => [i.file, i.kind]),
      [['stacks/ok.yaml', 'cloudformation']],
    );
  });
});

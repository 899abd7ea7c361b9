import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CORPORA, scanJson } from './helpers.js';

describe('evident scan ../shared/corpora/aws-cloudformation-templates (real CloudFormation, YAML and JSON)', () => {
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

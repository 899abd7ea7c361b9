// The CloudFormation adapter of aws.s3.buckets: bucket policies link by reference first, a literal only
// when it names the bucket, a name not known statically to every bucket doubtfully; CloudFormation's
// own defaults and forms (AccessControl names, a JSON-string PolicyDocument, logging to itself).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadInput } from '../../../../test/conformance/run-fixture.js';
import type { S3Bucket } from '../../../model/aws/s3.js';
import { buildModel } from '../../build-model.js';

async function model(yaml: string) {
  const { facts, diagnostics } = await loadInput(
    'cloudformation',
    `AWSTemplateFormatVersion: "2010-09-09"\n${yaml}`,
  );
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const m = buildModel(facts);
  const buckets = m.get('aws.s3.buckets');
  const byId = (id: string): S3Bucket => {
    const b = buckets.find((x) => x.subject.address === id);
    assert.ok(b, `no bucket ${id}`);
    return b;
  };
  return { m, byId, buckets };
}

/** `policy logical id → applies` (true, or the doubt) of a bucket's linked policies. */
function policyLinks(b: S3Bucket): Record<string, true | string> {
  const out: Record<string, true | string> = {};
  for (const item of b.policies.state === 'known' ? b.policies.value : []) {
    if (item.state !== 'known' || item.value.source.state !== 'known') continue;
    const a = item.value.applies;
    out[item.value.source.value] =
      a.state === 'known' ? true : a.state === 'unknown' ? a.unresolved.reason : '?';
  }
  return out;
}

const POLICY = (id: string, bucket: string, extra = '') => `  ${id}:
    Type: AWS::S3::BucketPolicy${extra}
    Properties:
      Bucket: ${bucket}
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}
`;

const BUCKETS = `Parameters:
  Target: {Type: String}
  UseA: {Type: String}
Conditions:
  IsA: !Equals [!Ref UseA, "yes"]
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: {BucketName: name-a}
  B:
    Type: AWS::S3::Bucket
    Properties: {BucketName: name-b}
`;

describe('S3 bucket policy linking (CloudFormation)', () => {
  it('links !Ref certainly, a literal BucketName to its bucket only, and an unknown name doubtfully to all', async () => {
    const { byId } = await model(
      BUCKETS +
        POLICY('ByRef', '!Ref A') +
        POLICY('ByName', 'name-b') +
        POLICY('ByParameter', '!Ref Target') +
        POLICY('ByIf', '!If [IsA, !Ref A, !Ref B]') +
        POLICY('Maybe', '!Ref B', '\n    Condition: IsA'),
    );
    const a = policyLinks(byId('A'));
    const b = policyLinks(byId('B'));
    assert.equal(a.ByRef, true);
    assert.equal(b.ByName, true);
    assert.ok(!('ByName' in a) && !('ByRef' in b), 'a link never goes to another bucket');
    assert.match(
      a.ByParameter as string,
      /names a bucket that is not known statically \(parameter Target has no default/,
    );
    assert.match(b.ByParameter as string, /not known statically/);
    assert.match(a.ByIf as string, /is not a plain !Ref of A/);
    assert.match(b.ByIf as string, /is not a plain !Ref of B/);
    assert.match(b.Maybe as string, /Condition IsA, which is not known statically, so it may not be created/);
  });

  it('reports two buckets with the same literal BucketName', async () => {
    const { m } = await model(`Resources:
  One: {Type: AWS::S3::Bucket, Properties: {BucketName: same}}
  Two: {Type: AWS::S3::Bucket, Properties: {BucketName: same}}
`);
    m.get('aws.s3.buckets');
    assert.deepEqual(
      m.diagnostics.map((d) => [d.code, d.line]),
      [['E_INPUT_AMBIGUOUS', 4]],
    );
  });
});

describe('S3 buckets (CloudFormation forms and defaults)', () => {
  it('maps AccessControl names to canned ACLs, private when absent', async () => {
    const { byId } = await model(`Resources:
  Public: {Type: AWS::S3::Bucket, Properties: {AccessControl: PublicReadWrite}}
  Plain: {Type: AWS::S3::Bucket}
`);
    const canned = (b: S3Bucket) => {
      const item = b.acls.state === 'known' ? b.acls.value[0] : undefined;
      const c = item?.state === 'known' ? item.value.cannedAcl : undefined;
      return c?.state === 'known'
        ? c.value
        : c?.state === 'absent'
          ? `default ${c.default?.value}`
          : c?.state;
    };
    assert.equal(canned(byId('Public')), 'public-read-write');
    assert.equal(canned(byId('Plain')), 'default private');
  });

  it('reads a PolicyDocument given as a JSON string, and an invalid one as unknown', async () => {
    const doc = JSON.stringify({
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
    });
    const { byId } = await model(`Resources:
  Good: {Type: AWS::S3::Bucket}
  Bad: {Type: AWS::S3::Bucket}
  GoodPolicy:
    Type: AWS::S3::BucketPolicy
    Properties: {Bucket: !Ref Good, PolicyDocument: '${doc}'}
  BadPolicy:
    Type: AWS::S3::BucketPolicy
    Properties: {Bucket: !Ref Bad, PolicyDocument: '{not json'}
`);
    const statements = (b: S3Bucket) => {
      const p = b.policies.state === 'known' ? b.policies.value[0] : undefined;
      return p?.state === 'known' ? p.value.document.statements : undefined;
    };
    const good = statements(byId('Good'));
    assert.equal(good?.state, 'known');
    const first = good?.state === 'known' ? good.value[0] : undefined;
    assert.equal(
      first?.state === 'known' && first.value.effect.state === 'known' && first.value.effect.value,
      'Deny',
    );
    const bad = statements(byId('Bad'));
    assert.equal(bad?.state, 'unknown');
    assert.match(bad?.state === 'unknown' ? bad.unresolved.reason : '', /not JSON/);
  });

  it('counts a bucket as a log target when it logs to itself or another bucket logs into it', async () => {
    const { byId } = await model(`Resources:
  Self:
    Type: AWS::S3::Bucket
    Properties: {LoggingConfiguration: {LogFilePrefix: self/}}
  Sink: {Type: AWS::S3::Bucket}
  Source:
    Type: AWS::S3::Bucket
    Properties: {LoggingConfiguration: {DestinationBucketName: !Ref Sink}}
  Alone: {Type: AWS::S3::Bucket}
`);
    const target = (id: string) => {
      const v = byId(id).logTarget;
      return v.state === 'known' ? v.value : v.state;
    };
    assert.deepEqual(['Self', 'Sink', 'Source', 'Alone'].map(target), [true, true, false, false]);
  });

  it('makes every setting unknown when the whole Properties is not known statically', async () => {
    const { byId } = await model(`Parameters:
  Mode: {Type: String}
Conditions:
  Encrypted: !Equals [!Ref Mode, secure]
Resources:
  Either:
    Type: AWS::S3::Bucket
    Properties: !If
      - Encrypted
      - BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}
      - {}
`);
    const enc = byId('Either').encryption;
    assert.equal(enc.state, 'known');
    const rules = enc.state === 'known' ? enc.value : [];
    assert.equal(rules.length, 1);
    assert.equal(rules[0]?.state, 'unknown');
  });
});

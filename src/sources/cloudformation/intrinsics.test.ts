import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnresolved } from '../../core/unresolved.js';
import { describeDiagnostics, loadTemplates, resource } from './test-support.js';

const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

/** Asserts `v` is Unresolved with a reason matching `re` (and, when given, exactly these refs). */
function assertUnknown(v: unknown, re: RegExp, refs?: string[]): void {
  assert.ok(isUnresolved(v), `expected Unresolved, got ${JSON.stringify(v)}`);
  assert.match(v.reason, re);
  if (refs) assert.deepEqual([...v.refs], refs);
}

describe('CloudFormation intrinsic functions', () => {
  it('reads short-form tags and long forms alike, in YAML and JSON', async () => {
    const yaml = `${HEAD}Parameters:
  Env: {Type: String, Default: prod}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${Env}-logs"
      Tags:
        - Key: joined
          Value: !Join ['-', [a, !Ref Env]]
        - Key: long
          Value: {"Fn::Join": ['-', [a, {Ref: Env}]]}
        - Key: selected
          Value: !Select [1, !Split [',', 'x,y,z']]
`;
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Env: { Type: 'String', Default: 'prod' } },
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax
            BucketName: { 'Fn::Sub': '${Env}-logs' },
            Tags: [
              { Key: 'joined', Value: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] } },
              { Key: 'long', Value: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] } },
              { Key: 'selected', Value: { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] } },
            ],
          },
        },
      },
    });
    const expected = {
      BucketName: 'prod-logs',
      Tags: [
        { Key: 'joined', Value: 'a-prod' },
        { Key: 'long', Value: 'a-prod' },
        { Key: 'selected', Value: 'y' },
      ],
    };
    for (const [name, text] of [
      ['t.yaml', yaml],
      ['t.json', json],
    ] as const) {
      const r = await loadTemplates({ [name]: text });
      assert.deepEqual(describeDiagnostics(r), [], name);
      const b = resource(r, 'Bucket');
      assert.deepEqual(b.properties, expected, name);
      assert.equal(b.origin, name.endsWith('.json') ? 'json' : 'yaml');
    }
  });

  it('resolves parameters: --parameter over Default, lists split, no default / NoEcho / SSM unknown', async () => {
    const r = await loadTemplates(
      {
        't.yaml': `${HEAD}Parameters:
  Port: {Type: Number, Default: 22}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/8, 0.0.0.0/0"}
  Given: {Type: String, Default: old}
  NoDefault: {Type: String}
  Secret: {Type: String, NoEcho: true, Default: hunter2}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      P: !Ref Port
      C: !Ref Cidrs
      G: !Ref Given
      N: !Ref NoDefault
      S: !Ref Secret
      A: !Ref Ami
`,
      },
      { parameters: { Given: 'new' } },
    );
    const p = resource(r, 'Sg').properties;
    assert.equal(p.P, 22);
    assert.deepEqual(p.C, ['10.0.0.0/8', '0.0.0.0/0']);
    assert.equal(p.G, 'new');
    assertUnknown(p.N, /parameter NoDefault has no default \(give it with --parameter NoDefault=VALUE\)/);
    assertUnknown(p.S, /NoEcho/);
    assert.ok(!JSON.stringify(r.facts).includes('hunter2'), 'a NoEcho default is never held in facts');
    assertUnknown(p.A, /SSM Parameter Store/);
  });

  it('leaves pseudo parameters unknown unless given, and derives the partition from a given region', async () => {
    const text = `${HEAD}Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      R: !Ref AWS::Region
      A: !Sub "arn:\${AWS::Partition}:s3:::x-\${AWS::AccountId}"
      U: !Ref AWS::URLSuffix
`;
    const unknown = resource(await loadTemplates({ 't.yaml': text }), 'Topic').properties;
    assertUnknown(unknown.R, /AWS::Region is not known statically/);
    assertUnknown(unknown.A, /AWS::Partition is not known statically/);
    const given = resource(
      await loadTemplates(
        { 't.yaml': text },
        { parameters: { 'AWS::Region': 'cn-north-1', 'AWS::AccountId': '1' } },
      ),
      'Topic',
    ).properties;
    assert.deepEqual(given, { R: 'cn-north-1', A: 'arn:aws-cn:s3:::x-1', U: 'amazonaws.com.cn' });
  });

  it('records references to resources (Ref, GetAtt in both forms, variables in Sub)', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Key:
    Type: AWS::KMS::Key
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Resource: !Sub "\${Bucket.Arn}/*"
            Effect: Deny
            Condition: {StringNotEquals: {"s3:x-amz-server-side-encryption-aws-kms-key-id": !GetAtt [Key, Arn]}}
      Other: !GetAtt Key.Arn
`,
    });
    const p = resource(r, 'Policy');
    assertUnknown(p.properties.Bucket, /physical id of resource Bucket/, ['Bucket']);
    assert.deepEqual(p.references, { Bucket: ['Bucket'], PolicyDocument: ['Bucket', 'Key'], Other: ['Key'] });
    assertUnknown(p.properties.Other, /attribute Arn of resource Key is known after deployment/, ['Key']);
    const stmt = (p.properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement[0]!;
    assertUnknown(stmt.Resource, /Arn of resource Bucket/, ['Bucket']);
    assert.equal(stmt.Effect, 'Deny');
  });

  it('substitutes Fn::Sub variables, keeps escaped literals, and joins numbers as text', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      A: !Sub ["\${Name}:\${!Literal}:\${N}", {Name: q, N: 3}]
      B: !Join [",", [1, true, x]]
      C: !Base64 "hello"
      D: !Cidr ["10.0.0.0/16", 3, 8]
      E: !Cidr ["2001:db8::/56", 2, 64]
      F: !Select [0, !GetAZs ""]
      G: !ImportValue shared-vpc
`,
    });
    const p = resource(r, 'Q').properties;
    assert.equal(p.A, `q:\${Literal}:3`);
    assert.equal(p.B, '1,true,x');
    assert.equal(p.C, 'aGVsbG8=');
    assert.deepEqual(p.D, ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    assert.deepEqual(p.E, ['2001:db8::/64', '2001:db8:0:1::/64']);
    assertUnknown(p.F, /availability zones/);
    assertUnknown(p.G, /ImportValue shared-vpc: the value is exported by another stack/);
  });

  it('reads mappings, and a key that is not known when every candidate agrees', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Mappings:
  Region:
    us-east-1: {Ami: ami-1, Encrypted: "true"}
    eu-west-1: {Ami: ami-2, Encrypted: "true"}
Resources:
  V:
    Type: AWS::EC2::Volume
    Properties:
      Known: !FindInMap [Region, eu-west-1, Ami]
      Same: !FindInMap [Region, !Ref AWS::Region, Encrypted]
      Differs: !FindInMap [Region, !Ref AWS::Region, Ami]
      Default: !FindInMap [Region, ap-south-1, Ami, {DefaultValue: ami-0}]
`,
    });
    const p = resource(r, 'V').properties;
    assert.equal(p.Known, 'ami-2');
    assert.equal(p.Same, 'true');
    assertUnknown(p.Differs, /FindInMap Region: key not known statically \(AWS::Region/);
    assert.equal(p.Default, 'ami-0');
  });

  it('evaluates conditions in three-valued logic, Fn::If, AWS::NoValue and resource conditions', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Parameters:
  Env: {Type: String, Default: prod}
  Unknown: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Maybe: !Equals [!Ref Unknown, "yes"]
  ProdOrMaybe: !Or [!Condition IsProd, !Condition Maybe]
  ProdAndMaybe: !And [!Condition IsProd, !Condition Maybe]
  DevAndMaybe: !And [!Condition IsDev, !Condition Maybe]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Chosen: !If [IsProd, yes-prod, no]
      Removed: !If [IsDev, x, !Ref AWS::NoValue]
      List: [a, !If [IsDev, b, !Ref AWS::NoValue], c]
      Agreeing: !If [Maybe, same, same]
      Open: !If [Maybe, 1, 2]
      Or: !If [ProdOrMaybe, t, f]
      And: !If [ProdAndMaybe, t, f]
      DevAnd: !If [DevAndMaybe, t, f]
  DevOnly:
    Type: AWS::S3::Bucket
    Condition: IsDev
  MaybeBucket:
    Type: AWS::S3::Bucket
    Condition: Maybe
  ProdBucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
`,
    });
    assert.deepEqual(describeDiagnostics(r), []);
    const p = resource(r, 'B').properties;
    assert.equal(p.Chosen, 'yes-prod');
    assert.ok(!('Removed' in p), 'AWS::NoValue removes the property');
    assert.deepEqual(p.List, ['a', 'c']);
    assert.equal(p.Agreeing, 'same');
    assertUnknown(
      p.Open,
      /depends on condition Maybe: Fn::Equals of a value not known statically: parameter Unknown has no default/,
    );
    assert.equal(p.Or, 't');
    assertUnknown(p.And, /Unknown/);
    assert.equal(p.DevAnd, 'f');
    assert.deepEqual(
      r.facts.map((f) => f.logicalId),
      ['B', 'MaybeBucket', 'ProdBucket'],
      'a resource whose condition is false is not created',
    );
    assert.equal(r.stats.notCreated, 1);
    assert.deepEqual(resource(r, 'ProdBucket').condition, { name: 'IsProd', value: true });
    const maybe = resource(r, 'MaybeBucket').condition;
    assert.equal(maybe?.name, 'Maybe');
    assertUnknown(maybe?.value, /Unknown/);
  });

  it('expands Fn::ForEach over a known collection, and marks an unknown one with *', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: "A,B"}
  Later: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Buckets:
    - Name
    - !Ref Names
    - Bucket\${Name}:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub "logs-\${Name}"
          Tag: !Ref Name
  Fn::ForEach::Later:
    - Item
    - !Ref Later
    - Queue&{Item}:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Ref Item
`,
    });
    assert.deepEqual(describeDiagnostics(r), []);
    assert.deepEqual(
      r.facts.map((f) => f.logicalId),
      ['BucketA', 'BucketB', 'Queue*'],
    );
    assert.deepEqual(resource(r, 'BucketB').properties, { BucketName: 'logs-B', Tag: 'B' });
    assertUnknown(
      resource(r, 'Queue*').properties.QueueName,
      /Fn::ForEach::Later collection is not known statically/,
    );
  });

  it('applies SAM Globals to serverless resources (maps merged, lists appended, resource wins)', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    Environment: {Variables: {A: global, B: global}}
    Layers: [arn:layer:1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Timeout: 5
      Environment: {Variables: {B: local}}
      Layers: [arn:layer:2]
      Role: !GetAtt FnRole.Arn
  Table:
    Type: AWS::Serverless::SimpleTable
`,
    });
    const fn = resource(r, 'Fn');
    assert.equal(fn.type, 'AWS::Serverless::Function');
    assert.deepEqual(
      { ...fn.properties, Role: 'x' },
      {
        Handler: 'app.handler',
        Timeout: 5,
        Environment: { Variables: { B: 'local', A: 'global' } },
        Layers: ['arn:layer:1', 'arn:layer:2'],
        Role: 'x',
        Runtime: 'python3.12',
      },
    );
    assert.deepEqual(fn.transforms, ['AWS::Serverless-2016-10-31']);
    // FnRole is generated by the SAM translator: a reference to it is a warning, not an error.
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.line]),
      [['warning', 17]],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeTemplate } from './detect.js';
import { describeDiagnostics, loadTemplates, resource } from './test-support.js';

const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

/** The error diagnostics as `line:col` + a message fragment check. */
async function errorsOf(files: Record<string, string | Buffer>): Promise<string[]> {
  const r = await loadTemplates(files);
  return r.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
}

describe('CloudFormation source: positions', () => {
  it('points resources and every property path at their template lines, through Fn::If branches', async () => {
    const r = await loadTemplates({
      'stack.yaml': `${HEAD}Conditions:
  Always: !Equals [a, a]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
        - !If
          - Always
          - IpProtocol: tcp
            FromPort: 22
            ToPort: 22
            CidrIp: 0.0.0.0/0
          - !Ref AWS::NoValue
`,
    });
    const sg = resource(r, 'Sg');
    assert.deepEqual(sg.location, { file: 'stack.yaml', line: 5, column: 3, endLine: 20 });
    assert.equal(sg.template, 'stack.yaml');
    const at = (p: string) => {
      const l = sg.propertyLocations[p];
      return l && `${l.line}:${l.column}`;
    };
    assert.equal(at('GroupDescription'), '8:7');
    assert.equal(at('SecurityGroupIngress'), '9:7');
    assert.equal(at('SecurityGroupIngress.0.CidrIp'), '13:11');
    assert.equal(at('SecurityGroupIngress.1'), '14:11', 'the list element is the !If');
    assert.equal(at('SecurityGroupIngress.1.FromPort'), '17:13', 'inside the chosen branch');
    assert.equal(at('SecurityGroupIngress.1.CidrIp'), '19:13');
  });

  it('gives JSON templates the same property paths with their JSON lines', async () => {
    const json = `{
  "Resources": {
    "Bucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "VersioningConfiguration": { "Status": "Enabled" }
      }
    }
  }
}`;
    const b = resource(await loadTemplates({ 't.json': json }), 'Bucket');
    assert.equal(b.location.line, 3);
    assert.equal(b.propertyLocations.VersioningConfiguration?.line, 6);
    assert.equal(b.propertyLocations['VersioningConfiguration.Status']?.column, 38);
  });
});

describe('CloudFormation source: bad input', () => {
  it('reports malformed YAML and JSON with line and column, and scans nothing of them', async () => {
    assert.deepEqual(
      (await errorsOf({ 't.yaml': `${HEAD}Resources:\n  B:\n    Type: [unclosed\n` })).map(
        (e) => e.split(' ')[1],
      ),
      ['5:1'],
    );
    const json = await errorsOf({
      't.json': '{\n  "Resources": {\n    "B": {"Type": "AWS::S3::Bucket",}\n  }\n}',
    });
    assert.equal(json.length, 1);
    assert.match(json[0]!, /^E_INPUT_PARSE 3:37 Malformed JSON template/);
    const r = await loadTemplates({
      't.json': '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, // comment\n}',
    });
    assert.equal(r.facts.length, 0, 'JSON is strict: comments are errors, as for CloudFormation');
    assert.equal(r.inputs.length, 0);
  });

  it('refuses invalid UTF-8 with the position of the first bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEAD}Description: "caf`),
      Buffer.from([0xe9]),
      Buffer.from('"\nResources:\n  B: {Type: AWS::S3::Bucket}\n'),
    ]);
    const errors = await errorsOf({ 't.yaml': bytes });
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /^E_INPUT_BINARY 2:18 File is not valid YAML text: invalid UTF-8 \(byte 0xE9\) at line 2, column 18/,
    );
    const bom = await loadTemplates({
      't.yaml': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`${HEAD}Resources:\n  B: {Type: AWS::S3::Bucket}\n`),
      ]),
    });
    assert.deepEqual(describeDiagnostics(bom), [], 'a UTF-8 BOM is fine');
    assert.equal(bom.facts.length, 1);
  });

  it('reports a template nested too deeply to read instead of crashing, and reads the others', async () => {
    const deep = `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": ${'['.repeat(200000)}${']'.repeat(200000)}}}}}`;
    const r = await loadTemplates(
      { 'deep.json': deep, 'ok.yaml': `${HEAD}Resources:\n  B: {Type: AWS::S3::Bucket}\n` },
      { load: ['deep.json', 'ok.yaml'] },
    );
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error' && d.file === 'deep.json').length, 1);
    assert.deepEqual(
      r.facts.map((f) => f.template),
      ['ok.yaml'],
    );
  });

  it('reports what CloudFormation rejects as errors: duplicate keys and ids, Resources not a map, no Type', async () => {
    const dup = await errorsOf({
      't.yaml': `${HEAD}Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::SQS::Queue\n`,
    });
    assert.equal(dup.length, 1);
    assert.match(dup[0]!, /^E_INPUT_PARSE 5:3 Duplicate key/);
    const dupJson = await errorsOf({
      't.json': '{"Resources": {"B": {"Type": "AWS::S3::Bucket"},\n "B": {"Type": "AWS::SQS::Queue"}}}',
    });
    assert.match(dupJson[0]!, /^E_INPUT_PARSE 2:2 Duplicate key/);
    assert.match(
      (await errorsOf({ 't.yaml': `${HEAD}Resources: [a, b]\n` }))[0]!,
      /^E_INPUT_PARSE 2:12 The Resources section must be a map, got a list/,
    );
    assert.match(
      (await errorsOf({ 't.yaml': `${HEAD}Resources:\n  B:\n    Properties: {}\n` }))[0]!,
      /^E_INPUT_PARSE 3:3 Resource B has no Type/,
    );
    assert.match(
      (await errorsOf({ 't.yaml': `${HEAD}Resources:\n  my-bucket:\n    Type: AWS::S3::Bucket\n` }))[0]!,
      /Logical id my-bucket must be alphanumeric/,
    );
    assert.match((await errorsOf({ 't.yaml': `${HEAD}Description: x\n` }))[0]!, /has no resources/);
    assert.match(
      (
        await errorsOf({
          't.yaml': `${HEAD}Parameters:\n  P: {Default: x}\nResources:\n  B: {Type: AWS::S3::Bucket}\n`,
        })
      )[0]!,
      /^E_INPUT_PARSE 3:3 Parameter P must be a map with a Type/,
    );
  });

  it('reports unknown functions, undeclared names and circular conditions; the value is unknown', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  B:
    Type: AWS::S3::Bucket
    DependsOn: Missing
    Properties:
      X: !Frobnicate 1
      Y: {"Fn::Nope": [1]}
      Z: !Ref Missing
      W: !GetAtt Missing.Arn
      V: !If [Undeclared, 1, 2]
`,
    });
    const errors = describeDiagnostics(r).filter((d) => d.startsWith('error'));
    const expect = [
      /3:3 Circular condition: A -> B -> A/,
      /8:16 Resource B DependsOn Missing/,
      /10:10 Unknown intrinsic function !Frobnicate/,
      /11:10 Unknown intrinsic function Fn::Nope/,
      /12:10 Ref Missing: no parameter, pseudo parameter or resource named Missing/,
      /13:10 Fn::GetAtt Missing.Arn: no resource Missing/,
      /14:15 Condition Undeclared is not declared/,
    ];
    for (const re of expect)
      assert.ok(
        errors.some((e) => re.test(e)),
        `${re} in:\n${errors.join('\n')}`,
      );
    assert.equal(errors.length, expect.length, errors.join('\n'));
    const p = resource(r, 'B').properties;
    for (const k of ['X', 'Y', 'Z', 'W', 'V'])
      assert.ok(p[k] && typeof p[k] === 'object', `${k} is Unresolved`);
  });

  it('checks the names Outputs reference, though outputs are not facts', async () => {
    const errors = await errorsOf({
      't.yaml': `${HEAD}Resources:\n  B: {Type: AWS::S3::Bucket}\nOutputs:\n  Arn:\n    Value: !GetAtt Gone.Arn\n  Name:\n    Condition: Nope\n    Value: !Ref B\n`,
    });
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0]!, /^E_INPUT_PARSE 6:12 Fn::GetAtt Gone.Arn: no resource Gone/);
    assert.match(errors[1]!, /^E_INPUT_PARSE 8:16 Condition Nope is not declared/);
  });

  it('treats a macro transform and rain directives as reasons for warnings, not errors', async () => {
    const r = await loadTemplates({
      't.yaml': `${HEAD}Transform: [MyMacro]
Resources:
  B:
    Type: AWS::S3::Bucket
    Count: 3
    Properties:
      Tags: [{Key: a, Value: !Ref Generated}]
  Net:
    Type: !Rain::Module ./vpc.yml
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: !Rain::Embed handler.py}
`,
    });
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const warnings = r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
    assert.ok(warnings.some((m) => /rain directives/.test(m)));
    assert.ok(warnings.some((m) => /Resource Net is a rain module/.test(m)));
    assert.ok(
      r.diagnostics.some(
        (d) => d.severity === 'info' && /Transform MyMacro rewrites the template/.test(d.message),
      ),
    );
    assert.deepEqual(
      r.facts.map((f) => f.logicalId),
      ['B', 'Fn'],
    );
  });
});

describe('CloudFormation source: nested stacks', () => {
  it('notes a local child template, warns when it is missing, and lists remote ones as not evaluated', async () => {
    const r = await loadTemplates({
      'parent.yaml': `${HEAD}Resources:
  Local:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: ./child.yaml}
  Missing:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: nested/none.yaml}
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: "https://s3.amazonaws.com/bucket/child.yaml"}
`,
      'child.yaml': `${HEAD}Resources:\n  B: {Type: AWS::S3::Bucket}\n`,
    });
    assert.deepEqual(resource(r, 'Local').nestedStack, { local: 'child.yaml', exists: true });
    assert.deepEqual(resource(r, 'Missing').nestedStack, { local: 'nested/none.yaml', exists: false });
    assert.deepEqual(resource(r, 'Remote').nestedStack, {
      url: 'https://s3.amazonaws.com/bucket/child.yaml',
    });
    assert.deepEqual(
      r.skipped.map((s) => s.file),
      ['https://s3.amazonaws.com/bucket/child.yaml'],
    );
    assert.ok(describeDiagnostics(r).some((d) => /^warning E_IO 6:3 Nested stack Missing/.test(d)));
  });
});

describe('CloudFormation source: detection', () => {
  it('recognises templates by their top-level keys only', () => {
    assert.ok(looksLikeTemplate(`${HEAD}Resources: {}`));
    assert.ok(looksLikeTemplate('Resources:\n  B:\n    Type: AWS::S3::Bucket\n'));
    assert.ok(looksLikeTemplate('{"Resources": {"B": {"Type": "Custom::Thing"}}}'));
    assert.ok(looksLikeTemplate('\uFEFF{"AWSTemplateFormatVersion": "2010-09-09"}'));
    assert.ok(
      !looksLikeTemplate('apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    AWSTemplateFormatVersion: x\n'),
    );
    assert.ok(
      !looksLikeTemplate('{"requestId": "1", "fragment": {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}}'),
      'a macro request event holding a fragment is not a template',
    );
    assert.ok(!looksLikeTemplate('{"RequestType": "Create", "ResourceType": "AWS::S3::Bucket"}'));
    assert.ok(!looksLikeTemplate('version: 0.2\nphases:\n  build:\n    commands: [make]\n'));
    assert.ok(!looksLikeTemplate('Resources:\n  - name: not cloudformation\n'));
  });
});

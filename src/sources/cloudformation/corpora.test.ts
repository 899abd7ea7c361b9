// Real input: every template of aws-cloudformation-templates (../shared/corpora, read in place) is
// discovered, claimed and read through the registry, as a scan would: no crash, no silent skip, no
// error diagnostic; the warnings are the listed, explained ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corpus, needsCorpora } from '../../../test/support/corpora.js';
import type { CloudFormationResource } from '../../core/facts.js';
import { isUnresolved } from '../../core/unresolved.js';
import { discoverInputs } from '../discover.js';
import { claimInputs, loadSources } from '../registry.js';

const ROOT = corpus('aws-cloudformation-templates');

/** Files with a template extension that are not templates, so no source claims them as one. */
const NOT_TEMPLATES: Record<string, string> = {
  'CloudFormation/CustomResources/getfromjson/bandit.json': 'bandit (Python linter) configuration',
  'CloudFormation/CustomResources/getfromjson/bandit.yml': 'bandit (Python linter) configuration',
  'CloudFormation/MacrosExamples/Count/event.json':
    'a macro request event (the template fragment is under `fragment`)',
  'CloudFormation/MacrosExamples/Count/event_bad.json': 'a macro request event',
  'EKS/manifest.yml': 'a Kubernetes manifest (read by the Kubernetes source)',
  'Solutions/CodeBuildAndCodePipeline/codebuild-app-build.yml': 'a CodeBuild buildspec',
  'Solutions/CodeBuildAndCodePipeline/codebuild-app-deploy.yml': 'a CodeBuild buildspec',
};
/** Custom-resource test events (`RequestType`, `ResourceProperties`): not templates. */
const EVENT_DIR = 'CloudFormation/CustomResources/getfromjson/src/events/';

/** Every warning must match one of these (and each must match one): what the template does, and why it is a warning. */
const EXPECTED_WARNINGS: { pattern: RegExp; files: RegExp; reason: string }[] = [
  {
    pattern: /uses rain directives/,
    files: /./,
    reason:
      'rain source templates (!Rain::Embed, !Rain::Module) are inputs to `rain pkg`, not deployable templates',
  },
  {
    pattern: /is a rain module \(!Rain::Module\)/,
    files: /StackSets\/common-resources|Solutions\/(GitLab|GitLabAndVSCode|Gitea|VSCode)\//,
    reason: 'the resources of a rain module exist only after `rain pkg`',
  },
  {
    pattern: /\(a transform may declare it\)/,
    files: /Solutions\/(GitLab|GitLabAndVSCode|Gitea|VSCode)\//,
    reason: 'references to resources a rain module declares (NetworkVPC, NetworkPublicSubnet1)',
  },
  {
    pattern: /unknown attribute (Count|ExplodeMap|Mode) /,
    files: /MacrosExamples\/(Count|Explode|Boto3)\//,
    reason: 'resource attributes that the template macro (Count, Explode, Boto3) consumes before deployment',
  },
];

describe('aws-cloudformation-templates corpus', {
  skip: needsCorpora('aws-cloudformation-templates'),
}, async () => {
  const found = await discoverInputs(ROOT);
  const { claims } = await claimInputs(found.files, ROOT);
  const loaded = await loadSources(claims, { root: ROOT, options: {}, progress: () => {} });
  const claimed = new Set(claims.find((c) => c.source.id === 'cloudformation')!.files.map((f) => f.rel));
  const facts = loaded.facts.cloudformation;
  const find = (template: string, id: string): CloudFormationResource => {
    const r = facts.find((f) => f.template === template && f.logicalId === id);
    assert.ok(r, `${template}#${id} is a fact`);
    return r;
  };

  it('claims every template and nothing else: each file with a template extension is accounted for', () => {
    const candidates = found.files.filter((f) => /\.(ya?ml|json|template)$/i.test(f.name)).map((f) => f.rel);
    const unclaimed = candidates.filter((f) => !claimed.has(f));
    const unexplained = unclaimed.filter((f) => !(f in NOT_TEMPLATES) && !f.startsWith(EVENT_DIR));
    assert.deepEqual(unexplained, [], 'unclaimed files that look like templates');
    for (const f of Object.keys(NOT_TEMPLATES))
      assert.ok(unclaimed.includes(f), `${f} is listed as not a template`);
    assert.equal(unclaimed.filter((f) => f.startsWith(EVENT_DIR)).length, 8);
    assert.equal(claimed.size, 287);
    assert.equal(candidates.length, 287 + 15);
  });

  it('reads every claimed template: 287 inputs, 2042 resources, no error diagnostics', () => {
    assert.equal(loaded.inputs.filter((i) => i.kind === 'cloudformation').length, 287);
    const empty = loaded.inputs
      .filter((i) => i.kind === 'cloudformation')
      .map((i) => i.file)
      .filter((t) => !facts.some((f) => f.template === t));
    // Both nested stacks of VPCFlowLogs-main have conditions that are false with the parameters'
    // defaults (CreateVPCFlowLogsTo*: No): CloudFormation creates nothing until a parameter says Yes.
    assert.deepEqual(empty, [
      'Solutions/VPCFlowLogs/templates/VPCFlowLogs-main.cfn.json',
      'Solutions/VPCFlowLogs/templates/VPCFlowLogs-main.cfn.yaml',
    ]);
    assert.equal(facts.length, 2042);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, []);
  });

  it('has only the listed, explained warnings', () => {
    const used = new Set<number>();
    const unexplained: string[] = [];
    for (const d of loaded.diagnostics.filter((x) => x.severity === 'warning')) {
      const i = EXPECTED_WARNINGS.findIndex((w) => w.pattern.test(d.message) && w.files.test(d.file));
      if (i < 0) unexplained.push(`${d.file}:${d.line}: ${d.message}`);
      else used.add(i);
    }
    assert.deepEqual(unexplained, []);
    assert.deepEqual(
      EXPECTED_WARNINGS.filter((_, i) => !used.has(i)).map((w) => w.reason),
      [],
      'stale entries',
    );
  });

  it('evaluates parameters, conditions and references in real templates, with template lines', () => {
    const sg = find('Solutions/OperatingSystems/RHEL9_cfn-hup.yaml', 'InstanceSecurityGroup');
    const ingress = (sg.properties.SecurityGroupIngress as Record<string, unknown>[])[0]!;
    assert.deepEqual(ingress, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' });
    assert.equal(sg.propertyLocations['SecurityGroupIngress.0.CidrIp']?.line, 288);
    const bastion = find(
      'Solutions/CloudFormationEndpointSignals/cfn-endpoint-creationpolicy.yaml',
      'BastionSG',
    );
    assert.equal(bastion.location.line, 233);
    assert.deepEqual(bastion.references, { VpcId: ['VPC'] });
    const ddb = facts
      .filter((f) => f.template === 'CloudFormation/fn-foreach-ddb.yaml')
      .map((f) => f.logicalId);
    assert.deepEqual(ddb, ['DynamoDBPoints', 'DynamoDBScore', 'DynamoDBName', 'DynamoDBLeaderboard']);
    assert.equal(find('CloudFormation/fn-foreach-ddb.json', 'DynamoDBScore').properties.TableName, 'Score');
  });

  it('reads SAM templates as serverless resources of their own types', () => {
    const sam = facts.filter((f) => f.type.startsWith('AWS::Serverless::'));
    assert.ok(sam.length >= 10, `${sam.length} serverless resources`);
    assert.ok(sam.every((f) => f.transforms.includes('AWS::Serverless-2016-10-31')));
  });

  it('notes nested stacks; their remote or computed templates are listed as not evaluated', () => {
    const stacks = facts.filter((f) => f.type === 'AWS::CloudFormation::Stack');
    assert.ok(stacks.length >= 8, `${stacks.length} nested stacks`);
    for (const s of stacks) {
      assert.ok(s.nestedStack, `${s.template}#${s.logicalId} has its nested template noted`);
      if (s.nestedStack.unresolved) assert.ok(isUnresolved(s.nestedStack.unresolved));
    }
    const notEvaluated = loaded.skipped.filter((s) => /nested stack/.test(s.reason));
    assert.equal(
      notEvaluated.length,
      stacks.length,
      'every nested stack template is listed as not evaluated',
    );
  });

  it('reads each YAML template and its JSON twin to the same resources (7 pairs differ in content)', () => {
    const norm = (list: CloudFormationResource[]) =>
      JSON.stringify(
        list.map((f) => [f.logicalId, f.type, f.properties, f.references, f.condition?.name]),
        (_k, x) => (isUnresolved(x) ? '<unknown>' : x),
      );
    const byTemplate = new Map<string, CloudFormationResource[]>();
    for (const f of facts) byTemplate.set(f.template, [...(byTemplate.get(f.template) ?? []), f]);
    let pairs = 0;
    const differ: string[] = [];
    for (const [t, list] of byTemplate) {
      const twin = t.endsWith('.yaml') ? byTemplate.get(t.replace(/\.yaml$/, '.json')) : undefined;
      if (!twin) continue;
      pairs++;
      if (norm(list) !== norm(twin)) differ.push(t);
    }
    assert.equal(pairs, 137);
    assert.deepEqual(differ.sort(), [
      // LaunchTemplate in the YAML, LaunchConfigurationName in the JSON
      'AutoScaling/AutoScalingRollingUpdates.yaml',
      'AutoScaling/AutoScalingScheduledAction.yaml',
      // SecurityGroupIds in the YAML, SecurityGroups in the JSON
      'EC2/EC2_Instance_With_Ephemeral_Drives.yaml',
      'EC2/EIP_With_Association.yaml',
      // LaunchTemplate in the YAML, LaunchConfigurationName in the JSON
      'ECS/EC2LaunchType/clusters/private-vpc.yaml',
      'ECS/EC2LaunchType/clusters/public-vpc.yaml',
      // unquoted Yes/No in the YAML are YAML 1.1 booleans; the JSON has the strings "Yes"/"No"
      'Solutions/DirectoryServiceSettings/templates/DIRECTORY_SETTINGS.cfn.yaml',
    ]);
  });
});

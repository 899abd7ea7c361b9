import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TerraformResource } from '../../core/facts.js';
import { TerraformIndex } from '../../core/terraform-index.js';
import { isUnresolved, type Unresolved } from '../../core/unresolved.js';
import { parseResourceAddress, referencedResource } from './address.js';
import { KNOWN_AFTER_APPLY, loadTerraformPlans, MAX_PLAN_BYTES } from './load-plans.js';
import { findJsonErrorOffset, jsonErrorPosition } from './text-position.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');

function byAddress(facts: TerraformResource[], address: string): TerraformResource {
  const f = facts.find((x) => x.address === address);
  assert.ok(f, `no fact ${address} in ${facts.map((x) => x.address).join(', ')}`);
  return f;
}

describe('loadTerraformPlans on a hand-written plan', async () => {
  const r = await loadTerraformPlans(fixtures, [path.join(fixtures, 'hand-plan.json')]);
  const text = await readFile(path.join(fixtures, 'hand-plan.json'), 'utf8');
  const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

  it('emits one fact per non-deleted change plus plan-time data sources, in plan order', () => {
    assert.deepEqual(
      r.facts.map((f) => f.address),
      [
        'aws_s3_bucket.logs',
        'aws_s3_bucket_server_side_encryption_configuration.logs',
        'aws_instance.web[0]',
        'module.net.aws_security_group.web["a"]',
        'module.net.aws_security_group_rule.extra["a"]',
        'module.net.data.aws_iam_policy_document.assume',
        'data.aws_caller_identity.current',
      ],
    );
    // The deleted bucket is neither loaded from resource_changes nor resurrected from prior_state.
    assert.equal(
      r.facts.some((f) => f.address === 'aws_s3_bucket.old'),
      false,
    );
  });

  it('keeps nested blocks as arrays of objects and marks after_unknown nodes Unresolved', () => {
    const b = byAddress(r.facts, 'aws_s3_bucket.logs');
    assert.deepEqual(b.attributes.versioning, [{ enabled: true, mfa_delete: false }]);
    assert.deepEqual(b.attributes.tags, { env: 'prod' });
    assert.equal(b.attributes.bucket, 'acme-logs');
    assert.ok(isUnresolved(b.attributes.arn));
    assert.equal((b.attributes.arn as Unresolved).reason, KNOWN_AFTER_APPLY);
    assert.equal(b.origin, 'plan');
    assert.equal(b.mode, 'managed');
    assert.equal(b.type, 'aws_s3_bucket');
    assert.equal(b.name, 'logs');
    assert.deepEqual(b.attributeLocations, {});

    const sse = byAddress(r.facts, 'aws_s3_bucket_server_side_encryption_configuration.logs');
    const rule = sse.attributes.rule as Record<string, unknown>[];
    const def = (rule[0]!.apply_server_side_encryption_by_default as Record<string, unknown>[])[0]!;
    assert.equal(def.sse_algorithm, 'aws:kms');
    // A nested unknown missing from `after` appears as Unresolved, with the attribute's refs.
    assert.ok(isUnresolved(def.kms_master_key_id));
    assert.deepEqual((def.kms_master_key_id as Unresolved).refs, ['data.aws_kms_key.by_alias']);
    assert.equal(rule[0]!.bucket_key_enabled, null);

    const web = byAddress(r.facts, 'aws_instance.web[0]');
    const ids = web.attributes.vpc_security_group_ids as unknown[];
    assert.equal(ids[0], 'sg-static');
    assert.ok(isUnresolved(ids[1]));
  });

  it('puts the referenced resources into an unknown attribute (companion linking)', () => {
    const sse = byAddress(r.facts, 'aws_s3_bucket_server_side_encryption_configuration.logs');
    assert.ok(isUnresolved(sse.attributes.bucket));
    assert.deepEqual((sse.attributes.bucket as Unresolved).refs, ['aws_s3_bucket.logs']);
    assert.deepEqual(sse.references, {
      bucket: ['aws_s3_bucket.logs'],
      rule: ['data.aws_kms_key.by_alias'],
    });
    const idx = new TerraformIndex(r.facts);
    const bucket = byAddress(r.facts, 'aws_s3_bucket.logs');
    assert.deepEqual(
      idx
        .linked(bucket, 'aws_s3_bucket_server_side_encryption_configuration', { attribute: 'bucket' })
        .map((x) => x.address),
      ['aws_s3_bucket_server_side_encryption_configuration.logs'],
    );
  });

  it('derives base address, module path and module-prefixed references', () => {
    const sg = byAddress(r.facts, 'module.net.aws_security_group.web["a"]');
    assert.equal(sg.baseAddress, 'module.net.aws_security_group.web');
    assert.equal(sg.modulePath, 'module.net');
    assert.deepEqual(sg.attributes.ingress, [
      { cidr_blocks: ['0.0.0.0/0'], from_port: 22, to_port: 22, protocol: 'tcp' },
    ]);
    const rule = byAddress(r.facts, 'module.net.aws_security_group_rule.extra["a"]');
    assert.deepEqual(rule.references.security_group_id, ['module.net.aws_security_group.web']);
    assert.deepEqual((rule.attributes.security_group_id as Unresolved).refs, [
      'module.net.aws_security_group.web',
    ]);
    const idx = new TerraformIndex(r.facts);
    assert.equal(idx.points(rule, sg, { attribute: 'security_group_id' }), true);

    const web = byAddress(r.facts, 'aws_instance.web[0]');
    assert.equal(web.baseAddress, 'aws_instance.web');
    assert.equal(web.modulePath, '');
    // module outputs and count.index are not resources
    assert.deepEqual(web.references, {
      vpc_security_group_ids: ['aws_security_group.local', 'aws_security_group.local[0]'],
    });

    const doc = byAddress(r.facts, 'module.net.data.aws_iam_policy_document.assume');
    assert.equal(doc.mode, 'data');
    assert.equal(doc.baseAddress, 'module.net.data.aws_iam_policy_document.assume');
    assert.deepEqual(doc.references, {
      statement: ['module.net.aws_iam_role.r'],
      json: ['module.net.aws_iam_role.r'],
    });
    assert.ok(isUnresolved(doc.attributes.json));
    assert.deepEqual((doc.attributes.json as Unresolved).refs, ['module.net.aws_iam_role.r']);

    const caller = byAddress(r.facts, 'data.aws_caller_identity.current');
    assert.equal(caller.mode, 'data');
    assert.deepEqual(caller.attributes, { account_id: '123456789012' });
  });

  it('locates each resource at its "address" line in resource_changes or prior_state', () => {
    const rc = text.indexOf('"resource_changes"');
    const lineAfter = (needle: string) => text.slice(0, text.indexOf(needle, rc)).split('\n').length;
    assert.equal(
      byAddress(r.facts, 'aws_s3_bucket.logs').location.line,
      lineAfter('"address": "aws_s3_bucket.logs"'),
    );
    assert.equal(
      byAddress(r.facts, 'module.net.aws_security_group.web["a"]').location.line,
      lineAfter('"address": "module.net.aws_security_group.web'),
    );
    assert.equal(
      byAddress(r.facts, 'data.aws_caller_identity.current').location.line,
      lineOf('"address": "data.aws_caller_identity.current"'),
    );
    for (const f of r.facts) {
      assert.equal(f.location.file, 'hand-plan.json');
      assert.equal(f.rootModule, 'hand-plan.json');
      assert.equal(f.location.column, f.address.startsWith('data.aws_caller') ? 13 : 7);
    }
  });

  it('reports entries of the wrong type by JSON path and keeps the rest', () => {
    const msgs = r.diagnostics.map((d) => `${d.code} ${d.line ?? '-'} ${d.message}`);
    assert.equal(r.diagnostics.length, 2, msgs.join('\n'));
    const afterDiag = r.diagnostics.find((d) => d.message.includes('resource_changes[7].change.after'));
    assert.ok(afterDiag, msgs.join('\n'));
    assert.equal(afterDiag.code, 'E_INPUT_PARSE');
    assert.equal(afterDiag.line, lineOf('"address": "aws_kms_key.broken"'));
    assert.match(afterDiag.message, /found a string/);
    assert.ok(r.diagnostics.some((d) => d.message.startsWith('resource_changes[8] must be an object')));
  });

  it('records the input with its digest', async () => {
    const bytes = await readFile(path.join(fixtures, 'hand-plan.json'));
    assert.deepEqual(r.inputs, [
      {
        file: 'hand-plan.json',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        kind: 'terraform-plan',
        bytes: bytes.length,
      },
    ]);
    assert.deepEqual(r.skipped, []);
  });
});

describe('loadTerraformPlans on genuine terraform 1.11 output', async () => {
  const r = await loadTerraformPlans(fixtures, ['real/terraform-1.11-plan.json']);

  it('loads modules with for_each, count and a plan-time data source; drops the deleted instance', () => {
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.facts.map((f) => f.address),
      [
        'terraform_data.bucket',
        'terraform_data.consumer',
        'terraform_data.policy',
        'terraform_data.replicas[0]',
        'module.net["a"].terraform_data.link',
        'module.net["a"].terraform_data.sg["ssh"]',
        'module.net["a"].terraform_data.sg["web"]',
        'module.net["b"].terraform_data.link',
        'module.net["b"].terraform_data.sg["ssh"]',
        'module.net["b"].terraform_data.sg["web"]',
        'data.terraform_remote_state.shared',
      ],
    );
    const sg = byAddress(r.facts, 'module.net["b"].terraform_data.sg["web"]');
    assert.equal(sg.modulePath, 'module.net["b"]');
    assert.equal(sg.baseAddress, 'module.net["b"].terraform_data.sg');
    assert.equal(sg.rootModule, 'real/terraform-1.11-plan.json');
    assert.deepEqual(sg.attributes.input, {
      cidr: '10.0.2.0/24',
      port: 443,
      rules: [{ from: 443, open: true }],
    });
    assert.equal(sg.location.line, 1);
    assert.ok((sg.location.column ?? 0) > 1);
  });

  it('links references within the same module instance', () => {
    const link = byAddress(r.facts, 'module.net["a"].terraform_data.link');
    assert.deepEqual(link.references, {
      input: ['module.net["a"].terraform_data.sg', 'module.net["a"].terraform_data.sg["web"]'],
    });
    const idx = new TerraformIndex(r.facts);
    const linked = idx.linked(
      byAddress(r.facts, 'module.net["a"].terraform_data.sg["web"]'),
      'terraform_data',
      {
        attribute: 'input',
      },
    );
    assert.deepEqual(
      linked.map((x) => x.address),
      ['module.net["a"].terraform_data.link'],
    );
  });

  it('turns an update with unknown input into Unresolved carrying its references', () => {
    const policy = byAddress(r.facts, 'terraform_data.policy');
    assert.ok(isUnresolved(policy.attributes.input));
    assert.deepEqual((policy.attributes.input as Unresolved).refs, ['terraform_data.bucket']);
    assert.deepEqual(policy.references.triggers_replace, [
      'terraform_data.replicas',
      'terraform_data.replicas[0]',
    ]);
    const bucket = byAddress(r.facts, 'terraform_data.bucket');
    assert.equal(bucket.attributes.input, 'logs-bucket-v2');
    assert.ok(isUnresolved(bucket.attributes.output));
    const consumer = byAddress(r.facts, 'terraform_data.consumer');
    assert.deepEqual(consumer.attributes.input, { vpc: 'vpc-123' });
    assert.deepEqual(consumer.references, { input: ['data.terraform_remote_state.shared'] });
  });
});

describe('loadTerraformPlans robustness', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'evident-plan-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  async function load(name: string, content: string | Buffer) {
    await writeFile(path.join(tmp, name), content);
    return loadTerraformPlans(tmp, [path.join(tmp, name)]);
  }

  it('reports malformed JSON with line and column and no input excerpt', async () => {
    const r = await load('bad.json', '{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}');
    assert.equal(r.facts.length, 0);
    assert.equal(r.inputs.length, 0);
    assert.equal(r.diagnostics.length, 1);
    const d = r.diagnostics[0]!;
    assert.equal(d.code, 'E_INPUT_PARSE');
    assert.equal(d.file, 'bad.json');
    assert.equal(d.line, 3);
    assert.equal(d.column, 24);
  });

  it('finds the position when V8 gives none and never echoes the bad token context', async () => {
    const r = await load('secret.json', '{"format_version": "1.2",\n "password": hunter2secret}');
    const d = r.diagnostics[0]!;
    assert.equal(d.line, 2);
    assert.equal(d.column, 14);
    assert.doesNotMatch(d.message, /hunter2/);
  });

  it('reports truncated JSON at its end', async () => {
    const r = await load('trunc.json', '{"format_version": "1.2",\n"resource_changes": [');
    assert.deepEqual([r.diagnostics[0]?.line, r.diagnostics[0]?.column], [2, 22]);
  });

  it('refuses invalid UTF-8 anywhere in the plan, with its position (issue 7 case 1)', async () => {
    const text = `{"format_version":"1.2","terraform_version":"1.9.0","resource_changes":[{"address":"aws_kms_key.k","type":"aws_kms_key`;
    const r = await load(
      'ff.json',
      Buffer.concat([
        Buffer.from(text),
        Buffer.from([0xff]),
        Buffer.from('","name":"k","mode":"managed","change":{"actions":["create"],"after":{}}}]}'),
      ]),
    );
    assert.deepEqual(r.facts, []);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]),
      [['error', 'E_INPUT_BINARY', 1, text.length + 1]],
    );
  });

  it('rejects binary files, other format majors, and non-object documents', async () => {
    const bin = await load('plan.bin.json', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]));
    assert.equal(bin.diagnostics[0]?.code, 'E_INPUT_BINARY');
    const v2 = await load(
      'v2.json',
      '{"format_version":"2.0","terraform_version":"9.0.0","resource_changes":[]}',
    );
    assert.equal(v2.diagnostics[0]?.code, 'E_INPUT_UNSUPPORTED');
    assert.equal(v2.inputs.length, 0);
    const arr = await load('arr.json', '[]');
    assert.equal(arr.diagnostics[0]?.code, 'E_INPUT_PARSE');
  });

  it('reports a resource_changes that is not an array, naming the path', async () => {
    const r = await load('rc.json', '{"format_version":"1.2","resource_changes":{"a":1}}');
    assert.equal(r.facts.length, 0);
    assert.equal(r.inputs.length, 1);
    assert.match(r.diagnostics[0]?.message ?? '', /^resource_changes must be an array, found an object/);
  });

  it('reports missing files as E_IO', async () => {
    const r = await loadTerraformPlans(tmp, ['missing.json']);
    assert.equal(r.diagnostics[0]?.code, 'E_IO');
    assert.equal(r.diagnostics[0]?.file, 'missing.json');
  });

  it('reports a file over the size cap without reading it', async () => {
    assert.equal(MAX_PLAN_BYTES, 200 * 1024 * 1024);
    const big = path.join(tmp, 'huge.json');
    // A sparse file: over the cap on disk metadata, no real bytes written.
    const fh = await import('node:fs/promises').then((m) => m.open(big, 'w'));
    await fh.truncate(MAX_PLAN_BYTES + 1);
    await fh.close();
    const r = await loadTerraformPlans(tmp, [big]);
    assert.equal(r.diagnostics[0]?.code, 'E_INPUT_TOO_LARGE');
    assert.equal(r.inputs.length, 0);
  });

  it('loads a state file (values) as facts', async () => {
    const r = await load(
      'state.json',
      JSON.stringify({
        format_version: '1.0',
        terraform_version: '1.9.0',
        values: {
          root_module: {
            resources: [
              {
                address: 'aws_s3_bucket.a',
                mode: 'managed',
                type: 'aws_s3_bucket',
                name: 'a',
                values: { bucket: 'a' },
              },
            ],
            child_modules: [
              {
                address: 'module.m[0]',
                resources: [
                  {
                    address: 'module.m[0].aws_kms_key.k',
                    mode: 'managed',
                    type: 'aws_kms_key',
                    name: 'k',
                    values: { enable_key_rotation: true },
                  },
                ],
              },
            ],
          },
        },
      }),
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.facts.map((f) => [f.address, f.modulePath, f.baseAddress]),
      [
        ['aws_s3_bucket.a', '', 'aws_s3_bucket.a'],
        ['module.m[0].aws_kms_key.k', 'module.m[0]', 'module.m[0].aws_kms_key.k'],
      ],
    );
  });

  it('loads a 10 MB single-line plan', async () => {
    const changes = [];
    for (let i = 0; changes.length < 60000; i++) {
      changes.push({
        address: `module.m.aws_s3_bucket.b["k${i}"]`,
        module_address: 'module.m',
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'b',
        index: `k${i}`,
        change: {
          actions: ['create'],
          before: null,
          after: { bucket: `bucket-${i}`, tags: { n: String(i) }, versioning: [{ enabled: i % 2 === 0 }] },
          after_unknown: { id: true, arn: true, versioning: [{}] },
        },
      });
    }
    const text = JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.9.0',
      resource_changes: changes,
    });
    assert.ok(text.length > 10 * 1024 * 1024, String(text.length));
    assert.equal(text.includes('\n'), false);
    const r = await load('big.json', text);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.facts.length, 60000);
    const last = r.facts[59999]!;
    assert.equal(last.address, 'module.m.aws_s3_bucket.b["k59999"]');
    assert.equal(last.location.line, 1);
    assert.equal(
      last.location.column,
      text.indexOf('"address":"module.m.aws_s3_bucket.b[\\"k59999\\"]"') + 1,
    );
    assert.deepEqual(last.attributes.versioning, [{ enabled: false }]);
  });
});

describe('plan address helpers', () => {
  it('parses instance addresses', () => {
    assert.deepEqual(parseResourceAddress('module.a["x.y]"].module.b[2].data.t_t.n["k"]'), {
      modules: [
        { name: 'a', key: 'x.y]' },
        { name: 'b', key: 2 },
      ],
      mode: 'data',
      type: 't_t',
      name: 'n',
      key: 'k',
    });
    assert.equal(parseResourceAddress('var.x.y.z'), undefined);
    assert.equal(parseResourceAddress('aws_x.y['), undefined);
    assert.equal(parseResourceAddress(''), undefined);
  });

  it('reduces references to resource base addresses', () => {
    assert.equal(referencedResource('aws_s3_bucket.b.id'), 'aws_s3_bucket.b');
    assert.equal(referencedResource('aws_instance.x[0]'), 'aws_instance.x');
    assert.equal(referencedResource('aws_sg.w[each.key].id'), 'aws_sg.w');
    assert.equal(referencedResource('data.aws_iam_policy_document.p.json'), 'data.aws_iam_policy_document.p');
    for (const r of [
      'var.x',
      'local.y',
      'module.m.out',
      'each.key',
      'count.index',
      'path.module',
      'self.id',
      'data.x',
      'aws_x',
    ]) {
      assert.equal(referencedResource(r), undefined, r);
    }
  });

  it('locates JSON syntax errors', () => {
    assert.equal(findJsonErrorOffset('{"a": [1, 2,]}'), 12);
    assert.equal(findJsonErrorOffset('{"a": 1} x'), 9);
    assert.equal(findJsonErrorOffset('{"a\u0001": 1}'), 3);
    assert.equal(findJsonErrorOffset('{"a": "\\x"}'), 7);
    assert.equal(findJsonErrorOffset('{"a": {"b": [true, null, -1.5e3, "s"]}}'), 39);
    let err: SyntaxError | undefined;
    try {
      JSON.parse('{\n "a": tru}');
    } catch (e) {
      err = e as SyntaxError;
    }
    assert.deepEqual(jsonErrorPosition('{\n "a": tru}', err!), {
      line: 2,
      column: 7,
      reason: "Unexpected token '}'",
    });
  });
});

describe('provider configuration of plan resources', () => {
  it('keeps an aliased provider_config_key and drops the default one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'evident-plan-provider-'));
    try {
      const plan = {
        format_version: '1.2',
        terraform_version: '1.9.8',
        resource_changes: ['a', 'b'].map((n) => ({
          address: `aws_ebs_volume.${n}`,
          mode: 'managed',
          type: 'aws_ebs_volume',
          name: n,
          change: { actions: ['create'], before: null, after: { size: 1 }, after_unknown: { id: true } },
        })),
        configuration: {
          root_module: {
            resources: [
              {
                address: 'aws_ebs_volume.a',
                mode: 'managed',
                type: 'aws_ebs_volume',
                name: 'a',
                provider_config_key: 'aws.usw2',
              },
              {
                address: 'aws_ebs_volume.b',
                mode: 'managed',
                type: 'aws_ebs_volume',
                name: 'b',
                provider_config_key: 'aws',
              },
            ],
          },
        },
      };
      await writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan));
      const r = await loadTerraformPlans(dir, [path.join(dir, 'plan.json')]);
      assert.equal(byAddress(r.facts, 'aws_ebs_volume.a').provider, 'aws.usw2');
      assert.equal(byAddress(r.facts, 'aws_ebs_volume.b').provider, undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('provider configuration of plan resources inside modules', () => {
  it('keeps Terraform 1.x root-resolved keys; a module-prefixed key stays whole (module-scoped)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'evident-plan-provider-mod-'));
    try {
      const vol = (mod: string) => ({
        address: `module.${mod}.aws_ebs_volume.v`,
        module_address: `module.${mod}`,
        mode: 'managed',
        type: 'aws_ebs_volume',
        name: 'v',
        change: { actions: ['create'], before: null, after: { size: 1 }, after_unknown: { id: true } },
      });
      const call = (key: string) => ({
        source: './m',
        module: {
          resources: [
            {
              address: 'aws_ebs_volume.v',
              mode: 'managed',
              type: 'aws_ebs_volume',
              name: 'v',
              provider_config_key: key,
            },
          ],
        },
      });
      const plan = {
        format_version: '1.2',
        terraform_version: '1.9.8',
        resource_changes: [vol('west'), vol('east'), vol('legacy')],
        configuration: {
          root_module: {
            module_calls: { west: call('aws.usw2'), east: call('aws'), legacy: call('module.legacy:aws') },
          },
        },
      };
      await writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan));
      const r = await loadTerraformPlans(dir, [path.join(dir, 'plan.json')]);
      assert.equal(byAddress(r.facts, 'module.west.aws_ebs_volume.v').provider, 'aws.usw2');
      assert.equal(byAddress(r.facts, 'module.east.aws_ebs_volume.v').provider, undefined);
      assert.equal(byAddress(r.facts, 'module.legacy.aws_ebs_volume.v').provider, 'module.legacy:aws');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('plan JSON nesting limit (issue 7 case 9, for plans)', () => {
  it('refuses a plan nested deeper than the limit, with the position of the first bracket past it', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'evident-plan-deep-'));
    try {
      const head =
        '{"format_version":"1.2","terraform_version":"1.9.0","resource_changes":[{"address":"a.b","x":"[[[",';
      await writeFile(
        path.join(tmp, 'deep.json'),
        `${head}\n"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
      );
      const r = await loadTerraformPlans(tmp, ['deep.json']);
      assert.deepEqual(r.facts, []);
      assert.deepEqual(
        r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]),
        [['error', 'E_INPUT_TOO_LARGE', 2, 4 + (257 - 3)]], // three levels open on line 1
      );
      assert.match(r.diagnostics[0]!.message, /nested more than 256 levels.*--limit nesting-depth=N/);
      const lower = await loadTerraformPlans(tmp, ['deep.json'], { limits: { 'nesting-depth': 10 } });
      assert.match(lower.diagnostics[0]!.message, /more than 10 levels/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform (HCL) source, where ${...} is interpolation syntax
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TerraformResource, TfObject, TfValue } from '../../core/facts.js';
import { TerraformIndex } from '../../core/terraform-index.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { loadTerraform } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');

function byAddress(facts: TerraformResource[], address: string): TerraformResource {
  const r = facts.find((f) => f.address === address);
  assert.ok(r, `no resource ${address}; have ${facts.map((f) => f.address).join(', ')}`);
  return r;
}

function obj(v: TfValue | undefined): TfObject {
  assert.ok(
    v && typeof v === 'object' && !Array.isArray(v) && !isUnresolved(v),
    `expected an object, got ${JSON.stringify(v)}`,
  );
  return v as TfObject;
}

/** Writes `files` (relative path -> content) into a fresh temp dir and loads every dir holding .tf files. */
async function loadFiles(files: Record<string, string | Buffer>, opts = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evident-tf-'));
  const dirs = new Set<string>();
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    if (rel.endsWith('.tf')) dirs.add(path.dirname(abs));
  }
  try {
    return await loadTerraform(root, [...dirs], opts);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('variables', () => {
  it('applies default < terraform.tfvars < *.auto.tfvars < var files < -var', async () => {
    const root = path.join(fixtures, 'vars');
    const r = await loadTerraform(root, [root], {
      varFiles: [path.join(root, 'extra.tfvars.json')],
      vars: { from_cli: 'cli', required: 'given', cli_list: '["x", "y"]' },
    });
    const b = byAddress(r.facts, 'aws_s3_bucket.b');
    assert.equal(b.attributes.bucket, 'default-value|tfvars|auto|var-file|cli');
    const tags = obj(b.attributes.tags);
    assert.equal(tags.port, 8080, 'string "8080" from tfvars converted to the declared number type');
    assert.equal(tags.required, 'given');
    assert.deepEqual(tags.list, ['x', 'y'], '-var value parsed as an HCL expression');
    assert.deepEqual(
      r.inputs.map((i) => [i.file, i.kind]),
      [
        ['b.auto.tfvars', 'terraform-vars'],
        ['extra.tfvars.json', 'terraform-vars'],
        ['main.tf', 'terraform'],
        ['terraform.tfvars', 'terraform-vars'],
        ['variables.tf', 'terraform'],
      ],
    );
    for (const i of r.inputs) {
      assert.match(i.sha256, /^[0-9a-f]{64}$/);
      assert.ok(i.bytes > 0);
    }
  });

  it('a variable with no value is Unresolved, never guessed', async () => {
    const root = path.join(fixtures, 'vars');
    const r = await loadTerraform(root, [root]);
    const tags = obj(byAddress(r.facts, 'aws_s3_bucket.b').attributes.tags);
    assert.ok(isUnresolved(tags.required));
    assert.equal((tags.required as Unresolved).reason, 'variable required has no value');
    assert.equal(
      byAddress(r.facts, 'aws_s3_bucket.b').attributes.bucket,
      'default-value|tfvars|auto|auto|auto',
    );
  });

  it('a missing var file is a usage error', async () => {
    await assert.rejects(loadTerraform(fixtures, [], { varFiles: ['/nonexistent/x.tfvars'] }), {
      code: 'E_USAGE',
    });
  });
});

describe('language', () => {
  const root = path.join(fixtures, 'language');
  const load = () => loadTerraform(fixtures, [root]);

  it('evaluates locals in any order, count and for_each over maps and sets', async () => {
    const r = await load();
    assert.equal(byAddress(r.facts, 'aws_s3_bucket.counted[0]').attributes.bucket, 'ACME-dev-0');
    assert.equal(byAddress(r.facts, 'aws_s3_bucket.counted[1]').attributes.bucket, 'ACME-dev-1');
    assert.equal(byAddress(r.facts, 'aws_s3_bucket.by_map["ssh"]').attributes.bucket, 'ssh-22');
    assert.equal(byAddress(r.facts, 'aws_s3_bucket.by_map["https"]').attributes.bucket, 'https-443');
    const set = r.facts.filter((f) => f.baseAddress === 'aws_s3_bucket.by_set').map((f) => f.address);
    assert.deepEqual(set, ['aws_s3_bucket.by_set["a"]', 'aws_s3_bucket.by_set["b"]']);
    assert.equal(
      r.facts.filter((f) => f.baseAddress === 'aws_s3_bucket.none').length,
      0,
      'for_each over {} yields no instance',
    );
    const c = byAddress(r.facts, 'aws_s3_bucket.counted[1]');
    assert.equal(c.baseAddress, 'aws_s3_bucket.counted');
    assert.equal(c.modulePath, '');
    assert.equal(c.rootModule, 'language');
    assert.equal(c.origin, 'hcl');
    assert.equal(c.mode, 'managed');
    assert.deepEqual(c.location, { file: 'language/main.tf', line: 15, column: 1, endLine: 18 });
  });

  it('emits a resource with unknown count once as [*], with Unresolved count.index', async () => {
    const r = await load();
    const u = byAddress(r.facts, 'aws_s3_bucket.unknown_count[*]');
    assert.equal(u.baseAddress, 'aws_s3_bucket.unknown_count');
    assert.ok(isUnresolved(u.attributes.bucket));
    assert.deepEqual((u.attributes.bucket as Unresolved).refs, ['aws_s3_bucket.counted']);
  });

  it('expands dynamic blocks after static ones, drops meta-arguments, records locations', async () => {
    const r = await load();
    const sg = byAddress(r.facts, 'aws_security_group.web');
    assert.deepEqual(Object.keys(sg.attributes), ['name', 'ingress']);
    assert.deepEqual(sg.attributes.ingress, [
      { description: 'static', from_port: 80, to_port: 80, cidr_blocks: ['10.0.0.0/8'] },
      { description: 'https', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'] },
      { description: 'ssh', from_port: 22, to_port: 22, cidr_blocks: ['10.0.0.0/8'] },
    ]);
    assert.equal(sg.attributeLocations.name?.line, 41);
    assert.equal(sg.attributeLocations.ingress?.line, 43);
    assert.equal(sg.attributeLocations['ingress.0.from_port']?.line, 45);
    assert.equal(
      sg.attributeLocations['ingress.2.from_port']?.line,
      55,
      'dynamic content attributes point into the content block',
    );
    assert.equal(sg.attributeLocations['ingress.1']?.file, 'language/main.tf');
    const v = byAddress(r.facts, 'aws_s3_bucket_versioning.v');
    assert.deepEqual(v.attributes.versioning_configuration, [{ status: 'Enabled' }]);
    assert.equal(v.attributeLocations['versioning_configuration.0.status']?.line, 70);
  });

  it('fills references and resolves known attributes of other resources', async () => {
    const r = await load();
    const v = byAddress(r.facts, 'aws_s3_bucket_versioning.v');
    assert.ok(isUnresolved(v.attributes.bucket));
    assert.equal((v.attributes.bucket as Unresolved).reason, 'computed: aws_s3_bucket.counted.id');
    assert.deepEqual(
      v.references.bucket,
      ['aws_s3_bucket.counted', 'aws_s3_bucket.counted[0]'],
      'a literal instance key is kept beside the base address',
    );
    const acl = byAddress(r.facts, 'aws_s3_bucket_acl.acl');
    assert.equal(acl.attributes.bucket, 'ssh-22', 'a configured attribute of another resource is known');
    assert.deepEqual(acl.references.bucket, ['aws_s3_bucket.by_map', 'aws_s3_bucket.by_map["ssh"]']);
    const index = new TerraformIndex(r.facts);
    const bucket = byAddress(r.facts, 'aws_s3_bucket.counted[0]');
    assert.deepEqual(
      index.linked(bucket, 'aws_s3_bucket_versioning', { attribute: 'bucket' }).map((x) => x.address),
      ['aws_s3_bucket_versioning.v'],
    );
    const other = byAddress(r.facts, 'aws_s3_bucket.counted[1]');
    assert.deepEqual(
      index.linked(other, 'aws_s3_bucket_versioning', { attribute: 'bucket' }),
      [],
      'a companion naming instance [0] does not configure instance [1]',
    );
  });

  it('evaluates terraform.workspace as the --workspace given', async () => {
    const r = await loadTerraform(fixtures, [root], { workspace: 'prod' });
    const input = obj(byAddress(r.facts, 'terraform_data.exprs').attributes.input);
    assert.equal(input.workspace, 'prod');
  });

  it('evaluates expressions and functions', async () => {
    const r = await load();
    const input = obj(byAddress(r.facts, 'terraform_data.exprs').attributes.input);
    assert.deepEqual(input.splat, ['ACME-dev-0', 'ACME-dev-1']);
    assert.deepEqual(input.for_list, [886]);
    assert.deepEqual(input.for_map, { https: 443, ssh: 22 });
    assert.deepEqual(input.grouped, { '0.0.0.0/0': ['https'], '10.0.0.0/8': ['ssh'] });
    assert.equal(input.cond, 'yes');
    assert.equal(input.math, 8);
    assert.equal(input.logic, true);
    assert.equal(input.heredoc, 'line dev\n  indented\n');
    assert.equal(input.directive, '[22][443]!');
    assert.equal(input.escaped, 'tab\there "q" ${literal}');
    assert.equal(input.json, '{"a":[true,null],"b":1}');
    assert.equal(input.decoded, 2);
    assert.equal(input.formatted, 'a-007-2.5-true');
    assert.equal(input.joined, 'a,b,c');
    assert.equal(input.looked_up, 'fallback');
    assert.equal(input.tried, 'fallback');
    assert.equal(input.can_do, true);
    assert.equal(input.cidr, '10.0.2.0/24');
    assert.equal(input.host, '10.0.1.5');
    assert.deepEqual(input.regexed, ['web', '42']);
    assert.equal(input.replaced, 'a_b_c');
    assert.ok(isUnresolved(input.workspace), 'terraform.workspace is chosen at run time: unknown');
    assert.match((input.workspace as Unresolved).reason, /--workspace/);
    assert.equal(input.path_mod, '.');
    assert.equal(input.known_attr, 'a');
    assert.equal((input.unsupported as Unresolved).reason, 'unsupported function frobnicate');
    assert.ok(isUnresolved(input.stamp));
    assert.ok(isUnresolved(input.cycle), 'a cycle between locals is Unresolved, not a hang');
    assert.deepEqual((input.computed as Unresolved).refs, ['aws_s3_bucket.by_set']);
    const merged = obj(input.merged);
    assert.equal(merged.a, 1);
    assert.ok(isUnresolved(merged.b), 'unknown values stay unknown inside known collections');
  });
});

describe('modules', () => {
  it('inlines local modules with inputs, count and outputs; remote modules get an info diagnostic', async () => {
    const root = path.join(fixtures, 'modules/root');
    const mod = path.join(fixtures, 'modules/modules/bucket');
    const r = await loadTerraform(path.join(fixtures, 'modules'), [root, mod]);
    const addresses = r.facts.map((f) => f.address).sort();
    assert.deepEqual(addresses, [
      'aws_s3_bucket.tagged',
      'aws_s3_bucket_policy.p',
      'module.data[0].aws_s3_bucket.this',
      'module.data[0].aws_s3_bucket_logging.this[0]',
      'module.data[1].aws_s3_bucket.this',
      'module.data[1].aws_s3_bucket_logging.this[0]',
      'module.logs.aws_s3_bucket.this',
    ]);
    for (const f of r.facts)
      assert.equal(f.rootModule, 'root', 'the called module dir is not a root of its own');
    const logs = byAddress(r.facts, 'module.logs.aws_s3_bucket.this');
    assert.equal(logs.attributes.bucket, 'acme-logs');
    assert.equal(logs.modulePath, 'module.logs');
    assert.equal(logs.baseAddress, 'module.logs.aws_s3_bucket.this');
    assert.equal(logs.location.file, 'modules/bucket/main.tf');
    const d1 = byAddress(r.facts, 'module.data[1].aws_s3_bucket.this');
    assert.equal(d1.attributes.bucket, 'acme-data-1');
    assert.equal(d1.modulePath, 'module.data[1]');
    const lg = byAddress(r.facts, 'module.data[1].aws_s3_bucket_logging.this[0]');
    assert.equal(lg.attributes.target_bucket, 'acme-logs', 'module output fed into another module');
    assert.equal(lg.baseAddress, 'module.data[1].aws_s3_bucket_logging.this');
    assert.deepEqual(lg.references.bucket, ['module.data[1].aws_s3_bucket.this']);
    const p = byAddress(r.facts, 'aws_s3_bucket_policy.p');
    assert.deepEqual((p.attributes.bucket as Unresolved).refs, ['module.logs.aws_s3_bucket.this']);
    assert.deepEqual(p.references.bucket, ['module.logs.aws_s3_bucket.this']);
    assert.equal(
      p.attributes.policy,
      '{"Statement":[{"Effect":"Deny","Resource":"${module.logs.aws_s3_bucket.this.arn}"}]}',
      'a computed ARN inside jsonencode becomes a placeholder',
    );
    const index = new TerraformIndex(r.facts);
    assert.deepEqual(
      index.linked(logs, 'aws_s3_bucket_policy', { attribute: 'bucket' }).map((x) => x.address),
      ['aws_s3_bucket_policy.p'],
    );
    assert.ok(isUnresolved(byAddress(r.facts, 'aws_s3_bucket.tagged').attributes.tags));
    const info = r.diagnostics.filter((d) => d.severity === 'info');
    assert.equal(info.length, 1);
    assert.equal(info[0]?.file, 'root/main.tf');
    assert.equal(info[0]?.line, 13);
    assert.match(info[0]?.message ?? '', /module "label".*cloudposse\/label\/null/);
    assert.equal(r.diagnostics.length, 1);
  });

  it('evaluates remote modules installed by terraform init (.terraform/modules/modules.json)', async () => {
    const r = await loadFiles({
      'main.tf':
        'module "label" {\n  source = "cloudposse/label/null"\n  name = "x"\n}\nresource "t" "r" {\n  v = module.label.id\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          {
            Key: 'label',
            Source: 'registry.terraform.io/cloudposse/label/null',
            Dir: '.terraform/modules/label',
          },
        ],
      }),
      '.terraform/modules/label/main.tf':
        'variable "name" {}\noutput "id" { value = "id-${var.name}" }\nresource "null_resource" "n" {}\n',
    });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.facts.map((f) => [f.address, f.rootModule]).sort(), [
      ['module.label.null_resource.n', '.'],
      ['t.r', '.'],
    ]);
    assert.equal(byAddress(r.facts, 't.r').attributes.v, 'id-x');
    assert.equal(
      byAddress(r.facts, 'module.label.null_resource.n').location.file,
      '.terraform/modules/label/main.tf',
    );
  });

  it('detects recursive modules with E_INPUT_LOOP and does not hang', async () => {
    const a = path.join(fixtures, 'recursive/a');
    const b = path.join(fixtures, 'recursive/b');
    const r = await loadTerraform(path.join(fixtures, 'recursive'), [a, b]);
    const loops = r.diagnostics.filter((d) => d.code === 'E_INPUT_LOOP');
    assert.ok(loops.length >= 1);
    assert.equal(loops[0]?.severity, 'error');
    assert.match(loops[0]?.file ?? '', /^(a|b)\/main\.tf$/);
    assert.equal(loops[0]?.line, 1);
    assert.ok(r.facts.some((f) => f.type === 'aws_s3_bucket' && f.attributes.bucket === 'a'));
    assert.ok(r.facts.some((f) => f.type === 'aws_s3_bucket' && f.attributes.bucket === 'b'));
  });

  it('detects a module calling itself', async () => {
    const r = await loadFiles({ 'main.tf': 'module "me" {\n  source = "./"\n}\nresource "x" "y" {}\n' });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.file, d.line]),
      [['E_INPUT_LOOP', 'main.tf', 1]],
    );
    assert.deepEqual(
      r.facts.map((f) => f.address),
      ['x.y'],
    );
  });
});

describe('bad input', () => {
  it('reports a syntax error with line and column and still loads the other files', async () => {
    const dir = path.join(fixtures, 'malformed');
    const r = await loadTerraform(fixtures, [dir]);
    assert.deepEqual(
      r.facts.map((f) => f.address),
      ['aws_s3_bucket.good'],
    );
    assert.equal(r.diagnostics.length, 1);
    const d = r.diagnostics[0];
    assert.equal(d?.code, 'E_INPUT_PARSE');
    assert.equal(d?.severity, 'error');
    assert.equal(d?.file, 'malformed/bad.tf');
    assert.equal(d?.line, 3);
    assert.ok(d?.column !== undefined && d.column >= 7);
    assert.match(d?.message ?? '', /syntax error/);
    assert.match(d?.message ?? '', /resources in this file were not evaluated/);
  });

  it('skips binary and non-UTF-8 .tf files with a diagnostic', async () => {
    const r = await loadFiles({
      'bin.tf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
      'latin1.tf': Buffer.from([0x61, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]),
      'ok.tf': 'resource "aws_s3_bucket" "ok" {}\n',
    });
    assert.deepEqual(
      r.facts.map((f) => f.address),
      ['aws_s3_bucket.ok'],
    );
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.file]).sort(), [
      ['E_INPUT_BINARY', 'bin.tf'],
      ['E_INPUT_BINARY', 'latin1.tf'],
    ]);
    assert.deepEqual(
      r.inputs.map((i) => i.file),
      ['ok.tf'],
    );
  });

  it('survives hostile expressions: deep nesting, huge count, bad types, empty dirs', async () => {
    const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
    const r = await loadFiles({
      'deep.tf': `locals { deep = ${deep} }\n`,
      'main.tf': [
        'resource "a" "huge" {\n  count = 100000\n}',
        'resource "a" "neg" {\n  count = -1\n}',
        'resource "a" "types" {\n  x = 1 + "a"\n  y = "a"[0]\n  z = null.foo\n  w = element([], 0)\n}',
      ].join('\n'),
      'empty/.keep': '',
    });
    assert.ok(r.facts.some((f) => f.address === 'a.huge[*]'));
    assert.ok(r.facts.some((f) => f.address === 'a.neg[*]'));
    const t = byAddress(r.facts, 'a.types');
    for (const k of ['x', 'y', 'z', 'w']) assert.ok(isUnresolved(t.attributes[k]), k);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.file]),
      [['E_INPUT_PARSE', 'deep.tf']],
    );
  });
});

describe('file handling', () => {
  it('merges override files and lists .tf.json files as skipped', async () => {
    const r = await loadFiles({
      'main.tf': [
        'variable "v" {\n  default  = "base"\n  nullable = false\n}',
        'module "m" {\n  source = "./m"\n  v      = null\n}',
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  acl    = "private"\n  versioning {\n    enabled = true\n  }\n}',
      ].join('\n'),
      'm/main.tf':
        'variable "v" {\n  default  = "dflt"\n  nullable = false\n}\nresource "x" "y" {\n  v = var.v\n}\n',
      'main_override.tf':
        'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n  versioning {\n    enabled = false\n  }\n}\n',
      'cdk.tf.json': '{"resource": {}}',
    });
    const b = byAddress(r.facts, 'aws_s3_bucket.b');
    assert.deepEqual(b.attributes, { bucket: 'b', acl: 'public-read', versioning: [{ enabled: false }] });
    assert.equal(b.attributeLocations.acl?.file, 'main_override.tf');
    assert.equal(b.attributeLocations.bucket?.file, 'main.tf');
    assert.equal(b.attributeLocations['versioning.0.enabled']?.file, 'main_override.tf');
    assert.equal(
      byAddress(r.facts, 'module.m.x.y').attributes.v,
      'dflt',
      'null for a nullable = false variable takes the default',
    );
    assert.deepEqual(
      r.skipped.map((s) => s.file),
      ['cdk.tf.json'],
    );
  });
});

describe('limits', () => {
  it('skips .tf files over 5 MB with E_INPUT_TOO_LARGE', async () => {
    const r = await loadFiles({
      'big.tf': `# ${'x'.repeat(5 * 1024 * 1024)}\n`,
      'ok.tf': 'resource "a" "b" {}\n',
    });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.file]),
      [['E_INPUT_TOO_LARGE', 'big.tf']],
    );
    assert.deepEqual(
      r.facts.map((f) => f.address),
      ['a.b'],
    );
  });

  it('stops exponential module nesting', async () => {
    const files: Record<string, string> = { 'main.tf': 'module "m" {\n  source = "./l1"\n}\n' };
    for (let i = 1; i <= 14; i++) {
      files[`l${i}/main.tf`] =
        i < 14 ? `module "m" {\n  source = "../l${i + 1}"\n  count = 2\n}\n` : 'resource "a" "b" {}\n';
    }
    const r = await loadFiles(files);
    assert.ok(r.diagnostics.some((d) => d.code === 'E_INPUT_TOO_LARGE'));
    assert.ok(r.facts.length <= 5000);
  });

  it('treats a module reached through a symlink loop as recursive', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evident-tf-'));
    try {
      fs.writeFileSync(
        path.join(root, 'main.tf'),
        'module "again" {\n  source = "./link"\n}\nresource "a" "b" {}\n',
      );
      fs.symlinkSync(root, path.join(root, 'link'));
      const r = await loadTerraform(root, [root]);
      assert.deepEqual(
        r.diagnostics.map((d) => d.code),
        ['E_INPUT_LOOP'],
      );
      assert.deepEqual(
        r.facts.map((f) => f.address),
        ['a.b'],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('IAM policies', () => {
  const root = path.join(fixtures, 'iam');

  it('synthesises aws_iam_policy_document json and resolves data.X.json references', async () => {
    const r = await loadTerraform(fixtures, [root]);
    const doc = byAddress(r.facts, 'data.aws_iam_policy_document.p');
    assert.equal(doc.mode, 'data');
    assert.equal(doc.baseAddress, 'data.aws_iam_policy_document.p');
    const policy = byAddress(r.facts, 'aws_iam_policy.from_doc');
    assert.equal(typeof policy.attributes.policy, 'string');
    assert.equal(policy.attributes.policy, doc.attributes.json);
    assert.deepEqual(policy.references.policy, ['data.aws_iam_policy_document.p']);
    assert.deepEqual(JSON.parse(policy.attributes.policy as string), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '${aws_s3_bucket.b.arn}/*',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        },
        { Effect: 'Deny', Action: ['s3:*', 'iam:*'], Resource: '*', Principal: '*' },
      ],
    });
  });

  it('keeps heredoc and jsonencode policies inspectable', async () => {
    const r = await loadTerraform(fixtures, [root]);
    const heredoc = byAddress(r.facts, 'aws_iam_policy.heredoc').attributes.policy;
    assert.equal(typeof heredoc, 'string');
    assert.deepEqual(JSON.parse(heredoc as string).Statement[0], {
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '${aws_s3_bucket.b.arn}',
    });
    assert.ok((heredoc as string).startsWith('{\n  "Version"'), '<<- strips the common indentation');
    const encoded = byAddress(r.facts, 'aws_iam_policy.encoded').attributes.policy;
    assert.deepEqual(JSON.parse(encoded as string), {
      Statement: [{ Action: ['*'], Effect: 'Allow', Resource: '*' }],
      Version: '2012-10-17',
    });
  });

  it('uses placeholders only for identifier-like computed values', async () => {
    const r = await loadFiles({
      'main.tf': `
data "aws_caller_identity" "me" {}
data "terraform_remote_state" "rs" {}
resource "aws_kms_key" "k" {}
resource "aws_iam_policy" "ok" {
  policy = jsonencode({ Statement = [{ Resource = ["arn:aws:iam::\${data.aws_caller_identity.me.account_id}:root", aws_kms_key.k.arn] }] })
}
resource "aws_iam_policy" "fmt" {
  policy = jsonencode({ Resource = [format("arn:aws:s3:::%s/*", aws_kms_key.k.id), join(":", ["a", aws_kms_key.k.key_id])] })
}
resource "aws_iam_policy" "remote" {
  policy = jsonencode({ Statement = [{ Resource = data.terraform_remote_state.rs.outputs }] })
}`,
    });
    assert.equal(
      byAddress(r.facts, 'aws_iam_policy.ok').attributes.policy,
      '{"Statement":[{"Resource":["arn:aws:iam::${data.aws_caller_identity.me.account_id}:root","${aws_kms_key.k.arn}"]}]}',
    );
    assert.equal(
      byAddress(r.facts, 'aws_iam_policy.fmt').attributes.policy,
      '{"Resource":["arn:aws:s3:::${aws_kms_key.k.id}/*","a:${aws_kms_key.k.key_id}"]}',
    );
    const remote = byAddress(r.facts, 'aws_iam_policy.remote').attributes.policy;
    assert.ok(isUnresolved(remote), 'a remote state output could be "*": no placeholder');
    assert.deepEqual(remote.refs, ['data.terraform_remote_state.rs']);
  });

  it('makes a policy document with an unknown principal Unresolved', async () => {
    const r = await loadTerraform(fixtures, [root]);
    const doc = byAddress(r.facts, 'data.aws_iam_policy_document.unknown');
    assert.ok(isUnresolved(doc.attributes.json));
    assert.match((doc.attributes.json as Unresolved).reason, /variable unknown_principal has no value/);
  });
});

describe('expressions (inline configurations)', () => {
  it('propagates Unresolved refs through functions, conditionals and templates', async () => {
    const r = await loadFiles({
      'main.tf': `
variable "flag" {}
resource "aws_s3_bucket" "b" {}
resource "x" "y" {
  a = upper(aws_s3_bucket.b.id)
  b = var.flag ? aws_s3_bucket.b.id : "none"
  c = "prefix-\${aws_s3_bucket.b.bucket_domain_name}"
  d = coalesce("", "first")
  e = [for s in ["a", "b"] : "\${s}-\${aws_s3_bucket.b.id}"]
  f = false && var.flag
  g = length([aws_s3_bucket.b.id, 1])
}`,
    });
    const y = byAddress(r.facts, 'x.y');
    for (const k of ['a', 'b', 'c']) {
      assert.ok(isUnresolved(y.attributes[k]), k);
      assert.deepEqual((y.attributes[k] as Unresolved).refs, ['aws_s3_bucket.b'], k);
      assert.deepEqual(y.references[k], ['aws_s3_bucket.b'], k);
    }
    assert.equal(y.attributes.d, 'first');
    assert.ok(Array.isArray(y.attributes.e) && y.attributes.e.every(isUnresolved));
    assert.equal(y.attributes.f, false);
    assert.equal(y.attributes.g, 2);
    assert.ok(new Unresolved('x') instanceof Unresolved);
  });

  it('reads file() and templatefile() inside the scan root only', async () => {
    const r = await loadFiles({
      'main.tf': `
resource "x" "y" {
  a = file("\${path.module}/policy.json")
  b = templatefile("tpl.tmpl", { name = "world", items = ["p", "q"] })
  c = file("/etc/passwd")
  d = try(file("missing.txt"), "fallback")
}`,
      'policy.json': '{"Statement": []}\n',
      'tpl.tmpl': 'hello ${name}\n%{ for i in items ~}\n- ${i}\n%{ endfor ~}\n',
    });
    const y = byAddress(r.facts, 'x.y');
    assert.equal(y.attributes.a, '{"Statement": []}\n');
    assert.equal(y.attributes.b, 'hello world\n- p\n- q\n');
    assert.ok(isUnresolved(y.attributes.c));
    assert.match((y.attributes.c as Unresolved).reason, /outside the scan root/);
    assert.equal(y.attributes.d, 'fallback');
  });

  it('handles splat on for_each resources, module for_each and data sources', async () => {
    const r = await loadFiles({
      'main.tf': `
module "m" {
  source   = "./mod"
  for_each = { one = 1, two = 2 }
  n        = each.value
}
data "aws_caller_identity" "me" {}
resource "x" "y" {
  outs  = [for k, m in module.m : "\${k}=\${m.doubled}"]
  one   = module.m["one"].doubled
  acct  = data.aws_caller_identity.me.account_id
}`,
      'mod/main.tf':
        'variable "n" {}\noutput "doubled" { value = var.n * 2 }\nresource "z" "w" { v = var.n }\n',
    });
    const y = byAddress(r.facts, 'x.y');
    assert.deepEqual(y.attributes.outs, ['one=2', 'two=4']);
    assert.equal(y.attributes.one, 2);
    assert.equal(
      (y.attributes.acct as Unresolved).reason,
      'computed: data.aws_caller_identity.me.account_id',
    );
    assert.deepEqual(y.references.acct, ['data.aws_caller_identity.me']);
    assert.equal(byAddress(r.facts, 'module.m["two"].z.w').attributes.v, 2);
    assert.equal(byAddress(r.facts, 'data.aws_caller_identity.me').mode, 'data');
  });
});

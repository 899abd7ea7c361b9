// Three-valued evaluation of rule expressions: unknown propagation through every operator, macro and
// helper (docs/policies.md "Unknown values"). `U` is an unresolved attribute, `E` an absent one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Unresolved } from '../core/unresolved.js';
import { compileExpression, isProblem } from './environment.js';
import { evalOn, evalOnManifest, tfResource } from './test-support.js';
import { CelError, PartialList, Unknown } from './value.js';

const U = () => new Unresolved('var.x has no value');

/** The resource every table row is evaluated on. */
const attrs = () => ({
  t: true,
  f: false,
  u: U(),
  n: null,
  s: 'abc',
  num: 3,
  empty: [],
  list: ['a', 'b'],
  ulist: [U(), 'a'],
  bools: [U(), true],
  falses: [U(), false],
  trues: [true, true],
  obj: { k: 'v', inner: U() },
  uobj: U(),
  blocks: [{ enabled: U() }, { enabled: false }],
  tags: { Name: 'x' },
  cidrs: [U(), '0.0.0.0/1'],
  ports: [U(), '22'],
  ports80: [U(), '80'],
});

/** `unknown`, `error`, `absent` (an absence error), or the plain value. */
function outcome(v: unknown): unknown {
  if (v instanceof Unknown) return 'unknown';
  if (v instanceof CelError) return (v as { absent?: boolean }).absent ? 'absent' : 'error';
  if (v instanceof PartialList) return 'partial';
  return v;
}

const run = (expr: string) => outcome(evalOn(expr, tfResource('aws_x', 'a', attrs())));

const table: [string, unknown][] = [
  // reads
  ['resource.u', 'unknown'],
  ['resource.missing', 'absent'],
  ['resource.n.x', 'absent'],
  ['resource.uobj.x', 'unknown'],
  ['resource.obj.inner', 'unknown'],
  ['resource.list[5]', 'absent'],
  ['resource.ulist[0]', 'unknown'],
  ['resource.ulist[1]', 'a'],
  ['resource.uobj["k"]', 'unknown'],
  ['resource.tags["Name"]', 'x'],
  ['resource.s.x', 'error'],
  // && (Kleene, errors absorbed by a decisive false)
  ['resource.t && resource.u', 'unknown'],
  ['resource.u && resource.t', 'unknown'],
  ['resource.f && resource.u', false],
  ['resource.u && resource.f', false],
  ['resource.u && resource.u', 'unknown'],
  ['resource.t && resource.t', true],
  ['resource.missing && resource.f', false],
  ['resource.f && resource.missing', false],
  ['resource.t && resource.missing', 'absent'],
  ['resource.u && resource.missing', 'absent'],
  // ||
  ['resource.f || resource.u', 'unknown'],
  ['resource.u || resource.f', 'unknown'],
  ['resource.t || resource.u', true],
  ['resource.u || resource.t', true],
  ['resource.missing || resource.t', true],
  ['resource.f || resource.missing', 'absent'],
  ['resource.f || resource.f', false],
  // !
  ['!resource.u', 'unknown'],
  ['!resource.t', false],
  ['!resource.missing', 'absent'],
  // ternary
  ['resource.u ? 1 : 1', 1],
  ['resource.u ? 1 : 2', 'unknown'],
  ['resource.t ? resource.u : 2', 'unknown'],
  ['resource.f ? resource.u : 2', 2],
  // comparisons
  ['resource.u == 1', 'unknown'],
  ['resource.u != 1', 'unknown'],
  ['resource.u < 1', 'unknown'],
  ['resource.u <= 1', 'unknown'],
  ['resource.u > 1', 'unknown'],
  ['resource.u >= 1', 'unknown'],
  ['resource.num >= 3', true],
  ['resource.s == 3', false],
  ['resource.s < 3', 'error'],
  ['resource.ulist == ["x", "a"]', 'unknown'],
  ['resource.ulist == ["x", "b"]', false],
  ['resource.ulist == ["x"]', false],
  ['resource.obj == {"k": "v", "inner": 1}', 'unknown'],
  ['resource.obj == {"k": "w", "inner": 1}', false],
  // arithmetic
  ['resource.u + 1 > 0', 'unknown'],
  ['resource.num * 2 == 6', true],
  ['resource.num / 2 == 1', true],
  ['resource.num % 0 == 1', 'error'],
  ['resource.list + resource.ulist == ["a"]', false],
  // in
  ['"a" in resource.ulist', true],
  ['"z" in resource.ulist', 'unknown'],
  ['"z" in resource.list', false],
  ['resource.u in resource.list', 'unknown'],
  ['"Name" in resource.tags', true],
  ['"k" in resource.uobj', 'unknown'],
  // has
  ['has(resource.t)', true],
  ['has(resource.missing)', false],
  ['has(resource.n)', false],
  ['has(resource.empty)', false],
  ['has(resource.u)', 'unknown'],
  ['has(resource.uobj.x)', 'unknown'],
  ['has(resource.missing.x)', false],
  ['has(resource.n.x)', false],
  ['has(resource.obj.k)', true],
  ['has(resource.obj.inner)', 'unknown'],
  // default
  ['default(resource.missing, 7)', 7],
  ['default(resource.n, 7)', 7],
  ['default(resource.missing.deep[0].x, 7)', 7],
  ['default(resource.u, 7)', 'unknown'],
  ['default(resource.num, 7)', 3],
  ['default(resource.s.x, 7)', 'error'],
  // exists / all / exists_one over lists with unknown elements
  ['resource.bools.exists(b, b)', true],
  ['resource.falses.exists(b, b)', 'unknown'],
  ['resource.empty.exists(b, b)', false],
  ['resource.u.exists(b, b)', 'unknown'],
  ['resource.missing.exists(b, b)', 'absent'],
  ['resource.falses.all(b, b)', false],
  ['resource.bools.all(b, b)', 'unknown'],
  ['resource.trues.all(b, b)', true],
  ['resource.empty.all(b, b)', true],
  ['resource.blocks.exists(x, x.enabled)', 'unknown'],
  ['resource.blocks.all(x, x.enabled)', false],
  ['resource.trues.exists_one(b, b)', false],
  ['resource.bools.exists_one(b, b)', 'unknown'],
  ['[true, true, resource.u].exists_one(b, b)', false],
  ['[false, resource.u].exists_one(b, b)', 'unknown'],
  ['[true, false].exists_one(b, b)', true],
  ['resource.tags.exists(k, k == "Name")', true],
  ['resource.list.exists(x, x.y)', 'error'],
  ['resource.list.exists(x, x == "a" || x.y)', true],
  // map / filter
  ['size(resource.ulist.map(x, x)) == 2', true],
  ['resource.ulist.map(x, x + "!")[1] == "a!"', true],
  ['resource.ulist.map(x, x + "!")[0] == "a!"', 'unknown'],
  ['size(resource.ulist.filter(x, x == "a"))', 'unknown'],
  ['resource.ulist.filter(x, x == "a").exists(x, x == "a")', true],
  ['resource.ulist.filter(x, x == "a").all(x, x == "a")', 'unknown'],
  ['resource.list.filter(x, x == "a") == ["a"]', true],
  ['resource.ulist.map(x, x == "a", x)', 'partial'],
  ['"a" in resource.ulist.filter(x, x == "a")', true],
  ['"b" in resource.ulist.filter(x, true)', 'unknown'],
  // size and string functions
  ['size(resource.u)', 'unknown'],
  ['size(resource.ulist)', 2],
  ['size(resource.s)', 3],
  ['resource.u.startsWith("a")', 'unknown'],
  ['resource.s.startsWith(resource.u)', 'unknown'],
  ['resource.s.contains("b")', true],
  ['resource.s.endsWith("bc")', true],
  ['resource.s.matches("^a.c$")', true],
  ['resource.s.matches("(")', 'error'],
  ['resource.s.upperAscii() == "ABC"', true],
  ['" x ".trim() == "x"', true],
  ['"a,b".split(",") == ["a", "b"]', true],
  ['resource.list.join("-") == "a-b"', true],
  ['resource.ulist.join("-")', 'error'],
  ['int("42") == 42', true],
  ['bool("true")', true],
  ['bool(resource.u)', 'unknown'],
  ['bool(resource.num)', 'error'],
  ['string(resource.num) == "3"', true],
  // helpers
  ['isInternetCidr("0.0.0.0/0")', true],
  ['isInternetCidr("::/0")', true],
  ['isInternetCidr("Internet")', true],
  ['isInternetCidr("10.0.0.0/8")', false],
  ['isInternetCidr(resource.u)', 'unknown'],
  ['coversInternet(resource.cidrs)', 'unknown'],
  ['coversInternet(resource.cidrs + ["128.0.0.0/1"])', true],
  ['coversInternet(["10.0.0.0/8"])', false],
  ['coversInternet(["::/1", "8000::/1"])', true],
  ['coversInternet(resource.u)', 'unknown'],
  ['cidrContains("10.0.0.0/8", "10.1.2.3")', true],
  ['cidrContains("10.0.0.0/8", "11.0.0.0/24")', false],
  ['cidrContains("10.0.0.0/8", resource.u)', 'unknown'],
  ['portInRange(22, "0", 65535)', true],
  ['portInRange(22, 23, 80)', false],
  ['portInRange(22, resource.u, 80)', 'unknown'],
  ['portSpecIncludes(resource.ports, 22)', true],
  ['portSpecIncludes(resource.ports80, 22)', 'unknown'],
  ['portSpecIncludes(["1000-2000", "*"], 22)', true],
  ['portSpecIncludes(["80"], 22)', false],
  ['portSpecIncludes(resource.u, 22)', 'unknown'],
  ['isWildcardAction("s3:*")', true],
  ['isAllActions("s3:*")', false],
];

describe('three-valued evaluation', () => {
  for (const [expr, want] of table) {
    test(`${expr} → ${String(want)}`, () => assert.deepEqual(run(expr), want));
  }
});

test('an unknown names the unresolved value by its path and reason', () => {
  const v = evalOn('resource.blocks.exists(b, b.enabled)', tfResource('aws_x', 'a', attrs()));
  assert.ok(v instanceof Unknown);
  assert.deepEqual(v.causes, [{ path: 'resource.blocks[0].enabled', reason: 'var.x has no value' }]);
  const both = evalOn('resource.u == 1 || resource.obj.inner == 2', tfResource('aws_x', 'a', attrs()));
  assert.ok(both instanceof Unknown);
  assert.deepEqual(
    both.causes.map((c) => c.path),
    ['resource.u', 'resource.obj.inner'],
  );
  const el = evalOn('coversInternet(resource.cidrs)', tfResource('aws_x', 'a', attrs()));
  assert.ok(el instanceof Unknown);
  assert.equal(el.causes[0]?.path, 'resource.cidrs[0]');
});

test('an absent attribute says how to state its default', () => {
  const v = evalOn('resource.versioning[0].enabled', tfResource('aws_x', 'a', {}));
  assert.ok(v instanceof CelError);
  assert.match(
    v.message,
    /resource\.versioning is absent: test it with has\(\) or state the default with default/,
  );
});

describe('related()', () => {
  const bucket = tfResource('aws_s3_bucket', 'b', { bucket: 'logs' });
  const linked = tfResource(
    'aws_s3_bucket_versioning',
    'v',
    { bucket: U(), status: 'Enabled' },
    { bucket: ['aws_s3_bucket.b'] },
  );
  const byName = tfResource('aws_s3_bucket_versioning', 'n', { bucket: 'logs', status: 'Suspended' });
  const other = tfResource('aws_s3_bucket_versioning', 'o', { bucket: 'other', status: 'Suspended' });
  const unlinkable = tfResource('aws_s3_bucket_versioning', 'x', { bucket: U(), status: 'Suspended' });

  test('links by reference and by the bucket name, not others', () => {
    assert.equal(evalOn("size(related('aws_s3_bucket_versioning'))", bucket, [linked, byName, other]), 2);
    assert.equal(
      evalOn("related('aws_s3_bucket_versioning').exists(v, v.status == 'Enabled')", bucket, [linked, other]),
      true,
    );
    assert.equal(
      evalOn("related('aws_s3_bucket_versioning').exists(v, v.status == 'Enabled')", bucket, [other]),
      false,
    );
  });
  test('a companion whose bucket is unknown makes membership unknown', () => {
    const v = evalOn("related('aws_s3_bucket_versioning').exists(v, v.status == 'Enabled')", bucket, [
      unlinkable,
    ]);
    assert.ok(v instanceof Unknown);
    assert.equal(v.causes[0]?.path, 'aws_s3_bucket_versioning.x.bucket');
    assert.ok(
      evalOn("size(related('aws_s3_bucket_versioning')) > 0", bucket, [unlinkable]) instanceof Unknown,
    );
    // a known good companion still decides exists()
    assert.equal(
      evalOn("related('aws_s3_bucket_versioning').exists(v, v.status == 'Enabled')", bucket, [
        unlinkable,
        linked,
      ]),
      true,
    );
  });
  test('an unresolved companion attribute is named by the companion address', () => {
    const c = tfResource('aws_s3_bucket_versioning', 'c', { bucket: 'logs', status: U() });
    const v = evalOn("related('aws_s3_bucket_versioning').exists(v, v.status == 'Enabled')", bucket, [c]);
    assert.ok(v instanceof Unknown);
    assert.equal(v.causes[0]?.path, 'aws_s3_bucket_versioning.c.status');
  });
  test('with an explicit attribute, reference-only types link too', () => {
    const key = tfResource('aws_kms_key', 'k', { key_id: U() });
    const alias = tfResource(
      'aws_kms_alias',
      'a',
      { target_key_id: U() },
      { target_key_id: ['aws_kms_key.k'] },
    );
    assert.equal(evalOn("size(related('aws_kms_alias'))", key, [alias]), 1);
    assert.equal(evalOn("size(related('aws_kms_alias', 'target_key_id'))", key, [alias]), 1);
  });
});

describe('policyStatements()', () => {
  const doc = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  test('reads a JSON policy', () => {
    const p = tfResource('aws_iam_policy', 'p', { policy: doc });
    assert.equal(
      evalOn(
        "policyStatements('policy').exists(s, s.effect == 'Allow' && s.actions.exists(a, isAllActions(a)) && '*' in s.resources)",
        p,
      ),
      true,
    );
  });
  test('an unresolved policy is unknown; an unresolved action makes membership unknown', () => {
    assert.ok(
      evalOn(
        "policyStatements('policy').exists(s, s.effect == 'Allow')",
        tfResource('aws_iam_policy', 'p', { policy: U() }),
      ) instanceof Unknown,
    );
    const doc = tfResource('aws_iam_policy_document', 'd', {
      statement: [{ actions: ['s3:GetObject', U()], resources: ['*'] }],
    });
    doc.mode = 'data';
    assert.ok(evalOn("policyStatements().exists(s, '*' in s.actions)", doc) instanceof Unknown);
    assert.equal(
      evalOn("policyStatements().exists(s, 's3:GetObject' in s.actions && s.effect == 'Allow')", doc),
      true,
    );
  });
  test('an absent policy has no statements', () => {
    assert.equal(evalOn("size(policyStatements('policy'))", tfResource('aws_iam_policy', 'p', {})), 0);
  });
});

describe('Kubernetes helpers', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    spec: {
      template: { spec: { containers: [{ name: 'a', image: 'x' }], initContainers: [{ name: 'i' }] } },
    },
  };
  test('containers() spans every container list of every workload kind', () => {
    assert.equal(evalOnManifest('size(containers(resource))', deployment), 2);
    assert.equal(evalOnManifest('size(resourceContainers(resource))', deployment), 2);
    assert.equal(
      evalOnManifest('size(containers(resource))', {
        kind: 'CronJob',
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{}] } } } } },
      }),
      1,
    );
    assert.equal(evalOnManifest('size(containers(resource))', { kind: 'Service', spec: {} }), 0);
    assert.equal(evalOnManifest('podSpec(resource) == null', { kind: 'Service', spec: {} }), true);
  });
  test('a container list that is not a list makes membership unknown', () => {
    const bad = { kind: 'Pod', spec: { containers: 'oops' } };
    assert.ok(evalOnManifest('containers(resource).all(c, has(c.image))', bad) instanceof Unknown);
  });
});

describe('compile-time rejection', () => {
  const problem = (expr: string) => {
    const c = compileExpression(expr, 'terraform', 'bool');
    assert.ok(isProblem(c), `${expr} should be rejected`);
    return c;
  };
  test('syntax, type, unknown function and variable errors carry offsets and suggestions', () => {
    assert.match(problem('resource.a &&& true').message, /CEL syntax error/);
    assert.equal(problem('resource.a &&& true').start, 13);
    assert.match(problem('size(resource.a) > "x"').message, /CEL type error/);
    assert.match(
      problem('resource.s.lowerAsci() == "a"').message,
      /unknown function 'lowerAsci'\. Did you mean 'lowerAscii'\?/,
    );
    assert.match(problem('isInternetCIDR("x")').message, /Did you mean 'isInternetCidr'\?/);
    assert.match(problem('resorce.a == 1').message, /unknown variable 'resorce'\. Did you mean 'resource'\?/);
    assert.match(problem('size(resource.a)').message, /must be a bool/);
    assert.match(problem('containers(resource).size() > 0').message, /unknown function 'containers'/);
  });
  test('functions the evaluator lacks are rejected when the rule loads, not at scan time', () => {
    assert.match(
      problem('timestamp("2020-01-01T00:00:00Z") < timestamp("2021-01-01T00:00:00Z")').message,
      /unknown function 'timestamp'/,
    );
  });
});

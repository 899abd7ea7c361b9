// S3 companion linking in the Terraform adapter (issue 6: links follow references first; a value
// links only when it identifies the bucket; two buckets claiming one name are reported).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadInput } from '../../../../test/conformance/run-fixture.js';
import { TerraformIndex } from '../../../core/terraform-index.js';
import type { S3Bucket } from '../../../model/aws/s3.js';
import { view } from '../../../model/view.js';
import { buildModel } from '../../build-model.js';

async function model(hcl: string) {
  const { facts, diagnostics } = await loadInput('terraform', hcl);
  const m = buildModel(facts, { terraform: new TerraformIndex(facts.terraform) });
  const buckets = m.get('aws.s3.buckets');
  const byAddress = (a: string): S3Bucket => {
    const b = buckets.find((x) => x.subject.address === a);
    assert.ok(b, `no bucket ${a}`);
    return b;
  };
  return { m, byAddress, diagnostics };
}

/** `source → applies` of a bucket's ACLs from companions: true, false or the doubt reason. */
function aclLinks(b: S3Bucket): Record<string, true | string> {
  const out: Record<string, true | string> = {};
  for (const item of b.acls.state === 'known' ? b.acls.value : []) {
    if (item.state !== 'known' || item.value.source.state !== 'known') continue;
    if (item.value.source.value === b.subject.address) continue;
    const a = item.value.applies;
    out[item.value.source.value] =
      a.state === 'known' ? true : a.state === 'unknown' ? a.unresolved.reason : '?';
  }
  return out;
}

const BUCKETS = `
variable "use_a" { type = bool }
variable "bn" { type = string }
resource "aws_s3_bucket" "a" { bucket = "name-a" }
resource "aws_s3_bucket" "b" { bucket = "name-b" }
resource "aws_s3_bucket" "c" {}
`;

describe('S3 companion linking (Terraform)', () => {
  it('an exact reference links certainly; a reference by .bucket links to the referenced bucket', async () => {
    const { byAddress } = await model(`${BUCKETS}
resource "aws_s3_bucket_acl" "by_id" { bucket = aws_s3_bucket.a.id }
resource "aws_s3_bucket_acl" "by_name" { bucket = aws_s3_bucket.a.bucket }
`);
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.a')), {
      'aws_s3_bucket_acl.by_id': true,
      'aws_s3_bucket_acl.by_name': true,
    });
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.b')), {});
  });

  it('a conditional over two buckets and a template around a reference only may configure them', async () => {
    const { byAddress } = await model(`${BUCKETS}
resource "aws_s3_bucket_acl" "cond" { bucket = var.use_a ? aws_s3_bucket.a.id : aws_s3_bucket.b.id }
resource "aws_s3_bucket_acl" "tpl" { bucket = "\${aws_s3_bucket.c.id}-archive" }
`);
    for (const [bucket, acl] of [
      ['aws_s3_bucket.a', 'aws_s3_bucket_acl.cond'],
      ['aws_s3_bucket.b', 'aws_s3_bucket_acl.cond'],
      ['aws_s3_bucket.c', 'aws_s3_bucket_acl.tpl'],
    ] as const) {
      const links = aclLinks(byAddress(bucket));
      assert.match(String(links[acl]), /is not a plain reference to .*it may name another bucket/, bucket);
    }
  });

  it('a known value links to the bucket it names, not to the one its expression references', async () => {
    const { byAddress } = await model(`${BUCKETS}
resource "aws_s3_bucket" "archive" { bucket = "name-a-archive" }
resource "aws_s3_bucket_acl" "derived" { bucket = "\${aws_s3_bucket.a.bucket}-archive" }
resource "aws_s3_bucket_acl" "literal" { bucket = "name-b" }
`);
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.a')), {});
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.archive')), { 'aws_s3_bucket_acl.derived': true });
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.b')), { 'aws_s3_bucket_acl.literal': true });
  });

  it('a bucket expression that is not known statically and names no bucket may configure every bucket', async () => {
    const { byAddress } = await model(`${BUCKETS}
resource "aws_s3_bucket_acl" "var" { bucket = var.bn }
`);
    for (const b of ['aws_s3_bucket.a', 'aws_s3_bucket.c'])
      assert.match(
        String(aclLinks(byAddress(b))['aws_s3_bucket_acl.var']),
        /names a bucket that is not known statically \(variable bn has no value\)/,
      );
  });

  it('two buckets claiming one name: reported once; a reference never confirms the other, the name confirms both', async () => {
    const { m, byAddress, diagnostics } = await model(`
resource "aws_s3_bucket" "one" { bucket = "shared" }
resource "aws_s3_bucket" "two" { bucket = "shared" }
resource "aws_s3_bucket_acl" "ref" { bucket = aws_s3_bucket.one.bucket }
resource "aws_s3_bucket_acl" "name" { bucket = "shared" }
`);
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.one')), {
      'aws_s3_bucket_acl.ref': true,
      'aws_s3_bucket_acl.name': true,
    });
    assert.deepEqual(aclLinks(byAddress('aws_s3_bucket.two')), { 'aws_s3_bucket_acl.name': true });
    // Reported once, by the Terraform source, as the input error it is (the adapter adds nothing).
    assert.deepEqual(m.diagnostics, []);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.line]),
      [['E_INPUT_INVALID', 'error', 3]],
    );
    assert.match(
      diagnostics[0]!.message,
      /aws_s3_bucket.two declares bucket "shared", as aws_s3_bucket.one does/,
    );
  });

  it('an account-level block under another provider configuration only may govern the bucket', async () => {
    const { byAddress } = await model(`
provider "aws" {
  alias  = "other"
  region = "eu-west-1"
}
resource "aws_s3_bucket" "data" { bucket = "data" }
resource "aws_s3_account_public_access_block" "same" { block_public_acls = true }
resource "aws_s3_account_public_access_block" "other" {
  provider          = aws.other
  block_public_acls = true
}
`);
    const pabs = byAddress('aws_s3_bucket.data').publicAccessBlocks;
    const applies = (pabs.state === 'known' ? pabs.value : []).map((p) =>
      p.state === 'known'
        ? [p.value.source.state === 'known' && p.value.source.value, p.value.applies.state]
        : [],
    );
    assert.deepEqual(applies, [
      ['aws_s3_account_public_access_block.same', 'known'],
      ['aws_s3_account_public_access_block.other', 'unknown'],
    ]);
  });

  it('the rule view of a bucket: defaults applied, companions as list items', async () => {
    const { byAddress } = await model(`
resource "aws_s3_bucket" "v" { bucket = "v" }
resource "aws_s3_bucket_public_access_block" "v" {
  bucket            = aws_s3_bucket.v.id
  block_public_acls = true
}
resource "aws_s3_bucket_server_side_encryption_configuration" "v" {
  bucket = aws_s3_bucket.v.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
  }
}
`);
    const b = byAddress('aws_s3_bucket.v');
    const v = view(b);
    assert.equal(v.name, 'v');
    assert.deepEqual(v.acls, [
      { source: 'aws_s3_bucket.v', applies: true, cannedAcl: 'private', grants: [] },
    ]);
    assert.deepEqual(v.publicAccessBlocks, [
      {
        source: 'aws_s3_bucket_public_access_block.v',
        applies: true,
        level: 'bucket',
        blockPublicAcls: true,
        blockPublicPolicy: false,
        ignorePublicAcls: false,
        restrictPublicBuckets: false,
      },
    ]);
    assert.deepEqual(v.encryption, [
      { source: 'aws_s3_bucket_server_side_encryption_configuration.v', applies: true, algorithm: 'aws:kms' },
    ]);
    assert.equal(b.locate('publicAccessBlocks.0.blockPublicAcls').line, 5);
    assert.equal(b.locate('encryption.0.algorithm').line, 10);
  });
});

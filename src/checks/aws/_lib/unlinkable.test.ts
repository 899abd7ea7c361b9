// S3 checks facing a companion whose `bucket` is unresolved and references nothing (a variable
// without a default): it may configure any bucket, so "missing companion" must be unknown, not fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheckOnSnippet } from '../../../../test/conformance/run-fixture.js';
import { check as blockPublicAcls } from '../s3-block-public-acls/check.js';
import { check as accessLogging } from '../s3-bucket-access-logging/check.js';
import { check as bucketEncrypted } from '../s3-bucket-encrypted/check.js';

const companion = (type: string, body: string) => `
variable "bucket_name" {
  type = string
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "${type}" "maybe" {
  bucket = var.bucket_name
${body}
}
`;

describe('S3 companions naming an unknown bucket', () => {
  for (const [name, check, type, body] of [
    [
      'public access block',
      blockPublicAcls,
      'aws_s3_bucket_public_access_block',
      '  block_public_acls = true',
    ],
    [
      'encryption configuration',
      bucketEncrypted,
      'aws_s3_bucket_server_side_encryption_configuration',
      '  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n    }\n  }',
    ],
    ['logging', accessLogging, 'aws_s3_bucket_logging', '  target_bucket = "acme-logs"'],
  ] as const) {
    it(`${name}: the bucket is unknown, located at the companion`, async () => {
      const run = await runCheckOnSnippet(check, 'terraform', companion(type, body));
      const r = run.results.find((x) => x.subject.address === 'aws_s3_bucket.data');
      assert.ok(r, JSON.stringify(run.results));
      assert.equal(r.outcome, 'unknown');
      assert.match(
        r.message,
        new RegExp(
          `, but ${type}\\.maybe names a bucket that is not known statically \\(variable bucket_name has no value\\), so it may configure this one$`,
        ),
      );
      // located in the companion (lines 10-16), not at the bucket (line 6)
      assert.ok((r.location?.line ?? 0) >= 10, JSON.stringify(r.location));
    });
  }
});

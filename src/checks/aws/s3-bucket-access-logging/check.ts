import type { CheckContext, CheckDefinition, CheckResult } from '../../../core/check.js';
import type { TerraformResource, TfValue } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { block, locate, result, stringAttr } from '../../_lib/terraform-values.js';
import { buckets, companionDoubt, s3Companions, unlinkableVerdicts } from '../_lib/s3.js';

/** True when `value` (a `target_bucket`) names `bucket`: by reference or by its literal name/id. */
function names(value: TfValue | undefined, refs: readonly string[], bucket: TerraformResource): boolean {
  const all = [...refs, ...(isUnresolved(value) ? value.refs : [])];
  if (all.includes(bucket.baseAddress) || all.includes(bucket.address)) return true;
  return typeof value === 'string' && (value === bucket.attributes.bucket || value === bucket.attributes.id);
}

/**
 * True when `bucket` receives access logs: another bucket's logging targets it, or its ACL is
 * `log-delivery-write` (the canned ACL for the S3 log delivery group). Such buckets are exempt
 * (logging a log bucket into itself loops), as in trivy's s3/enable_logging.
 */
function isLogTarget(ctx: CheckContext, bucket: TerraformResource): boolean {
  const acls = [bucket, ...s3Companions(ctx, bucket, 'aws_s3_bucket_acl')].map((r) =>
    stringAttr(r.attributes, 'acl'),
  );
  if (acls.includes('log-delivery-write')) return true;
  for (const l of ctx.terraform.ofType('aws_s3_bucket_logging')) {
    if (
      l.rootModule === bucket.rootModule &&
      names(l.attributes.target_bucket, l.references.target_bucket ?? [], bucket)
    )
      return true;
  }
  for (const other of buckets(ctx)) {
    if (other === bucket || other.rootModule !== bucket.rootModule) continue;
    const logging = block(other.attributes, 'logging');
    if (logging && !isUnresolved(logging) && names(logging.target_bucket, [], bucket)) return true;
  }
  return false;
}

/** S3 buckets write server access logs (inline `logging` or `aws_s3_bucket_logging`). */
export const check: CheckDefinition = {
  id: 'aws.s3-bucket-access-logging',
  title: 'S3 buckets have server access logging enabled',
  severity: 'medium',
  rationale:
    'Server access logs record every request made to the bucket (requester, operation, key, result), the record needed to investigate data access and to detect exfiltration; CloudTrail data events are the alternative.',
  remediation:
    'Add `resource "aws_s3_bucket_logging" "<name>" { bucket = aws_s3_bucket.<name>.id  target_bucket = aws_s3_bucket.<logs>.id  target_prefix = "<name>/" }` (or the inline `logging` block on provider v3). Log buckets themselves are exempt.',
  input: 'terraform',
  adversarial: {
    linking: ['unknown-logging-template-bucket.tf', 'fail-logging-other-bucket-only.tf'],
  },
  mappings: {
    soc2: ['CC7.2'],
    'iso27001-2022': ['A.8.15'],
    hipaa: ['164.312(b)'],
    gdpr: ['Art.5(2)'],
  },
  trivyEquivalents: ['cloud/aws/s3/enable_logging'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html'],
  evaluate(_facts, ctx) {
    const out: CheckResult[] = [];
    for (const bucket of buckets(ctx)) {
      // Evidence of logging first: a linked aws_s3_bucket_logging decides even when the inline block
      // is computed (provider v4+ plans mark `logging` unknown on every new bucket).
      const linked = s3Companions(ctx, bucket, 'aws_s3_bucket_logging');
      const companion = linked.find((c) => companionDoubt(ctx, bucket, c) === undefined);
      const doubtful = linked.find((c) => companionDoubt(ctx, bucket, c) !== undefined);
      if (companion) {
        out.push(
          result(bucket, {
            outcome: 'pass',
            message: `${companion.address} enables access logging`,
            location: locate(companion),
          }),
        );
        continue;
      }
      const inline = block(bucket.attributes, 'logging');
      if (
        !isUnresolved(inline) &&
        inline &&
        inline.target_bucket !== undefined &&
        inline.target_bucket !== null
      ) {
        out.push(
          result(bucket, {
            outcome: 'pass',
            message: 'the inline logging block sends access logs to target_bucket',
            path: 'logging',
          }),
        );
        continue;
      }
      if (isLogTarget(ctx, bucket)) continue; // a log bucket: exempt
      if (doubtful) {
        out.push(
          result(bucket, {
            outcome: 'unknown',
            message: `${doubtful.address} may enable access logging, but ${companionDoubt(ctx, bucket, doubtful)}`,
            location: locate(doubtful),
          }),
        );
        continue;
      }
      if (isUnresolved(inline)) {
        out.push(
          result(bucket, {
            outcome: 'unknown',
            message: `logging is not known statically (${inline.reason})`,
            path: 'logging',
          }),
        );
        continue;
      }
      out.push(
        result(
          bucket,
          unlinkableVerdicts(ctx, bucket, 'aws_s3_bucket_logging')[0] ?? {
            outcome: 'fail',
            message: 'no access logging: neither an inline logging block nor a linked aws_s3_bucket_logging',
          },
        ),
      );
    }
    return out;
  },
};

import type { CheckContext } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import type { Verdict } from '../../_lib/terraform-values.js';

/**
 * Companion resources of S3 bucket `bucket` (provider v4+ split resources such as
 * `aws_s3_bucket_acl`, `aws_s3_bucket_logging`, `aws_s3_bucket_public_access_block`), linked by
 * their `bucket` attribute: a reference to the bucket, or the bucket's literal name or id.
 */
export function s3Companions(
  ctx: CheckContext,
  bucket: TerraformResource,
  type: string,
): TerraformResource[] {
  return ctx.terraform.linked(bucket, type, { attribute: 'bucket', targetAttributes: ['bucket', 'id'] });
}

/** Every managed `aws_s3_bucket` in the facts. */
export function buckets(ctx: CheckContext): TerraformResource[] {
  return ctx.terraform.ofType('aws_s3_bucket').filter((r) => r.mode === 'managed');
}

/**
 * Companions of `type` in the bucket's root module whose `bucket` attribute is unresolved and
 * references no resource (e.g. a variable without a default): they may configure `bucket`, so a
 * check that would fail the bucket for lack of a companion must answer `unknown` instead.
 */
export function unlinkableCompanions(
  ctx: CheckContext,
  bucket: TerraformResource,
  type: string,
): TerraformResource[] {
  return ctx.terraform.ofType(type).filter((c) => {
    if (c.rootModule !== bucket.rootModule) return false;
    const v = c.attributes.bucket;
    return isUnresolved(v) && v.refs.length === 0 && (c.references.bucket ?? []).length === 0;
  });
}

/**
 * One `unknown` verdict per {@link unlinkableCompanions} entry (`<address> names an unknown bucket and
 * may configure this one`, located at the companion).
 */
export function unlinkableVerdicts(ctx: CheckContext, bucket: TerraformResource, type: string): Verdict[] {
  return unlinkableCompanions(ctx, bucket, type).map((c) => ({
    outcome: 'unknown',
    message: `${c.address} names an unknown bucket and may configure this one`,
    location: c.location,
  }));
}

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
  return ctx.terraform.linked(bucket, type, BUCKET_LINK);
}

/** How S3 companions name their bucket: `bucket`, matched against the bucket's name or id. */
const BUCKET_LINK = { attribute: 'bucket', targetAttributes: ['bucket', 'id'] };

/** Every managed `aws_s3_bucket` in the facts. */
export function buckets(ctx: CheckContext): TerraformResource[] {
  return ctx.terraform.ofType('aws_s3_bucket').filter((r) => r.mode === 'managed');
}

/**
 * Companions of `type` in the bucket's root module that may configure `bucket` without certainly
 * naming it (TerraformIndex.mayPoint): a `bucket` not known statically that references no resource
 * (a variable), or that mentions this bucket inside a larger expression
 * (`var.a ? aws_s3_bucket.a.id : aws_s3_bucket.b.id`, `"${aws_s3_bucket.c.id}-archive"`). A check
 * that would pass or fail the bucket on such a companion must answer `unknown` instead.
 */
export function unlinkableCompanions(
  ctx: CheckContext,
  bucket: TerraformResource,
  type: string,
): TerraformResource[] {
  return ctx.terraform.ofType(type).filter((c) => ctx.terraform.mayPoint(c, bucket, BUCKET_LINK));
}

/**
 * Companions of `type` that certainly name no bucket of this configuration (their bucket lives
 * elsewhere, or cannot be told): a public grant is a finding wherever the bucket lives, so checks
 * judge such companions on their own.
 */
export function unattachedCompanions(ctx: CheckContext, type: string): TerraformResource[] {
  const all = buckets(ctx);
  return ctx.terraform
    .ofType(type)
    .filter((c) => c.mode === 'managed' && !all.some((b) => ctx.terraform.points(c, b, BUCKET_LINK)));
}

/**
 * One `unknown` verdict per {@link unlinkableCompanions} entry (`<address> names an unknown bucket and
 * may configure this one`, located at the companion).
 */
export function unlinkableVerdicts(ctx: CheckContext, bucket: TerraformResource, type: string): Verdict[] {
  return unlinkableCompanions(ctx, bucket, type).map((c) => ({
    outcome: 'unknown',
    message: `${c.address} names a bucket that is not known statically (${String((c.attributes.bucket as { reason?: string })?.reason ?? 'unknown')}) and may configure this one`,
    location: c.location,
  }));
}

/** The instance key part of an address (`["logs"]`, `[0]`, `[*]`, or `''`). */
function instanceKey(r: TerraformResource): string {
  return r.address.slice(r.baseAddress.length);
}

/**
 * Why companion `companion` (linked to `bucket` by {@link s3Companions}) may not actually configure
 * `bucket`, or undefined when the link is certain. Doubtful: a companion whose count/for_each is not
 * known statically (address key `[*]`: it may have no instance at all), and a companion linked by a
 * reference to a multi-instance bucket resource whose instance key it does not share (references
 * without a literal instance key, e.g. `aws_s3_bucket.b[each.key].id`, may mean any instance; a literal key
 * (`aws_s3_bucket.b["logs"].id`) is recorded in `references` and names that instance only).
 * A link by literal bucket name is certain.
 */
export function companionDoubt(
  ctx: CheckContext,
  bucket: TerraformResource,
  companion: TerraformResource,
): string | undefined {
  if (instanceKey(companion) === '[*]')
    return `${companion.address} has a count/for_each that is not known statically, so it may not exist`;
  const v = companion.attributes.bucket;
  if (typeof v === 'string' || typeof v === 'number') return undefined;
  // The companion's value is exactly this instance's attribute (aws_s3_bucket.b["logs"].id).
  if (isUnresolved(v) && v.computed?.address === bucket.address) return undefined;
  const key = instanceKey(bucket);
  if (key === '' || key === instanceKey(companion)) return undefined;
  // The companion names this very instance (`bucket = aws_s3_bucket.b["logs"].id`): certain.
  if ((companion.references.bucket ?? []).includes(bucket.address)) return undefined;
  const siblings = ctx.terraform
    .ofType(bucket.type)
    .filter((b) => b.rootModule === bucket.rootModule && b.baseAddress === bucket.baseAddress);
  if (siblings.length === 1 && key !== '[*]') return undefined;
  return `${companion.address} references ${bucket.baseAddress} without a known instance key, so it may configure another instance than ${bucket.address}`;
}

/** `verdict` with a `pass` turned into `unknown` (message naming `doubt`) when `doubt` is set. */
export function withDoubt(verdict: Verdict, doubt: string | undefined): Verdict {
  if (!doubt || verdict.outcome !== 'pass') return verdict;
  return { ...verdict, outcome: 'unknown', message: `${verdict.message}, but ${doubt}` };
}

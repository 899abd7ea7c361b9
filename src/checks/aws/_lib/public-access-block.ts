import type { CheckContext, CheckResult } from '../../../core/check.js';
import { boolAttr, locate, result, type Verdict } from '../../_lib/terraform-values.js';
import { buckets, s3Companions, unlinkableCompanions } from './s3.js';

/** The four settings of an S3 public access block (bucket or account level). */
export type PublicAccessFlag =
  | 'block_public_acls'
  | 'block_public_policy'
  | 'ignore_public_acls'
  | 'restrict_public_buckets';

/**
 * One result per `aws_s3_bucket`: pass when a linked `aws_s3_bucket_public_access_block` sets `flag`
 * to true (provider default false), or when an `aws_s3_account_public_access_block` in the same root
 * module does; unknown when the flag or the link is unresolved; fail otherwise (no block, or the flag
 * absent/false).
 */
export function evaluatePublicAccessFlag(ctx: CheckContext, flag: PublicAccessFlag): CheckResult[] {
  const accountBlocks = ctx.terraform.ofType('aws_s3_account_public_access_block');
  return buckets(ctx).map((bucket) => {
    const verdicts: Verdict[] = [];
    for (const pab of s3Companions(ctx, bucket, 'aws_s3_bucket_public_access_block')) {
      const v = boolAttr(pab.attributes, flag, false);
      const location = locate(pab, flag);
      if (v.state === 'unresolved') {
        verdicts.push({
          outcome: 'unknown',
          message: `${pab.address}: ${flag} is not known statically (${v.value.reason})`,
          location,
        });
      } else if (v.state === 'invalid') {
        verdicts.push({ outcome: 'fail', message: `${pab.address}: ${flag} is not a boolean`, location });
      } else if (v.value) {
        verdicts.push({ outcome: 'pass', message: `${pab.address} sets ${flag} = true`, location });
      } else {
        verdicts.push({
          outcome: 'fail',
          message: `${pab.address}: ${flag} is ${v.explicit ? 'false' : 'not set (defaults to false)'}`,
          location,
        });
      }
    }
    for (const acct of accountBlocks) {
      if (acct.rootModule !== bucket.rootModule) continue;
      const v = boolAttr(acct.attributes, flag, false);
      if (v.state === 'ok' && v.value) {
        verdicts.push({
          outcome: 'pass',
          message: `account-level ${acct.address} sets ${flag} = true`,
          location: locate(acct, flag),
        });
      }
    }
    if (!verdicts.some((v) => v.outcome === 'pass')) {
      for (const c of unlinkableCompanions(ctx, bucket, 'aws_s3_bucket_public_access_block')) {
        verdicts.push({
          outcome: 'unknown',
          message: `${c.address} names an unknown bucket and may configure this one`,
          location: c.location,
        });
      }
    }
    const verdict = verdicts.find((v) => v.outcome === 'pass') ??
      verdicts.find((v) => v.outcome === 'unknown') ??
      verdicts[0] ?? {
        outcome: 'fail',
        message: `no aws_s3_bucket_public_access_block is linked to this bucket, so ${flag} is off`,
      };
    return result(bucket, verdict);
  });
}

import type { CheckContext, CheckDefinition, CheckResult } from '../../../core/check.js';
import type { TerraformResource, TfObject } from '../../../core/facts.js';
import { S3_PUBLIC_ACCESS_MAPPINGS } from '../../_lib/mappings.js';
import { best, boolAttr, locate, result, type Verdict } from '../../_lib/terraform-values.js';
import { buckets, companionDoubt, s3Companions, unlinkableVerdicts, withDoubt } from './s3.js';

/** AWS user guide page on S3 Block Public Access (optionally with a `#fragment`). */
export const S3_BLOCK_PUBLIC_ACCESS_DOC =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html';

/** The four settings of an S3 public access block (bucket or account level). */
export type PublicAccessFlag =
  | 'block_public_acls'
  | 'block_public_policy'
  | 'ignore_public_acls'
  | 'restrict_public_buckets';

/**
 * One result per `aws_s3_bucket`: pass when a linked `aws_s3_bucket_public_access_block` sets `flag`
 * to true (provider default false), or when an `aws_s3_account_public_access_block` in the same root
 * module and under the same provider configuration does (under another one: unknown, it may be
 * another account); unknown when the flag or the link is unresolved or doubtful ({@link companionDoubt}); fail otherwise (no block, or the flag
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
        verdicts.push(
          withDoubt(
            { outcome: 'pass', message: `${pab.address} sets ${flag} = true`, location },
            companionDoubt(ctx, bucket, pab),
          ),
        );
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
      if (flagOn(acct.attributes, flag) && (acct.provider ?? '') !== (bucket.provider ?? '')) {
        // Another provider configuration may be another account (assume_role, profile): its
        // account-wide block may not cover this bucket (the rule of aws_ebs_encryption_by_default).
        verdicts.push({
          outcome: 'unknown',
          message: `account-level ${acct.address} sets ${flag} = true for provider ${acct.provider ?? 'default'}, but this bucket uses provider ${bucket.provider ?? 'default'}, which may be another account`,
          location: locate(acct, flag),
        });
        continue;
      }
      if (flagOn(acct.attributes, flag)) {
        verdicts.push(
          withDoubt(
            {
              outcome: 'pass',
              message: `account-level ${acct.address} sets ${flag} = true`,
              location: locate(acct, flag),
            },
            acct.address.endsWith('[*]')
              ? `${acct.address} has a count/for_each that is not known statically, so it may not exist`
              : undefined,
          ),
        );
      }
    }
    if (!verdicts.some((v) => v.outcome === 'pass'))
      verdicts.push(...unlinkableVerdicts(ctx, bucket, 'aws_s3_bucket_public_access_block'));
    return result(
      bucket,
      best(verdicts, {
        outcome: 'fail',
        message: `no aws_s3_bucket_public_access_block is linked to this bucket, so ${flag} is not set here: S3 turns Block Public Access on by default only for buckets created since April 2023, and the configuration does not say when this bucket was created`,
      }),
    );
  });
}

/** True when `flag` is known to be true on a public access block's attributes (absent means false). */
export function flagOn(attributes: TfObject, flag: PublicAccessFlag): boolean {
  const v = boolAttr(attributes, flag, false);
  return v.state === 'ok' && v.value;
}

/**
 * The first `aws_s3_bucket_public_access_block` linked to `bucket` that is known to set `flag` to
 * true, or undefined (none linked, flag absent/false/unresolved, or the link is doubtful: see
 * {@link companionDoubt}).
 */
export function bucketBlockSetting(
  ctx: CheckContext,
  bucket: TerraformResource,
  flag: PublicAccessFlag,
): TerraformResource | undefined {
  return s3Companions(ctx, bucket, 'aws_s3_bucket_public_access_block').find(
    (p) => flagOn(p.attributes, flag) && companionDoubt(ctx, bucket, p) === undefined,
  );
}

/**
 * The check definition requiring `flag` on every S3 bucket (see {@link evaluatePublicAccessFlag}):
 * the four flag checks differ only in id, title, rationale and trivy mapping. Severity `high`,
 * mappings S3_PUBLIC_ACCESS_MAPPINGS (src/checks/_lib/mappings.ts), remediation naming `flag`.
 */
export function publicAccessFlagCheck(
  flag: PublicAccessFlag,
  meta: Pick<CheckDefinition, 'id' | 'title' | 'rationale' | 'trivyEquivalents' | 'adversarial'>,
): CheckDefinition {
  return {
    id: meta.id,
    title: meta.title,
    severity: 'high',
    rationale: meta.rationale,
    remediation: `Add \`resource "aws_s3_bucket_public_access_block" "<name>" { bucket = aws_s3_bucket.<name>.id  ${flag} = true }\` (set all four of block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets), or an account-wide \`aws_s3_account_public_access_block\`.`,
    input: 'terraform',
    mappings: S3_PUBLIC_ACCESS_MAPPINGS,
    trivyEquivalents: meta.trivyEquivalents,
    adversarial: meta.adversarial,
    references: [
      S3_BLOCK_PUBLIC_ACCESS_DOC,
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block',
    ],
    evaluate(_facts, ctx) {
      return evaluatePublicAccessFlag(ctx, flag);
    },
  };
}

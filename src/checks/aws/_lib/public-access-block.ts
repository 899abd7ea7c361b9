import type { CheckContext, CheckDefinition, CheckResult } from '../../../core/check.js';
import { anyOf, doubted, type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { S3Bucket, S3PublicAccessBlock } from '../../../model/aws/s3.js';
import { S3_PUBLIC_ACCESS_MAPPINGS } from '../../_lib/mappings.js';
import { doubtOf, items, unknownVerdict } from '../../_lib/model-verdicts.js';

/** AWS user guide page on S3 Block Public Access (optionally with a `#fragment`). */
export const S3_BLOCK_PUBLIC_ACCESS_DOC =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html';

/** The four settings of an S3 public access block (bucket or account level), by model field. */
export const PUBLIC_ACCESS_FLAGS = {
  blockPublicAcls: 'block_public_acls',
  blockPublicPolicy: 'block_public_policy',
  ignorePublicAcls: 'ignore_public_acls',
  restrictPublicBuckets: 'restrict_public_buckets',
} as const;

/** A public access block setting, by model field name. */
export type PublicAccessFlag = keyof typeof PUBLIC_ACCESS_FLAGS;

/** Messages of the four flag checks (`{{flag}}` is the Terraform argument name). */
export const PUBLIC_ACCESS_MESSAGES: Messages = {
  'flag-on': '{{source}} sets {{flag}} = true',
  'account-flag-on': 'account-level {{source}} sets {{flag}} = true',
  'flag-off': '{{source}}: {{flag}} is {{state}}',
  'flag-invalid': '{{source}}: {{flag}} is not a boolean',
  'no-block':
    'no aws_s3_bucket_public_access_block is linked to this bucket, so {{flag}} is not set here: S3 turns Block Public Access on by default only for buckets created since April 2023, and the configuration does not say when this bucket was created',
};

/**
 * The verdict of one public access block on `flag`: `pass` when it sets the flag (only `unknown`
 * when its link to the bucket is doubtful), `unknown` when the flag is not known statically, `fail`
 * when the flag is false or unset (default false) or not a boolean. Account-level blocks only ever
 * confirm: one that does not set the flag says nothing (undefined).
 */
function blockVerdict(pab: S3PublicAccessBlock, flag: PublicAccessFlag): Verdict | undefined {
  const v = pab[flag];
  const data = {
    source: pab.source.state === 'known' ? pab.source.value : '?',
    flag: PUBLIC_ACCESS_FLAGS[flag],
  };
  const account = pab.level.state === 'known' && pab.level.value === 'account';
  if (v.state === 'known' && v.value)
    return doubted(
      verdict('pass', account ? 'account-flag-on' : 'flag-on', data, { location: v.location }),
      doubtOf(pab.applies),
    );
  if (account) return undefined;
  if (v.state === 'unknown') {
    return 'invalid' in v
      ? verdict('fail', 'flag-invalid', data, { location: v.location })
      : unknownVerdict(v, { where: `${data.source}: ` });
  }
  return verdict(
    'fail',
    'flag-off',
    { ...data, state: v.state === 'known' ? 'false' : 'not set (defaults to false)' },
    { location: v.location },
  );
}

/**
 * One result per S3 bucket: `pass` when a public access block that governs it sets `flag` (bucket
 * level, linked; or account level, same root module and provider configuration), `unknown` when the
 * only such block's flag or link is not certain, `fail` otherwise (no block, or the flag off).
 */
export function evaluatePublicAccessFlag(ctx: CheckContext, flag: PublicAccessFlag): CheckResult[] {
  return ctx.model.get('aws.s3.buckets').map((bucket: S3Bucket) => {
    const parts: Verdict[] = [];
    for (const item of items(bucket.publicAccessBlocks)) {
      if (item.state !== 'known') {
        if (item.state === 'unknown') parts.push(unknownVerdict(item));
        continue;
      }
      const v = blockVerdict(item.value, flag);
      if (v) parts.push(v);
    }
    const none = verdict('fail', 'no-block', { flag: PUBLIC_ACCESS_FLAGS[flag] });
    return toResult(bucket, anyOf(parts, none), PUBLIC_ACCESS_MESSAGES);
  });
}

/**
 * The bucket-level public access block that certainly governs `bucket` and is known to set `flag`
 * (its `source` address), or undefined.
 */
export function bucketBlockSetting(bucket: S3Bucket, flag: PublicAccessFlag): string | undefined {
  for (const item of items(bucket.publicAccessBlocks)) {
    if (item.state !== 'known') continue;
    const pab = item.value;
    const v = pab[flag];
    if (
      pab.level.state === 'known' &&
      pab.level.value === 'bucket' &&
      pab.applies.state === 'known' &&
      pab.applies.value &&
      v.state === 'known' &&
      v.value &&
      pab.source.state === 'known'
    )
      return pab.source.value;
  }
  return undefined;
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
  const arg = PUBLIC_ACCESS_FLAGS[flag];
  return {
    id: meta.id,
    title: meta.title,
    severity: 'high',
    rationale: meta.rationale,
    remediation: `Add \`resource "aws_s3_bucket_public_access_block" "<name>" { bucket = aws_s3_bucket.<name>.id  ${arg} = true }\` (set all four of block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets), or an account-wide \`aws_s3_account_public_access_block\`.`,
    input: 'terraform',
    concerns: ['aws.s3.buckets'],
    messages: PUBLIC_ACCESS_MESSAGES,
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

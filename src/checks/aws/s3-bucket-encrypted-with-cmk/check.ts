import type { CheckContext, CheckDefinition } from '../../../core/check.js';
import type { TerraformResource, TfObject } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import {
  best,
  block,
  locate,
  readBlocks,
  result,
  stringAttr,
  unresolvedVerdict,
  type Verdict,
} from '../../_lib/terraform-values.js';
import { buckets, companionDoubt, s3Companions, unlinkableVerdicts, withDoubt } from '../_lib/s3.js';

/** The AWS managed key for S3: SSE-KMS with it is not a customer managed key. */
const AWS_MANAGED_S3_KEY = /(^|:)alias\/aws\/s3$/;

/**
 * Judges one encryption configuration for a customer managed KMS key: `sse_algorithm` `aws:kms` or
 * `aws:kms:dsse` with `kms_master_key_id` naming a key that is not the AWS managed `aws/s3` key.
 * A key id computed from an `aws_kms_key` / `aws_kms_alias` of the configuration counts; one from
 * a variable or data source is unknown (it may be `alias/aws/s3`).
 */
function judgeConfig(ctx: CheckContext, owner: TerraformResource, config: TfObject, prefix: string): Verdict {
  const rules = readBlocks(config, 'rule');
  if (isUnresolved(rules)) return unresolvedVerdict(`${prefix}rule`, rules, 'the key cannot be confirmed');
  let found: Verdict | undefined;
  for (const [i, rule] of rules.entries()) {
    const path = `${prefix}rule.${i}.apply_server_side_encryption_by_default`;
    if (isUnresolved(rule))
      return unresolvedVerdict(`${prefix}rule.${i}`, rule, 'the key cannot be confirmed');
    const dflt = block(rule, 'apply_server_side_encryption_by_default');
    if (isUnresolved(dflt)) return unresolvedVerdict(path, dflt, 'the key cannot be confirmed');
    if (!dflt) continue;
    const alg = stringAttr(dflt, 'sse_algorithm');
    if (isUnresolved(alg))
      return unresolvedVerdict(`${path}.0.sse_algorithm`, alg, 'the key cannot be confirmed');
    if (alg !== 'aws:kms' && alg !== 'aws:kms:dsse') {
      found = {
        outcome: 'fail',
        message: `sse_algorithm is "${alg ?? '(unset)'}": objects are encrypted with S3-managed keys, not a customer managed KMS key`,
        path: `${path}.0.sse_algorithm`,
      };
      continue;
    }
    const key = dflt.kms_master_key_id;
    const keyPath = `${path}.0.kms_master_key_id`;
    if (key === undefined || key === null || key === '')
      return {
        outcome: 'fail',
        message: `sse_algorithm "${alg}" without kms_master_key_id uses the AWS managed key aws/s3`,
        path: keyPath,
      };
    if (typeof key === 'string')
      return AWS_MANAGED_S3_KEY.test(key)
        ? {
            outcome: 'fail',
            message: `kms_master_key_id "${key}" is the AWS managed key aws/s3`,
            path: keyPath,
          }
        : { outcome: 'pass', message: `encrypted with customer managed key ${key}`, path: keyPath };
    if (isUnresolved(key)) {
      // HCL: exactly a key's attribute; plan JSON (no expressions): an unknown whose only reference is a key.
      const ref =
        key.computed?.address ?? (owner.origin === 'plan' && key.refs.length === 1 ? key.refs[0] : undefined);
      const own = ctx.terraform.resources.find(
        (r) =>
          r.mode === 'managed' &&
          (r.type === 'aws_kms_key' || r.type === 'aws_kms_alias') &&
          r.rootModule === owner.rootModule &&
          (r.address === ref || r.baseAddress === ref),
      );
      if (own)
        return {
          outcome: 'pass',
          message: `encrypted with customer managed key ${own.address}`,
          path: keyPath,
        };
      return unresolvedVerdict(keyPath, key, 'it may be the AWS managed key aws/s3');
    }
  }
  return (
    found ?? {
      outcome: 'fail',
      message: 'the encryption configuration names no KMS key: objects get S3-managed keys (SSE-S3)',
      path: `${prefix}rule`,
    }
  );
}

/**
 * True when the bucket receives S3 server access logs (a LogDelivery grant or `log-delivery-write`
 * ACL, or a bucket policy allowing `logging.s3.amazonaws.com`): such target buckets support only
 * SSE-S3 (S3 user guide, "Enabling Amazon S3 server access logging"), so they are exempt.
 */
function isLogTarget(ctx: CheckContext, bucket: TerraformResource): boolean {
  const owners = [bucket, ...s3Companions(ctx, bucket, 'aws_s3_bucket_acl')];
  if (owners.some((o) => o.attributes.acl === 'log-delivery-write')) return true;
  const text = JSON.stringify(
    [...owners, ...s3Companions(ctx, bucket, 'aws_s3_bucket_policy')].map((o) => o.attributes),
  );
  return (
    text.includes('acs.amazonaws.com/groups/s3/LogDelivery') || text.includes('logging.s3.amazonaws.com')
  );
}

/** S3 buckets encrypt with a customer managed KMS key (trivy's and checkov's intent). */
export const check: CheckDefinition = {
  id: 'aws.s3-bucket-encrypted-with-cmk',
  title: 'S3 buckets encrypt objects with a customer managed KMS key',
  severity: 'high',
  rationale:
    'SSE-S3, the default for every bucket since 2023-01-05, protects against lost media but not against anyone who can read the bucket: a customer managed KMS key adds a separate, auditable permission (kms:Decrypt) and lets you revoke access or rotate on your terms. Server access log target buckets are exempt (they support only SSE-S3).',
  remediation:
    'Add an `aws_s3_bucket_server_side_encryption_configuration` with `rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" kms_master_key_id = aws_kms_key.<key>.arn } }`; do not use the AWS managed `alias/aws/s3` key.',
  input: 'terraform',
  adversarial: {
    'equivalent-values': ['fail-aws-managed-key.tf'],
    unresolvable: ['unknown-key-from-variable.tf'],
    coverage: ['pass-log-target-sse-s3.tf'],
    linking: ['pass-kms-companion.tf'],
  },
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: ['cloud/aws/s3/encryption_customer_key', 'cloud/aws/s3/enable_bucket_encryption'],
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration',
  ],
  evaluate(_facts, ctx) {
    return buckets(ctx).map((bucket) => {
      if (isLogTarget(ctx, bucket))
        return result(bucket, {
          outcome: 'pass',
          message: 'the bucket receives S3 server access logs, which support only SSE-S3: exempt',
        });
      const verdicts: Verdict[] = [];
      const inline = block(bucket.attributes, 'server_side_encryption_configuration');
      if (isUnresolved(inline))
        verdicts.push(
          unresolvedVerdict('server_side_encryption_configuration', inline, 'the key cannot be confirmed'),
        );
      else if (inline)
        verdicts.push(judgeConfig(ctx, bucket, inline, 'server_side_encryption_configuration.0.'));
      for (const c of s3Companions(ctx, bucket, 'aws_s3_bucket_server_side_encryption_configuration')) {
        const v = judgeConfig(ctx, c, c.attributes, '');
        verdicts.push(
          withDoubt(
            { ...v, message: `${c.address}: ${v.message}`, location: locate(c, v.path) },
            companionDoubt(ctx, bucket, c),
          ),
        );
      }
      verdicts.push(...unlinkableVerdicts(ctx, bucket, 'aws_s3_bucket_server_side_encryption_configuration'));
      return result(
        bucket,
        best(verdicts, {
          outcome: 'fail',
          message:
            'no server-side encryption configuration: objects get S3-managed keys (SSE-S3), not a customer managed KMS key',
        }),
      );
    });
  },
};

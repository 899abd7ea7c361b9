import type { CheckDefinition } from '../../../core/check.js';
import type { TfObject } from '../../../core/facts.js';
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

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/**
 * Judges one server-side encryption configuration (the inline `server_side_encryption_configuration`
 * block or an `aws_s3_bucket_server_side_encryption_configuration` resource): it passes when a
 * `rule.apply_server_side_encryption_by_default.sse_algorithm` names a real algorithm.
 */
function judgeConfig(config: TfObject, prefix: string): Verdict {
  const rules = readBlocks(config, 'rule');
  if (isUnresolved(rules))
    return unresolvedVerdict(`${prefix}rule`, rules, 'default encryption cannot be confirmed');
  let unknown: Verdict | undefined;
  for (const [i, rule] of rules.entries()) {
    const path = `${prefix}rule.${i}`;
    if (isUnresolved(rule)) {
      unknown ??= unresolvedVerdict(path, rule, 'default encryption cannot be confirmed');
      continue;
    }
    const dflt = block(rule, 'apply_server_side_encryption_by_default');
    if (isUnresolved(dflt)) {
      unknown ??= unresolvedVerdict(
        `${path}.apply_server_side_encryption_by_default`,
        dflt,
        'default encryption cannot be confirmed',
      );
      continue;
    }
    if (!dflt) continue;
    const algPath = `${path}.apply_server_side_encryption_by_default.0.sse_algorithm`;
    const alg = stringAttr(dflt, 'sse_algorithm');
    if (isUnresolved(alg)) {
      unknown ??= unresolvedVerdict(algPath, alg, 'the encryption algorithm cannot be confirmed');
      continue;
    }
    if (alg && ALGORITHMS.includes(alg)) {
      return { outcome: 'pass', message: `default encryption uses ${alg}`, path: algPath };
    }
    if (alg)
      return {
        outcome: 'fail',
        message: `sse_algorithm "${alg}" is not one of ${ALGORITHMS.join(', ')}`,
        path: algPath,
      };
  }
  return (
    unknown ?? {
      outcome: 'pass',
      message: `the encryption configuration sets no apply_server_side_encryption_by_default.sse_algorithm, so ${SSE_S3_DEFAULT}`,
      path: `${prefix}rule`,
    }
  );
}

/**
 * The provider default that counts (issue: "Provider defaults that count, exactly"): since
 * 2023-01-05 S3 encrypts every new object in every bucket with SSE-S3, and it cannot be turned off
 * (S3 user guide, "Setting default server-side encryption behavior for Amazon S3 buckets").
 */
const SSE_S3_DEFAULT =
  'S3 encrypts every new object with SSE-S3 (AES256), its default for all buckets since 2023-01-05 (aws.s3-bucket-encrypted-with-cmk asks for a customer managed key)';

/**
 * S3 buckets encrypt objects at rest: a configured default (inline block or separate resource)
 * with a real algorithm, or, without one, S3's own SSE-S3 default (since 2023-01-05). Fails only on
 * an algorithm S3 does not offer; unknown when the configuration is not known statically.
 */
export const check: CheckDefinition = {
  id: 'aws.s3-bucket-encrypted',
  title: 'S3 buckets encrypt objects at rest',
  severity: 'high',
  rationale:
    'Objects must be encrypted at rest so that data is protected if storage media or a backup leaks. Since 2023-01-05 S3 encrypts every new object with SSE-S3 by default, so a bucket without configuration passes with a note; a configuration naming an algorithm S3 does not offer fails, and one not known statically is unknown. Requiring a customer managed key is aws.s3-bucket-encrypted-with-cmk.',
  remediation:
    'Add an `aws_s3_bucket_server_side_encryption_configuration` with `bucket = aws_s3_bucket.<name>.id` and `rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" kms_master_key_id = aws_kms_key.<key>.arn } }` (or the inline `server_side_encryption_configuration` block on provider v3).',
  input: 'terraform',
  adversarial: {
    'provider-default': [
      'pass-no-configuration-sse-s3-default.tf',
      'pass-rule-without-default-sse-s3-default.tf',
    ],
    unresolvable: ['unknown-algorithm-variable.tf', 'unknown-companion-count.tf'],
    linking: ['pass-linked-by-name.tf'],
    'invalid-input': ['fail-unsupported-algorithm.tf'],
  },
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  references: [
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
  ],
  evaluate(_facts, ctx) {
    return buckets(ctx).map((bucket) => {
      const verdicts: Verdict[] = [];
      const inline = block(bucket.attributes, 'server_side_encryption_configuration');
      if (isUnresolved(inline)) {
        verdicts.push(
          unresolvedVerdict(
            'server_side_encryption_configuration',
            inline,
            'default encryption cannot be confirmed',
          ),
        );
      } else if (inline) {
        verdicts.push(judgeConfig(inline, 'server_side_encryption_configuration.0.'));
      }
      for (const companion of s3Companions(
        ctx,
        bucket,
        'aws_s3_bucket_server_side_encryption_configuration',
      )) {
        const v = judgeConfig(companion.attributes, '');
        verdicts.push(
          withDoubt(
            { ...v, message: `${companion.address}: ${v.message}`, location: locate(companion, v.path) },
            companionDoubt(ctx, bucket, companion),
          ),
        );
      }
      verdicts.push(...unlinkableVerdicts(ctx, bucket, 'aws_s3_bucket_server_side_encryption_configuration'));
      return result(
        bucket,
        best(verdicts, {
          outcome: 'pass',
          message: `no server-side encryption configuration, but ${SSE_S3_DEFAULT}`,
        }),
      );
    });
  },
};

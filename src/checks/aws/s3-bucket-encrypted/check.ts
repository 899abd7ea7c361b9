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
      outcome: 'fail',
      message:
        'the encryption configuration has no rule with apply_server_side_encryption_by_default.sse_algorithm',
      path: `${prefix}rule`,
    }
  );
}

/** S3 buckets configure default server-side encryption (inline block or separate resource). */
export const check: CheckDefinition = {
  id: 'aws.s3-bucket-encrypted',
  title: 'S3 buckets have default server-side encryption configured',
  severity: 'high',
  rationale:
    'Default encryption makes every object written to the bucket encrypted at rest with a key you chose (SSE-S3 or SSE-KMS), so data is protected if storage media or a backup leaks, and the choice is explicit and reviewable.',
  remediation:
    'Add an `aws_s3_bucket_server_side_encryption_configuration` with `bucket = aws_s3_bucket.<name>.id` and `rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" kms_master_key_id = aws_kms_key.<key>.arn } }` (or the inline `server_side_encryption_configuration` block on provider v3).',
  input: 'terraform',
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: ['cloud/aws/s3/enable_bucket_encryption'],
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
          outcome: 'fail',
          message:
            'no server-side encryption configuration: neither an inline server_side_encryption_configuration block nor a linked aws_s3_bucket_server_side_encryption_configuration',
        }),
      );
    });
  },
};

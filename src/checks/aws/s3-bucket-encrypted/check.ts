import type { CheckDefinition } from '../../../core/check.js';
import { anyOf, doubted, type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { S3Bucket } from '../../../model/aws/s3.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { doubtOf, items, unknownVerdict } from '../../_lib/model-verdicts.js';

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

const MESSAGES: Messages = {
  encrypted: '{{where}}default encryption uses {{algorithm}}',
  'bad-algorithm': '{{where}}sse_algorithm "{{algorithm}}" is not one of {{algorithms}}',
  'no-default':
    '{{where}}the encryption configuration has no rule with apply_server_side_encryption_by_default.sse_algorithm',
  'no-configuration':
    'no server-side encryption configuration: neither an inline server_side_encryption_configuration block nor a linked aws_s3_bucket_server_side_encryption_configuration',
};

/**
 * One verdict per default-encryption rule of the bucket (inline or in a linked configuration): `pass`
 * when `sse_algorithm` names a real algorithm (only `unknown` when the configuration's link is
 * doubtful), `unknown` when the rule or algorithm is not known statically, `fail` otherwise. The
 * bucket passes when any rule passes.
 */
function judge(bucket: S3Bucket): Verdict {
  const parts = items(bucket.encryption).map((item): Verdict => {
    if (item.state !== 'known')
      return item.state === 'unknown'
        ? unknownVerdict(item, { consequence: 'default encryption cannot be confirmed' })
        : verdict('fail', 'no-default', { where: '' });
    const rule = item.value;
    const source = rule.source.state === 'known' ? rule.source.value : '';
    const where = source && source !== bucket.subject.address ? `${source}: ` : '';
    const alg = rule.algorithm;
    if (alg.state === 'unknown')
      return unknownVerdict(alg, { where, consequence: 'the encryption algorithm cannot be confirmed' });
    if (alg.state === 'absent') return verdict('fail', 'no-default', { where }, { location: item.location });
    if (ALGORITHMS.includes(alg.value))
      return doubted(
        verdict('pass', 'encrypted', { where, algorithm: alg.value }, { location: alg.location }),
        doubtOf(rule.applies),
      );
    return verdict(
      'fail',
      'bad-algorithm',
      { where, algorithm: alg.value, algorithms: ALGORITHMS.join(', ') },
      { location: alg.location },
    );
  });
  return anyOf(parts, verdict('fail', 'no-configuration'));
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
  concerns: ['aws.s3.buckets'],
  messages: MESSAGES,
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: ['cloud/aws/s3/enable_bucket_encryption'],
  references: [
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
  ],
  evaluate(_facts, ctx) {
    return ctx.model.get('aws.s3.buckets').map((bucket) => toResult(bucket, judge(bucket), MESSAGES));
  },
};

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
    '{{where}}the encryption configuration sets no apply_server_side_encryption_by_default.sse_algorithm, so {{sseS3}}',
  'no-configuration': 'no server-side encryption configuration, but {{sseS3}}',
};

/**
 * One verdict per default-encryption rule of the bucket (inline or in a linked configuration): `pass`
 * when `sse_algorithm` names a real algorithm, or names none (S3's SSE-S3 default then applies), only
 * `unknown` when the configuration's link is doubtful; `unknown` when the rule or algorithm is not
 * known statically; `fail` for an algorithm S3 does not offer. The bucket passes when any rule passes,
 * and without any configuration (SSE-S3 default, {@link SSE_S3_DEFAULT}).
 */
function judge(bucket: S3Bucket): Verdict {
  const parts = items(bucket.encryption).map((item): Verdict => {
    if (item.state !== 'known')
      return item.state === 'unknown'
        ? unknownVerdict(item, { consequence: 'default encryption cannot be confirmed' })
        : verdict('pass', 'no-default', { where: '', sseS3: SSE_S3_DEFAULT });
    const rule = item.value;
    const source = rule.source.state === 'known' ? rule.source.value : '';
    const where = source && source !== bucket.subject.address ? `${source}: ` : '';
    const alg = rule.algorithm;
    if (alg.state === 'unknown')
      return unknownVerdict(alg, { where, consequence: 'the encryption algorithm cannot be confirmed' });
    if (alg.state === 'absent')
      return doubted(
        verdict('pass', 'no-default', { where, sseS3: SSE_S3_DEFAULT }, { location: item.location }),
        doubtOf(rule.applies),
      );
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
  return anyOf(parts, verdict('pass', 'no-configuration', { sseS3: SSE_S3_DEFAULT }));
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
  concerns: ['aws.s3.buckets'],
  messages: MESSAGES,
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
    return ctx.model.get('aws.s3.buckets').map((bucket) => toResult(bucket, judge(bucket), MESSAGES));
  },
};

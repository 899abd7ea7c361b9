import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import { anyOf, doubted, type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { S3Bucket } from '../../../model/aws/s3.js';
import { doubtOf, items, unknownVerdict } from '../../_lib/model-verdicts.js';

const MESSAGES: Messages = {
  companion: '{{source}} enables access logging',
  inline: 'the inline logging block sends access logs to target_bucket',
  'inline-no-target': 'the inline logging block sets no target_bucket',
  'no-logging': 'no access logging: neither an inline logging block nor a linked aws_s3_bucket_logging',
};

/**
 * The logging verdict of a bucket: `pass` when a logging configuration that certainly applies to it
 * names a target bucket (a linked aws_s3_bucket_logging, or the inline `logging` block with
 * `target_bucket`), `unknown` when the only candidates are doubtful or not known statically, else
 * `fail`.
 */
function judge(bucket: S3Bucket): Verdict {
  const parts = items(bucket.logging).map((item): Verdict => {
    if (item.state !== 'known')
      return item.state === 'unknown'
        ? unknownVerdict(item)
        : verdict('fail', 'no-logging', undefined, { location: item.location });
    const l = item.value;
    const source = l.source.state === 'known' ? l.source.value : '';
    if (source && source !== bucket.subject.address)
      return doubted(
        verdict('pass', 'companion', { source }, { location: item.location }),
        doubtOf(l.applies),
      );
    return l.targetBucket.state === 'absent'
      ? verdict('fail', 'inline-no-target', undefined, { location: item.location })
      : verdict('pass', 'inline', undefined, { path: 'logging' });
  });
  return anyOf(parts, verdict('fail', 'no-logging'));
}

/** S3 buckets write server access logs (inline `logging` or `aws_s3_bucket_logging`). */
export const check: CheckDefinition = {
  id: 'aws.s3-bucket-access-logging',
  title: 'S3 buckets have server access logging enabled',
  severity: 'medium',
  rationale:
    'Server access logs record every request made to the bucket (requester, operation, key, result), the record needed to investigate data access and to detect exfiltration; CloudTrail data events are the alternative.',
  remediation:
    'Add `resource "aws_s3_bucket_logging" "<name>" { bucket = aws_s3_bucket.<name>.id  target_bucket = aws_s3_bucket.<logs>.id  target_prefix = "<name>/" }` (or the inline `logging` block on provider v3). Log buckets themselves are exempt.',
  input: 'terraform',
  concerns: ['aws.s3.buckets'],
  messages: MESSAGES,
  adversarial: {
    linking: ['unknown-logging-template-bucket.tf', 'fail-logging-other-bucket-only.tf'],
  },
  mappings: {
    soc2: ['CC7.2'],
    'iso27001-2022': ['A.8.15'],
    hipaa: ['164.312(b)'],
    gdpr: ['Art.5(2)'],
  },
  trivyEquivalents: ['cloud/aws/s3/enable_logging'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html'],
  evaluate(_facts, ctx) {
    const out: CheckResult[] = [];
    for (const bucket of ctx.model.get('aws.s3.buckets')) {
      const v = judge(bucket);
      // A bucket receiving access logs is exempt (logging a log bucket into itself loops), as in
      // trivy's s3/enable_logging; evidence of logging still passes it.
      if (v.outcome !== 'pass' && bucket.logTarget.state === 'known' && bucket.logTarget.value) continue;
      out.push(toResult(bucket, v, MESSAGES));
    }
    return out;
  },
};

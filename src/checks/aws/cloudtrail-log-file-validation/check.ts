import type { CheckDefinition } from '../../../core/check.js';
import { toResult } from '../../../core/verdict.js';
import { requireTrue } from '../../_lib/model-verdicts.js';
import { TRAIL_MESSAGES, whileLogging } from '../_lib/cloudtrail.js';

/** CloudTrail trails set `enable_log_file_validation = true` (provider default false), while the trail logs (`enable_logging`, default true). */
export const check: CheckDefinition = {
  id: 'aws.cloudtrail-log-file-validation',
  title: 'CloudTrail trails validate log file integrity',
  severity: 'medium',
  rationale:
    'Log file validation makes CloudTrail deliver signed SHA-256 digest files, so anyone can prove later that audit logs were not modified or deleted after delivery: the basis of trustworthy audit evidence.',
  remediation:
    'Set `enable_log_file_validation = true` on `aws_cloudtrail` and check digests with `aws cloudtrail validate-logs`.',
  input: 'terraform',
  concerns: ['aws.cloudtrail.trails'],
  messages: TRAIL_MESSAGES,
  mappings: {
    soc2: ['CC7.2', 'CC4.1'],
    'iso27001-2022': ['A.8.15'],
    hipaa: ['164.312(b)', '164.312(c)(1)'],
    gdpr: ['Art.5(2)', 'Art.32(1)(b)'],
  },
  trivyEquivalents: ['cloud/aws/cloudtrail/enable_log_validation'],
  references: [
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html',
  ],
  evaluate(_facts, ctx) {
    return ctx.model
      .get('aws.cloudtrail.trails')
      .map((trail) =>
        toResult(trail, whileLogging(trail, requireTrue(trail.logFileValidation)), TRAIL_MESSAGES),
      );
  },
};

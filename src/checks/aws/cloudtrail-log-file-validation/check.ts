import type { CheckDefinition } from '../../../core/check.js';
import { requireTrue, resourcesOf, result } from '../../_lib/terraform-values.js';
import { whileLogging } from '../_lib/cloudtrail.js';

/** CloudTrail trails set `enable_log_file_validation = true` (provider default false). */
export const check: CheckDefinition = {
  id: 'aws.cloudtrail-log-file-validation',
  title: 'CloudTrail trails validate log file integrity',
  severity: 'medium',
  rationale:
    'Log file validation makes CloudTrail deliver signed SHA-256 digest files, so anyone can prove later that audit logs were not modified or deleted after delivery: the basis of trustworthy audit evidence.',
  remediation:
    'Set `enable_log_file_validation = true` on `aws_cloudtrail` and check digests with `aws cloudtrail validate-logs`.',
  input: 'terraform',
  adversarial: {
    spelling: ['pass-string-true-through-local.tf'],
    indirection: ['pass-string-true-through-local.tf'],
    unresolvable: ['unknown-validation-from-variable.tf'],
    'equivalent-values': ['fail-logging-disabled.tf'],
  },
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
  evaluate(facts) {
    return resourcesOf(facts.terraform, ['aws_cloudtrail']).map((trail) =>
      result(trail, whileLogging(trail, requireTrue(trail.attributes, 'enable_log_file_validation'))),
    );
  },
};

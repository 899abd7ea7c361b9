import type { CheckDefinition } from '../../../core/check.js';
import { toResult } from '../../../core/verdict.js';
import { requireTrue } from '../../_lib/model-verdicts.js';
import { TRAIL_MESSAGES, whileLogging } from '../_lib/cloudtrail.js';

/** CloudTrail trails set `is_multi_region_trail = true` (provider default false), while the trail logs (`enable_logging`, default true). */
export const check: CheckDefinition = {
  id: 'aws.cloudtrail-multi-region',
  title: 'CloudTrail trails record activity in all regions',
  severity: 'medium',
  rationale:
    'A single-region trail misses API activity in every other region, exactly where an attacker would launch resources to go unnoticed; a multi-region trail also records global service events.',
  remediation:
    'Set `is_multi_region_trail = true` (and `include_global_service_events = true`) on `aws_cloudtrail`, ideally as an organization trail.',
  input: 'terraform',
  concerns: ['aws.cloudtrail.trails'],
  messages: TRAIL_MESSAGES,
  adversarial: {
    spelling: ['pass-string-true-through-local.tf'],
    indirection: ['pass-string-true-through-local.tf'],
    unresolvable: ['unknown-multi-region-from-variable.tf'],
    'equivalent-values': ['fail-logging-disabled.tf'],
  },
  mappings: {
    soc2: ['CC7.2'],
    'iso27001-2022': ['A.8.15', 'A.8.16'],
    hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'],
    gdpr: ['Art.5(2)'],
  },
  trivyEquivalents: ['cloud/aws/cloudtrail/enable_all_regions'],
  references: [
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
  ],
  evaluate(_facts, ctx) {
    return ctx.model
      .get('aws.cloudtrail.trails')
      .map((trail) => toResult(trail, whileLogging(trail, requireTrue(trail.multiRegion)), TRAIL_MESSAGES));
  },
};

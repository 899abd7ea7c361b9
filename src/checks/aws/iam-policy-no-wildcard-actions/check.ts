import type { CheckDefinition } from '../../../core/check.js';
import { IAM_LEAST_PRIVILEGE_MAPPINGS } from '../../_lib/mappings.js';
import { evaluateIdentityPolicies, judgeWildcard } from '../_lib/iam.js';

/** No IAM policy allows a service-wide action wildcard (`s3:*`, `*`) on Resource "*". */
export const check: CheckDefinition = {
  id: 'aws.iam-policy-no-wildcard-actions',
  title: 'IAM policies do not grant service-wide wildcard actions on all resources',
  severity: 'high',
  rationale:
    'Granting every action of a service (e.g. "s3:*" or "iam:*") on Resource "*" gives far more than any workload needs, including destructive and permission-changing actions on every resource of that service in the account.',
  remediation:
    'List the specific actions needed (e.g. `["s3:GetObject", "s3:PutObject"]`) and scope `Resource` / `resources` to the ARNs they apply to (e.g. `aws_s3_bucket.data.arn`).',
  input: 'terraform',
  adversarial: {
    spelling: ['fail-action-spelling-question-star.tf'],
    'equivalent-values': [
      'fail-s3-all-bucket-arns.tf',
      'fail-iam-all-arns.tf',
      'fail-document-not-actions.tf',
      'pass-s3-get-prefix-on-all-buckets.tf',
    ],
    coverage: ['fail-power-user-attachment.tf', 'fail-iam-full-access-managed-policy-arns.tf'],
  },
  mappings: IAM_LEAST_PRIVILEGE_MAPPINGS,
  trivyEquivalents: ['cloud/aws/iam/no_policy_wildcards'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  evaluate(facts, ctx) {
    return evaluateIdentityPolicies(
      facts,
      ctx,
      judgeWildcard,
      'no statement allows a service-wide wildcard action on Resource "*"',
    );
  },
};

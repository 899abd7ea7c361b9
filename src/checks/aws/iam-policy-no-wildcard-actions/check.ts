import type { CheckDefinition } from '../../../core/check.js';
import { evaluateIdentityPolicies, isServiceWildcard } from '../_lib/iam.js';

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
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    'iso27001-2022': ['A.5.15', 'A.5.18', 'A.8.2'],
    hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'],
    gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
  },
  trivyEquivalents: ['cloud/aws/iam/no_policy_wildcards'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  evaluate(facts, ctx) {
    return evaluateIdentityPolicies(
      facts,
      ctx,
      (s) => {
        if (s.effect === 'Deny') return undefined;
        const wild = s.actions.values.filter(isServiceWildcard);
        const allResources = s.resources.values.includes('*');
        if (wild.length > 0 && allResources && s.effect === 'Allow') {
          return {
            outcome: 'fail',
            message: `allows ${wild.map((a) => `"${a}"`).join(', ')} on Resource "*"`,
          };
        }
        const maybeWild = wild.length > 0 || s.actions.unresolved.length > 0;
        const maybeAll = allResources || s.resources.unresolved.length > 0;
        if (maybeWild && maybeAll) {
          return {
            outcome: 'unknown',
            message:
              'may allow a wildcard action on Resource "*": part of the statement is not known statically',
          };
        }
        return undefined;
      },
      'no statement allows a service-wide wildcard action on Resource "*"',
    );
  },
};

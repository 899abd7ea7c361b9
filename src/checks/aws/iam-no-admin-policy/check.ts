import type { CheckDefinition } from '../../../core/check.js';
import { IAM_LEAST_PRIVILEGE_MAPPINGS } from '../../_lib/mappings.js';
import {
  actionsOnAllResources,
  evaluateIdentityPolicies,
  isAllActions,
  notActionKeepsIam,
} from '../_lib/iam.js';

/** No IAM policy allows Action "*" on Resource "*" (full administrator access). */
export const check: CheckDefinition = {
  id: 'aws.iam-no-admin-policy',
  title: 'IAM policies do not grant full administrator access',
  severity: 'critical',
  rationale:
    'A policy allowing Action "*" on Resource "*" makes its holder an account administrator: it can disable logging, read every secret and grant itself anything, so one leaked credential compromises the whole account.',
  remediation:
    'Replace `"Action": "*"` with the specific actions the workload needs (e.g. `"s3:GetObject"`) and `"Resource": "*"` with the ARNs it works on; keep administrator access on a few break-glass roles managed outside application Terraform (AWS managed AdministratorAccess, with MFA).',
  input: 'terraform',
  mappings: IAM_LEAST_PRIVILEGE_MAPPINGS,
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1',
  ],
  evaluate(facts, ctx) {
    return evaluateIdentityPolicies(
      facts,
      ctx,
      actionsOnAllResources(
        isAllActions,
        (hits) =>
          hits.some(isAllActions)
            ? 'allows Action "*" on Resource "*"'
            : `allows ${hits.join(', ')} on Resource "*", including IAM: the holder can grant itself anything`,
        'may allow Action "*" on Resource "*": part of the statement is not known statically',
        notActionKeepsIam,
      ),
      'no statement allows Action "*" on Resource "*"',
    );
  },
};

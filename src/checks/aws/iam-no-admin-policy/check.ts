import type { CheckDefinition } from '../../../core/check.js';
import { evaluateIdentityPolicies, isAllActions } from '../_lib/iam.js';

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
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    'iso27001-2022': ['A.5.15', 'A.5.18', 'A.8.2'],
    hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'],
    gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
  },
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1',
  ],
  evaluate(facts, ctx) {
    return evaluateIdentityPolicies(
      facts,
      ctx,
      (s) => {
        if (s.effect === 'Deny') return undefined;
        const allActions = s.actions.values.some(isAllActions);
        const allResources = s.resources.values.includes('*');
        const maybeActions = allActions || s.actions.unresolved.length > 0;
        const maybeResources = allResources || s.resources.unresolved.length > 0;
        if (allActions && allResources && s.effect === 'Allow')
          return { outcome: 'fail', message: 'allows Action "*" on Resource "*"' };
        if (maybeActions && maybeResources) {
          return {
            outcome: 'unknown',
            message: 'may allow Action "*" on Resource "*": part of the statement is not known statically',
          };
        }
        return undefined;
      },
      'no statement allows Action "*" on Resource "*"',
    );
  },
};

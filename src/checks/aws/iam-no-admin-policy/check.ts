import type { CheckDefinition } from '../../../core/check.js';
import { IAM_LEAST_PRIVILEGE_MAPPINGS } from '../../_lib/mappings.js';
import { evaluateIdentityPolicies, judgeAdmin } from '../_lib/iam.js';

/**
 * No IAM policy grants full administrator access: every action on every resource (in any spelling
 * AWS treats alike), or an IAM privilege-escalation action on every principal, through a policy,
 * a policy document, an inline role policy, or an attachment of AdministratorAccess / IAMFullAccess.
 */
export const check: CheckDefinition = {
  id: 'aws.iam-no-admin-policy',
  title: 'IAM policies do not grant full administrator access',
  severity: 'critical',
  rationale:
    'A policy allowing every action on every resource (Action "*", "**", NotAction of a few reads; Resource "*", "arn:aws:*:*:*:*") makes its holder an account administrator, and so does one allowing IAM permission changes (iam:PutUserPolicy, iam:AttachRolePolicy, ... as in IAMFullAccess) on every principal: it can grant itself anything, so one leaked credential compromises the whole account.',
  remediation:
    'Replace `"Action": "*"` with the specific actions the workload needs (e.g. `"s3:GetObject"`) and `"Resource": "*"` with the ARNs it works on; keep administrator access on a few break-glass roles managed outside application Terraform (AWS managed AdministratorAccess, with MFA).',
  input: 'terraform',
  adversarial: {
    spelling: ['fail-action-spelling-star-star.tf'],
    'equivalent-values': [
      'fail-wildcard-arn-all-resources.tf',
      'fail-all-actions-on-all-iam-resources.tf',
      'fail-not-action-leaves-iam-writes.tf',
      'fail-user-attachment-iam-full-access.tf',
    ],
    indirection: [
      'fail-concat-document-statements.tf',
      'fail-attached-role.tf',
      'fail-role-policy-attachment.tf',
    ],
    ordering: ['pass-document-overrides-source-sid.tf'],
    unresolvable: ['unknown-concat-unknown-document.tf', 'unknown-attachment-arn-variable.tf'],
    coverage: ['fail-role-managed-policy-arns.tf', 'fail-sso-permission-set.tf'],
  },
  mappings: IAM_LEAST_PRIVILEGE_MAPPINGS,
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1',
  ],
  evaluate(facts, ctx) {
    return evaluateIdentityPolicies(
      facts,
      ctx,
      judgeAdmin,
      'no statement allows every action, or IAM permission changes, on every resource',
    );
  },
};

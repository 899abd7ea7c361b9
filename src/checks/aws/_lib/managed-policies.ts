// AWS managed policies whose attachment the IAM checks judge, with their documents as AWS publishes
// them (AWS Managed Policy Reference Guide: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/
// AdministratorAccess.html, PowerUserAccess.html (version v5), IAMFullAccess.html (version v2)).
// The documents of other AWS managed policies are not in the configuration, so attachments of
// them are not judged.

/** Policy JSON of the judged AWS managed policies, by policy name. */
export const JUDGED_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  AdministratorAccess: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  }),
  PowerUserAccess: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'account:GetAccountInformation',
          'account:GetPrimaryEmail',
          'account:ListRegions',
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeOrganization',
        ],
        Resource: '*',
      },
    ],
  }),
  IAMFullAccess: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'iam:*',
          'organizations:DescribeAccount',
          'organizations:DescribeOrganization',
          'organizations:DescribeOrganizationalUnit',
          'organizations:DescribePolicy',
          'organizations:ListChildren',
          'organizations:ListParents',
          'organizations:ListPoliciesForTarget',
          'organizations:ListRoots',
          'organizations:ListPolicies',
          'organizations:ListTargetsForPolicy',
        ],
        Resource: '*',
      },
    ],
  }),
};

/**
 * The judged managed policy an ARN names (`arn:aws:iam::aws:policy/AdministratorAccess`, any
 * partition, also with the partition left as a `${...}` placeholder), or undefined. Managed policy
 * names are case-sensitive in ARNs; AWS's own policies live in the `aws` account.
 */
export function judgedManagedPolicy(arn: string): string | undefined {
  const m = /^arn:(?:aws|aws-cn|aws-us-gov|\$\{[^}]+\}):iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/.exec(arn);
  const name = m?.[1];
  return name !== undefined && Object.hasOwn(JUDGED_MANAGED_POLICIES, name) ? name : undefined;
}

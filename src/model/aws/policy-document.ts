import { field } from '../schema.js';

/**
 * An IAM policy document (IAM JSON policy grammar, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html),
 * normalised from policy JSON (`jsonencode`, heredoc, `file()`, CloudFormation `PolicyDocument`) or
 * from a Terraform `aws_iam_policy_document` data source. Single values are one-item lists.
 */
export const policyDocument = field.record('An IAM policy document.', {
  statements: field.list(
    'The statements (`Statement`; a single statement object is a one-item list).',
    field.record('One statement.', {
      sid: field.string('`Sid`.'),
      effect: field.string('`Effect`; `Allow` when a Terraform policy document omits it.', ['Allow', 'Deny']),
      actions: field.list('`Action`.', field.string('An action, e.g. `s3:GetObject`, `s3:*`, `*`.')),
      notActions: field.list(
        '`NotAction`: the statement applies to every action but these.',
        field.string('An action.'),
      ),
      resources: field.list('`Resource`.', field.string('A resource ARN or `*`.')),
      notResources: field.list('`NotResource`.', field.string('A resource ARN.')),
      principals: field.list(
        '`Principal` as `<type>:<identifier>` (`AWS:arn:aws:iam::123456789012:root`, `Service:s3.amazonaws.com`); the bare JSON `"*"` is `*:*`.',
        field.string('A principal.'),
      ),
      notPrincipals: field.list('`NotPrincipal`, as `principals`.', field.string('A principal.')),
      conditions: field.list(
        '`Condition` entries, one per operator and key.',
        field.record('One condition entry.', {
          operator: field.string(
            'Condition operator as written: `StringEquals`, `ForAnyValue:StringLike`, `Bool`.',
          ),
          key: field.string('Condition key as written: `aws:SourceVpce`.'),
          values: field.list('The values compared with.', field.string('A value.')),
        }),
      ),
    }),
  ),
});

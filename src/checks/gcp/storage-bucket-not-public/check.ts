import type { CheckDefinition } from '../../../core/check.js';
import type { TfObject } from '../../../core/facts.js';
import { PUBLIC_STORAGE_MAPPINGS } from '../../_lib/mappings.js';
import {
  readString,
  resourcesOf,
  result,
  unresolvedText,
  type Verdict,
} from '../../_lib/terraform-values.js';
import { judgePolicyData, judgePrincipals } from '../_lib/public-members.js';

/** Canned ACLs that grant read to allUsers or allAuthenticatedUsers. */
const PUBLIC_PREDEFINED_ACLS = ['publicRead', 'publicReadWrite', 'authenticatedRead'];

/** Resource types that grant principals access to a bucket or its objects, and the attribute naming them. */
const PRINCIPAL_ATTRIBUTES: readonly { type: string; key: string; what: string }[] = [
  { type: 'google_storage_bucket_iam_binding', key: 'members', what: 'bucket access' },
  { type: 'google_storage_bucket_iam_member', key: 'member', what: 'bucket access' },
  { type: 'google_storage_bucket_acl', key: 'role_entity', what: 'bucket ACL access' },
  { type: 'google_storage_bucket_access_control', key: 'entity', what: 'bucket ACL access' },
  { type: 'google_storage_default_object_acl', key: 'role_entity', what: 'default object ACL access' },
  { type: 'google_storage_default_object_access_control', key: 'entity', what: 'default object ACL access' },
  { type: 'google_storage_object_acl', key: 'role_entity', what: 'object ACL access' },
  { type: 'google_storage_object_access_control', key: 'entity', what: 'object ACL access' },
];

/** `predefined_acl` of `google_storage_bucket_acl` / `google_storage_object_acl`. */
function judgePredefinedAcl(attributes: TfObject, base: Verdict): Verdict {
  const r = readString(attributes, 'predefined_acl');
  if (r.state === 'ok' && PUBLIC_PREDEFINED_ACLS.includes(r.value)) {
    return {
      outcome: 'fail',
      message: `predefined_acl = "${r.value}" grants public read`,
      path: 'predefined_acl',
    };
  }
  if (r.state === 'unresolved' && base.outcome === 'pass') {
    return {
      outcome: 'unknown',
      message: `${unresolvedText('predefined_acl', r.value)}: whether it is public is unknown`,
      path: 'predefined_acl',
    };
  }
  return base;
}

/**
 * No IAM binding, member or policy on a Cloud Storage bucket, and no bucket / object ACL, grants
 * access to `allUsers` or `allAuthenticatedUsers`. One result per IAM or ACL resource.
 */
export const check: CheckDefinition = {
  id: 'gcp.storage-bucket-not-public',
  title: 'Cloud Storage buckets are not shared with allUsers or allAuthenticatedUsers',
  severity: 'critical',
  rationale:
    'Granting a bucket role or ACL to allUsers makes its data readable by anyone on the internet; allAuthenticatedUsers means any Google account, which is no restriction at all.',
  remediation:
    'Remove `allUsers` and `allAuthenticatedUsers` from `members`/`member` of `google_storage_bucket_iam_*` resources, from `data.google_iam_policy` bindings, and from ACL `role_entity`/`entity`; do not use `predefined_acl = "publicRead"`. Grant roles to specific users, groups or service accounts, and enforce `public_access_prevention = "enforced"` on the bucket.',
  input: 'terraform',
  adversarial: {
    indirection: ['fail-all-users-through-local.tf'],
    unresolvable: ['unknown-member-from-variable.tf'],
    coverage: ['fail-policy-document-all-users.tf', 'fail-public-read-acl.tf'],
  },
  mappings: PUBLIC_STORAGE_MAPPINGS,
  trivyEquivalents: ['cloud/google/storage/no_public_access'],
  references: [
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket_iam',
    'https://cloud.google.com/storage/docs/public-access-prevention',
  ],
  evaluate(facts, ctx) {
    const results = PRINCIPAL_ATTRIBUTES.flatMap(({ type, key, what }) =>
      resourcesOf(facts.terraform, [type]).map((r) => {
        const principals = judgePrincipals(r, key, what);
        const hasPredefined = type === 'google_storage_bucket_acl' || type === 'google_storage_object_acl';
        return result(r, hasPredefined ? judgePredefinedAcl(r.attributes, principals) : principals);
      }),
    );
    const policies = resourcesOf(facts.terraform, ['google_storage_bucket_iam_policy']).map((r) =>
      result(r, judgePolicyData(r, ctx)),
    );
    return [...results, ...policies];
  },
};

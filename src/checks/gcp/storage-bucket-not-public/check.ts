import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { GcpStorageAccessGrant } from '../../../model/gcp/storage.js';
import { PUBLIC_STORAGE_MAPPINGS } from '../../_lib/mappings.js';
import { items, unknownVerdict } from '../../_lib/model-verdicts.js';
import { isPublicPrincipal } from '../_lib/public-members.js';

/** Canned ACLs that grant read to allUsers or allAuthenticatedUsers. */
const PUBLIC_PREDEFINED_ACLS = ['publicRead', 'publicReadWrite', 'authenticatedRead'];

/** What a grant of each kind gives, for messages. */
const WHAT: Readonly<Record<string, string>> = {
  iam: 'bucket access',
  bucketAcl: 'bucket ACL access',
  defaultObjectAcl: 'default object ACL access',
  objectAcl: 'object ACL access',
};

const MESSAGES: Messages = {
  public: '{{name}} grants {{what}} to {{principals}}',
  'not-public': '{{name}} names no public principal',
  'public-predefined': 'predefined_acl = "{{acl}}" grants public read',
};

/**
 * One grant: `fail` naming the public principals (`allUsers`, `allAuthenticatedUsers`, as IAM members
 * or ACL entities) or a public `predefined_acl`; `unknown` when some principal (or the predefined ACL)
 * is not known statically; else `pass`.
 */
function judge(g: GcpStorageAccessGrant): Verdict {
  const what = WHAT[g.kind.state === 'known' ? g.kind.value : 'iam'] ?? 'access';
  const list = g.principals;
  const pub: string[] = [];
  let unknownPart: Verdict | undefined;
  for (const p of items(list)) {
    if (p.state === 'known' && isPublicPrincipal(p.value)) pub.push(p.value);
    else if (p.state === 'unknown')
      unknownPart ??= unknownVerdict(p, { consequence: `whether it grants ${what} to allUsers is unknown` });
  }
  const at = { location: list.location };
  const acl = g.predefinedAcl;
  if (pub.length) return verdict('fail', 'public', { name: list.name, what, principals: pub.join(', ') }, at);
  if (acl.state === 'known' && PUBLIC_PREDEFINED_ACLS.includes(acl.value))
    return verdict('fail', 'public-predefined', { acl: acl.value }, { location: acl.location });
  if (unknownPart) return unknownPart;
  if (acl.state === 'unknown') return unknownVerdict(acl, { consequence: 'whether it is public is unknown' });
  return verdict('pass', 'not-public', { name: list.name });
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
  concerns: ['gcp.storage.accessGrants'],
  messages: MESSAGES,
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
  evaluate(_facts, ctx) {
    return ctx.model.get('gcp.storage.accessGrants').map((g) => toResult(g, judge(g), MESSAGES));
  },
};

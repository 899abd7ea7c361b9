// Terraform google provider → gcp.storage.buckets and gcp.storage.accessGrants.
import { subjectOf } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { type GcpStorageAccessGrant, gcpStorageBuckets } from '../../../model/gcp/storage.js';
import { modelObject } from '../../../model/object.js';
import { invalid, known, type ListValue, unknown, type Value } from '../../../model/value.js';
import { adapter } from '../../adapter.js';
import { stringListAt } from '../../common/iam-policy-json.js';
import { leafAt, rawAt } from '../../tree.js';
import { terraformFieldMapAdapter } from '../field-map-adapter.js';
import { locateAttribute, terraformTree } from '../tree.js';

const DOC = 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket';

/** Terraform adapter of `gcp.storage.buckets` (declarative). */
export const terraformGcpStorageBuckets = terraformFieldMapAdapter({
  id: 'terraform/google/storage-buckets',
  concern: 'gcp.storage.buckets',
  schema: gcpStorageBuckets,
  resourceTypes: ['google_storage_bucket'],
  fields: {
    name: 'name',
    uniformBucketLevelAccess: {
      doc: 'uniform_bucket_level_access, else bucket_policy_only (google provider < 4.0); default false',
      compute: (tree, base) => {
        const own = leafAt(tree, 'bool', 'uniform_bucket_level_access', base);
        if (own.state !== 'absent') return own;
        const legacy = leafAt(tree, 'bool', 'bucket_policy_only', base);
        if (legacy.state !== 'absent') return legacy;
        return leafAt(tree, 'bool', 'uniform_bucket_level_access', base, {
          value: false,
          source: `${DOC}#uniform_bucket_level_access-1 ("Default: false")`,
        });
      },
    },
    publicAccessPrevention: {
      path: 'public_access_prevention',
      default: { value: 'inherited', source: `${DOC}#public_access_prevention-1 ("inherited" unless set)` },
    },
  },
});

/** Grant resource types: what they cover and the attribute naming the principals. */
const GRANT_TYPES: Readonly<Record<string, { kind: string; key: string; predefined?: boolean }>> = {
  google_storage_bucket_iam_binding: { kind: 'iam', key: 'members' },
  google_storage_bucket_iam_member: { kind: 'iam', key: 'member' },
  google_storage_bucket_iam_policy: { kind: 'iam', key: 'policy_data' },
  google_storage_bucket_acl: { kind: 'bucketAcl', key: 'role_entity', predefined: true },
  google_storage_bucket_access_control: { kind: 'bucketAcl', key: 'entity' },
  google_storage_default_object_acl: { kind: 'defaultObjectAcl', key: 'role_entity' },
  google_storage_default_object_access_control: { kind: 'defaultObjectAcl', key: 'entity' },
  google_storage_object_acl: { kind: 'objectAcl', key: 'role_entity', predefined: true },
  google_storage_object_access_control: { kind: 'objectAcl', key: 'entity' },
};

/** Members of the bindings of IAM policy JSON text (`{"bindings":[{"role":..,"members":[..]}]}`). */
function membersOfPolicyJson(text: string): string[] | undefined {
  try {
    const doc = JSON.parse(text) as { bindings?: { members?: unknown }[] };
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.bindings)) return undefined;
    return doc.bindings.flatMap((b) =>
      Array.isArray(b?.members) ? b.members.filter((m): m is string => typeof m === 'string') : [],
    );
  } catch {
    return undefined;
  }
}

/**
 * The members of `google_storage_bucket_iam_policy.policy_data`: literal policy JSON is parsed; a
 * reference to a `data.google_iam_policy` of the same root module is followed to its `binding`
 * blocks' `members`; anything else is unknown.
 */
function policyMembers(r: TerraformResource, policies: readonly TerraformResource[]): ListValue<string> {
  const key = 'policy_data';
  const at = locateAttribute(r, [key]);
  const v = r.attributes[key];
  if (typeof v === 'string') {
    const members = membersOfPolicyJson(v);
    if (!members) return invalid(v, 'not IAM policy JSON with bindings', key, at);
    return known(
      members.map((m) => known(m, key, at)),
      key,
      at,
    );
  }
  const refs = new Set([...(r.references[key] ?? []), ...(isUnresolved(v) ? v.refs : [])]);
  const docs = policies.filter(
    (d) => d.rootModule === r.rootModule && (refs.has(d.baseAddress) || refs.has(d.address)),
  );
  if (docs.length === 0)
    return isUnresolved(v) ? unknown(v, key, at) : unknown(`${key} is not set or not a string`, key, at);
  const items: Value<string>[] = [];
  for (const d of docs) {
    const tree = terraformTree(d);
    const bindings = rawAt(tree, 'binding');
    if (bindings.state === 'unknown') {
      items.push(unknown(bindings.unresolved, `${d.address}.binding`, locateAttribute(d, ['binding'])));
      continue;
    }
    const list = bindings.state === 'present' && Array.isArray(bindings.value) ? bindings.value : [];
    list.forEach((_, i) => {
      const members = stringListAt(tree, ['binding', i, 'members']);
      if (members.state === 'unknown') items.push(members);
      else if (members.state === 'known') items.push(...members.value);
    });
  }
  return known(items, key, at);
}

/** Terraform adapter of `gcp.storage.accessGrants`. */
export const terraformGcpStorageAccessGrants = adapter({
  id: 'terraform/google/storage-access-grants',
  concern: 'gcp.storage.accessGrants',
  facts: 'terraform',
  reads: [...Object.keys(GRANT_TYPES), 'data.google_iam_policy'],
  sources: [
    { field: 'kind', from: 'the resource type' },
    { field: 'bucket', from: 'bucket' },
    {
      field: 'principals',
      from: '`members` / `member` (IAM), `role_entity` / `entity` (ACLs), `policy_data` (JSON, or the bindings of a data.google_iam_policy)',
    },
    { field: 'predefinedAcl', from: 'predefined_acl' },
  ],
  adapt(facts, ctx) {
    const policies = ctx.terraform.ofType('data.google_iam_policy');
    const out: GcpStorageAccessGrant[] = [];
    for (const r of facts.terraform) {
      const spec = r.mode === 'managed' ? GRANT_TYPES[r.type] : undefined;
      if (!spec) continue;
      const tree = terraformTree(r);
      out.push(
        modelObject(subjectOf(r), {
          kind: known(spec.kind, 'type', r.location),
          bucket: leafAt(tree, 'string', 'bucket'),
          principals:
            spec.key === 'policy_data' ? policyMembers(r, policies) : stringListAt(tree, [spec.key]),
          predefinedAcl: leafAt(tree, 'string', 'predefined_acl'),
        }),
      );
    }
    return out;
  },
});

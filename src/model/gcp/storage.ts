import { concern, field, type ModelObjectOf } from '../schema.js';

/** `gcp.storage.buckets`: Cloud Storage buckets. */
export const gcpStorageBuckets = concern({
  id: 'gcp.storage.buckets',
  title: 'Cloud Storage buckets',
  description: 'One object per bucket (Terraform `google_storage_bucket`).',
  fields: {
    name: field.string('The bucket name.'),
    uniformBucketLevelAccess: field.bool(
      'Object ACLs are disabled: only bucket IAM grants access (`uniform_bucket_level_access`; `bucket_policy_only` in google provider < 4.0).',
    ),
    publicAccessPrevention: field.string('`public_access_prevention`.', ['inherited', 'enforced']),
  },
});

/** `gcp.storage.accessGrants`: resources that grant principals access to a bucket or its objects. */
export const gcpStorageAccessGrants = concern({
  id: 'gcp.storage.accessGrants',
  title: 'Cloud Storage access grants',
  description:
    'One object per resource granting access to a bucket or its objects: IAM bindings, members and policies (`google_storage_bucket_iam_binding`, `_member`, `_policy`), bucket ACLs and access controls, default object ACLs and access controls, object ACLs and access controls.',
  fields: {
    kind: field.string('What the grant covers.', ['iam', 'bucketAcl', 'defaultObjectAcl', 'objectAcl']),
    bucket: field.string('The bucket (`bucket`).'),
    principals: field.list(
      'The principals granted: IAM members (`allUsers`, `user:a@example.com`) or ACL entities (`READER:allUsers`, `allAuthenticatedUsers`); for a policy, the members of its bindings (policy JSON or a `data.google_iam_policy`).',
      field.string('One principal or entity.'),
    ),
    predefinedAcl: field.string('`predefined_acl` of bucket and object ACL resources (`publicRead`, ...).'),
  },
});

/** One bucket of the model. */
export type GcpStorageBucket = ModelObjectOf<typeof gcpStorageBuckets>;
/** One access grant of the model. */
export type GcpStorageAccessGrant = ModelObjectOf<typeof gcpStorageAccessGrants>;

import { concern, field, type ItemOf, type ModelObjectOf } from '../schema.js';
import { policyDocument } from './policy-document.js';

/**
 * Fields of every bucket setting that a separate resource may write (Terraform AWS provider v4+
 * split resources such as `aws_s3_bucket_public_access_block`): where it is written and whether it
 * certainly configures this bucket.
 */
const linked = {
  source: field.string(
    'Address of the resource the setting is written in: the bucket itself for inline settings, else the companion resource (`aws_s3_bucket_acl.x`) or the account-level resource.',
  ),
  applies: field.bool(
    'Whether the setting configures this bucket: true for inline settings and for companions linked by an exact reference to this bucket or by its literal name; unknown when the link is doubtful (the companion names a bucket that is not known statically, has a count/for_each that is not known statically, or references several buckets or another instance).',
  ),
};

/** One ACL: the canned ACL and explicit grants. */
const ACL = field.record('One ACL.', {
  ...linked,
  cannedAcl: field.string('The canned ACL (`acl`).', [
    'private',
    'public-read',
    'public-read-write',
    'aws-exec-read',
    'authenticated-read',
    'bucket-owner-read',
    'bucket-owner-full-control',
    'log-delivery-write',
  ]),
  grants: field.list(
    'Explicit grants (`grant` blocks; `access_control_policy.grant` of `aws_s3_bucket_acl`).',
    field.record('One grant.', {
      granteeType: field.string('Grantee type.', ['CanonicalUser', 'AmazonCustomerByEmail', 'Group']),
      granteeUri: field.string('Grantee group URI, e.g. `http://acs.amazonaws.com/groups/global/AllUsers`.'),
      permissions: field.list(
        'Permissions granted.',
        field.string('A permission: `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`, `FULL_CONTROL`.'),
      ),
    }),
  ),
});

/** One bucket policy. */
const POLICY = field.record('One bucket policy.', { ...linked, document: policyDocument });

/** `aws.s3.buckets`: S3 buckets with their companion settings linked. */
export const s3Buckets = concern({
  id: 'aws.s3.buckets',
  title: 'S3 buckets',
  description:
    'One object per S3 bucket (Terraform `aws_s3_bucket` instance), with the settings written inline and in companion resources linked to it once, by the adapter: ACLs, default encryption, public access blocks (bucket and account level), access logging, bucket policies, versioning.',
  fields: {
    name: field.string('The bucket name (`bucket`); absent when the provider generates one.'),
    acls: field.list(
      'Every ACL written for the bucket: the inline `acl`/`grant` (provider v3) and each linked `aws_s3_bucket_acl`.',
      ACL,
    ),
    encryption: field.list(
      'Default encryption rules: one item per `rule` of the inline `server_side_encryption_configuration` and of each linked `aws_s3_bucket_server_side_encryption_configuration`.',
      field.record('One default encryption rule.', {
        ...linked,
        algorithm: field.string('`apply_server_side_encryption_by_default.sse_algorithm`.', [
          'AES256',
          'aws:kms',
          'aws:kms:dsse',
        ]),
        kmsKeyId: field.string('`apply_server_side_encryption_by_default.kms_master_key_id`.'),
        bucketKeyEnabled: field.bool('`bucket_key_enabled`.'),
      }),
    ),
    publicAccessBlocks: field.list(
      'Public access blocks that may govern the bucket: each linked `aws_s3_bucket_public_access_block`, and each `aws_s3_account_public_access_block` of the same root module and provider configuration.',
      field.record('One public access block.', {
        ...linked,
        level: field.string('`bucket` or `account`.', ['bucket', 'account']),
        blockPublicAcls: field.bool('`block_public_acls`.'),
        blockPublicPolicy: field.bool('`block_public_policy`.'),
        ignorePublicAcls: field.bool('`ignore_public_acls`.'),
        restrictPublicBuckets: field.bool('`restrict_public_buckets`.'),
      }),
    ),
    logging: field.list(
      'Server access logging: the inline `logging` block and each linked `aws_s3_bucket_logging`.',
      field.record('One logging configuration.', {
        ...linked,
        targetBucket: field.string('`target_bucket`: the bucket receiving the logs.'),
        targetPrefix: field.string('`target_prefix`.'),
      }),
    ),
    logTarget: field.bool(
      'True when the bucket receives server access logs: another bucket logs into it, or one of its ACLs is `log-delivery-write`.',
    ),
    policies: field.list(
      'Bucket policies: the inline `policy` and each linked `aws_s3_bucket_policy`.',
      POLICY,
    ),
    versioning: field.list(
      'Versioning: the inline `versioning` block and each linked `aws_s3_bucket_versioning`.',
      field.record('One versioning configuration.', {
        ...linked,
        enabled: field.bool(
          'Versioning is enabled (`enabled`; `versioning_configuration.status = "Enabled"`).',
        ),
        mfaDelete: field.bool('MFA delete is enabled.'),
      }),
    ),
  },
});

/** One S3 bucket of the model. */
export type S3Bucket = ModelObjectOf<typeof s3Buckets>;

/** One ACL of a bucket (`S3Bucket['acls']` item). */
export type S3Acl = ItemOf<S3Bucket['acls']>;
/** One default-encryption rule of a bucket. */
export type S3EncryptionRule = ItemOf<S3Bucket['encryption']>;
/** One public access block that may govern a bucket. */
export type S3PublicAccessBlock = ItemOf<S3Bucket['publicAccessBlocks']>;
/** One logging configuration of a bucket. */
export type S3Logging = ItemOf<S3Bucket['logging']>;
/** One bucket policy. */
export type S3Policy = ItemOf<S3Bucket['policies']>;
/** One versioning configuration. */
export type S3Versioning = ItemOf<S3Bucket['versioning']>;

/**
 * `aws.s3.detachedSettings`: ACLs and bucket policies written for a bucket that no bucket of the
 * configuration certainly is (the bucket lives in another stack, or the companion's bucket is a
 * conditional or a variable). A public grant is a finding wherever the bucket lives, so checks judge
 * these on their own (issue 6, linking).
 */
export const s3DetachedSettings = concern({
  id: 'aws.s3.detachedSettings',
  title: 'S3 settings of buckets outside the configuration',
  description:
    'One object per `aws_s3_bucket_acl` or `aws_s3_bucket_policy` that certainly names no managed bucket of its root module: its bucket is elsewhere, or which bucket it names is not known statically.',
  fields: {
    bucket: field.string('The `bucket` the resource names, as written.'),
    acls: field.list('The ACL (one item for an `aws_s3_bucket_acl`, none for a policy).', ACL),
    policies: field.list('The policy (one item for an `aws_s3_bucket_policy`, none for an ACL).', POLICY),
  },
});

/** One detached S3 setting of the model. */
export type S3DetachedSetting = ModelObjectOf<typeof s3DetachedSettings>;

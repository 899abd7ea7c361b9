// Terraform → aws.s3.buckets: every managed aws_s3_bucket with its inline settings (provider v3) and
// the companion resources (provider v4+) that BucketLinker links to it.
import { subjectOf } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import type { TerraformIndex } from '../../../core/terraform-index.js';
import {
  type S3Acl,
  type S3Bucket,
  type S3EncryptionRule,
  type S3Logging,
  type S3Policy,
  type S3PublicAccessBlock,
  type S3Versioning,
  s3Buckets,
} from '../../../model/aws/s3.js';
import { type ModelPath, modelObject } from '../../../model/object.js';
import { known, type ListValue, unknown, type Value } from '../../../model/value.js';
import { adapter } from '../../adapter.js';
import { type FieldMap, mapRecord } from '../../field-map.js';
import { type FactTree, leafAt, listAt, rawAt, recordAt } from '../../tree.js';
import { locateAttribute, terraformTree } from '../tree.js';
import { policyRefs, terraformPolicy } from './policy.js';
import { BucketLinker, type CompanionLink } from './s3-links.js';

const F = s3Buckets.fields;

/** Provider documentation of the resources read here: the sources of the defaults. */
const DOC = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources';

/** Public access block arguments default to false (provider docs of both resources: "Defaults to `false`"). */
const pabDefault = (resource: string, arg: string) => ({
  value: false,
  source: `${DOC}/${resource}#${arg} ("Defaults to false")`,
});

const pabMap = (resource: string): FieldMap<typeof F.publicAccessBlocks.item.fields> => ({
  source: { compute: () => never(), doc: 'the block resource address' },
  applies: {
    compute: () => never(),
    doc: 'linked by reference or name (bucket level); same root module and provider configuration (account level)',
  },
  level: {
    compute: () => never(),
    doc: '`bucket` for aws_s3_bucket_public_access_block, `account` for aws_s3_account_public_access_block',
  },
  blockPublicAcls: { path: 'block_public_acls', default: pabDefault(resource, 'block_public_acls') },
  blockPublicPolicy: { path: 'block_public_policy', default: pabDefault(resource, 'block_public_policy') },
  ignorePublicAcls: { path: 'ignore_public_acls', default: pabDefault(resource, 'ignore_public_acls') },
  restrictPublicBuckets: {
    path: 'restrict_public_buckets',
    default: pabDefault(resource, 'restrict_public_buckets'),
  },
});

function never(): never {
  throw new Error('computed by the S3 adapter');
}

/** Fields of a linked setting without its link fields (read by a field map from the setting's resource). */
function settings<G extends Record<string, unknown>>(fields: G): Omit<G, 'source' | 'applies' | 'level'> {
  const { source: _s, applies: _a, level: _l, ...rest } = fields;
  return rest;
}

const ENCRYPTION_FIELDS = settings(F.encryption.item.fields);
const ENCRYPTION_RULE_MAP: FieldMap<typeof ENCRYPTION_FIELDS> = {
  algorithm: 'apply_server_side_encryption_by_default.0.sse_algorithm',
  kmsKeyId: 'apply_server_side_encryption_by_default.0.kms_master_key_id',
  bucketKeyEnabled: 'bucket_key_enabled',
};

const LOGGING_FIELDS = settings(F.logging.item.fields);
const LOGGING_MAP: FieldMap<typeof LOGGING_FIELDS> = {
  targetBucket: 'target_bucket',
  targetPrefix: 'target_prefix',
};

const PAB_FIELDS = settings(F.publicAccessBlocks.item.fields);

/** The canned ACL S3 applies when none is set (S3 user guide, "Canned ACL": private is the default). */
const PRIVATE_DEFAULT = {
  value: 'private',
  source:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl (private: "default")',
};

const GRANT_FIELDS = F.acls.item.fields.grants.item.fields;
const INLINE_GRANT_MAP: FieldMap<typeof GRANT_FIELDS> = {
  granteeType: 'type',
  granteeUri: 'uri',
  permissions: { path: 'permissions' },
};
const COMPANION_GRANT_MAP: FieldMap<typeof GRANT_FIELDS> = {
  granteeType: 'grantee.0.type',
  granteeUri: 'grantee.0.uri',
  permissions: { path: 'permission' },
};

/** The link fields of a setting. */
export interface Linked {
  source: Value<string>;
  applies: Value<boolean>;
}

function inline(bucket: TerraformResource): Linked {
  return {
    source: known(bucket.address, 'address', bucket.location),
    applies: known(true, 'inline', bucket.location),
  };
}

function viaLink(link: CompanionLink): Linked {
  return { source: known(link.companion.address, 'address', link.companion.location), applies: link.applies };
}

/** The items of a list Value: an unknown list is one unknown item, an absent list none. */
function spread<T>(list: ListValue<T>): Value<T>[] {
  if (list.state === 'unknown') return [list];
  return list.state === 'known' ? [...list.value] : [];
}

/** `value` mapped through `fn` when known (unknown and absent kept, without default). */
function mapKnown<T, U>(v: Value<T>, fn: (x: T) => U): Value<U> {
  if (v.state === 'known') return known(fn(v.value), v.name, v.location);
  if (v.state === 'unknown') return v;
  return { ...v, default: undefined } as unknown as Value<U>;
}

/** One ACL written on `r` (the bucket inline, or an aws_s3_bucket_acl). */
function aclItem(
  r: TerraformResource,
  linked: Linked,
  grantsPath: string,
  grantMap: FieldMap<typeof GRANT_FIELDS>,
  withDefault: boolean,
): Value<S3Acl> {
  const tree = terraformTree(r);
  return known(
    {
      ...linked,
      cannedAcl: leafAt(tree, 'string', 'acl', [], withDefault ? PRIVATE_DEFAULT : undefined),
      grants: listAt(tree, grantsPath, [], (p) =>
        recordAt(tree, p, (gp) => mapRecord(tree, GRANT_FIELDS, grantMap, gp)),
      ),
    },
    r.address,
    r.location,
  );
}

/** The ACL of an aws_s3_bucket_acl resource. */
export function companionAcl(r: TerraformResource, linked: Linked): Value<S3Acl> {
  return aclItem(r, linked, 'access_control_policy.0.grant', COMPANION_GRANT_MAP, false);
}

function acls(bucket: TerraformResource, linker: BucketLinker): Value<S3Acl>[] {
  return [
    aclItem(bucket, inline(bucket), 'grant', INLINE_GRANT_MAP, true),
    ...linker.linksOf(bucket, 'aws_s3_bucket_acl').map((l) => companionAcl(l.companion, viaLink(l))),
  ];
}

function encryptionRules(r: TerraformResource, base: ModelPath, linked: Linked): Value<S3EncryptionRule>[] {
  const tree = terraformTree(r);
  return spread(
    listAt(tree, 'rule', base, (p) =>
      recordAt(tree, p, (rp) => ({
        ...linked,
        ...mapRecord(tree, ENCRYPTION_FIELDS, ENCRYPTION_RULE_MAP, rp),
      })),
    ),
  );
}

function encryption(bucket: TerraformResource, linker: BucketLinker): Value<S3EncryptionRule>[] {
  return [
    ...encryptionRules(bucket, ['server_side_encryption_configuration', 0], inline(bucket)),
    ...linker
      .linksOf(bucket, 'aws_s3_bucket_server_side_encryption_configuration')
      .flatMap((l) => encryptionRules(l.companion, [], viaLink(l))),
  ];
}

function pabItem(
  r: TerraformResource,
  linked: Linked,
  level: 'bucket' | 'account',
): Value<S3PublicAccessBlock> {
  const resource = level === 'bucket' ? 's3_bucket_public_access_block' : 's3_account_public_access_block';
  const { source: _s, applies: _a, level: _l, ...map } = pabMap(resource);
  return known(
    { ...linked, level: known(level, 'type', r.location), ...mapRecord(terraformTree(r), PAB_FIELDS, map) },
    r.address,
    r.location,
  );
}

function publicAccessBlocks(
  bucket: TerraformResource,
  linker: BucketLinker,
  accountBlocks: readonly TerraformResource[],
): Value<S3PublicAccessBlock>[] {
  const items = linker
    .linksOf(bucket, 'aws_s3_bucket_public_access_block')
    .map((l) => pabItem(l.companion, viaLink(l), 'bucket'));
  for (const acct of accountBlocks) {
    if (acct.rootModule !== bucket.rootModule) continue;
    const why =
      (acct.provider ?? '') !== (bucket.provider ?? '')
        ? `${acct.address} uses provider configuration ${acct.provider ?? 'default'} but ${bucket.address} uses ${bucket.provider ?? 'the default'}, which may be another account`
        : acct.address.endsWith('[*]')
          ? `${acct.address} has a count/for_each that is not known statically, so it may not exist`
          : undefined;
    const applies =
      why === undefined ? known(true, 'account', acct.location) : unknown(why, 'account', acct.location);
    items.push(pabItem(acct, { source: known(acct.address, 'address', acct.location), applies }, 'account'));
  }
  return items;
}

function logging(bucket: TerraformResource, linker: BucketLinker): Value<S3Logging>[] {
  const tree = terraformTree(bucket);
  const own = spread(
    listAt(tree, 'logging', [], (p) =>
      recordAt(tree, p, (lp) => ({ ...inline(bucket), ...mapRecord(tree, LOGGING_FIELDS, LOGGING_MAP, lp) })),
    ),
  );
  const linked = linker
    .linksOf(bucket, 'aws_s3_bucket_logging')
    .map((l) =>
      known(
        { ...viaLink(l), ...mapRecord(terraformTree(l.companion), LOGGING_FIELDS, LOGGING_MAP) },
        l.companion.address,
        l.companion.location,
      ),
    );
  return [...own, ...linked];
}

/** True when a `target_bucket` value (or its references) names `bucket`: by reference, or by its literal name or id. */
function names(value: unknown, refs: readonly string[], bucket: TerraformResource): boolean {
  const all = [...refs, ...(isUnresolvedLike(value) ? value.refs : [])];
  if (all.includes(bucket.baseAddress) || all.includes(bucket.address)) return true;
  return typeof value === 'string' && (value === bucket.attributes.bucket || value === bucket.attributes.id);
}

function isUnresolvedLike(v: unknown): v is { refs: readonly string[] } {
  return typeof v === 'object' && v !== null && 'refs' in v && 'reason' in v;
}

/**
 * Whether `bucket` receives server access logs (trivy s3/enable_logging exempts such buckets): an ACL
 * of the bucket or a companion is `log-delivery-write`, an `aws_s3_bucket_logging` of the root module
 * targets it, or another bucket's inline `logging` does. Known false otherwise.
 */
function logTarget(
  bucket: TerraformResource,
  aclItems: readonly Value<S3Acl>[],
  index: TerraformIndex,
  linker: BucketLinker,
): Value<boolean> {
  for (const a of aclItems) {
    if (
      a.state === 'known' &&
      a.value.cannedAcl.state === 'known' &&
      a.value.cannedAcl.value === 'log-delivery-write'
    )
      return known(true, 'acl', a.value.cannedAcl.location);
  }
  for (const l of index.ofType('aws_s3_bucket_logging')) {
    if (
      l.rootModule === bucket.rootModule &&
      names(l.attributes.target_bucket, l.references.target_bucket ?? [], bucket)
    )
      return known(true, `${l.address}.target_bucket`, locateAttribute(l, ['target_bucket']));
  }
  for (const other of linker.bucketsOf(bucket.rootModule)) {
    if (other === bucket) continue;
    const node = rawAt(terraformTree(other), 'logging.0.target_bucket');
    const target =
      node.state === 'present' ? node.value : node.state === 'unknown' ? node.unresolved : undefined;
    if (target !== undefined && names(target, [], bucket))
      return known(true, `${other.address}.logging`, locateAttribute(other, ['logging']));
  }
  return known(false, 'logTarget', bucket.location);
}

/** The policy written on `r` (the bucket's `policy`, or an aws_s3_bucket_policy); undefined when unset and not `withEmpty`. */
export function policyItem(
  index: TerraformIndex,
  r: TerraformResource,
  linked: Linked,
  withEmpty: boolean,
): Value<S3Policy> | undefined {
  const v = r.attributes.policy;
  if (!withEmpty && (v === undefined || v === null)) return undefined;
  return known(
    { ...linked, document: terraformPolicy(index, r, ['policy'], policyRefs(r, 'policy', v)) },
    r.address,
    locateAttribute(r, ['policy']),
  );
}

function policies(bucket: TerraformResource, linker: BucketLinker, index: TerraformIndex): Value<S3Policy>[] {
  const own = policyItem(index, bucket, inline(bucket), false);
  const linked = linker
    .linksOf(bucket, 'aws_s3_bucket_policy')
    .map((l) => policyItem(index, l.companion, viaLink(l), true) as Value<S3Policy>);
  return own ? [own, ...linked] : linked;
}

function versioning(bucket: TerraformResource, linker: BucketLinker): Value<S3Versioning>[] {
  const tree = terraformTree(bucket);
  const own = spread(
    listAt(tree, 'versioning', [], (p) =>
      recordAt(tree, p, (vp) => ({
        ...inline(bucket),
        enabled: leafAt(tree, 'bool', 'enabled', vp),
        mfaDelete: leafAt(tree, 'bool', 'mfa_delete', vp),
      })),
    ),
  );
  const status = (t: FactTree, path: string) => mapKnown(leafAt(t, 'string', path), (s) => s === 'Enabled');
  const linked = linker.linksOf(bucket, 'aws_s3_bucket_versioning').map((l) => {
    const t = terraformTree(l.companion);
    return known(
      {
        ...viaLink(l),
        enabled: status(t, 'versioning_configuration.0.status'),
        mfaDelete: status(t, 'versioning_configuration.0.mfa_delete'),
      },
      l.companion.address,
      l.companion.location,
    );
  });
  return [...own, ...linked];
}

/** Companion resource types the adapter links to buckets. */
export const S3_COMPANION_TYPES = [
  'aws_s3_bucket_acl',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_versioning',
] as const;

/** Terraform adapter of `aws.s3.buckets`. */
export const terraformS3Buckets = adapter({
  id: 'terraform/aws/s3',
  concern: 'aws.s3.buckets',
  facts: 'terraform',
  reads: [
    'aws_s3_bucket',
    ...S3_COMPANION_TYPES,
    'aws_s3_account_public_access_block',
    'data.aws_iam_policy_document',
  ],
  sources: [
    { field: 'name', from: 'bucket' },
    {
      field: 'acls',
      from: 'the bucket (`acl`, `grant`) and each linked aws_s3_bucket_acl (`acl`, `access_control_policy.0.grant`)',
    },
    { field: 'acls.cannedAcl', from: 'acl', default: PRIVATE_DEFAULT },
    {
      field: 'encryption',
      from: '`server_side_encryption_configuration.0.rule` and the `rule` blocks of each linked aws_s3_bucket_server_side_encryption_configuration',
    },
    { field: 'encryption.algorithm', from: 'rule.*.apply_server_side_encryption_by_default.0.sse_algorithm' },
    {
      field: 'publicAccessBlocks',
      from: 'each linked aws_s3_bucket_public_access_block; each aws_s3_account_public_access_block of the root module',
    },
    {
      field: 'publicAccessBlocks.blockPublicAcls',
      from: 'block_public_acls',
      default: pabDefault('s3_bucket_public_access_block', 'block_public_acls'),
    },
    { field: 'logging', from: '`logging` blocks and each linked aws_s3_bucket_logging' },
    {
      field: 'logTarget',
      from: 'computed: an ACL `log-delivery-write`, or a logging configuration targeting the bucket',
    },
    {
      field: 'policies',
      from: '`policy` and each linked aws_s3_bucket_policy (JSON, jsonencode or data.aws_iam_policy_document)',
    },
    {
      field: 'versioning',
      from: '`versioning` blocks; linked aws_s3_bucket_versioning `versioning_configuration.0.status = "Enabled"`',
    },
  ],
  adapt(_facts, ctx) {
    const index = ctx.terraform;
    const linker = new BucketLinker(index);
    const accountBlocks = index
      .ofType('aws_s3_account_public_access_block')
      .filter((r) => r.mode === 'managed');
    return linker.buckets().map((bucket): S3Bucket => {
      const aclItems = acls(bucket, linker);
      const list = <T>(items: Value<T>[], name: string): ListValue<T> => known(items, name, bucket.location);
      return modelObject(subjectOf(bucket), {
        name: leafAt(terraformTree(bucket), 'string', 'bucket'),
        acls: list(aclItems, 'acl'),
        encryption: list(encryption(bucket, linker), 'server_side_encryption_configuration'),
        publicAccessBlocks: list(
          publicAccessBlocks(bucket, linker, accountBlocks),
          'aws_s3_bucket_public_access_block',
        ),
        logging: list(logging(bucket, linker), 'logging'),
        logTarget: logTarget(bucket, aclItems, index, linker),
        policies: list(policies(bucket, linker, index), 'policy'),
        versioning: list(versioning(bucket, linker), 'versioning'),
      });
    });
  },
});

// CloudFormation → aws.s3.buckets: every AWS::S3::Bucket with the settings its properties write
// (AccessControl, BucketEncryption, PublicAccessBlockConfiguration, LoggingConfiguration,
// VersioningConfiguration) and the AWS::S3::BucketPolicy resources linked to it.
import { subjectOf } from '../../../core/check.js';
import type { CloudFormationResource } from '../../../core/facts.js';
import type {
  S3Acl,
  S3Bucket,
  S3EncryptionRule,
  S3Logging,
  S3Policy,
  S3PublicAccessBlock,
  S3Versioning,
} from '../../../model/aws/s3.js';
import { type ModelPath, modelObject } from '../../../model/object.js';
import { absent, known, type ListValue, unknown, type Value } from '../../../model/value.js';
import { adapter } from '../../adapter.js';
import { policyFromJson, unknownPolicy } from '../../common/iam-policy-json.js';
import { type FactTree, leafAt, listAt, rawAt, recordAt } from '../../tree.js';
import { cloudformationTree, locateProperty, valueTree } from '../tree.js';
import { CfnBucketLinker, literalName } from './s3-links.js';

/** CloudFormation resource reference pages: the sources of the defaults. */
const CFN = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference';

/** The canned ACL S3 applies when none is set (S3 user guide, "Canned ACL": private is the default). */
const PRIVATE_DEFAULT = {
  value: 'private',
  source:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl (private: "default")',
};

/** A public access block setting left out of `PublicAccessBlockConfiguration` is not enabled. */
const pabDefault = (prop: string) => ({
  value: false,
  source: `https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html (${prop}: optional; blocking applies only when set to TRUE)`,
});

/** `AccessControl` values (CloudFormation) as the canned ACL names of the S3 API. */
const CANNED: Readonly<Record<string, string>> = {
  Private: 'private',
  PublicRead: 'public-read',
  PublicReadWrite: 'public-read-write',
  AuthenticatedRead: 'authenticated-read',
  AwsExecRead: 'aws-exec-read',
  BucketOwnerRead: 'bucket-owner-read',
  BucketOwnerFullControl: 'bucket-owner-full-control',
  LogDeliveryWrite: 'log-delivery-write',
};

interface Linked {
  source: Value<string>;
  applies: Value<boolean>;
}

function inline(bucket: CloudFormationResource): Linked {
  return {
    source: known(bucket.logicalId, 'logical id', bucket.location),
    applies: known(true, 'inline', bucket.location),
  };
}

/** The items of a list Value: an unknown list is one unknown item, an absent list none. */
function spread<T>(list: ListValue<T>): Value<T>[] {
  if (list.state === 'unknown') return [list];
  return list.state === 'known' ? [...list.value] : [];
}

/** `v` mapped through `fn` when known (unknown and absent kept). */
function mapKnown<T>(v: Value<T>, fn: (x: T) => T): Value<T> {
  return v.state === 'known' ? known(fn(v.value), v.name, v.location) : v;
}

function acl(bucket: CloudFormationResource, tree: FactTree): Value<S3Acl> {
  const canned = mapKnown(
    leafAt(tree, 'string', 'AccessControl', [], PRIVATE_DEFAULT),
    (s) => CANNED[s] ?? s,
  );
  return known(
    {
      ...inline(bucket),
      cannedAcl: canned,
      grants: absent('grants', bucket.location, {
        value: [],
        source: `${CFN}/aws-resource-s3-bucket.html (AWS::S3::Bucket has no grant list)`,
      }),
    },
    bucket.logicalId,
    bucket.location,
  );
}

function encryption(bucket: CloudFormationResource, tree: FactTree): Value<S3EncryptionRule>[] {
  return spread(
    listAt(tree, 'BucketEncryption.ServerSideEncryptionConfiguration', [], (p) =>
      recordAt(tree, p, (rp) => ({
        ...inline(bucket),
        algorithm: leafAt(tree, 'string', 'ServerSideEncryptionByDefault.SSEAlgorithm', rp),
        kmsKeyId: leafAt(tree, 'string', 'ServerSideEncryptionByDefault.KMSMasterKeyID', rp),
        bucketKeyEnabled: leafAt(tree, 'bool', 'BucketKeyEnabled', rp),
      })),
    ),
  );
}

function publicAccessBlocks(bucket: CloudFormationResource, tree: FactTree): Value<S3PublicAccessBlock>[] {
  const block = recordAt(
    tree,
    ['PublicAccessBlockConfiguration'],
    (p): S3PublicAccessBlock => ({
      ...inline(bucket),
      level: known('bucket', 'PublicAccessBlockConfiguration', locateProperty(bucket, p)),
      blockPublicAcls: leafAt(tree, 'bool', 'BlockPublicAcls', p, pabDefault('BlockPublicAcls')),
      blockPublicPolicy: leafAt(tree, 'bool', 'BlockPublicPolicy', p, pabDefault('BlockPublicPolicy')),
      ignorePublicAcls: leafAt(tree, 'bool', 'IgnorePublicAcls', p, pabDefault('IgnorePublicAcls')),
      restrictPublicBuckets: leafAt(
        tree,
        'bool',
        'RestrictPublicBuckets',
        p,
        pabDefault('RestrictPublicBuckets'),
      ),
    }),
  );
  return block.state === 'absent' ? [] : [block];
}

function logging(bucket: CloudFormationResource, tree: FactTree): Value<S3Logging>[] {
  const own = literalName(bucket.properties.BucketName);
  const record = recordAt(
    tree,
    ['LoggingConfiguration'],
    (p): S3Logging => ({
      ...inline(bucket),
      targetBucket: leafAt(
        tree,
        'string',
        'DestinationBucketName',
        p,
        own === undefined
          ? undefined
          : {
              value: own,
              source: `${CFN}/aws-properties-s3-bucket-loggingconfiguration.html (DestinationBucketName: by default, logs are stored in the bucket where the LoggingConfiguration property is defined)`,
            },
      ),
      targetPrefix: leafAt(tree, 'string', 'LogFilePrefix', p),
    }),
  );
  return record.state === 'absent' ? [] : [record];
}

/** True when a `DestinationBucketName` value names `bucket`: by reference, or by its literal `BucketName`. */
function names(logger: CloudFormationResource, bucket: CloudFormationResource): boolean {
  const v = (logger.properties.LoggingConfiguration as Record<string, unknown> | undefined)
    ?.DestinationBucketName;
  if (v === undefined) return false;
  const refs = [
    ...(logger.references.LoggingConfiguration ?? []),
    ...(v !== null && typeof v === 'object' && 'refs' in v ? (v as { refs: readonly string[] }).refs : []),
  ];
  if (refs.includes(bucket.logicalId)) return true;
  const name = literalName(bucket.properties.BucketName);
  return name !== undefined && literalName(v) === name;
}

/**
 * Whether the bucket receives server access logs: its `AccessControl` is `LogDeliveryWrite`, its own
 * `LoggingConfiguration` has no `DestinationBucketName` (logs go to the bucket itself), or another
 * bucket of the template logs into it. Known false otherwise.
 */
function logTarget(bucket: CloudFormationResource, tree: FactTree, linker: CfnBucketLinker): Value<boolean> {
  const canned = leafAt(tree, 'string', 'AccessControl');
  if (canned.state === 'known' && canned.value === 'LogDeliveryWrite')
    return known(true, 'AccessControl', canned.location);
  const config = rawAt(tree, 'LoggingConfiguration');
  if (
    config.state === 'present' &&
    rawAt(tree, 'LoggingConfiguration.DestinationBucketName').state === 'absent'
  )
    return known(true, 'LoggingConfiguration', locateProperty(bucket, ['LoggingConfiguration']));
  for (const other of linker.bucketsOf(bucket.template)) {
    if (other !== bucket && names(other, bucket))
      return known(
        true,
        `${other.logicalId}.LoggingConfiguration`,
        locateProperty(other, ['LoggingConfiguration', 'DestinationBucketName']),
      );
  }
  return known(false, 'logTarget', bucket.location);
}

/** The policy document of a bucket policy: a JSON object, or a JSON string (CloudFormation accepts both). */
function policyDocument(policy: CloudFormationResource): S3Policy['document'] {
  const tree = cloudformationTree(policy);
  const node = rawAt(tree, 'PolicyDocument');
  if (node.state === 'unknown') return unknownPolicy(leafAt(tree, 'string', 'PolicyDocument'));
  if (node.state === 'present' && typeof node.value === 'string') {
    const base: ModelPath = ['PolicyDocument'];
    try {
      return policyFromJson(valueTree(policy, JSON.parse(node.value), base), []);
    } catch {
      return unknownPolicy(
        unknown(
          'PolicyDocument is a string that is not JSON',
          'PolicyDocument',
          locateProperty(policy, base),
        ),
      );
    }
  }
  return policyFromJson(tree, ['PolicyDocument']);
}

function policies(bucket: CloudFormationResource, linker: CfnBucketLinker): Value<S3Policy>[] {
  return linker.linksOf(bucket, 'AWS::S3::BucketPolicy').map((l) =>
    known(
      {
        source: known(l.companion.logicalId, 'logical id', l.companion.location),
        applies: l.applies,
        document: policyDocument(l.companion),
      },
      l.companion.logicalId,
      locateProperty(l.companion, ['PolicyDocument']),
    ),
  );
}

function versioning(bucket: CloudFormationResource, tree: FactTree): Value<S3Versioning>[] {
  const record = recordAt(
    tree,
    ['VersioningConfiguration'],
    (p): S3Versioning => ({
      ...inline(bucket),
      enabled: mapKnownBool(leafAt(tree, 'string', 'Status', p)),
      mfaDelete: absent('MfaDelete', locateProperty(bucket, p)),
    }),
  );
  return record.state === 'absent' ? [] : [record];
}

/** `Status: Enabled` as a boolean (`Suspended` is false). */
function mapKnownBool(v: Value<string>): Value<boolean> {
  if (v.state === 'known') return known(v.value === 'Enabled', v.name, v.location);
  if (v.state === 'unknown') return v;
  return absent(v.name, v.location);
}

/** CloudFormation adapter of `aws.s3.buckets`. */
export const cloudformationS3Buckets = adapter({
  id: 'cloudformation/aws/s3',
  concern: 'aws.s3.buckets',
  facts: 'cloudformation',
  reads: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
  sources: [
    { field: 'name', from: 'BucketName' },
    { field: 'acls', from: "the bucket's `AccessControl` (AWS::S3::Bucket has no grant list)" },
    {
      field: 'acls.cannedAcl',
      from: 'AccessControl (PublicRead → public-read, ...)',
      default: PRIVATE_DEFAULT,
    },
    { field: 'encryption', from: 'BucketEncryption.ServerSideEncryptionConfiguration' },
    {
      field: 'encryption.algorithm',
      from: 'ServerSideEncryptionConfiguration.*.ServerSideEncryptionByDefault.SSEAlgorithm',
    },
    { field: 'publicAccessBlocks', from: 'PublicAccessBlockConfiguration (bucket level)' },
    {
      field: 'publicAccessBlocks.blockPublicAcls',
      from: 'PublicAccessBlockConfiguration.BlockPublicAcls',
      default: pabDefault('BlockPublicAcls'),
    },
    { field: 'logging', from: 'LoggingConfiguration (DestinationBucketName defaults to the bucket itself)' },
    {
      field: 'logTarget',
      from: 'computed: AccessControl LogDeliveryWrite, a LoggingConfiguration without destination, or another bucket logging into it',
    },
    {
      field: 'policies',
      from: 'each AWS::S3::BucketPolicy whose Bucket names the bucket (PolicyDocument object or JSON string)',
    },
    { field: 'versioning', from: 'VersioningConfiguration.Status = Enabled' },
  ],
  adapt(facts, ctx) {
    const linker = new CfnBucketLinker(facts.cloudformation, (d) => ctx.report(d));
    return linker.buckets().map((bucket): S3Bucket => {
      const tree = cloudformationTree(bucket);
      const list = <T>(items: Value<T>[], name: string): ListValue<T> => known(items, name, bucket.location);
      return modelObject(subjectOf(bucket), {
        name: leafAt(tree, 'string', 'BucketName'),
        acls: list([acl(bucket, tree)], 'AccessControl'),
        encryption: list(encryption(bucket, tree), 'BucketEncryption'),
        publicAccessBlocks: list(publicAccessBlocks(bucket, tree), 'PublicAccessBlockConfiguration'),
        logging: list(logging(bucket, tree), 'LoggingConfiguration'),
        logTarget: logTarget(bucket, tree, linker),
        policies: list(policies(bucket, linker), 'AWS::S3::BucketPolicy'),
        versioning: list(versioning(bucket, tree), 'VersioningConfiguration'),
      });
    });
  },
});

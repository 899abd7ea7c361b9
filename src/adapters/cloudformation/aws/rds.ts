import { rdsClusters, rdsInstances } from '../../../model/aws/rds.js';
import { absent, known, unknown } from '../../../model/value.js';
import type { Computed } from '../../field-map.js';
import { leafAt, rawAt } from '../../tree.js';
import { cloudformationFieldMapAdapter } from '../field-map-adapter.js';

const DOC = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference';
const API = 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference';

/**
 * `PubliclyAccessible` left out: the RDS API (CreateDBInstance, PubliclyAccessible) makes the instance
 * public or private depending on whether the VPC of its subnets (or the default VPC) has an internet
 * gateway, which a template does not show. Unlike the Terraform provider (default false), the value is
 * therefore unknown, not false.
 */
const publiclyAccessible: Computed<ReturnType<typeof leafAt<'bool'>>> = {
  doc: 'PubliclyAccessible; left out: unknown (public when the VPC has an internet gateway, CreateDBInstance)',
  compute: (tree, base) => {
    const v = leafAt(tree, 'bool', 'PubliclyAccessible', base);
    if (v.state !== 'absent') return v;
    return unknown(
      `PubliclyAccessible is not set: RDS then makes the instance public when its VPC has an internet gateway (${API}/API_CreateDBInstance.html), which the template does not show`,
      v.name,
      v.location,
    );
  },
};

/** True when the instance is created by a point-in-time restore (`RestoreTime` or `UseLatestRestorableTime: true`). */
const restoreToPointInTime: Computed<ReturnType<typeof leafAt<'bool'>>> = {
  doc: 'RestoreTime set, or UseLatestRestorableTime true',
  compute: (tree, base) => {
    const time = rawAt(tree, 'RestoreTime', base);
    const latest = leafAt(tree, 'bool', 'UseLatestRestorableTime', base);
    const name = tree.name([...base, 'RestoreTime']);
    if (time.state === 'present') return known(true, name, tree.locate(time.path));
    if (latest.state === 'known' && latest.value) return latest;
    if (time.state === 'unknown') return unknown(time.unresolved, name, tree.locate(time.path));
    if (latest.state === 'unknown') return latest;
    return absent<boolean>(name, tree.locate(base));
  },
};

/** CloudFormation adapter of `aws.rds.instances`: `AWS::RDS::DBInstance`. */
export const cloudformationRdsInstances = cloudformationFieldMapAdapter({
  id: 'cloudformation/aws/rds-instances',
  concern: 'aws.rds.instances',
  schema: rdsInstances,
  resourceTypes: ['AWS::RDS::DBInstance'],
  fields: {
    storageEncrypted: {
      path: 'StorageEncrypted',
      default: {
        value: false,
        source: `${API}/API_CreateDBInstance.html (StorageEncrypted: "Default: false")`,
      },
    },
    kmsKeyId: 'KmsKeyId',
    backupRetentionPeriod: {
      path: 'BackupRetentionPeriod',
      default: {
        value: 1,
        source: `${DOC}/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-backupretentionperiod ("Default: 1")`,
      },
    },
    snapshotIdentifier: 'DBSnapshotIdentifier',
    engine: 'Engine',
    publiclyAccessible,
    clusterIdentifier: 'DBClusterIdentifier',
    replicateSourceDb: 'SourceDBInstanceIdentifier',
    restoreToPointInTime,
  },
});

/** CloudFormation adapter of `aws.rds.clusters`: `AWS::RDS::DBCluster`. */
export const cloudformationRdsClusters = cloudformationFieldMapAdapter({
  id: 'cloudformation/aws/rds-clusters',
  concern: 'aws.rds.clusters',
  schema: rdsClusters,
  resourceTypes: ['AWS::RDS::DBCluster'],
  fields: {
    storageEncrypted: {
      doc: 'StorageEncrypted (default false; always true for EngineMode serverless)',
      compute: (tree, base) => {
        const v = leafAt(tree, 'bool', 'StorageEncrypted', base);
        if (v.state !== 'absent') return v;
        const mode = leafAt(tree, 'string', 'EngineMode', base);
        if (mode.state === 'unknown') return mode;
        const serverless = mode.state === 'known' && mode.value === 'serverless';
        return leafAt(tree, 'bool', 'StorageEncrypted', base, {
          value: serverless,
          source: `${DOC}/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-storageencrypted ("If you don't specify a value, the default is false"; DB clusters in serverless EngineMode are always encrypted)`,
        });
      },
    },
    kmsKeyId: 'KmsKeyId',
    backupRetentionPeriod: {
      path: 'BackupRetentionPeriod',
      default: {
        value: 1,
        source: `${DOC}/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-backupretentionperiod ("Default: 1")`,
      },
    },
    snapshotIdentifier: 'SnapshotIdentifier',
    engine: 'Engine',
    engineMode: {
      path: 'EngineMode',
      default: {
        value: 'provisioned',
        source: `${DOC}/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-enginemode ("The default is provisioned")`,
      },
    },
    replicationSourceIdentifier: 'ReplicationSourceIdentifier',
  },
});

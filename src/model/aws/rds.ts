import { concern, field, type ModelObjectOf } from '../schema.js';

const common = {
  storageEncrypted: field.bool('Storage encryption at rest (`storage_encrypted`).'),
  kmsKeyId: field.string('KMS key of the storage encryption.'),
  backupRetentionPeriod: field.number('Days automated backups are kept (0 disables them).', 'days'),
  snapshotIdentifier: field.string('The snapshot the database is restored from.'),
  engine: field.string('Database engine: `mysql`, `postgres`, `aurora-postgresql`, ...'),
};

/** `aws.rds.instances`: RDS DB instances, standalone or members of a cluster. */
export const rdsInstances = concern({
  id: 'aws.rds.instances',
  title: 'RDS DB instances',
  description:
    'One object per DB instance: Terraform `aws_db_instance` and `aws_rds_cluster_instance` (a cluster member: `clusterIdentifier` is set, and the cluster governs storage encryption and backups).',
  fields: {
    ...common,
    publiclyAccessible: field.bool('The instance has a public endpoint (`publicly_accessible`).'),
    clusterIdentifier: field.string('The Aurora cluster the instance belongs to.'),
    replicateSourceDb: field.string('The source database of a read replica.'),
    restoreToPointInTime: field.bool('The instance is created by a point-in-time restore.'),
  },
});

/** `aws.rds.clusters`: RDS and Aurora DB clusters. */
export const rdsClusters = concern({
  id: 'aws.rds.clusters',
  title: 'RDS and Aurora DB clusters',
  description: 'One object per DB cluster (Terraform `aws_rds_cluster`).',
  fields: {
    ...common,
    engineMode: field.string('`provisioned`, `serverless`, `parallelquery`, `global`, `multimaster`.'),
    replicationSourceIdentifier: field.string('The source of a cross-Region read replica cluster.'),
  },
});

/** One DB instance of the model. */
export type RdsInstance = ModelObjectOf<typeof rdsInstances>;
/** One DB cluster of the model. */
export type RdsCluster = ModelObjectOf<typeof rdsClusters>;

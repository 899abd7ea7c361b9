import { rdsClusters, rdsInstances } from '../../../model/aws/rds.js';
import { absent, known, unknown } from '../../../model/value.js';
import type { Computed } from '../../field-map.js';
import { leafAt, rawAt } from '../../tree.js';
import { terraformFieldMapAdapter } from '../field-map-adapter.js';

const DOC = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources';

/** True when the block list at `path` has a block (`restore_to_point_in_time { ... }`); absent otherwise. */
const hasBlock = (path: string): Computed<ReturnType<typeof leafAt<'bool'>>> => ({
  doc: `${path} block present`,
  compute: (tree, base) => {
    const node = rawAt(tree, path, base);
    const name = tree.name(node.path);
    if (node.state === 'unknown') return unknown(node.unresolved, name, tree.locate(node.path));
    const present = node.state === 'present' && (!Array.isArray(node.value) || node.value.length > 0);
    return present
      ? known(true, name, tree.locate(node.path))
      : absent<boolean>(name, tree.locate(node.path));
  },
});

/** Terraform adapter of `aws.rds.instances`: `aws_db_instance` and `aws_rds_cluster_instance`. */
export const terraformRdsInstances = terraformFieldMapAdapter({
  id: 'terraform/aws/rds-instances',
  concern: 'aws.rds.instances',
  schema: rdsInstances,
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  fields: {
    storageEncrypted: {
      path: 'storage_encrypted',
      default: {
        value: false,
        source: `${DOC}/db_instance#storage_encrypted-1 ("The default is false if not specified")`,
      },
    },
    kmsKeyId: 'kms_key_id',
    backupRetentionPeriod: 'backup_retention_period',
    snapshotIdentifier: 'snapshot_identifier',
    engine: 'engine',
    publiclyAccessible: {
      path: 'publicly_accessible',
      default: { value: false, source: `${DOC}/db_instance#publicly_accessible-1 ("Default is false")` },
    },
    clusterIdentifier: 'cluster_identifier',
    replicateSourceDb: 'replicate_source_db',
    restoreToPointInTime: hasBlock('restore_to_point_in_time'),
  },
});

const CLUSTER_DOC = `${DOC}/rds_cluster`;

/** Terraform adapter of `aws.rds.clusters`: `aws_rds_cluster`. */
export const terraformRdsClusters = terraformFieldMapAdapter({
  id: 'terraform/aws/rds-clusters',
  concern: 'aws.rds.clusters',
  schema: rdsClusters,
  resourceTypes: ['aws_rds_cluster'],
  fields: {
    storageEncrypted: {
      doc: 'storage_encrypted (default false, true for engine_mode "serverless")',
      compute: (tree, base) => {
        const mode = leafAt(tree, 'string', 'engine_mode', base);
        const source = `${CLUSTER_DOC}#storage_encrypted-1 ("The default is false for provisioned engine_mode and true for serverless engine_mode")`;
        const v = leafAt(tree, 'bool', 'storage_encrypted', base);
        if (v.state !== 'absent') return v;
        if (mode.state === 'unknown') return mode;
        const serverless = mode.state === 'known' && mode.value === 'serverless';
        return leafAt(tree, 'bool', 'storage_encrypted', base, { value: serverless, source });
      },
    },
    kmsKeyId: 'kms_key_id',
    backupRetentionPeriod: {
      path: 'backup_retention_period',
      default: { value: 1, source: `${CLUSTER_DOC}#backup_retention_period-1 ("Default: 1")` },
    },
    snapshotIdentifier: 'snapshot_identifier',
    engine: 'engine',
    engineMode: {
      path: 'engine_mode',
      default: { value: 'provisioned', source: `${CLUSTER_DOC}#engine_mode-1 ("Defaults to: provisioned")` },
    },
    replicationSourceIdentifier: 'replication_source_identifier',
  },
});

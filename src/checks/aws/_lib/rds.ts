import type { RdsInstance } from '../../../model/aws/rds.js';
import type { Value } from '../../../model/value.js';

/** True when a string Value is set: known and not blank, or not known statically. */
export function isSet(v: Value<string>): boolean {
  return v.state === 'unknown' || (v.state === 'known' && v.value.trim() !== '');
}

/**
 * True when a DB instance is a member of an Aurora cluster (`cluster_identifier` set, resolved or not;
 * every `aws_rds_cluster_instance`): storage encryption and backups are then governed by the cluster.
 */
export function isClusterMember(db: RdsInstance): boolean {
  return isSet(db.clusterIdentifier);
}

/** True when a DB instance is a read replica (`replicate_source_db` set, resolved or not). */
export function isReplica(db: RdsInstance): boolean {
  return isSet(db.replicateSourceDb);
}

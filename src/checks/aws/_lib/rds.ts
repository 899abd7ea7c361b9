import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';

/**
 * True when an `aws_db_instance` is a member of an Aurora cluster (`cluster_identifier` set,
 * resolved or not): storage encryption and backups are then governed by the `aws_rds_cluster`.
 */
export function isClusterMember(db: TerraformResource): boolean {
  const v = db.attributes.cluster_identifier;
  return v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && v.trim() === '');
}

/** True when an `aws_db_instance` is a read replica (`replicate_source_db` set, resolved or not). */
export function isReplica(db: TerraformResource): boolean {
  const v = db.attributes.replicate_source_db;
  return isUnresolved(v) || (typeof v === 'string' && v !== '');
}

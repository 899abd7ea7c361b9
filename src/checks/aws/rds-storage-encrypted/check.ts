import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { boolAttr, resourcesOf, result, stringAttr, type Verdict } from '../../_lib/terraform-values.js';
import { isClusterMember, isReplica } from '../_lib/rds.js';

/**
 * Storage encryption of an `aws_db_instance` or `aws_rds_cluster`. Defaults: false, except clusters
 * with `engine_mode = "serverless"` (always encrypted). Replicas and snapshot restores without an
 * explicit setting inherit from their source, which is not observable here: unknown.
 */
function judge(db: TerraformResource): Verdict {
  const mode = stringAttr(db.attributes, 'engine_mode');
  const serverless = db.type === 'aws_rds_cluster' && mode === 'serverless';
  const v = boolAttr(db.attributes, 'storage_encrypted', serverless);
  if (v.state === 'unresolved') {
    return {
      outcome: 'unknown',
      message: `storage_encrypted is not known statically (${v.value.reason})`,
      path: 'storage_encrypted',
    };
  }
  if (v.state === 'invalid')
    return { outcome: 'fail', message: 'storage_encrypted is not a boolean', path: 'storage_encrypted' };
  if (v.value) {
    return {
      outcome: 'pass',
      message: v.explicit ? 'storage_encrypted = true' : 'serverless clusters are always encrypted',
      path: 'storage_encrypted',
    };
  }
  if (!v.explicit) {
    const kms = stringAttr(db.attributes, 'kms_key_id');
    if (db.type === 'aws_db_instance' && isReplica(db) && isUnresolved(kms)) {
      // It may be null, and then the replica inherits the source's encryption.
      return {
        outcome: 'unknown',
        message: `kms_key_id is not known statically (${kms.reason}) and storage_encrypted is not set: whether the replica is encrypted is unknown`,
        path: 'kms_key_id',
      };
    }
    if (db.type === 'aws_db_instance' && isReplica(db) && kms) {
      return { outcome: 'pass', message: 'the replica is encrypted with kms_key_id', path: 'kms_key_id' };
    }
    for (const inherit of ['replicate_source_db', 'snapshot_identifier', 'restore_to_point_in_time']) {
      const s = db.attributes[inherit];
      if (s !== undefined && s !== null && s !== '' && !(Array.isArray(s) && s.length === 0)) {
        return {
          outcome: 'unknown',
          message: `storage_encrypted is not set and ${inherit} is: encryption is inherited from the source, which is not observable here`,
          path: inherit,
        };
      }
    }
  }
  return {
    outcome: 'fail',
    message: v.explicit ? 'storage_encrypted = false' : 'storage_encrypted is not set (defaults to false)',
    path: v.explicit ? 'storage_encrypted' : undefined,
  };
}

/** RDS instances and Aurora/RDS clusters encrypt their storage. */
export const check: CheckDefinition = {
  id: 'aws.rds-storage-encrypted',
  title: 'RDS databases encrypt storage at rest',
  severity: 'high',
  rationale:
    'Unencrypted RDS storage leaves the data files, automated backups, read replicas and snapshots readable to anyone who obtains the underlying storage or a shared snapshot; encryption can only be chosen at creation time.',
  remediation:
    'Set `storage_encrypted = true` (and preferably `kms_key_id = aws_kms_key.<name>.arn`) on `aws_db_instance` and `aws_rds_cluster`. Existing unencrypted databases must be migrated via an encrypted snapshot copy.',
  input: 'terraform',
  adversarial: {
    'provider-default': ['fail-instance-default.tf'],
    unresolvable: ['unknown-count-from-variable.tf', 'unknown-replica-kms-variable.tf'],
    linking: ['pass-aurora-cluster-and-members.tf', 'unknown-maybe-cluster-member-unknown.tf'],
    indirection: ['unknown-replica-inherits.tf'],
  },
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: [
    'cloud/aws/rds/encrypt_instance_storage_data',
    'cloud/aws/rds/encrypt_cluster_storage_data',
  ],
  references: [
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#storage_encrypted',
  ],
  evaluate(facts) {
    const out: CheckResult[] = [];
    for (const db of resourcesOf(facts.terraform, ['aws_db_instance', 'aws_rds_cluster'])) {
      const member = db.attributes.cluster_identifier;
      if (db.type === 'aws_db_instance' && isUnresolved(member)) {
        // It may be null (a standalone instance): judge it, but a fail only means unknown.
        const v = judge(db);
        out.push(
          result(
            db,
            v.outcome === 'fail'
              ? {
                  outcome: 'unknown',
                  message: `cluster_identifier is not known statically (${member.reason}): if null, ${v.message}; if set, the cluster governs encryption`,
                  path: 'cluster_identifier',
                }
              : v,
          ),
        );
        continue;
      }
      if (db.type === 'aws_db_instance' && isClusterMember(db)) continue; // governed by the cluster
      out.push(result(db, judge(db)));
    }
    return out;
  },
};

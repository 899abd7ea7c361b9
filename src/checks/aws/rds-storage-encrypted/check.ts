import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import { type Messages, renderVerdict, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { RdsCluster, RdsInstance } from '../../../model/aws/rds.js';
import type { Value } from '../../../model/value.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { unknownVerdict } from '../../_lib/model-verdicts.js';
import { isClusterMember, isReplica, isSet } from '../_lib/rds.js';

const MESSAGES: Messages = {
  encrypted: 'storage_encrypted = true',
  'serverless-default': 'serverless clusters are always encrypted',
  'not-boolean': 'storage_encrypted is not a boolean',
  'replica-kms-unknown':
    'kms_key_id is not known statically ({{reason}}) and storage_encrypted is not set: whether the replica is encrypted is unknown',
  'replica-kms': 'the replica is encrypted with kms_key_id',
  inherited:
    'storage_encrypted is not set and {{inherit}} is: encryption is inherited from the source, which is not observable here',
  'not-encrypted': 'storage_encrypted = false',
  'not-set': 'storage_encrypted is not set (defaults to false)',
  'member-unknown':
    'cluster_identifier is not known statically ({{reason}}): if null, {{message}}; if set, the cluster governs encryption',
};

/**
 * Storage encryption of a DB instance or cluster. Defaults: false, except clusters with
 * `engine_mode = "serverless"` (always encrypted; the adapter records that default). Replicas and
 * snapshot restores without an explicit setting inherit from their source, which is not observable
 * here: unknown.
 */
function judge(db: RdsInstance | RdsCluster, instance: RdsInstance | undefined): Verdict {
  const v = db.storageEncrypted;
  const at = { location: v.location };
  if (v.state === 'unknown')
    return 'invalid' in v ? verdict('fail', 'not-boolean', undefined, at) : unknownVerdict(v);
  if (v.state === 'known')
    return verdict(v.value ? 'pass' : 'fail', v.value ? 'encrypted' : 'not-encrypted', undefined, at);
  if (v.default?.value) return verdict('pass', 'serverless-default');
  if (instance && isReplica(instance)) {
    const kms = instance.kmsKeyId;
    // It may be null, and then the replica inherits the source's encryption.
    if (kms.state === 'unknown')
      return verdict(
        'unknown',
        'replica-kms-unknown',
        { reason: kms.unresolved.reason },
        { location: kms.location },
      );
    if (kms.state === 'known' && kms.value !== '')
      return verdict('pass', 'replica-kms', undefined, { location: kms.location });
  }
  const inherits: [string, boolean, Value<unknown>][] = [
    ...(instance
      ? [
          ['replicate_source_db', isSet(instance.replicateSourceDb), instance.replicateSourceDb] as [
            string,
            boolean,
            Value<unknown>,
          ],
        ]
      : []),
    ['snapshot_identifier', isSet(db.snapshotIdentifier), db.snapshotIdentifier],
    ...(instance
      ? [
          [
            'restore_to_point_in_time',
            instance.restoreToPointInTime.state !== 'absent',
            instance.restoreToPointInTime,
          ] as [string, boolean, Value<unknown>],
        ]
      : []),
  ];
  const inherit = inherits.find(([, set]) => set);
  if (inherit)
    return verdict('unknown', 'inherited', { inherit: inherit[0] }, { location: inherit[2].location });
  return verdict('fail', 'not-set');
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
  concerns: ['aws.rds.instances', 'aws.rds.clusters'],
  messages: MESSAGES,
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
  evaluate(_facts, ctx) {
    const out: CheckResult[] = [];
    for (const db of ctx.model.get('aws.rds.instances')) {
      // aws_rds_cluster_instance is always a cluster member: the cluster governs (other members, such as
      // an AWS::RDS::DBInstance with DBClusterIdentifier, are recognised by isClusterMember)
      if (db.subject.type === 'aws_rds_cluster_instance') continue;
      const member = db.clusterIdentifier;
      if (member.state === 'unknown') {
        // It may be null (a standalone instance): judge it, but a fail only means unknown.
        const v = judge(db, db);
        out.push(
          toResult(
            db,
            v.outcome === 'fail'
              ? verdict(
                  'unknown',
                  'member-unknown',
                  { reason: member.unresolved.reason, message: renderPart(v) },
                  { location: member.location },
                )
              : v,
            MESSAGES,
          ),
        );
        continue;
      }
      if (isClusterMember(db)) continue; // governed by the cluster
      out.push(toResult(db, judge(db, db), MESSAGES));
    }
    for (const cluster of ctx.model.get('aws.rds.clusters'))
      out.push(toResult(cluster, judge(cluster, undefined), MESSAGES));
    return out;
  },
};

function renderPart(v: Verdict): string {
  return renderVerdict(v, MESSAGES);
}

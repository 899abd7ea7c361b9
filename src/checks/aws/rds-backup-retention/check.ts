import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import { type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { RdsCluster, RdsInstance } from '../../../model/aws/rds.js';
import { unknownVerdict } from '../../_lib/model-verdicts.js';
import { isClusterMember, isReplica } from '../_lib/rds.js';

const MESSAGES: Messages = {
  'maybe-standalone':
    '{{key}} is not known statically ({{reason}}): if it is null this standalone instance keeps backups for fewer than {{min}} days; if set, the {{governor}} governs backups',
  'not-set': 'backup_retention_period is not set (the API default keeps backups for 1 day)',
  short: 'backup_retention_period = {{days}} day(s), below {{min}}',
  kept: 'backup_retention_period = {{days}} days',
  rejected:
    'backup_retention_period = {{days}} is not a whole number of days from 0 to {{max}}: AWS rejects this configuration',
};

/** Minimum automated-backup retention in days (trivy rds/specify_backup_retention treats 1 day as too short). */
export const MIN_RETENTION_DAYS = 2;

/** Longest retention the RDS API accepts (CreateDBInstance / CreateDBCluster BackupRetentionPeriod). */
export const MAX_RETENTION_DAYS = 35;

/** RDS instances and clusters keep automated backups for at least {@link MIN_RETENTION_DAYS} days. */
export const check: CheckDefinition = {
  id: 'aws.rds-backup-retention',
  title: 'RDS databases keep automated backups for at least 2 days',
  severity: 'medium',
  rationale:
    'Automated backups and point-in-time recovery are only available within the retention window; the API default of 1 day (0 disables backups) leaves almost no time to notice corruption or deletion and restore.',
  remediation:
    'Set `backup_retention_period` to at least 2 (7 or more for production; up to 35) on `aws_db_instance` and `aws_rds_cluster`, and a `preferred_backup_window` outside peak hours.',
  input: 'terraform',
  concerns: ['aws.rds.instances', 'aws.rds.clusters'],
  messages: MESSAGES,
  adversarial: {
    'invalid-input': ['unknown-retention-above-api-maximum.tf'],
    unresolvable: ['unknown-maybe-replica-unknown.tf'],
    coverage: ['pass-cluster-and-replica.tf'],
    'provider-default': ['fail-cluster-unset.tf'],
  },
  mappings: {
    soc2: ['A1.2', 'CC9.1'],
    'iso27001-2022': ['A.8.13'],
    hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
    gdpr: ['Art.32(1)(c)'],
  },
  trivyEquivalents: ['cloud/aws/rds/specify_backup_retention'],
  references: [
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html#USER_WorkingWithAutomatedBackups.BackupRetention',
  ],
  evaluate(_facts, ctx) {
    const out: CheckResult[] = [];
    const judge = (db: RdsInstance | RdsCluster, instance: RdsInstance | undefined): Verdict | undefined => {
      // A member or replica whose source/cluster is not known statically may be neither (null):
      // judge it, but a fail then only means unknown.
      const maybe = instance
        ? (
            [
              ['cluster_identifier', instance.clusterIdentifier],
              ['replicate_source_db', instance.replicateSourceDb],
            ] as const
          ).find(([, v]) => v.state === 'unknown')
        : undefined;
      if (instance && !maybe && (isClusterMember(instance) || isReplica(instance))) return undefined;
      const days = db.backupRetentionPeriod;
      const at = { location: days.location };
      const invalid = days.state === 'unknown' && 'invalid' in days;
      if (days.state === 'unknown' && !invalid) return unknownVerdict(days);
      const short =
        days.state === 'absent' || invalid || (days.state === 'known' && days.value < MIN_RETENTION_DAYS);
      if (maybe && short) {
        const [key, v] = maybe;
        return verdict(
          'unknown',
          'maybe-standalone',
          {
            key,
            reason: v.state === 'unknown' ? v.unresolved.reason : '',
            min: MIN_RETENTION_DAYS,
            governor: key === 'cluster_identifier' ? 'cluster' : 'source',
          },
          { location: v.location },
        );
      }
      if (days.state === 'absent') return verdict('fail', 'not-set');
      if (days.state === 'unknown') return unknownVerdict(days);
      if (days.value > MAX_RETENTION_DAYS || !Number.isInteger(days.value))
        // The RDS API rejects it (BackupRetentionPeriod is a whole number from 0 to 35): an invalid
        // configuration is never a pass.
        return verdict('unknown', 'rejected', { days: days.value, max: MAX_RETENTION_DAYS }, at);
      if (days.value < MIN_RETENTION_DAYS)
        return verdict('fail', 'short', { days: days.value, min: MIN_RETENTION_DAYS }, at);
      return verdict('pass', 'kept', { days: days.value }, at);
    };
    for (const db of ctx.model.get('aws.rds.instances')) {
      // aws_rds_cluster_instance is always a cluster member: the cluster governs (other members, such as
      // an AWS::RDS::DBInstance with DBClusterIdentifier, are recognised by isClusterMember)
      if (db.subject.type === 'aws_rds_cluster_instance') continue;
      const v = judge(db, db);
      if (v) out.push(toResult(db, v, MESSAGES));
    }
    for (const c of ctx.model.get('aws.rds.clusters')) {
      const v = judge(c, undefined);
      if (v) out.push(toResult(c, v, MESSAGES));
    }
    return out;
  },
};

import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import { isUnresolved, type Unresolved } from '../../../core/unresolved.js';
import { numberAttr, resourcesOf, result } from '../../_lib/terraform-values.js';
import { isClusterMember, isReplica } from '../_lib/rds.js';

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
  evaluate(facts) {
    const out: CheckResult[] = [];
    for (const db of resourcesOf(facts.terraform, ['aws_db_instance', 'aws_rds_cluster'])) {
      // A member or replica whose source/cluster is not known statically may be neither (null):
      // judge it, but a fail then only means unknown.
      const maybe =
        db.type === 'aws_db_instance'
          ? (['cluster_identifier', 'replicate_source_db'] as const).find((k) =>
              isUnresolved(db.attributes[k]),
            )
          : undefined;
      if (db.type === 'aws_db_instance' && !maybe && (isClusterMember(db) || isReplica(db))) continue;
      const days = numberAttr(db.attributes, 'backup_retention_period');
      const path = 'backup_retention_period';
      if (isUnresolved(days)) {
        out.push(
          result(db, {
            outcome: 'unknown',
            message: `backup_retention_period is not known statically (${days.reason})`,
            path,
          }),
        );
      } else if (maybe && (days === undefined || Number.isNaN(days) || days < MIN_RETENTION_DAYS)) {
        const u = db.attributes[maybe] as Unresolved;
        out.push(
          result(db, {
            outcome: 'unknown',
            message: `${maybe} is not known statically (${u.reason}): if it is null this standalone instance keeps backups for fewer than ${MIN_RETENTION_DAYS} days; if set, the ${maybe === 'cluster_identifier' ? 'cluster' : 'source'} governs backups`,
            path: maybe,
          }),
        );
      } else if (days === undefined) {
        out.push(
          result(db, {
            outcome: 'fail',
            message: 'backup_retention_period is not set (the API default keeps backups for 1 day)',
          }),
        );
      } else if (Number.isNaN(days)) {
        out.push(
          result(db, { outcome: 'unknown', message: 'backup_retention_period is not a number', path }),
        );
      } else if (days > MAX_RETENTION_DAYS || !Number.isInteger(days)) {
        // The RDS API rejects it (BackupRetentionPeriod is a whole number from 0 to 35): an invalid
        // configuration is never a pass.
        out.push(
          result(db, {
            outcome: 'unknown',
            message: `backup_retention_period = ${days} is not a whole number of days from 0 to ${MAX_RETENTION_DAYS}: AWS rejects this configuration`,
            path,
          }),
        );
      } else if (days < MIN_RETENTION_DAYS) {
        out.push(
          result(db, {
            outcome: 'fail',
            message: `backup_retention_period = ${days} day(s), below ${MIN_RETENTION_DAYS}`,
            path,
          }),
        );
      } else {
        out.push(result(db, { outcome: 'pass', message: `backup_retention_period = ${days} days`, path }));
      }
    }
    return out;
  },
};

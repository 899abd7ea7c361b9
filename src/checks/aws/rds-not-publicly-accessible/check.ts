import type { CheckDefinition } from '../../../core/check.js';
import { boolAttr, resourcesOf, result } from '../../_lib/terraform-values.js';

/** RDS instances (and Aurora cluster instances) are not reachable from the internet. */
export const check: CheckDefinition = {
  id: 'aws.rds-not-publicly-accessible',
  title: 'RDS instances are not publicly accessible',
  severity: 'high',
  rationale:
    'With publicly_accessible = true the database gets a public DNS name and IP, so only its security group and password stand between the internet and the data.',
  remediation:
    'Set `publicly_accessible = false` (the default) on `aws_db_instance` / `aws_rds_cluster_instance`, place the database in private subnets (`db_subnet_group_name`), and reach it through a VPN, bastion or private link.',
  input: 'terraform',
  adversarial: {
    'equivalent-values': ['fail-number-semantics.tf'],
    spelling: ['fail-public-string-true.tf'],
    unresolvable: ['unknown-workspace-dependent.tf'],
    'provider-default': ['pass-private-default.tf'],
    coverage: ['fail-cluster-instance-public.tf'],
  },
  mappings: {
    soc2: ['CC6.1', 'CC6.6'],
    'iso27001-2022': ['A.8.3', 'A.8.20', 'A.8.22'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
  },
  trivyEquivalents: ['cloud/aws/rds/disable_public_access'],
  references: [
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#publicly_accessible',
  ],
  evaluate(facts) {
    return resourcesOf(facts.terraform, ['aws_db_instance', 'aws_rds_cluster_instance']).map((db) => {
      const v = boolAttr(db.attributes, 'publicly_accessible', false);
      if (v.state === 'unresolved') {
        return result(db, {
          outcome: 'unknown',
          message: `publicly_accessible is not known statically (${v.value.reason})`,
          path: 'publicly_accessible',
        });
      }
      if (v.state === 'invalid') {
        return result(db, {
          outcome: 'unknown',
          message: 'publicly_accessible is not a boolean',
          path: 'publicly_accessible',
        });
      }
      return result(
        db,
        v.value
          ? {
              outcome: 'fail',
              message: 'publicly_accessible = true: the database has a public endpoint',
              path: 'publicly_accessible',
            }
          : {
              outcome: 'pass',
              message: v.explicit
                ? 'publicly_accessible = false'
                : 'publicly_accessible is not set (defaults to false)',
            },
      );
    });
  },
};

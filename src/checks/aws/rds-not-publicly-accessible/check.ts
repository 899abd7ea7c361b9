import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, toResult, verdict } from '../../../core/verdict.js';
import { unknownVerdict } from '../../_lib/model-verdicts.js';

const MESSAGES: Messages = {
  public: 'publicly_accessible = true: the database has a public endpoint',
  private: 'publicly_accessible = false',
  'private-default': 'publicly_accessible is not set (defaults to false)',
};

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
  concerns: ['aws.rds.instances'],
  messages: MESSAGES,
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
  evaluate(_facts, ctx) {
    return ctx.model.get('aws.rds.instances').map((db) => {
      const v = db.publiclyAccessible;
      const at = { location: v.location };
      const judged =
        v.state === 'unknown'
          ? unknownVerdict(v)
          : v.state === 'known' && v.value
            ? verdict('fail', 'public', undefined, at)
            : verdict('pass', v.state === 'known' ? 'private' : 'private-default');
      return toResult(db, judged, MESSAGES);
    });
  },
};

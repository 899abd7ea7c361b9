import type { CheckDefinition } from '../../../core/check.js';
import { evaluatePublicAccessFlag } from '../_lib/public-access-block.js';

/** S3 buckets have a public access block with `block_public_acls = true` (bucket level or account level). */
export const check: CheckDefinition = {
  id: 'aws.s3-block-public-acls',
  title: 'S3 buckets block new public ACLs',
  severity: 'high',
  rationale:
    'With block_public_acls, S3 rejects requests that would add a public ACL to the bucket or its objects, so a mistaken PutObjectAcl cannot publish data.',
  remediation:
    'Add `resource "aws_s3_bucket_public_access_block" "<name>" { bucket = aws_s3_bucket.<name>.id  block_public_acls = true }` (set all four of block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets), or an account-wide `aws_s3_account_public_access_block`.',
  input: 'terraform',
  mappings: {
    soc2: ['CC6.1', 'CC6.6', 'C1.1'],
    'iso27001-2022': ['A.5.15', 'A.8.3', 'A.8.12'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
  },
  trivyEquivalents: ['cloud/aws/s3/block_public_acls', 'cloud/aws/s3/specify_public_access_block'],
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block',
  ],
  evaluate(_facts, ctx) {
    return evaluatePublicAccessFlag(ctx, 'block_public_acls');
  },
};

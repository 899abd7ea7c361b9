import type { CheckDefinition } from '../../../core/check.js';
import { publicAccessFlagCheck } from '../_lib/public-access-block.js';

/** S3 buckets have a public access block with `block_public_acls = true` (bucket level or account level). */
export const check: CheckDefinition = publicAccessFlagCheck('blockPublicAcls', {
  id: 'aws.s3-block-public-acls',
  adversarial: {
    linking: [
      'fail-companion-for-other-instance.tf',
      'unknown-conditional-companion.tf',
      'pass-for-each-companions.tf',
      'unknown-companion-instance.tf',
    ],
    unresolvable: ['unknown-flag-from-variable.tf'],
    'provider-default': ['fail-no-block.tf', 'pass-account-level-block.tf'],
  },
  title: 'S3 buckets block new public ACLs',
  rationale:
    'With block_public_acls, S3 rejects requests that would add a public ACL to the bucket or its objects, so a mistaken PutObjectAcl cannot publish data.',
  trivyEquivalents: ['cloud/aws/s3/block_public_acls', 'cloud/aws/s3/specify_public_access_block'],
});

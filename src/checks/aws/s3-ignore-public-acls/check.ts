import type { CheckDefinition } from '../../../core/check.js';
import { publicAccessFlagCheck } from '../_lib/public-access-block.js';

/** S3 buckets have a public access block with `ignore_public_acls = true` (bucket level or account level). */
export const check: CheckDefinition = publicAccessFlagCheck('ignorePublicAcls', {
  id: 'aws.s3-ignore-public-acls',
  adversarial: {
    unresolvable: ['unknown-flag-from-variable.tf'],
    'provider-default': ['fail-no-block.tf', 'pass-account-level-block.tf'],
  },
  title: 'S3 buckets ignore public ACLs',
  rationale:
    'With ignore_public_acls, S3 ignores every public ACL on the bucket and its objects, including ones set before the block existed, so no ACL can make data public.',
  trivyEquivalents: ['cloud/aws/s3/ignore_public_acls'],
});

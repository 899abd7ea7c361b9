import type { CheckDefinition } from '../../../core/check.js';
import { publicAccessFlagCheck } from '../_lib/public-access-block.js';

/** S3 buckets have a public access block with `restrict_public_buckets = true` (bucket level or account level). */
export const check: CheckDefinition = publicAccessFlagCheck('restrictPublicBuckets', {
  id: 'aws.s3-restrict-public-buckets',
  adversarial: {
    unresolvable: ['unknown-flag-from-variable.tf'],
    'provider-default': ['fail-no-block.tf', 'pass-account-level-block.tf'],
  },
  title: 'S3 buckets restrict access when a public policy exists',
  rationale:
    'With restrict_public_buckets, only AWS services and principals of the bucket owner account can use a bucket whose policy is public, cutting off anonymous and cross-account access.',
  trivyEquivalents: ['cloud/aws/s3/no_public_buckets'],
});

import type { CheckDefinition } from '../../../core/check.js';
import { publicAccessFlagCheck } from '../_lib/public-access-block.js';

/** S3 buckets have a public access block with `block_public_policy = true` (bucket level or account level). */
export const check: CheckDefinition = publicAccessFlagCheck('blockPublicPolicy', {
  id: 'aws.s3-block-public-policy',
  adversarial: {
    linking: ['unknown-account-block-other-provider.tf'],
    unresolvable: ['unknown-flag-from-variable.tf'],
    'provider-default': ['fail-no-block.tf', 'pass-account-level-block.tf'],
  },
  title: 'S3 buckets block public bucket policies',
  rationale:
    'With block_public_policy, S3 rejects a bucket policy that grants public access, so one bad policy change cannot expose the whole bucket.',
  trivyEquivalents: ['cloud/aws/s3/block_public_policy'],
});

// Terraform → aws.s3.detachedSettings: aws_s3_bucket_acl and aws_s3_bucket_policy resources that
// certainly configure no aws_s3_bucket of the configuration (issue 6: a public grant is a finding
// wherever the bucket lives, so such settings are judged on their own).
import { subjectOf } from '../../../core/check.js';
import type { S3DetachedSetting } from '../../../model/aws/s3.js';
import { modelObject } from '../../../model/object.js';
import { known } from '../../../model/value.js';
import { adapter } from '../../adapter.js';
import { leafAt } from '../../tree.js';
import { terraformTree } from '../tree.js';
import { companionAcl, type Linked, policyItem } from './s3.js';
import { BucketLinker } from './s3-links.js';

/** Terraform adapter of `aws.s3.detachedSettings`. */
export const terraformS3DetachedSettings = adapter({
  id: 'terraform/aws/s3-detached',
  concern: 'aws.s3.detachedSettings',
  facts: 'terraform',
  reads: ['aws_s3_bucket', 'aws_s3_bucket_acl', 'aws_s3_bucket_policy', 'data.aws_iam_policy_document'],
  sources: [
    { field: 'bucket', from: 'bucket' },
    { field: 'acls', from: 'the aws_s3_bucket_acl itself (`acl`, `access_control_policy.0.grant`)' },
    { field: 'policies', from: 'the aws_s3_bucket_policy itself (`policy`)' },
  ],
  adapt(_facts, ctx) {
    const index = ctx.terraform;
    // Duplicate bucket names are reported by the buckets adapter (and the Terraform source).
    const linker = new BucketLinker(index);
    const own = (r: { address: string; location: Parameters<typeof known>[2] }): Linked => ({
      source: known(r.address, 'address', r.location),
      applies: known(true, 'bucket', r.location),
    });
    const out: S3DetachedSetting[] = [];
    for (const type of ['aws_s3_bucket_acl', 'aws_s3_bucket_policy'] as const)
      for (const r of linker.detached(type)) {
        const policy = type === 'aws_s3_bucket_policy' ? policyItem(index, r, own(r), true) : undefined;
        out.push(
          modelObject(subjectOf(r), {
            bucket: leafAt(terraformTree(r), 'string', 'bucket'),
            acls: known(type === 'aws_s3_bucket_acl' ? [companionAcl(r, own(r))] : [], 'acl', r.location),
            policies: known(policy ? [policy] : [], 'policy', r.location),
          }),
        );
      }
    return out;
  },
});

import type { CheckDefinition } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { S3_PUBLIC_ACCESS_MAPPINGS } from '../../_lib/mappings.js';
import { result, type Verdict, worst } from '../../_lib/terraform-values.js';
import { hasUnresolved, type PolicyRead, readPolicy } from '../_lib/policy.js';
import { S3_BLOCK_PUBLIC_ACCESS_DOC } from '../_lib/public-access-block.js';
import { buckets, s3Companions } from '../_lib/s3.js';

const PUBLIC = ['*:*', 'AWS:*'];

/** Verdicts for one bucket policy: fail on an unconditioned Allow to Principal "*" / {"AWS":"*"}. */
function judge(read: PolicyRead, owner: TerraformResource, ownerIsBucket: boolean): Verdict[] {
  const where = ownerIsBucket ? 'policy' : owner.address;
  if (read.state !== 'ok')
    return [{ outcome: 'unknown', message: `${where}: ${read.reason}`, location: read.location }];
  const out: Verdict[] = [];
  for (const s of read.statements) {
    if (s.effect === 'Deny' || s.hasCondition) continue;
    const isPublic = s.principals.values.some((p) => PUBLIC.includes(p));
    if (isPublic && s.effect === 'Allow') {
      out.push({
        outcome: 'fail',
        message: `${where}: ${s.label} allows Principal "*" (${s.actions.values.join(', ') || 'actions unknown'}) without a Condition`,
        location: s.location,
      });
    } else if (isPublic || hasUnresolved(s.principals)) {
      out.push({
        outcome: 'unknown',
        message: `${where}: ${s.label} ${isPublic ? 'has an unresolved Effect' : 'has principals that are not known statically'} and no Condition`,
        location: s.location,
      });
    }
  }
  return out;
}

/** Bucket policies do not allow anonymous (Principal "*") access without a restricting Condition. */
export const check: CheckDefinition = {
  id: 'aws.s3-bucket-policy-not-public',
  title: 'S3 bucket policies do not grant access to everyone',
  severity: 'critical',
  rationale:
    'An Allow statement with Principal "*" (or {"AWS": "*"}) and no Condition opens the bucket to anyone on the internet, whatever the IAM setup of the account.',
  remediation:
    'Name the principals that need access (account or role ARNs) in the bucket policy, or keep Principal "*" only together with a restricting Condition such as `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceArn`; enable `block_public_policy` on the public access block.',
  input: 'terraform',
  mappings: S3_PUBLIC_ACCESS_MAPPINGS,
  references: [
    `${S3_BLOCK_PUBLIC_ACCESS_DOC}#access-control-block-public-access-policy-status`,
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy',
  ],
  evaluate(_facts, ctx) {
    const out = [];
    for (const bucket of buckets(ctx)) {
      const policies = s3Companions(ctx, bucket, 'aws_s3_bucket_policy');
      const hasInline = bucket.attributes.policy !== undefined && bucket.attributes.policy !== null;
      if (!hasInline && policies.length === 0) continue; // no bucket policy: nothing to judge
      const verdicts: Verdict[] = [];
      if (hasInline)
        verdicts.push(...judge(readPolicy(ctx, bucket, bucket.attributes, 'policy', 'policy'), bucket, true));
      for (const p of policies)
        verdicts.push(...judge(readPolicy(ctx, p, p.attributes, 'policy', 'policy'), p, false));
      out.push(
        result(
          bucket,
          worst(verdicts, 'the bucket policy grants nothing to Principal "*" without a Condition'),
        ),
      );
    }
    return out;
  },
};

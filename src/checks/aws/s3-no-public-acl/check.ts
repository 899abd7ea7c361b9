import type { CheckDefinition } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { S3_PUBLIC_ACCESS_MAPPINGS } from '../../_lib/mappings.js';
import {
  block,
  locate,
  readBlocks,
  result,
  stringAttr,
  type Verdict,
  worst,
} from '../../_lib/terraform-values.js';
import { bucketBlockSetting } from '../_lib/public-access-block.js';
import { buckets, s3Companions, unattachedCompanions, unlinkableCompanions } from '../_lib/s3.js';

/** Canned ACLs that grant access outside the bucket owner's account. */
const PUBLIC_CANNED = ['public-read', 'public-read-write', 'authenticated-read'];
/** Every canned ACL S3 accepts (S3 user guide, "Canned ACL"); anything else is rejected. */
const CANNED = new Set([
  'private',
  'public-read',
  'public-read-write',
  'aws-exec-read',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
]);
/** Grantee group URIs meaning "anyone" and "any AWS account". */
const PUBLIC_GROUPS = [
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
];

/**
 * Verdicts for the canned `acl` and explicit grants written on `owner` (bucket or aws_s3_bucket_acl):
 * fail for a public canned ACL or a grant to AllUsers / AuthenticatedUsers; unknown when the ACL,
 * the grants (a `dynamic "grant"` over a variable) or a grantee are not known statically, or when
 * the canned ACL is one S3 does not accept.
 */
function aclVerdicts(owner: TerraformResource): Verdict[] {
  const out: Verdict[] = [];
  const acl = stringAttr(owner.attributes, 'acl');
  const where = owner.type === 'aws_s3_bucket' ? '' : `${owner.address}: `;
  if (isUnresolved(acl)) {
    out.push({
      outcome: 'unknown',
      message: `${where}acl is not known statically (${acl.reason})`,
      location: locate(owner, 'acl'),
    });
  } else if (acl && PUBLIC_CANNED.includes(acl)) {
    out.push({
      outcome: 'fail',
      message: `${where}acl = "${acl}" grants access outside the account`,
      location: locate(owner, 'acl'),
    });
  } else if (acl && !CANNED.has(acl)) {
    out.push({
      outcome: 'unknown',
      message: `${where}acl = "${acl}" is not an S3 canned ACL (S3 rejects it; canned ACLs are lower case)`,
      location: locate(owner, 'acl'),
    });
  }
  // Provider v3 inline `grant { type uri permissions }`; aws_s3_bucket_acl `access_control_policy { grant { grantee { type uri } } }`.
  const grantLists: { grants: ReturnType<typeof readBlocks>; path: string; nested: boolean }[] = [
    { grants: readBlocks(owner.attributes, 'grant'), path: 'grant', nested: false },
  ];
  const acp = block(owner.attributes, 'access_control_policy');
  if (isUnresolved(acp))
    out.push({
      outcome: 'unknown',
      message: `${where}access_control_policy is not known statically (${acp.reason})`,
      location: locate(owner, 'access_control_policy'),
    });
  else if (acp)
    grantLists.push({
      grants: readBlocks(acp, 'grant'),
      path: 'access_control_policy.0.grant',
      nested: true,
    });
  for (const { grants, path, nested } of grantLists) {
    if (isUnresolved(grants)) {
      out.push({
        outcome: 'unknown',
        message: `${where}${path} is not known statically (${grants.reason}): it may grant to everyone`,
        location: locate(owner, path),
      });
      continue;
    }
    grants.forEach((g, i) => {
      const location = locate(owner, `${path}.${i}`);
      if (isUnresolved(g)) {
        out.push({
          outcome: 'unknown',
          message: `${where}${path} ${i} is not known statically (${g.reason}): it may grant to everyone`,
          location,
        });
        return;
      }
      const grantee = nested ? block(g, 'grantee') : g;
      if (isUnresolved(grantee)) {
        out.push({
          outcome: 'unknown',
          message: `${where}${path} ${i} grantee is not known statically (${grantee.reason})`,
          location,
        });
        return;
      }
      const uri = grantee ? stringAttr(grantee, 'uri') : undefined;
      if (isUnresolved(uri)) {
        out.push({
          outcome: 'unknown',
          message: `${where}${path} ${i} uri is not known statically (${uri.reason}): it may be AllUsers`,
          location,
        });
      } else if (typeof uri === 'string' && PUBLIC_GROUPS.includes(uri)) {
        out.push({
          outcome: 'fail',
          message: `${where}${path} ${i} grants to ${uri.split('/').pop()}`,
          location,
        });
      }
    });
  }
  return out;
}

/** S3 buckets do not grant public access through ACLs (canned ACL or explicit grants). */
export const check: CheckDefinition = {
  id: 'aws.s3-no-public-acl',
  title: 'S3 buckets do not grant public access through ACLs',
  severity: 'high',
  rationale:
    'A public-read, public-read-write or authenticated-read ACL (or a grant to the AllUsers / AuthenticatedUsers groups) lets anyone on the internet, or any AWS account, list or read the bucket: the most common cause of S3 data leaks.',
  remediation:
    'Remove the `acl` argument (buckets are private by default) or set `acl = "private"` on `aws_s3_bucket_acl`; prefer `aws_s3_bucket_ownership_controls` with `object_ownership = "BucketOwnerEnforced"` to disable ACLs, and set `ignore_public_acls = true` on the public access block.',
  input: 'terraform',
  adversarial: {
    unresolvable: ['unknown-dynamic-grant-variable.tf', 'unknown-grant-uri-variable.tf'],
    linking: [
      'fail-acl-bucket-not-in-configuration.tf',
      'fail-acl-template-names-other-bucket.tf',
      'fail-shared-bucket-name.tf',
    ],
    spelling: ['fail-acl-go-lowercase.tf'],
    'invalid-input': ['fail-shared-bucket-name.tf'],
    'equivalent-values': ['pass-public-acl-ignored.tf'],
  },
  mappings: S3_PUBLIC_ACCESS_MAPPINGS,
  trivyEquivalents: ['cloud/aws/s3/no_public_access_with_acl'],
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl',
  ],
  evaluate(_facts, ctx) {
    const results = buckets(ctx).map((bucket) => {
      const verdicts = [bucket, ...s3Companions(ctx, bucket, 'aws_s3_bucket_acl')].flatMap(aclVerdicts);
      // ACLs that may configure this bucket without certainly naming it: their failures are unknowns here.
      for (const c of unlinkableCompanions(ctx, bucket, 'aws_s3_bucket_acl'))
        for (const v of aclVerdicts(c))
          verdicts.push({
            ...v,
            outcome: 'unknown',
            message: `${v.message}; ${c.address} names a bucket that is not known statically and may configure this one`,
          });
      const bad = verdicts.find((v) => v.outcome === 'fail');
      if (bad) {
        // A public ACL has no effect when the bucket's public access block ignores public ACLs.
        const ignoring = bucketBlockSetting(ctx, bucket, 'ignore_public_acls');
        if (ignoring) {
          return result(bucket, {
            outcome: 'pass',
            message: `${bad.message}, but ${ignoring.address} sets ignore_public_acls = true so S3 ignores it`,
            location: bad.location,
          });
        }
        return result(bucket, bad);
      }
      return result(bucket, worst(verdicts, 'no public canned ACL or public grant'));
    });
    // An ACL whose bucket is not in this configuration is judged on its own: a public grant is a
    // finding wherever the bucket lives (whether that bucket ignores public ACLs is not observable).
    for (const c of unattachedCompanions(ctx, 'aws_s3_bucket_acl'))
      results.push(result(c, worst(aclVerdicts(c), 'no public canned ACL or public grant')));
    return results;
  },
};

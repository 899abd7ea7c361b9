import type { CheckDefinition } from '../../../core/check.js';
import type { TerraformResource, TfObject } from '../../../core/facts.js';
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
import { buckets, s3Companions } from '../_lib/s3.js';

/** Canned ACLs that grant access outside the bucket owner's account. */
const PUBLIC_CANNED = ['public-read', 'public-read-write', 'authenticated-read'];
/** Grantee group URIs meaning "anyone" and "any AWS account". */
const PUBLIC_GROUPS = [
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
];

/** Verdicts for the canned `acl` and explicit grants written on `owner` (bucket or aws_s3_bucket_acl). */
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
  }
  // Provider v3 inline `grant { type uri permissions }`; aws_s3_bucket_acl `access_control_policy { grant { grantee { type uri } } }`.
  const grantLists: { grants: ReturnType<typeof readBlocks>; path: string; nested: boolean }[] = [
    { grants: readBlocks(owner.attributes, 'grant'), path: 'grant', nested: false },
  ];
  const acp = block(owner.attributes, 'access_control_policy');
  if (acp && !isUnresolved(acp))
    grantLists.push({
      grants: readBlocks(acp, 'grant'),
      path: 'access_control_policy.0.grant',
      nested: true,
    });
  for (const { grants, path, nested } of grantLists) {
    if (isUnresolved(grants)) continue;
    grants.forEach((g, i) => {
      if (isUnresolved(g)) return;
      const grantee: TfObject | undefined = nested ? (block(g, 'grantee') as TfObject | undefined) : g;
      const uri = grantee && !isUnresolved(grantee) ? stringAttr(grantee, 'uri') : undefined;
      if (typeof uri === 'string' && PUBLIC_GROUPS.includes(uri)) {
        out.push({
          outcome: 'fail',
          message: `${where}${path} ${i} grants to ${uri.split('/').pop()}`,
          location: locate(owner, `${path}.${i}`),
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
  mappings: S3_PUBLIC_ACCESS_MAPPINGS,
  trivyEquivalents: ['cloud/aws/s3/no_public_access_with_acl'],
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl',
  ],
  evaluate(_facts, ctx) {
    return buckets(ctx).map((bucket) => {
      const verdicts = [bucket, ...s3Companions(ctx, bucket, 'aws_s3_bucket_acl')].flatMap(aclVerdicts);
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
  },
};

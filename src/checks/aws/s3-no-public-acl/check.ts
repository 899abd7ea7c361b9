import type { CheckDefinition } from '../../../core/check.js';
import {
  allOf,
  doubted,
  type Messages,
  renderVerdict,
  toResult,
  type Verdict,
  verdict,
} from '../../../core/verdict.js';
import type { S3Acl, S3Bucket } from '../../../model/aws/s3.js';
import { S3_PUBLIC_ACCESS_MAPPINGS } from '../../_lib/mappings.js';
import { doubtOf, items, unknownVerdict } from '../../_lib/model-verdicts.js';
import { bucketBlockSetting } from '../_lib/public-access-block.js';

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

const MESSAGES: Messages = {
  'public-canned-acl': '{{where}}acl = "{{acl}}" grants access outside the account',
  'public-grant': '{{where}}{{grant}} grants to {{group}}',
  'not-public': 'no public canned ACL or public grant',
  ignored: '{{public}}, but {{block}} sets ignore_public_acls = true so S3 ignores it',
  'not-canned':
    '{{where}}acl = "{{acl}}" is not an S3 canned ACL (S3 rejects it; canned ACLs are lower case)',
  'grant-unknown': '{{where}}{{grant}} is not known statically ({{reason}}): it may grant to everyone',
  'uri-unknown': '{{where}}{{grant}} uri is not known statically ({{reason}}): it may be AllUsers',
};

/**
 * Verdicts for one ACL (the bucket's own, a linked aws_s3_bucket_acl, or one whose bucket is not in
 * the configuration): `fail` for a public canned ACL or a grant to the AllUsers / AuthenticatedUsers
 * groups (only `unknown` when the ACL's link to the bucket is doubtful); `unknown` when the canned
 * ACL, the grants (a `dynamic "grant"` over a variable), a grant or its grantee URI are not known
 * statically, or when the canned ACL is one S3 does not accept (canned ACLs are lower case).
 * `owner`: the address of the subject judged (settings written elsewhere are prefixed with theirs).
 */
function aclVerdicts(owner: string, acl: S3Acl): Verdict[] {
  const out: Verdict[] = [];
  const source = acl.source.state === 'known' ? acl.source.value : '';
  const where = source && source !== owner ? `${source}: ` : '';
  const doubt = doubtOf(acl.applies);
  const canned = acl.cannedAcl;
  if (canned.state === 'unknown') out.push(unknownVerdict(canned, { where }));
  else if (canned.state === 'known' && PUBLIC_CANNED.includes(canned.value))
    out.push(
      doubted(
        verdict('fail', 'public-canned-acl', { where, acl: canned.value }, { location: canned.location }),
        doubt,
        'fail',
      ),
    );
  else if (canned.state === 'known' && !CANNED.has(canned.value))
    out.push(verdict('unknown', 'not-canned', { where, acl: canned.value }, { location: canned.location }));
  const grantList = acl.grants;
  const grantPath = source.startsWith('aws_s3_bucket_acl.') ? 'access_control_policy.0.grant' : 'grant';
  if (grantList.state === 'unknown') out.push(unknownVerdict(grantList, { where }));
  items(grantList).forEach((g, i) => {
    const grant = `${grantPath} ${i}`;
    if (g.state === 'unknown') {
      out.push(
        verdict(
          'unknown',
          'grant-unknown',
          { where, grant, reason: g.unresolved.reason },
          { location: g.location },
        ),
      );
      return;
    }
    if (g.state !== 'known') return;
    const uri = g.value.granteeUri;
    if (uri.state === 'unknown')
      out.push(
        verdict(
          'unknown',
          'uri-unknown',
          { where, grant, reason: uri.unresolved.reason },
          { location: uri.location },
        ),
      );
    else if (uri.state === 'known' && PUBLIC_GROUPS.includes(uri.value))
      out.push(
        doubted(
          verdict(
            'fail',
            'public-grant',
            { where, grant, group: uri.value.split('/').pop() ?? uri.value },
            { location: g.location },
          ),
          doubt,
          'fail',
        ),
      );
  });
  return out;
}

function judge(bucket: S3Bucket): Verdict {
  const parts = items(bucket.acls).flatMap((a) =>
    a.state === 'known'
      ? aclVerdicts(bucket.subject.address, a.value)
      : a.state === 'unknown'
        ? [unknownVerdict(a)]
        : [],
  );
  const bad = parts.find((v) => v.outcome === 'fail');
  if (bad) {
    // A public ACL has no effect when the bucket's public access block ignores public ACLs.
    const block = bucketBlockSetting(bucket, 'ignorePublicAcls');
    if (block) {
      return verdict(
        'pass',
        'ignored',
        { public: renderVerdict(bad, MESSAGES), block },
        bad.location ? { location: bad.location } : undefined,
      );
    }
    return bad;
  }
  return allOf(parts, { onPass: verdict('pass', 'not-public') });
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
  concerns: ['aws.s3.buckets', 'aws.s3.detachedSettings'],
  messages: MESSAGES,
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
    const results = ctx.model
      .get('aws.s3.buckets')
      .map((bucket) => toResult(bucket, judge(bucket), MESSAGES));
    // An ACL that certainly configures no bucket of this configuration is judged on its own: a public
    // grant is a finding wherever the bucket lives (whether that bucket ignores public ACLs is not
    // observable).
    for (const d of ctx.model.get('aws.s3.detachedSettings')) {
      const acls = items(d.acls);
      if (acls.length === 0) continue;
      const parts = acls.flatMap((a) => (a.state === 'known' ? aclVerdicts(d.subject.address, a.value) : []));
      results.push(toResult(d, allOf(parts, { onPass: verdict('pass', 'not-public') }), MESSAGES));
    }
    return results;
  },
};

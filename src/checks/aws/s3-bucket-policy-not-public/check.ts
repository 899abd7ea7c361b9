import type { CheckDefinition } from '../../../core/check.js';
import { allOf, doubted, type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import { S3_PUBLIC_ACCESS_MAPPINGS } from '../../_lib/mappings.js';
import { doubtOf, items } from '../../_lib/model-verdicts.js';
import { S3_BLOCK_PUBLIC_ACCESS_DOC } from '../_lib/public-access-block.js';
import { hasUnresolved, type PolicyRead, type PolicyStatement, readDocument } from '../_lib/statements.js';

const PUBLIC = ['*:*', 'AWS:*'];

/**
 * Condition keys that, compared with a fixed value, limit a Principal "*" grant to known accounts,
 * organisations, networks or services: the keys AWS S3 Block Public Access accepts as making a policy
 * non-public (S3 user guide, "The meaning of public"). Lower case.
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:userid',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalServiceName',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

/**
 * True when a condition value is fixed in AWS's sense ("The meaning of public", S3 user guide): no
 * wildcard (`*`, `?`) and no policy variable (`${aws:PrincipalAccount}`); for `aws:SourceIp`, a CIDR
 * no broader than /8 (IPv4) or /32 (IPv6), as broader ranges are evaluated as public.
 */
function fixedValue(key: string, value: string): boolean {
  if (/[*?]|\$\{/.test(value)) return false;
  if (key === 'aws:sourceip') {
    const [addr, len] = value.split('/');
    if (len === undefined) return true;
    const n = Number(len);
    return addr?.includes(':') ? n >= 32 : n >= 8;
  }
  return true;
}

/**
 * Whether the statement's Condition limits who it grants to: `true` when one entry tests a
 * restricting key with a positive operator (not `...Not...`, not `...IfExists`, not `Null`, not
 * `ForAllValues:`, which holds when the key is absent) and only fixed values ({@link fixedValue});
 * `false` when none does (e.g. only `aws:Referer` or `aws:SecureTransport`, which anyone can
 * satisfy, or `aws:SourceIp 0.0.0.0/0`, `aws:PrincipalAccount "*"`), `unknown` when part of the
 * Condition that could restrict is not known statically.
 */
function conditionRestricts(s: PolicyStatement): boolean | 'unknown' {
  let unknown = s.conditions.unresolved.length > 0;
  for (const { operator, key, values } of s.conditions.entries) {
    const op = operator.toLowerCase();
    const k = key.toLowerCase();
    if (
      !RESTRICTING_KEYS.has(k) ||
      op.includes('not') ||
      op.endsWith('ifexists') ||
      op === 'null' ||
      op.startsWith('forallvalues:')
    )
      continue;
    if (values.values.length > 0 && values.values.every((v) => fixedValue(k, v))) {
      if (values.unresolved.length === 0) return true;
      unknown = true;
    } else if (values.values.length === 0 && values.unresolved.length > 0) unknown = true;
  }
  return unknown ? 'unknown' : false;
}

/**
 * Verdicts for one bucket policy: fail on an Allow to Principal "*" / {"AWS":"*"} (or to everyone
 * but a `NotPrincipal`) whose Condition, if any, does not restrict the caller (see
 * {@link conditionRestricts}).
 */
function judge(read: PolicyRead, where: string): Verdict[] {
  if (read.state !== 'ok')
    return [verdict('unknown', 'unreadable', { where, reason: read.reason }, { location: read.location })];
  const out: Verdict[] = [];
  for (const s of read.statements) {
    if (s.effect === 'Deny') continue;
    const restricts = conditionRestricts(s);
    if (restricts === true) continue;
    const notPrincipal = s.notPrincipals.values.length > 0 || hasUnresolved(s.notPrincipals);
    const isPublic = notPrincipal || s.principals.values.some((p) => PUBLIC.includes(p));
    const cond = s.hasCondition
      ? `a Condition that does not restrict the caller (${s.conditions.entries.map((e) => e.key).join(', ') || 'no restricting key'})`
      : 'no Condition';
    const who = notPrincipal ? 'everyone except its NotPrincipal' : 'Principal "*"';
    if (isPublic && s.effect === 'Allow' && restricts === false) {
      out.push(
        verdict(
          'fail',
          'public',
          { where, statement: s.label, who, actions: s.actions.values.join(', ') || 'actions unknown', cond },
          { location: s.location },
        ),
      );
    } else if (isPublic || hasUnresolved(s.principals)) {
      const why =
        restricts === 'unknown'
          ? 'has a Condition that is not known statically'
          : isPublic
            ? 'has an unresolved Effect'
            : 'has principals that are not known statically';
      out.push(
        verdict('unknown', 'maybe-public', { where, statement: s.label, why }, { location: s.location }),
      );
    }
  }
  return out;
}

const MESSAGES: Messages = {
  unreadable: '{{where}}: {{reason}}',
  public: '{{where}}: {{statement}} allows {{who}} ({{actions}}) with {{cond}}',
  'maybe-public': '{{where}}: {{statement}} {{why}} and may grant access to everyone',
  'not-public': 'the bucket policy grants nothing to Principal "*" without a restricting Condition',
};

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
  concerns: ['aws.s3.buckets', 'aws.s3.detachedSettings'],
  messages: MESSAGES,
  adversarial: {
    'equivalent-values': [
      'fail-condition-source-ip-everyone.tf',
      'fail-condition-principal-account-wildcard.tf',
      'fail-condition-principal-arn-wildcard.tf',
      'fail-condition-policy-variable.tf',
      'fail-condition-for-all-values.tf',
      'fail-not-principal-allow.tf',
    ],
    linking: ['fail-policy-conditional-bucket.tf', 'fail-policy-bucket-not-in-configuration.tf'],
    unresolvable: ['unknown-condition-from-variable.tf'],
    spelling: ['fail-jsonencode-principal-aws-star.tf'],
  },
  mappings: S3_PUBLIC_ACCESS_MAPPINGS,
  references: [
    `${S3_BLOCK_PUBLIC_ACCESS_DOC}#access-control-block-public-access-policy-status`,
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy',
  ],
  evaluate(_facts, ctx) {
    const out = [];
    for (const bucket of ctx.model.get('aws.s3.buckets')) {
      const policies = items(bucket.policies);
      if (policies.length === 0) continue; // no bucket policy: nothing to judge
      const parts: Verdict[] = [];
      for (const p of policies) {
        if (p.state !== 'known') continue;
        const source = p.value.source.state === 'known' ? p.value.source.value : '';
        const where = source === bucket.subject.address ? 'policy' : source;
        const doubt = doubtOf(p.value.applies);
        for (const v of judge(readDocument(p.value.document), where)) parts.push(doubted(v, doubt, 'fail'));
      }
      out.push(toResult(bucket, allOf(parts, { onPass: verdict('pass', 'not-public') }), MESSAGES));
    }
    // A bucket policy that certainly configures no bucket of this configuration (its bucket lives
    // elsewhere, or which bucket it names is not known) is judged on its own: a public grant is a
    // finding wherever the bucket lives.
    for (const d of ctx.model.get('aws.s3.detachedSettings')) {
      const parts: Verdict[] = [];
      for (const p of items(d.policies))
        if (p.state === 'known') parts.push(...judge(readDocument(p.value.document), 'policy'));
      if (parts.length || items(d.policies).length)
        out.push(toResult(d, allOf(parts, { onPass: verdict('pass', 'not-public') }), MESSAGES));
    }
    return out;
  },
};

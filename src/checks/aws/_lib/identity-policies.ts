import type { CheckContext, CheckResult } from '../../../core/check.js';
import type { Facts, TerraformResource, TfValue } from '../../../core/facts.js';
import { isUnresolved, type Unresolved } from '../../../core/unresolved.js';
import { locate, readBlocks, result, type Verdict, worst } from '../../_lib/terraform-values.js';
import type { StatementJudge } from './iam.js';
import { JUDGED_MANAGED_POLICIES, judgedManagedPolicy } from './managed-policies.js';
import { documentOf, documentStatements, type PolicyRead, parsePolicyJson, readPolicy } from './policy.js';

/** Resource types whose `policy` attribute holds an identity-based IAM policy. */
const POLICY_TYPES: Record<string, string> = {
  aws_iam_policy: 'policy',
  aws_iam_role_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
  aws_ssoadmin_permission_set_inline_policy: 'inline_policy',
};

/**
 * Resources that attach managed policies to principals: attribute(s) naming the policy ARN(s), and
 * per principal type the attribute(s) naming the principal (by name, or ARN for permission sets).
 */
const ATTACHMENTS: Record<string, { policy: string; principals: [PrincipalType, string][] }> = {
  aws_iam_role_policy_attachment: { policy: 'policy_arn', principals: [['aws_iam_role', 'role']] },
  aws_iam_user_policy_attachment: { policy: 'policy_arn', principals: [['aws_iam_user', 'user']] },
  aws_iam_group_policy_attachment: { policy: 'policy_arn', principals: [['aws_iam_group', 'group']] },
  aws_iam_policy_attachment: {
    policy: 'policy_arn',
    principals: [
      ['aws_iam_role', 'roles'],
      ['aws_iam_user', 'users'],
      ['aws_iam_group', 'groups'],
    ],
  },
  aws_iam_role_policy_attachments_exclusive: {
    policy: 'policy_arns',
    principals: [['aws_iam_role', 'role_name']],
  },
  aws_ssoadmin_managed_policy_attachment: {
    policy: 'managed_policy_arn',
    principals: [['aws_ssoadmin_permission_set', 'permission_set_arn']],
  },
};

type PrincipalType = 'aws_iam_role' | 'aws_iam_user' | 'aws_iam_group' | 'aws_ssoadmin_permission_set';

/** Attributes whose known value names a principal (`name`; a permission set by its ARN). */
const PRINCIPAL_NAME_ATTRS: Record<PrincipalType, string[]> = {
  aws_iam_role: ['name', 'id'],
  aws_iam_user: ['name', 'id'],
  aws_iam_group: ['name', 'id'],
  aws_ssoadmin_permission_set: ['arn', 'id'],
};

function judgeRead(read: PolicyRead, judge: StatementJudge, prefix: string): Verdict[] {
  if (read.state === 'unresolved')
    return [{ outcome: 'unknown', message: `${prefix}${read.reason}`, location: read.location }];
  if (read.state === 'invalid')
    return [
      {
        outcome: 'unknown',
        message: `${prefix}${read.reason}; AWS would reject it`,
        location: read.location,
      },
    ];
  const out: Verdict[] = [];
  for (const s of read.statements) {
    const v = judge(s);
    if (v) out.push({ ...v, message: `${prefix}${s.label}: ${v.message}`, location: s.location });
  }
  return out;
}

/** What a policy ARN value attaches, judged: verdicts, or undefined when the policy is not judged. */
function judgeAttachedArn(
  ctx: CheckContext,
  owner: TerraformResource,
  v: TfValue | undefined,
  path: string,
  judge: StatementJudge,
): Verdict[] | undefined {
  const location = locate(owner, path);
  const managed = (arn: string, how: string): Verdict[] | undefined => {
    const name = judgedManagedPolicy(arn);
    if (!name) return undefined;
    const text = JUDGED_MANAGED_POLICIES[name] as string;
    return judgeRead(parsePolicyJson(text, location), judge, `${path} attaches AWS managed ${name}${how}: `);
  };
  if (typeof v === 'string') {
    const m = managed(v, '');
    if (m) return m;
    // A customer managed policy of this configuration, named by its known ARN.
    const policy = ctx.terraform
      .ofType('aws_iam_policy')
      .find((p) => p.rootModule === owner.rootModule && p.attributes.arn === v);
    return policy
      ? judgePolicyResource(ctx, policy, judge, `${path} attaches ${policy.address}: `)
      : undefined;
  }
  if (!isUnresolved(v)) return undefined;
  if (v.template) {
    const m = managed(v.template, '');
    if (m) return m;
  }
  // A reference to a policy of this configuration (`aws_iam_policy.x.arn`), or to a data source
  // that looks up an AWS managed policy by name or ARN.
  for (const ref of v.refs) {
    const r = ctx.terraform.resources.find(
      (x) => x.rootModule === owner.rootModule && (x.address === ref || x.baseAddress === ref),
    );
    if (!r) continue;
    if (r.mode === 'managed' && r.type === 'aws_iam_policy' && v.computed?.attribute === 'arn')
      return judgePolicyResource(ctx, r, judge, `${path} attaches ${r.address}: `);
    if (r.mode === 'data' && r.type === 'aws_iam_policy' && v.computed?.attribute === 'arn') {
      const arn = r.attributes.arn;
      const name = r.attributes.name;
      if (typeof arn === 'string') return managed(arn, ` (through ${r.address})`);
      if (isUnresolved(arn) && arn.template) return managed(arn.template, ` (through ${r.address})`);
      if (typeof name === 'string' && Object.hasOwn(JUDGED_MANAGED_POLICIES, name))
        return managed(`arn:aws:iam::aws:policy/${name}`, ` (through ${r.address})`);
    }
  }
  return [
    {
      outcome: 'unknown',
      message: `${path} is not known statically (${v.reason}): the attached policy may grant anything`,
      location,
    },
  ];
}

function judgePolicyResource(
  ctx: CheckContext,
  policy: TerraformResource,
  judge: StatementJudge,
  prefix: string,
): Verdict[] {
  const attr = POLICY_TYPES[policy.type] ?? 'policy';
  return judgeRead(readPolicy(ctx, policy, policy.attributes, attr, attr), judge, prefix);
}

/** The principals of `type` in `owner`'s root module that attribute `attr` of `owner` names (by reference or known name). */
function namedPrincipals(
  ctx: CheckContext,
  owner: TerraformResource,
  type: PrincipalType,
  attr: string,
): TerraformResource[] {
  const v = owner.attributes[attr];
  const refs = [...(owner.references[attr] ?? []), ...(isUnresolved(v) ? v.refs : [])];
  const names = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  for (const x of Array.isArray(v) ? v : []) if (isUnresolved(x)) refs.push(...x.refs);
  return ctx.terraform.ofType(type).filter((p) => {
    if (p.rootModule !== owner.rootModule) return false;
    if (refs.includes(p.address) || refs.includes(p.baseAddress)) return true;
    return PRINCIPAL_NAME_ATTRS[type].some((a) => {
      const pv = p.attributes[a];
      return typeof pv === 'string' && names.includes(pv);
    });
  });
}

/** Policy ARN values of an attachment attribute (a single ARN, or a list of them). */
function arnValues(v: TfValue | undefined): { v: TfValue | undefined; index?: number }[] {
  if (Array.isArray(v)) return v.map((x, index) => ({ v: x, index }));
  return v === undefined || v === null ? [] : [{ v }];
}

/**
 * Runs `judge` over every identity policy in the facts and returns one result per policy holder:
 * - policy resources (`aws_iam_policy`, `aws_iam_{role,user,group}_policy`,
 *   `aws_ssoadmin_permission_set_inline_policy`); one whose policy is exactly the `json` of a policy
 *   document in the same root module gets no result of its own (the document is judged, once);
 * - `data.aws_iam_policy_document`;
 * - attachments of managed policies (`aws_iam_*_policy_attachment`, `aws_iam_policy_attachment`,
 *   `aws_iam_role_policy_attachments_exclusive`, `aws_ssoadmin_managed_policy_attachment`) whose
 *   policy is judged: the AWS managed policies of managed-policies.ts, a customer policy of this
 *   configuration, or an ARN not known statically (unknown);
 * - principals (`aws_iam_role`, `aws_iam_user`, `aws_iam_group`, `aws_ssoadmin_permission_set`) with
 *   inline policies, `managed_policy_arns`, or a judged attachment: the worst of all of them.
 */
export function evaluateIdentityPolicies(
  facts: Facts,
  ctx: CheckContext,
  judge: StatementJudge,
  passMessage: string,
): CheckResult[] {
  const out: CheckResult[] = [];
  const byPrincipal = new Map<TerraformResource, Verdict[]>();
  const addTo = (p: TerraformResource, vs: Verdict[]) => {
    const list = byPrincipal.get(p) ?? [];
    list.push(...vs);
    byPrincipal.set(p, list);
  };
  for (const r of facts.terraform) {
    if (r.mode === 'data') {
      if (r.type === 'aws_iam_policy_document')
        out.push(result(r, worst(judgeRead(documentStatements(r), judge, ''), passMessage)));
      continue;
    }
    const policyAttr = POLICY_TYPES[r.type];
    if (policyAttr) {
      if (documentOf(ctx, r, policyAttr, r.attributes[policyAttr])) continue;
      const verdicts = judgeRead(readPolicy(ctx, r, r.attributes, policyAttr, policyAttr), judge, '');
      out.push(result(r, worst(verdicts, passMessage)));
      if (r.type === 'aws_ssoadmin_permission_set_inline_policy')
        for (const ps of namedPrincipals(ctx, r, 'aws_ssoadmin_permission_set', 'permission_set_arn'))
          addTo(ps, prefixed(verdicts, `${r.address}: `));
      continue;
    }
    const attachment = ATTACHMENTS[r.type];
    if (attachment) {
      const verdicts: Verdict[] = [];
      let judged = false;
      const raw = r.attributes[attachment.policy];
      if (isUnresolved(raw) && !raw.template && raw.computed === undefined && raw.refs.length === 0) {
        judged = true;
        verdicts.push({
          outcome: 'unknown',
          message: `${attachment.policy} is not known statically (${raw.reason}): the attached policies may grant anything`,
          location: locate(r, attachment.policy),
        });
      } else {
        for (const { v, index } of arnValues(raw)) {
          const path = index === undefined ? attachment.policy : `${attachment.policy}[${index}]`;
          const vs = judgeAttachedArn(ctx, r, v, path, judge);
          if (vs) {
            judged = true;
            verdicts.push(...vs);
          }
        }
      }
      if (!judged) continue;
      out.push(result(r, worst(verdicts, passMessage)));
      for (const [type, attr] of attachment.principals)
        for (const p of namedPrincipals(ctx, r, type, attr)) addTo(p, prefixed(verdicts, `${r.address}: `));
      continue;
    }
    if (r.type === 'aws_iam_role' && roleHasOwnPolicies(r)) addTo(r, roleOwnVerdicts(ctx, r, judge));
  }
  // A principal is judged when it holds policies of its own or receives a judged attachment.
  for (const [p, verdicts] of byPrincipal) out.push(result(p, worst(verdicts, passMessage)));
  return out;
}

function prefixed(verdicts: Verdict[], prefix: string): Verdict[] {
  return verdicts.map((v) => ({ ...v, message: `${prefix}${v.message}` }));
}

/** True when the role declares inline policies or managed_policy_arns itself (then it always gets a result). */
function roleHasOwnPolicies(r: TerraformResource): boolean {
  if (r.type !== 'aws_iam_role') return false;
  const inline = r.attributes.inline_policy;
  const managed = r.attributes.managed_policy_arns;
  const has = (v: TfValue | undefined) =>
    v !== undefined && v !== null && (!Array.isArray(v) || v.length > 0);
  return has(inline) || has(managed);
}

/** Verdicts of a role's own `inline_policy` blocks and `managed_policy_arns`. */
function roleOwnVerdicts(ctx: CheckContext, r: TerraformResource, judge: StatementJudge): Verdict[] {
  const verdicts: Verdict[] = [];
  const inline = readBlocks(r.attributes, 'inline_policy');
  if (isUnresolved(inline)) {
    verdicts.push({
      outcome: 'unknown',
      message: `inline_policy is not known statically (${inline.reason})`,
      location: locate(r, 'inline_policy'),
    });
  } else {
    inline.forEach((p, i) => {
      if (isUnresolved(p)) {
        verdicts.push({
          outcome: 'unknown',
          message: `inline_policy ${i} is not known statically (${(p as Unresolved).reason})`,
          location: locate(r, `inline_policy.${i}`),
        });
        return;
      }
      const v = p.policy;
      if (v === undefined || v === null || v === '') return;
      verdicts.push(
        ...judgeRead(
          readPolicy(ctx, r, p, 'policy', `inline_policy.${i}.policy`),
          judge,
          `inline_policy ${i} `,
        ),
      );
    });
  }
  const managed = r.attributes.managed_policy_arns;
  if (isUnresolved(managed)) {
    verdicts.push({
      outcome: 'unknown',
      message: `managed_policy_arns is not known statically (${managed.reason}): the attached policies may grant anything`,
      location: locate(r, 'managed_policy_arns'),
    });
  } else {
    for (const { v, index } of arnValues(managed)) {
      const vs = judgeAttachedArn(ctx, r, v, `managed_policy_arns[${index ?? 0}]`, judge);
      if (vs) verdicts.push(...vs);
    }
  }
  return verdicts;
}

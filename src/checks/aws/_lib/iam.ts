import type { CheckContext, CheckResult } from '../../../core/check.js';
import type { Facts, TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { readBlocks, result, type Verdict, worst } from '../../_lib/terraform-values.js';
import {
  documentStatements,
  type PolicyRead,
  type PolicyStatement,
  policyRefs,
  readPolicy,
  referencedDocument,
} from './policy.js';

/** Resource types whose `policy` attribute holds an identity-based IAM policy. */
const POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/** Judges one statement: a failing/unknown verdict message, or undefined when the statement is fine. */
export type StatementJudge = (
  s: PolicyStatement,
) => { outcome: 'fail' | 'unknown'; message: string } | undefined;

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

function combine(r: TerraformResource, verdicts: Verdict[], passMessage: string): CheckResult {
  return result(r, worst(verdicts, passMessage));
}

/**
 * Runs `judge` over every identity policy in the facts and returns one result per policy holder:
 * `aws_iam_policy` / `aws_iam_{role,user,group}_policy` (`policy`), `aws_iam_role` (`inline_policy`
 * blocks; roles without inline policies get no result) and `data.aws_iam_policy_document`.
 * A policy resource whose `policy` references a policy document in the same root module gets no result
 * of its own: the document is judged (and reported) once, at the data source.
 */
export function evaluateIdentityPolicies(
  facts: Facts,
  ctx: CheckContext,
  judge: StatementJudge,
  passMessage: string,
): CheckResult[] {
  const out: CheckResult[] = [];
  for (const r of facts.terraform) {
    if (r.mode === 'data') {
      if (r.type === 'aws_iam_policy_document')
        out.push(combine(r, judgeRead(documentStatements(r), judge, ''), passMessage));
      continue;
    }
    if (POLICY_TYPES.includes(r.type)) {
      if (referencedDocument(ctx, r, policyRefs(r, 'policy', r.attributes.policy))) continue;
      out.push(
        combine(r, judgeRead(readPolicy(ctx, r, r.attributes, 'policy', 'policy'), judge, ''), passMessage),
      );
    } else if (r.type === 'aws_iam_role') {
      const inline = readBlocks(r.attributes, 'inline_policy');
      if (isUnresolved(inline)) {
        out.push(
          result(r, {
            outcome: 'unknown',
            message: `inline_policy is not known statically (${inline.reason})`,
            path: 'inline_policy',
          }),
        );
        continue;
      }
      const verdicts: Verdict[] = [];
      let judged = 0;
      inline.forEach((p, i) => {
        if (isUnresolved(p)) {
          verdicts.push({
            outcome: 'unknown',
            message: `inline_policy ${i} is not known statically (${p.reason})`,
            path: `inline_policy.${i}`,
          });
          judged++;
          return;
        }
        const v = p.policy;
        if (v === undefined || v === null || v === '') return;
        if (referencedDocument(ctx, r, isUnresolved(v) ? [...v.refs] : [])) return;
        judged++;
        verdicts.push(
          ...judgeRead(
            readPolicy(ctx, r, p, 'policy', `inline_policy.${i}.policy`),
            judge,
            `inline_policy ${i} `,
          ),
        );
      });
      if (judged > 0) out.push(combine(r, verdicts, passMessage));
    }
  }
  return out;
}

/** True when `action` grants every action of every service (`*`, `*:*`). */
export function isAllActions(action: string): boolean {
  return action === '*' || action === '*:*';
}

/** True when `action` grants every action of a service (`s3:*`) or of all services. */
export function isServiceWildcard(action: string): boolean {
  return isAllActions(action) || /^[A-Za-z0-9-]+:\*$/.test(action);
}

/**
 * True when a `NotAction` list leaves IAM actions granted (none of its entries is `*` or an `iam:`
 * action): an Allow of everything but these on Resource "*" lets the holder grant itself any
 * permission, i.e. full administrator access (AWS PowerUserAccess, which excludes `iam:*`, does not).
 */
export function notActionKeepsIam(notActions: readonly string[]): boolean {
  return !notActions.some((a) => a === '*' || /^iam:/i.test(a));
}

/**
 * A {@link StatementJudge} for "some action matching `matches` allowed on Resource "*"": `fail` with
 * `failMessage(matching actions)` for such an Allow statement; `unknown` with `unknownMessage` when
 * the statement could be one (an unresolved Effect, or unresolved actions or resources standing in
 * for the missing part); Deny statements and everything else are fine. `NotResource` counts as all
 * resources (everything but a few); a `NotAction` statement counts as matching when
 * `notActionMatches(its NotAction values)` is true (it allows every action but those).
 */
export function actionsOnAllResources(
  matches: (action: string) => boolean,
  failMessage: (actions: string[]) => string,
  unknownMessage: string,
  notActionMatches: (notActions: string[]) => boolean = () => true,
): StatementJudge {
  return (s) => {
    if (s.effect === 'Deny') return undefined;
    const hits = s.actions.values.filter(matches);
    const hasNotAction = s.notActions.values.length > 0;
    if (hasNotAction && notActionMatches(s.notActions.values))
      hits.push(`every action except ${s.notActions.values.map((a) => `"${a}"`).join(', ')} (NotAction)`);
    const allResources = s.resources.values.includes('*') || s.notResources.values.length > 0;
    if (hits.length > 0 && allResources && s.effect === 'Allow')
      return { outcome: 'fail', message: failMessage(hits) };
    const maybeActions =
      hits.length > 0 || s.actions.unresolved.length > 0 || s.notActions.unresolved.length > 0;
    const maybeResources =
      allResources || s.resources.unresolved.length > 0 || s.notResources.unresolved.length > 0;
    if (maybeActions && maybeResources) return { outcome: 'unknown', message: unknownMessage };
    return undefined;
  };
}

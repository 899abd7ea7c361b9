import {
  actionMatches,
  coversAllActions,
  IAM_ESCALATION_ACTIONS,
  resourceCovers,
  serviceWildcard,
} from './iam-match.js';
import type { PolicyStatement } from './policy.js';

export { evaluateIdentityPolicies } from './identity-policies.js';

/** Judges one statement: a failing/unknown verdict message, or undefined when the statement is fine. */
export type StatementJudge = (
  s: PolicyStatement,
) => { outcome: 'fail' | 'unknown'; message: string } | undefined;

const quote = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');

/** True when the statement's resources include every resource of `service` (see resourceCovers); NotResource counts as all. */
function coversResources(s: PolicyStatement, service: string, resourceType?: string): boolean {
  if (s.notResources.values.length > 0) return true;
  return s.resources.values.some((r) => resourceCovers(r, service, resourceType));
}

/** The statement's resources as a phrase for messages. */
function resourcePhrase(s: PolicyStatement): string {
  if (s.notResources.values.length > 0)
    return `every resource except ${quote(s.notResources.values)} (NotResource)`;
  return `Resource ${quote(s.resources.values)}`;
}

/** True when the statement allows `action`: an Action pattern matches it, or a NotAction list leaves it out. */
function allowsAction(s: PolicyStatement, action: string): boolean {
  if (s.actions.values.some((p) => actionMatches(p, action))) return true;
  return s.notActions.values.length > 0 && !s.notActions.values.some((p) => actionMatches(p, action));
}

/**
 * True when unresolved parts of the statement could complete `dangerousActions` and
 * `coveredResources` into a violation: the actions are dangerous or partly unknown, and the
 * resources are covered or partly unknown, and at least one of the two is partly unknown.
 */
function partlyUnknown(s: PolicyStatement, dangerousActions: boolean, coveredResources: boolean): boolean {
  const actionsUnknown = s.actions.unresolved.length > 0 || s.notActions.unresolved.length > 0;
  const resourcesUnknown = s.resources.unresolved.length > 0 || s.notResources.unresolved.length > 0;
  return (
    (actionsUnknown || resourcesUnknown) &&
    (dangerousActions || actionsUnknown) &&
    (coveredResources || resourcesUnknown)
  );
}

/**
 * What makes a statement full administrator access, if anything: every action (any spelling AWS
 * treats as `*`) on every resource, or an IAM privilege-escalation action (iam-match.ts) on every IAM
 * principal or policy it acts on (through Action, or left allowed by a NotAction list). Returns
 * the reason, or undefined. Effect is not considered.
 */
function adminReason(s: PolicyStatement): string | undefined {
  const all = s.actions.values.filter(coversAllActions);
  if (all.length > 0 && coversResources(s, '*'))
    return `allows ${quote(all)} (every action) on ${resourcePhrase(s)}`;
  const escalations = IAM_ESCALATION_ACTIONS.filter(
    (e) => allowsAction(s, e.action) && coversResources(s, 'iam', e.resource),
  ).map((e) => e.action);
  if (escalations.length === 0) return undefined;
  const how =
    s.notActions.values.length > 0 &&
    !s.actions.values.some((p) => escalations.some((e) => actionMatches(p, e)))
      ? `every action except ${quote(s.notActions.values)} (NotAction), including ${escalations.slice(0, 3).join(', ')}`
      : escalations.slice(0, 3).join(', ');
  return `allows ${how} on ${resourcePhrase(s)}: the holder can grant itself any permission`;
}

/**
 * The {@link StatementJudge} of `aws.iam-no-admin-policy`: `fail` for an Allow statement that is
 * full administrator access (see adminReason); `unknown` when an unresolved Effect, action or
 * resource could make it one; Deny statements never fail.
 */
export const judgeAdmin: StatementJudge = (s) => {
  if (s.effect === 'Deny') return undefined;
  const reason = adminReason(s);
  if (reason && s.effect === 'Allow') return { outcome: 'fail', message: reason };
  if (reason) return { outcome: 'unknown', message: `${reason}, and its Effect is not known statically` };
  const dangerous =
    s.notActions.values.length > 0 ||
    s.actions.values.some(
      (p) => coversAllActions(p) || IAM_ESCALATION_ACTIONS.some((e) => actionMatches(p, e.action)),
    );
  const covered =
    coversResources(s, '*') || IAM_ESCALATION_ACTIONS.some((e) => coversResources(s, 'iam', e.resource));
  if (partlyUnknown(s, dangerous, covered))
    return {
      outcome: 'unknown',
      message:
        'may allow every action, or IAM permission changes, on every resource: part of the statement is not known statically',
    };
  return undefined;
};

/** The services whose every resource a resource pattern names: `*` for all, else the ARN's service when covered. */
function coveredService(pattern: string): string | undefined {
  if (resourceCovers(pattern, '*')) return '*';
  const service = pattern.split(':')[2];
  if (service === undefined || service === '' || /[*?]/.test(service)) return undefined;
  return resourceCovers(pattern, service) ? service : undefined;
}

/**
 * What makes a statement a service-wide wildcard on all that service's resources: an Action
 * pattern granting every action of a service (`s3:*`, `s3:?*`, `*`) on resources naming every
 * resource of that service (`*`, `arn:aws:s3:::*`, NotResource), or a NotAction statement on such
 * resources. Returns the reason, or undefined. Effect is not considered.
 */
function wildcardReason(s: PolicyStatement): string | undefined {
  const covered = s.notResources.values.length > 0 ? ['*'] : s.resources.values.map(coveredService);
  const coversService = (svc: string) =>
    covered.some(
      (c) => c === '*' || (c !== undefined && (svc === '*' || actionMatches(`${svc}:x`, `${c}:x`))),
    );
  const hits: string[] = [];
  for (const p of s.actions.values) {
    const svc = serviceWildcard(p);
    if (svc !== undefined && coversService(svc)) hits.push(`"${p}"`);
  }
  if (s.notActions.values.length > 0 && covered.some((c) => c !== undefined))
    hits.push(`every action except ${quote(s.notActions.values)} (NotAction)`);
  if (hits.length === 0) return undefined;
  return `allows ${hits.join(', ')} on ${resourcePhrase(s)}`;
}

/**
 * The {@link StatementJudge} of `aws.iam-policy-no-wildcard-actions`: `fail` for an Allow statement
 * with a service-wide wildcard on all of that service's resources (see wildcardReason); `unknown`
 * when an unresolved part could make it one.
 */
export const judgeWildcard: StatementJudge = (s) => {
  if (s.effect === 'Deny') return undefined;
  const reason = wildcardReason(s);
  if (reason && s.effect === 'Allow') return { outcome: 'fail', message: reason };
  if (reason) return { outcome: 'unknown', message: `${reason}, and its Effect is not known statically` };
  const dangerous =
    s.notActions.values.length > 0 || s.actions.values.some((p) => serviceWildcard(p) !== undefined);
  const covered =
    s.notResources.values.length > 0 || s.resources.values.some((r) => coveredService(r) !== undefined);
  if (partlyUnknown(s, dangerous, covered))
    return {
      outcome: 'unknown',
      message: 'may allow a wildcard action on all resources: part of the statement is not known statically',
    };
  return undefined;
};

/** True when an IAM action pattern grants every action of every service (any spelling, see iam-match.ts). */
export function isAllActions(action: string): boolean {
  return coversAllActions(action);
}

/** True when an IAM action pattern grants every action of some service, or of all (`s3:*`, `s3:?*`, `*`). */
export function isServiceWildcard(action: string): boolean {
  return serviceWildcard(action) !== undefined;
}

// How AWS matches IAM policy elements, as the checks need it: actions and resources are glob
// patterns (`*` any run of characters, `?` one character; IAM User Guide, "IAM JSON policy elements:
// Action" and "Resource"), actions compare case-insensitively, ARNs case-sensitively. Equivalent
// spellings therefore judge alike: `s3:*`, `s3:?*`, `s3:**` and `S3:*` all grant every S3 action;
// `*`, `arn:*` and `arn:aws:*:*:*:*` all name every resource.
//
// "Covers" questions are answered with sentinel characters that no policy literal contains: a pattern
// covers every action of a service when it matches `service:` followed by any run of sentinels, which
// only wildcards can consume.

/** A character no action name or ARN contains, so only `*` and `?` can match it. */
const SENTINEL = '\u0001';

const regexCache = new Map<string, RegExp>();

/** The anchored regular expression of an IAM glob pattern (`*` → `.*`, `?` → `.`; `s` flag). */
function globRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'si' : 's');
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** True when IAM action pattern `pattern` matches action `action` (`service:Name`), case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  return globRegex(pattern, true).test(action);
}

/** Sentinel runs long enough to need a `*`: one character, and one more than the pattern's `?` count. */
function sentinelRuns(pattern: string): string[] {
  const q = pattern.split('?').length - 1;
  return [SENTINEL, SENTINEL.repeat(q + 2)];
}

/** True when `pattern` matches every action of every service (`*`, `*:*`, `**`, `?*:*`, ...). */
export function coversAllActions(pattern: string): boolean {
  const re = globRegex(pattern, true);
  const runs = sentinelRuns(pattern);
  return runs.every((svc) => runs.every((name) => re.test(`${svc}${svc}:${name}`)));
}

/**
 * The service whose every action `pattern` matches (`s3` for `s3:*`, `s3:?*`, `S3:**`, `s3*`),
 * `*` when it matches every action of every service, or undefined when it names particular actions
 * (`s3:Get*`). A pattern with wildcards in the service part (`s*:*`) covers every action of each
 * service it matches; it is reported with its service part as written.
 */
export function serviceWildcard(pattern: string): string | undefined {
  if (coversAllActions(pattern)) return '*';
  const colon = pattern.indexOf(':');
  const service = (colon < 0 ? pattern.replace(/[*?].*$/, '') : pattern.slice(0, colon)).toLowerCase();
  // The service name as the pattern writes it, with wildcards standing for one letter each.
  const probe = service.replace(/[*?]/g, 'x');
  if (probe === '') return undefined;
  const re = globRegex(pattern, true);
  return sentinelRuns(pattern).every((name) => re.test(`${probe}:${name}`)) ? service : undefined;
}

/**
 * IAM actions that let their holder grant itself, or take over a principal with, any permission
 * (the privilege-escalation methods of Rhino Security Labs' "AWS IAM Privilege Escalation", which
 * AWS's own guidance on `iam:*` echoes). Each names the kind of IAM resource it acts on.
 * An Allow of one of these on every resource of that kind is full administrator access.
 */
export const IAM_ESCALATION_ACTIONS: readonly {
  action: string;
  resource: 'user' | 'role' | 'group' | 'policy';
}[] = [
  { action: 'iam:PutUserPolicy', resource: 'user' },
  { action: 'iam:AttachUserPolicy', resource: 'user' },
  { action: 'iam:CreateAccessKey', resource: 'user' },
  { action: 'iam:CreateLoginProfile', resource: 'user' },
  { action: 'iam:UpdateLoginProfile', resource: 'user' },
  { action: 'iam:PutRolePolicy', resource: 'role' },
  { action: 'iam:AttachRolePolicy', resource: 'role' },
  { action: 'iam:UpdateAssumeRolePolicy', resource: 'role' },
  { action: 'iam:PutGroupPolicy', resource: 'group' },
  { action: 'iam:AttachGroupPolicy', resource: 'group' },
  { action: 'iam:AddUserToGroup', resource: 'group' },
  { action: 'iam:CreatePolicyVersion', resource: 'policy' },
  { action: 'iam:SetDefaultPolicyVersion', resource: 'policy' },
];

/** The partitions an ARN may name (`arn:PARTITION:...`). */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

/** Literal 12-digit account ids and region names written in `pattern`, tried besides wildcards. */
function literalsIn(pattern: string): { regions: string[]; accounts: string[] } {
  const parts = pattern.split(':');
  const region = parts[3];
  const account = parts[4];
  return {
    regions: region && !/[*?]/.test(region) ? [region] : [],
    accounts: account && /^\d{12}$/.test(account) ? [account] : [],
  };
}

/**
 * True when resource pattern `pattern` names every resource of `service` (`*` for every service)
 * that an account could hold: `*`, `arn:*`, `arn:aws:*:*:*:*`, `arn:aws:s3:::*`,
 * `arn:aws:iam::*:*`, `arn:aws:iam::123456789012:*`. The resource part must be a wildcard; a literal
 * region or account in the pattern counts as "the account's" (an account policy names its own).
 * `resourceType` narrows to one kind of resource (`user` covers `arn:aws:iam::*:user/*`).
 */
export function resourceCovers(pattern: string, service: string, resourceType?: string): boolean {
  const re = globRegex(pattern, false);
  const { regions, accounts } = literalsIn(pattern);
  const svcs = service === '*' ? [SENTINEL.repeat(2), `${SENTINEL}${SENTINEL}${SENTINEL}`] : [service];
  const rest = resourceType
    ? [`${resourceType}/${SENTINEL}`, `${resourceType}/${SENTINEL}/${SENTINEL}`]
    : sentinelRuns(pattern);
  for (const partition of PARTITIONS) {
    for (const svc of svcs) {
      for (const region of ['', SENTINEL, ...regions]) {
        for (const account of ['', SENTINEL, ...accounts]) {
          if (service === '*' && (region === '' || account === '')) continue;
          if (rest.every((r) => re.test(`arn:${partition}:${svc}:${region}:${account}:${r}`))) return true;
        }
      }
    }
  }
  return false;
}

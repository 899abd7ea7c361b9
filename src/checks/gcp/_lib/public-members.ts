import type { CheckContext } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved, type Unresolved } from '../../../core/unresolved.js';
import {
  isTfObject,
  readBlocks,
  readStrings,
  unresolvedText,
  type Verdict,
} from '../../_lib/terraform-values.js';

/** IAM principals / ACL entities that mean "anyone": every internet user, or every Google account. */
export const PUBLIC_PRINCIPALS: readonly string[] = ['allUsers', 'allAuthenticatedUsers'];

/** True when an IAM member (`allUsers`) or ACL entity / role_entity (`READER:allUsers`) is public. */
export function isPublicPrincipal(member: string): boolean {
  const entity = member.slice(member.lastIndexOf(':') + 1).trim();
  return PUBLIC_PRINCIPALS.some((p) => p.toLowerCase() === entity.toLowerCase());
}

/**
 * Judges a list attribute of principals (`members`, `role_entity`) or a single one (`member`,
 * `entity`): fail naming the public principals, unknown when some element is unresolved, else pass.
 */
export function judgePrincipals(resource: TerraformResource, key: string, what: string): Verdict {
  const { values, unresolved } = readStrings(resource.attributes, key);
  const pub = values.filter(isPublicPrincipal);
  if (pub.length)
    return { outcome: 'fail', message: `${key} grants ${what} to ${pub.join(', ')}`, path: key };
  if (unresolved.length) {
    return {
      outcome: 'unknown',
      message: `${unresolvedText(key, unresolved[0]!)}: whether it grants ${what} to allUsers is unknown`,
      path: key,
    };
  }
  return { outcome: 'pass', message: `${key} names no public principal` };
}

/** Members of the bindings of IAM policy JSON text (`{"bindings":[{"role":..,"members":[..]}]}`). */
function membersOfPolicyJson(text: string): string[] | undefined {
  try {
    const doc = JSON.parse(text) as { bindings?: { members?: unknown }[] };
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.bindings)) return undefined;
    return doc.bindings.flatMap((b) =>
      Array.isArray(b?.members) ? b.members.filter((m) => typeof m === 'string') : [],
    );
  } catch {
    return undefined;
  }
}

/**
 * Judges `google_storage_bucket_iam_policy.policy_data`: literal policy JSON is parsed; a reference
 * to a `data.google_iam_policy` in the same root module is followed to its `binding` blocks.
 * Anything else is unknown.
 */
export function judgePolicyData(resource: TerraformResource, ctx: CheckContext): Verdict {
  const key = 'policy_data';
  const v = resource.attributes[key];
  if (typeof v === 'string') {
    const members = membersOfPolicyJson(v);
    if (!members)
      return { outcome: 'unknown', message: `${key} is not IAM policy JSON with bindings`, path: key };
    const pub = members.filter(isPublicPrincipal);
    return pub.length
      ? { outcome: 'fail', message: `${key} grants bucket access to ${pub.join(', ')}`, path: key }
      : { outcome: 'pass', message: `${key} names no public principal` };
  }
  const refs = new Set([...(resource.references[key] ?? []), ...(isUnresolved(v) ? v.refs : [])]);
  const docs = ctx.terraform
    .ofType('data.google_iam_policy')
    .filter((d) => d.rootModule === resource.rootModule && (refs.has(d.baseAddress) || refs.has(d.address)));
  if (docs.length === 0) {
    const why = isUnresolved(v) ? unresolvedText(key, v) : `${key} is not set or not a string`;
    return {
      outcome: 'unknown',
      message: `${why}: whether the policy grants public access is unknown`,
      path: key,
    };
  }
  const pub: string[] = [];
  let unknown: Unresolved | undefined;
  for (const d of docs) {
    const bindings = readBlocks(d.attributes, 'binding');
    if (isUnresolved(bindings)) {
      unknown ??= bindings;
      continue;
    }
    for (const b of bindings) {
      if (!isTfObject(b)) {
        unknown ??= b;
        continue;
      }
      const m = readStrings(b, 'members');
      pub.push(...m.values.filter(isPublicPrincipal));
      unknown ??= m.unresolved[0];
    }
  }
  const via = docs.map((d) => d.address).join(', ');
  if (pub.length)
    return {
      outcome: 'fail',
      message: `${key} from ${via} grants bucket access to ${pub.join(', ')}`,
      path: key,
    };
  if (unknown) {
    return {
      outcome: 'unknown',
      message: `${unresolvedText(`${via} binding members`, unknown)}: whether the policy is public is unknown`,
      path: key,
    };
  }
  return { outcome: 'pass', message: `${key} from ${via} names no public principal` };
}

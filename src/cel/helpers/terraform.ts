// Terraform helpers for rule expressions: companion lookup (TerraformIndex linking, as the S3
// checks use it) and IAM policy documents (src/checks/aws/_lib/policy.ts).

import { isAllActions, isServiceWildcard } from '../../checks/aws/_lib/iam.js';
import {
  documentStatements,
  type PolicyRead,
  type PolicyValues,
  readPolicy,
} from '../../checks/aws/_lib/policy.js';
import type { TerraformResource } from '../../core/facts.js';
import type { LinkSpec } from '../../core/terraform-index.js';
import { isUnresolved } from '../../core/unresolved.js';
import type { CallSite, CelFunction } from '../function.js';
import type { RuleHost } from '../host.js';
import { PartialList, Unknown } from '../value.js';

/**
 * The attribute by which companions of a resource type name it, for `related(type)` without an
 * attribute: provider v4+ split S3 resources name their bucket in `bucket` (its name or id).
 */
export function defaultLink(targetType: string, companionType: string): LinkSpec | undefined {
  if (targetType === 'aws_s3_bucket' && companionType.startsWith('aws_s3_bucket_'))
    return { attribute: 'bucket', targetAttributes: ['bucket', 'id'] };
  return undefined;
}

function terraformOf(site: CallSite): { host: RuleHost; resource: TerraformResource } {
  const host = site.a.host as RuleHost;
  if (!host.terraform) throw new Error(`${site.name}() is only available in terraform rules`);
  return { host, resource: host.terraform };
}

/** True when any of `companion`'s attributes references `target` (expression references, Unresolved refs). */
function referencesTarget(host: RuleHost, companion: TerraformResource, target: TerraformResource): boolean {
  const attrs = new Set([...Object.keys(companion.references), ...Object.keys(companion.attributes)]);
  for (const attribute of attrs) {
    const v = companion.attributes[attribute];
    if (!(companion.references[attribute]?.length || (isUnresolved(v) && v.refs.length))) continue;
    if (host.ctx.terraform.points(companion, target, { attribute })) return true;
  }
  return false;
}

/**
 * `related(type[, attribute])`: the attribute objects of the companions of `type` in the subject's
 * root module that point at the subject. With `attribute` (or a known default, see
 * {@link defaultLink}), a companion points at the subject when that attribute references it or holds
 * the subject's known `id`, `name`, `arn` or same-named attribute value; a companion whose attribute
 * is unresolved and references nothing may name the subject, so the list's membership is unknown.
 * Without one, any attribute referencing the subject links it.
 */
function related(args: unknown[], site: CallSite): unknown {
  const { host, resource } = terraformOf(site);
  const [type, attribute] = args as [unknown, unknown];
  if (typeof type !== 'string') throw new Error('the resource type must be a string');
  if (attribute !== undefined && typeof attribute !== 'string')
    throw new Error('the attribute must be a string');
  const spec: LinkSpec | undefined =
    attribute !== undefined
      ? { attribute, targetAttributes: [attribute, 'id', 'name', 'arn'] }
      : defaultLink(resource.type, type);
  const candidates = host.ctx.terraform
    .ofType(type)
    .filter((c) => c.rootModule === resource.rootModule && c !== resource);
  const out: unknown[] = [];
  let unknown: Unknown | undefined;
  for (const c of candidates) {
    const linked = spec ? host.ctx.terraform.points(c, resource, spec) : referencesTarget(host, c, resource);
    if (linked) {
      host.addRoot(c.attributes, c.address);
      out.push(c.attributes);
      continue;
    }
    if (!spec) continue;
    const v = c.attributes[spec.attribute];
    if (isUnresolved(v) && v.refs.length === 0 && (c.references[spec.attribute] ?? []).length === 0) {
      unknown = Unknown.merge(
        unknown,
        new Unknown([
          {
            path: `${c.address}.${spec.attribute}`,
            reason: `${v.reason}; it may name this resource`,
          },
        ]),
      );
    }
  }
  return unknown ? new PartialList(out, unknown) : out;
}

function valuesOf(v: PolicyValues, path: string): unknown {
  if (v.unresolved.length === 0) return v.values;
  return new PartialList(v.values, new Unknown(v.unresolved.map((reason) => ({ path, reason }))));
}

/** The statements of a policy read as CEL maps (see the `policyStatements` doc below). */
export function statementsValue(read: PolicyRead, path: string): unknown {
  if (read.state === 'unresolved') return new Unknown([{ path, reason: read.reason }]);
  if (read.state === 'invalid') return new Unknown([{ path, reason: `${read.reason}; AWS would reject it` }]);
  return read.statements.map((s) => {
    const at = `${path} ${s.label}`;
    return {
      label: s.label,
      effect:
        s.effect ?? new Unknown([{ path: `${at} Effect`, reason: 'the effect is not known statically' }]),
      actions: valuesOf(s.actions, `${at} Action`),
      notActions: valuesOf(s.notActions, `${at} NotAction`),
      resources: valuesOf(s.resources, `${at} Resource`),
      notResources: valuesOf(s.notResources, `${at} NotResource`),
      principals: valuesOf(s.principals, `${at} Principal`),
      notPrincipals: valuesOf(s.notPrincipals, `${at} NotPrincipal`),
      hasCondition: s.hasCondition,
      conditionKeys: s.conditions.unresolved.length
        ? new PartialList(
            s.conditions.entries.map((e) => e.key),
            new Unknown(s.conditions.unresolved.map((reason) => ({ path: `${at} Condition`, reason }))),
          )
        : s.conditions.entries.map((e) => e.key),
    };
  });
}

/** Terraform-only helpers (docs/policies.md "Helpers"). */
export const TERRAFORM_FUNCTIONS: readonly CelFunction[] = [
  {
    name: 'related',
    usage: 'related(type[, attribute])',
    doc: "the attributes of the companion resources of `type` in the same root module that point at this resource (e.g. `related('aws_s3_bucket_versioning')`); with `attribute`, the companion's attribute that names this resource (by reference, or by this resource's known `id`/`name`/`arn`/same-named value); a companion whose naming attribute is unknown makes the list's membership unknown",
    signatures: ['related(string): list<dyn>', 'related(string, string): list<dyn>'],
    global: true,
    member: false,
    inputs: ['terraform'],
    minArgs: 1,
    maxArgs: 2,
    impl: related,
  },
  {
    name: 'policyStatements',
    usage: 'policyStatements(attribute)',
    doc: 'the statements of the IAM policy in `attribute` of this resource (a JSON string, `jsonencode(...)`, or a reference to a `data.aws_iam_policy_document`; with no argument on a `data.aws_iam_policy_document`, its own statements), each a map `{label, effect, actions, notActions, resources, notResources, principals, notPrincipals, hasCondition, conditionKeys}`; principals read `TYPE:id` (`AWS:*`, `Service:ec2.amazonaws.com`, bare `"*"` is `*:*`); unknown when the policy cannot be read statically',
    signatures: [
      'policyStatements(): list<map<string, dyn>>',
      'policyStatements(string): list<map<string, dyn>>',
    ],
    global: true,
    member: false,
    inputs: ['terraform'],
    minArgs: 0,
    maxArgs: 1,
    impl: (args, site) => {
      const { host, resource } = terraformOf(site);
      const attr = args[0];
      if (attr === undefined) {
        if (resource.type !== 'aws_iam_policy_document' || resource.mode !== 'data')
          throw new Error('policyStatements() without an attribute reads a data.aws_iam_policy_document');
        return statementsValue(documentStatements(resource), 'resource');
      }
      if (typeof attr !== 'string') throw new Error('the attribute must be a string');
      return statementsValue(
        readPolicy(host.ctx, resource, resource.attributes, attr, attr),
        `resource.${attr}`,
      );
    },
  },
  {
    name: 'isWildcardAction',
    usage: 'isWildcardAction(action)',
    doc: 'true when an IAM action grants every action of a service (`s3:*`) or of every service (`*`, `*:*`)',
    signatures: ['isWildcardAction(string): bool'],
    global: true,
    member: false,
    minArgs: 1,
    maxArgs: 1,
    impl: ([a]) => isServiceWildcard(String(a)),
  },
  {
    name: 'isAllActions',
    usage: 'isAllActions(action)',
    doc: 'true when an IAM action grants every action of every service (`*`, `*:*`)',
    signatures: ['isAllActions(string): bool'],
    global: true,
    member: false,
    minArgs: 1,
    maxArgs: 1,
    impl: ([a]) => isAllActions(String(a)),
  },
];

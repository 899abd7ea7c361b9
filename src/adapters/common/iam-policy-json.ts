// IAM policy JSON (the grammar of https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
// read into the model's policy document, from any format whose fact tree holds the JSON document:
// a Terraform `policy` string or jsonencode value, a CloudFormation `PolicyDocument` property.

import type { policyDocument } from '../../model/aws/policy-document.js';
import type { ModelPath } from '../../model/object.js';
import type { ItemOf, RecordOf } from '../../model/schema.js';
import { absent, known, type ListValue, unknown, type Value } from '../../model/value.js';
import { EMPTY_LIST, type FactTree, leafAt, listAt, rawAt, recordAt } from '../tree.js';

/** A policy document of the model. */
export type PolicyDocumentModel = RecordOf<(typeof policyDocument)['fields']>;

/** One statement of a policy document. */
export type PolicyStatementModel = ItemOf<PolicyDocumentModel['statements']>;

type ConditionModel = ItemOf<PolicyStatementModel['conditions']>;

/** A list of strings at `path` (`Action: "s3:GetObject"` is a one-item list). */
export function stringListAt(tree: FactTree, path: ModelPath): ListValue<string> {
  return listAt(tree, path, [], (p) => leafAt(tree, 'string', [], p));
}

/**
 * The policy document whose JSON object is at `base` of `tree`: `Statement` (an object or a list),
 * each statement's `Sid`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`,
 * `Principal`/`NotPrincipal` and `Condition`. A missing `Statement` is an empty list.
 */
export function policyFromJson(tree: FactTree, base: ModelPath): PolicyDocumentModel {
  return {
    statements: listAt(tree, 'Statement', base, (p) => recordAt(tree, p, (sp) => jsonStatement(tree, sp))),
  };
}

function jsonStatement(tree: FactTree, p: ModelPath): PolicyStatementModel {
  return {
    sid: leafAt(tree, 'string', 'Sid', p),
    effect: leafAt(tree, 'string', 'Effect', p),
    actions: stringListAt(tree, [...p, 'Action']),
    notActions: stringListAt(tree, [...p, 'NotAction']),
    resources: stringListAt(tree, [...p, 'Resource']),
    notResources: stringListAt(tree, [...p, 'NotResource']),
    principals: jsonPrincipals(tree, [...p, 'Principal']),
    notPrincipals: jsonPrincipals(tree, [...p, 'NotPrincipal']),
    conditions: jsonConditions(tree, [...p, 'Condition']),
  };
}

/**
 * `Principal` as `<type>:<identifier>` strings: `"*"` is `*:*`, another bare string is an AWS
 * principal, `{ "AWS": [...], "Service": "..." }` gives one item per identifier.
 */
function jsonPrincipals(tree: FactTree, path: ModelPath): ListValue<string> {
  const node = rawAt(tree, path);
  const name = () => tree.name(node.path);
  const location = () => tree.locate(node.path);
  if (node.state === 'absent') return absent(name, location, EMPTY_LIST);
  if (node.state === 'unknown') return unknown(node.unresolved, name, location);
  const v = node.value;
  if (typeof v === 'string')
    return known([known(v === '*' ? '*:*' : `AWS:${v}`, name, location)], name, location);
  if (typeof v !== 'object' || Array.isArray(v)) return known([], name, location);
  const items: Value<string>[] = [];
  for (const type of Object.keys(v as object)) {
    const ids = listAt(tree, [...path, type], [], (p) => leafAt(tree, 'string', [], p));
    if (ids.state === 'unknown') {
      items.push(ids);
      continue;
    }
    for (const id of ids.state === 'known' ? ids.value : [])
      items.push(id.state === 'known' ? known(`${type}:${id.value}`, id.name, id.location) : id);
  }
  return known(items, name, location);
}

/** `Condition` entries: one item per operator and key, with the values compared. */
function jsonConditions(tree: FactTree, path: ModelPath): ListValue<ConditionModel> {
  const node = rawAt(tree, path);
  const name = () => tree.name(node.path);
  const location = () => tree.locate(node.path);
  if (node.state === 'absent') return absent(name, location, EMPTY_LIST);
  if (node.state === 'unknown') return unknown(node.unresolved, name, location);
  if (typeof node.value !== 'object' || Array.isArray(node.value)) return known([], name, location);
  const items: Value<ConditionModel>[] = [];
  for (const operator of Object.keys(node.value as object)) {
    const opPath = [...path, operator];
    const body = rawAt(tree, opPath);
    if (body.state === 'unknown') {
      items.push(
        unknown(
          body.unresolved,
          () => tree.name(opPath),
          () => tree.locate(opPath),
        ),
      );
      continue;
    }
    if (body.state !== 'present' || typeof body.value !== 'object' || Array.isArray(body.value)) continue;
    for (const key of Object.keys(body.value as object)) {
      const keyPath = [...opPath, key];
      const at = () => tree.locate(keyPath);
      items.push(
        known(
          {
            operator: known(operator, tree.name(opPath), at),
            key: known(key, tree.name(keyPath), at),
            values: stringListAt(tree, keyPath),
          },
          tree.name(keyPath),
          at,
        ),
      );
    }
  }
  return known(items, name, location);
}

/** A policy document that is not known statically as a whole (every statement unknown). */
export function unknownPolicy(v: Value<unknown>): PolicyDocumentModel {
  return {
    statements: v.state === 'unknown' ? v : unknown('the policy is not known statically', v.name, v.location),
  };
}

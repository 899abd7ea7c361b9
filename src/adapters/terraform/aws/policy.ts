// IAM policy documents in Terraform: a JSON string (heredoc, `file()`, `jsonencode`), or a reference
// to a `data.aws_iam_policy_document` of the same root module, read into the model's policy document.
import type { TerraformResource, TfValue } from '../../../core/facts.js';
import type { TerraformIndex } from '../../../core/terraform-index.js';
import { isUnresolved } from '../../../core/unresolved.js';
import type { ModelPath } from '../../../model/object.js';
import type { ItemOf } from '../../../model/schema.js';
import { absent, invalid, known, type ListValue, unknown, type Value } from '../../../model/value.js';
import {
  type PolicyDocumentModel,
  type PolicyStatementModel,
  policyFromJson,
  stringListAt,
} from '../../common/iam-policy-json.js';
import { EMPTY_LIST, type FactTree, leafAt, listAt, rawAt } from '../../tree.js';
import { locateAttribute, terraformTree } from '../tree.js';

/** Provider docs of `aws_iam_policy_document`, the source of its statement defaults. */
const POLICY_DOCUMENT_DOC =
  'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document';

/** The `data.aws_iam_policy_document` that `refs` name in `owner`'s root module, if any. */
export function referencedDocument(
  index: TerraformIndex,
  owner: TerraformResource,
  refs: readonly string[],
): TerraformResource | undefined {
  for (const ref of refs) {
    if (!ref.includes('data.aws_iam_policy_document.')) continue;
    const doc = index
      .ofType('data.aws_iam_policy_document')
      .find((d) => d.rootModule === owner.rootModule && (d.baseAddress === ref || d.address === ref));
    if (doc) return doc;
  }
  return undefined;
}

/** Every reference of the policy value at top-level attribute `attr` (expression refs plus Unresolved refs). */
export function policyRefs(owner: TerraformResource, attr: string, value: TfValue | undefined): string[] {
  return [...(owner.references[attr] ?? []), ...(isUnresolved(value) ? value.refs : [])];
}

/** A fact tree over a parsed JSON policy written at `path` of `owner`: every location is the attribute's. */
function jsonTree(owner: TerraformResource, path: ModelPath, doc: unknown): FactTree {
  const at = locateAttribute(owner, path);
  const prefix = path.join('.');
  return {
    dialect: 'terraform',
    root: doc,
    locate: () => at,
    name: (p) => (p.length ? `${prefix} ${p.join('.')}` : prefix),
  };
}

/** The policy document in JSON text `text`, written at `path` of `owner`; invalid JSON gives unknown statements. */
export function policyFromText(owner: TerraformResource, path: ModelPath, text: string): PolicyDocumentModel {
  const name = path.join('.');
  const at = locateAttribute(owner, path);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { statements: invalid(text, `not valid JSON (${(err as Error).message})`, name, at) };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return { statements: invalid(doc, 'not a JSON object', name, at) };
  return policyFromJson(jsonTree(owner, path, doc), []);
}

/**
 * The policy document held at `path` (a top-level attribute, or a nested one such as
 * `inline_policy.0.policy`) of `owner`: when its expression references a `data.aws_iam_policy_document`
 * in the same root module, that document's statements; else the JSON string (or jsonencode object)
 * parsed; absent, null or `""` is a document without statements; an unresolved value gives unknown
 * statements. `refs` are the references of the expression (top-level: {@link policyRefs}).
 */
export function terraformPolicy(
  index: TerraformIndex,
  owner: TerraformResource,
  path: ModelPath,
  refs: readonly string[],
): PolicyDocumentModel {
  const doc = referencedDocument(index, owner, refs);
  if (doc) return documentPolicy(doc);
  const node = rawAt(terraformTree(owner), path);
  const name = path.join('.');
  const at = locateAttribute(owner, path);
  if (node.state === 'absent' || (node.state === 'present' && node.value === ''))
    return { statements: known([], name, at) };
  if (node.state === 'unknown') return { statements: unknown(node.unresolved, name, at) };
  const v = node.value;
  if (typeof v === 'string') return policyFromText(owner, path, v);
  if (typeof v === 'object' && !Array.isArray(v)) return policyFromJson(terraformTree(owner), path);
  return { statements: invalid(v, 'not a policy document string', name, at) };
}

/** The `<type>:<identifier>` principals of a policy document statement's `principals`/`not_principals` blocks. */
function blockPrincipals(tree: FactTree, path: ModelPath): ListValue<string> {
  const blocks = rawAt(tree, path);
  const name = tree.name(path);
  const at = tree.locate(path);
  if (blocks.state === 'absent') return absent(name, at, EMPTY_LIST);
  if (blocks.state === 'unknown') return unknown(blocks.unresolved, name, at);
  const items: Value<string>[] = [];
  const list = Array.isArray(blocks.value) ? blocks.value : [blocks.value];
  list.forEach((_, i) => {
    const bp = [...path, i];
    const b = rawAt(tree, bp);
    if (b.state === 'unknown') {
      items.push(unknown(b.unresolved, tree.name(bp), tree.locate(bp)));
      return;
    }
    const type = leafAt(tree, 'string', 'type', bp);
    const ids = stringListAt(tree, [...bp, 'identifiers']);
    if (ids.state === 'unknown') {
      items.push(ids);
      return;
    }
    for (const id of ids.state === 'known' ? ids.value : []) {
      if (id.state !== 'known') items.push(id);
      else if (type.state === 'unknown') items.push(type);
      else
        items.push(known(`${type.state === 'known' ? type.value : '?'}:${id.value}`, id.name, id.location));
    }
  });
  return known(items, name, at);
}

type ConditionModel = ItemOf<PolicyStatementModel['conditions']>;

/** The `condition { test variable values }` blocks of a policy document statement. */
function blockConditions(tree: FactTree, path: ModelPath): ListValue<ConditionModel> {
  return listAt(tree, path, [], (bp) => {
    const b = rawAt(tree, bp);
    if (b.state === 'unknown') return unknown(b.unresolved, tree.name(bp), tree.locate(bp));
    const operator = leafAt(tree, 'string', 'test', bp);
    const key = leafAt(tree, 'string', 'variable', bp);
    if (operator.state === 'unknown') return operator;
    if (key.state === 'unknown') return key;
    return known(
      { operator, key, values: stringListAt(tree, [...bp, 'values']) },
      tree.name(bp),
      tree.locate(bp),
    );
  });
}

/** One `statement` block of an `aws_iam_policy_document`. */
function blockStatement(tree: FactTree, p: ModelPath): PolicyStatementModel {
  return {
    sid: leafAt(tree, 'string', 'sid', p),
    effect: leafAt(tree, 'string', 'effect', p, {
      value: 'Allow',
      source: `${POLICY_DOCUMENT_DOC}#effect-1`,
    }),
    actions: stringListAt(tree, [...p, 'actions']),
    notActions: stringListAt(tree, [...p, 'not_actions']),
    resources: stringListAt(tree, [...p, 'resources']),
    notResources: stringListAt(tree, [...p, 'not_resources']),
    principals: blockPrincipals(tree, [...p, 'principals']),
    notPrincipals: blockPrincipals(tree, [...p, 'not_principals']),
    conditions: blockConditions(tree, [...p, 'condition']),
  };
}

/** Attributes of `aws_iam_policy_document` holding JSON documents whose statements join the document's. */
const JSON_INPUTS = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'];

/**
 * The statements of a `data.aws_iam_policy_document`: its `statement` blocks (`effect` defaults to
 * Allow), then the statements of `source_policy_documents` / `override_policy_documents` (and the
 * deprecated `source_json` / `override_json`). Any of those not known statically makes the statement
 * list unknown.
 */
export function documentPolicy(doc: TerraformResource): PolicyDocumentModel {
  const tree = terraformTree(doc);
  const blocks = listAt(tree, 'statement', [], (p) => {
    const s = rawAt(tree, p);
    if (s.state === 'unknown') return unknown(s.unresolved, tree.name(p), tree.locate(p));
    return known(blockStatement(tree, p), tree.name(p), tree.locate(p));
  });
  if (blocks.state === 'unknown') return { statements: blocks };
  const items: Value<PolicyStatementModel>[] = [...(blocks.state === 'known' ? blocks.value : [])];
  for (const attr of JSON_INPUTS) {
    const node = rawAt(tree, attr);
    if (node.state === 'absent') continue;
    const at = locateAttribute(doc, [attr]);
    if (node.state === 'unknown') return { statements: unknown(node.unresolved, attr, at) };
    const texts = Array.isArray(node.value) ? node.value : [node.value];
    for (const [i, text] of texts.entries()) {
      if (isUnresolved(text)) return { statements: unknown(text, attr, at) };
      if (typeof text !== 'string') continue;
      const path = Array.isArray(node.value) ? [attr, i] : [attr];
      const read = policyFromText(doc, path, text);
      if (read.statements.state !== 'known') return read;
      items.push(...read.statements.value);
    }
  }
  return { statements: known(items, 'statement', doc.location) };
}

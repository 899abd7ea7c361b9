import type { CheckContext } from '../../../core/check.js';
import type { TerraformResource, TfObject, TfValue } from '../../../core/facts.js';
import type { SourceLocation } from '../../../core/location.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { isTfObject, locate, readBlocks } from '../../_lib/terraform-values.js';

/** A list of strings from a policy field, with whatever part of it could not be resolved. */
export interface PolicyValues {
  values: string[];
  /** Reasons of unresolved elements (or of the whole field). */
  unresolved: string[];
}

/**
 * One IAM policy statement, normalised from policy JSON (IAM policy grammar: `Effect`, `Action`,
 * `NotAction`, `Resource`, `NotResource`, `Principal`, `Condition`) or from a
 * `data.aws_iam_policy_document` `statement` block.
 */
export interface PolicyStatement {
  /** `Allow` or `Deny` (IAM default for data documents: `Allow`); undefined when unresolved. */
  effect: 'Allow' | 'Deny' | undefined;
  actions: PolicyValues;
  resources: PolicyValues;
  /** Principals as `<type>:<identifier>`, e.g. `AWS:*`, `Service:s3.amazonaws.com`; the bare JSON `"*"` gives `*:*`. */
  principals: PolicyValues;
  /** `NotAction` (`not_actions`): the statement applies to every action except these. */
  notActions: PolicyValues;
  /** `NotResource` (`not_resources`): the statement applies to every resource except these. */
  notResources: PolicyValues;
  /** `NotPrincipal` (`not_principals`) as `<type>:<identifier>`: every principal except these. */
  notPrincipals: PolicyValues;
  /** True when the statement has a Condition (any: it may restrict the grant). */
  hasCondition: boolean;
  /**
   * The Condition's entries: operator (`StringEquals`, `ForAnyValue:StringLike`, `Bool`...) and
   * condition key (`aws:SourceVpce`) as written, with the values compared (a single value reads as a
   * one-element list); `unresolved` holds reasons of entries (or of the whole Condition) that could
   * not be read.
   */
  conditions: { entries: { operator: string; key: string; values: PolicyValues }[]; unresolved: string[] };
  /** Human label, e.g. `statement 1` or `statement "AllowRead"`. */
  label: string;
  /** The statement's Sid when non-empty (a policy document's own statement replaces a source statement with the same Sid). */
  sid?: string;
  location: SourceLocation;
}

/** The statements of one policy, or why they could not be read. */
export type PolicyRead =
  | { state: 'ok'; statements: PolicyStatement[] }
  | { state: 'unresolved'; reason: string; location: SourceLocation }
  | { state: 'invalid'; reason: string; location: SourceLocation };

const EMPTY: PolicyValues = { values: [], unresolved: [] };

function values(v: TfValue | unknown): PolicyValues {
  if (v === undefined || v === null) return EMPTY;
  if (isUnresolved(v)) return { values: [], unresolved: [v.reason] };
  const list = Array.isArray(v) ? v : [v];
  const out: PolicyValues = { values: [], unresolved: [] };
  for (const x of list) {
    if (isUnresolved(x)) out.unresolved.push(x.reason);
    else if (typeof x === 'string') out.values.push(x);
  }
  return out;
}

/** Condition values as strings (bools and numbers as their JSON text, as IAM compares them). */
function conditionValues(v: unknown): PolicyValues {
  if (v === undefined || v === null) return EMPTY;
  if (isUnresolved(v)) return { values: [], unresolved: [v.reason] };
  const out: PolicyValues = { values: [], unresolved: [] };
  for (const x of Array.isArray(v) ? v : [v]) {
    if (isUnresolved(x)) out.unresolved.push(x.reason);
    else if (typeof x === 'string') out.values.push(x);
    else if (typeof x === 'number' || typeof x === 'boolean') out.values.push(String(x));
  }
  return out;
}

function merge(a: PolicyValues, b: PolicyValues): PolicyValues {
  return { values: [...a.values, ...b.values], unresolved: [...a.unresolved, ...b.unresolved] };
}

function jsonPrincipals(p: unknown): PolicyValues {
  if (p === undefined || p === null) return EMPTY;
  if (typeof p === 'string') return { values: [p === '*' ? '*:*' : `AWS:${p}`], unresolved: [] };
  if (typeof p !== 'object' || Array.isArray(p)) return EMPTY;
  let out = EMPTY;
  for (const [type, ids] of Object.entries(p as Record<string, unknown>)) {
    const v = values(ids as TfValue);
    out = merge(out, { values: v.values.map((id) => `${type}:${id}`), unresolved: v.unresolved });
  }
  return out;
}

function jsonConditions(c: unknown): PolicyStatement['conditions'] {
  const out: PolicyStatement['conditions'] = { entries: [], unresolved: [] };
  if (c === undefined || c === null) return out;
  if (isUnresolved(c)) {
    out.unresolved.push(c.reason);
    return out;
  }
  if (typeof c !== 'object' || Array.isArray(c)) return out;
  for (const [operator, body] of Object.entries(c as Record<string, unknown>)) {
    if (isUnresolved(body)) out.unresolved.push(body.reason);
    else if (body && typeof body === 'object' && !Array.isArray(body))
      for (const [key, vals] of Object.entries(body as Record<string, unknown>))
        out.entries.push({ operator, key, values: conditionValues(vals) });
  }
  return out;
}

/**
 * Parses IAM policy JSON text into statements. `location` is where the policy text is written.
 * Returns `invalid` for text that is not JSON or has no Statement.
 */
export function parsePolicyJson(text: string, location: SourceLocation): PolicyRead {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { state: 'invalid', reason: `the policy is not valid JSON (${(err as Error).message})`, location };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { state: 'invalid', reason: 'the policy JSON is not an object', location };
  }
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) return { state: 'ok', statements: [] };
  const list = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  list.forEach((s, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return;
    const st = s as Record<string, unknown>;
    const effect = st.Effect === 'Allow' || st.Effect === 'Deny' ? st.Effect : undefined;
    const sid = typeof st.Sid === 'string' && st.Sid ? ` "${st.Sid}"` : ` ${i}`;
    statements.push({
      sid: typeof st.Sid === 'string' && st.Sid ? st.Sid : undefined,
      effect,
      actions: values(st.Action as TfValue),
      resources: values(st.Resource as TfValue),
      notActions: values(st.NotAction as TfValue),
      notResources: values(st.NotResource as TfValue),
      principals: jsonPrincipals(st.Principal),
      notPrincipals: jsonPrincipals(st.NotPrincipal),
      hasCondition:
        st.Condition !== undefined && st.Condition !== null && Object.keys(st.Condition).length > 0,
      conditions: jsonConditions(st.Condition),
      label: `statement${sid}`,
      location,
    });
  });
  return { state: 'ok', statements };
}

/** `principals` / `not_principals` blocks of a policy-document statement as `<type>:<identifier>`. */
function documentPrincipals(s: TfObject, key: string): PolicyValues {
  let out = EMPTY;
  const blocks = readBlocks(s, key);
  if (isUnresolved(blocks)) return { values: [], unresolved: [blocks.reason] };
  for (const p of blocks) {
    if (isUnresolved(p)) {
      out = merge(out, { values: [], unresolved: [p.reason] });
      continue;
    }
    const type = typeof p.type === 'string' ? p.type : '?';
    const ids = values(p.identifiers);
    out = merge(out, { values: ids.values.map((id) => `${type}:${id}`), unresolved: ids.unresolved });
  }
  return out;
}

/** `condition { test variable values }` blocks of a policy-document statement. */
function documentConditions(s: TfObject): PolicyStatement['conditions'] {
  const out: PolicyStatement['conditions'] = { entries: [], unresolved: [] };
  const blocks = readBlocks(s, 'condition');
  if (isUnresolved(blocks)) return { entries: [], unresolved: [blocks.reason] };
  for (const c of blocks) {
    if (isUnresolved(c)) out.unresolved.push(c.reason);
    else if (isUnresolved(c.test)) out.unresolved.push(c.test.reason);
    else if (isUnresolved(c.variable)) out.unresolved.push(c.variable.reason);
    else if (typeof c.test === 'string' && typeof c.variable === 'string')
      out.entries.push({ operator: c.test, key: c.variable, values: conditionValues(c.values) });
  }
  return out;
}

/**
 * Reads the statements of a `data.aws_iam_policy_document`: its `statement` blocks (effect defaults
 * to Allow; `principals { type identifiers }`; `condition` blocks) plus any
 * `source_policy_documents` / `override_policy_documents` JSON strings.
 */
export function documentStatements(doc: TerraformResource): PolicyRead {
  const out: PolicyStatement[] = [];
  const stmts = readBlocks(doc.attributes, 'statement');
  if (isUnresolved(stmts)) {
    return {
      state: 'unresolved',
      reason: `statement is not known statically (${stmts.reason})`,
      location: doc.location,
    };
  }
  const own: PolicyStatement[] = [];
  for (const [i, s] of stmts.entries()) {
    const location = locate(doc, `statement.${i}`);
    if (isUnresolved(s))
      return {
        state: 'unresolved',
        reason: `statement ${i} is not known statically (${s.reason})`,
        location,
      };
    const eff = s.effect;
    const effect =
      eff === undefined || eff === null ? 'Allow' : eff === 'Allow' || eff === 'Deny' ? eff : undefined;
    const conditions = s.condition;
    const sid = typeof s.sid === 'string' && s.sid ? s.sid : undefined;
    own.push({
      effect,
      actions: values(s.actions),
      resources: values(s.resources),
      notActions: values(s.not_actions),
      notResources: values(s.not_resources),
      principals: documentPrincipals(s, 'principals'),
      notPrincipals: documentPrincipals(s, 'not_principals'),
      hasCondition: Array.isArray(conditions)
        ? conditions.length > 0
        : conditions !== undefined && conditions !== null,
      conditions: documentConditions(s),
      label: `statement${sid ? ` "${sid}"` : ` ${i}`}`,
      sid,
      location,
    });
  }
  // The AWS provider's merge order: statements of `source_policy_documents` (`source_json`) first,
  // then the document's own statements, then `override_policy_documents` (`override_json`); a
  // statement with a non-empty Sid replaces an earlier one with the same Sid (provider docs,
  // data source aws_iam_policy_document, "Example Source Policy Documents / Override").
  const sources = jsonDocuments(doc, ['source_policy_documents', 'source_json']);
  if (sources.state !== 'ok') return sources;
  const overrides = jsonDocuments(doc, ['override_policy_documents', 'override_json']);
  if (overrides.state !== 'ok') return overrides;
  for (const st of [...sources.statements, ...own, ...overrides.statements]) {
    const i = st.sid === undefined ? -1 : out.findIndex((x) => x.sid === st.sid);
    if (i >= 0) out[i] = st;
    else out.push(st);
  }
  return { state: 'ok', statements: out };
}

/** Statements of the policy JSON strings in `attrs` of a policy document, in order. */
function jsonDocuments(doc: TerraformResource, attrs: readonly string[]): PolicyRead {
  const out: PolicyStatement[] = [];
  for (const attr of attrs) {
    const v = doc.attributes[attr];
    if (v === undefined || v === null) continue;
    for (const text of Array.isArray(v) ? v : [v]) {
      if (isUnresolved(text)) {
        return {
          state: 'unresolved',
          reason: `${attr} is not known statically (${text.reason})`,
          location: locate(doc, attr),
        };
      }
      if (typeof text !== 'string') continue;
      const read = parsePolicyJson(text, locate(doc, attr));
      if (read.state !== 'ok') return read;
      out.push(...read.statements);
    }
  }
  return { state: 'ok', statements: out };
}

/** The `data.aws_iam_policy_document` a value or attribute references (same root module), if any. */
export function referencedDocument(
  ctx: CheckContext,
  owner: TerraformResource,
  refs: readonly string[],
): TerraformResource | undefined {
  for (const ref of refs) {
    if (!ref.includes('data.aws_iam_policy_document.')) continue;
    const doc = ctx.terraform
      .ofType('data.aws_iam_policy_document')
      .find((d) => d.rootModule === owner.rootModule && (d.baseAddress === ref || d.address === ref));
    if (doc) return doc;
  }
  return undefined;
}

/** All reference addresses of the policy value at `path` (top-level references plus Unresolved refs). */
export function policyRefs(owner: TerraformResource, attr: string, value: TfValue | undefined): string[] {
  return [...(owner.references[attr] ?? []), ...(isUnresolved(value) ? value.refs : [])];
}

/**
 * Reads the policy held in attribute `attr` of `obj` (which belongs to `owner`; `path` is the
 * attribute's path for locations): a JSON string (jsonencode, heredoc, file) or a reference to a
 * `data.aws_iam_policy_document` in the same root module (its statements are read), else unresolved.
 * Absent/empty gives no statements.
 */
export function readPolicy(
  ctx: CheckContext,
  owner: TerraformResource,
  obj: TfObject,
  attr: string,
  path: string,
): PolicyRead {
  const v = obj[attr];
  const location = locate(owner, path);
  const doc = documentOf(ctx, owner, attr, v);
  if (doc) return documentStatements(doc);
  if (v === undefined || v === null || v === '') return { state: 'ok', statements: [] };
  if (isUnresolved(v))
    return { state: 'unresolved', reason: `${path} is not known statically (${v.reason})`, location };
  if (typeof v === 'string') return parsePolicyJson(v, location);
  if (isTfObject(v)) return parsePolicyJson(JSON.stringify(v), location);
  return { state: 'invalid', reason: `${path} is not a policy document string`, location };
}

/**
 * The `data.aws_iam_policy_document` (same root module) whose `json` the value `v` of `owner`'s
 * attribute `attr` is exactly, or undefined. A policy built from a document's JSON
 * (`jsonencode(concat(jsondecode(data.d.json).Statement, [...]))`) is not the document: it is read
 * as what it evaluates to. For plan JSON, where an unknown value carries no expression, an unknown
 * value whose only references are the document's counts as the document.
 */
export function documentOf(
  ctx: CheckContext,
  owner: TerraformResource,
  attr: string,
  v: TfValue | undefined,
): TerraformResource | undefined {
  const doc = referencedDocument(ctx, owner, policyRefs(owner, attr, v));
  if (!doc) return undefined;
  if (typeof v === 'string')
    return v === doc.attributes.json || v === doc.attributes.minified_json ? doc : undefined;
  if (!isUnresolved(v)) return undefined;
  if (v.computed)
    return v.computed.address === doc.address || v.computed.address === doc.baseAddress ? doc : undefined;
  if (owner.origin !== 'plan') return undefined;
  const refs = owner.references[attr] ?? [];
  return refs.length > 0 && refs.every((r) => r === doc.baseAddress || r === doc.address) ? doc : undefined;
}

/** True when an unresolved marker or reason list is non-empty. */
export function hasUnresolved(v: PolicyValues): boolean {
  return v.unresolved.length > 0;
}

import type { TfObject, TfValue } from '../../core/facts.js';
import { isUnresolved, type Unresolved } from '../../core/unresolved.js';
import { toJsonValue } from './functions.js';
import { isObj, UnresolvedSignal, unresolvedFrom } from './values.js';

type Json = unknown;

function blocks(v: TfValue | undefined): TfObject[] {
  if (v === undefined || v === null) return [];
  if (isUnresolved(v)) throw new UnresolvedSignal(v);
  if (!Array.isArray(v)) return [];
  return v.filter(isObj);
}

/** A list attribute as JSON: one element → that element (the AWS provider writes `"Action": "s3:GetObject"`). */
function oneOrList(v: TfValue | undefined): Json {
  if (v === undefined || v === null) return undefined;
  const j = toJsonValue(v);
  if (Array.isArray(j)) return j.length === 1 ? j[0] : j.length ? j : undefined;
  return j;
}

function principals(v: TfValue | undefined): Json {
  const bs = blocks(v);
  if (!bs.length) return undefined;
  const out: Record<string, Json> = {};
  for (const b of bs) {
    const type = toJsonValue(b.type ?? null);
    const ids = toJsonValue(b.identifiers ?? []);
    if (type === '*' && Array.isArray(ids) && ids.length === 1 && ids[0] === '*' && bs.length === 1)
      return '*';
    const key = String(type);
    const prev = out[key];
    const list = [
      ...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]),
      ...(Array.isArray(ids) ? ids : [ids]),
    ];
    out[key] = list.length === 1 ? list[0] : list;
  }
  return out;
}

function conditions(v: TfValue | undefined): Json {
  const bs = blocks(v);
  if (!bs.length) return undefined;
  const out: Record<string, Record<string, Json>> = {};
  for (const b of bs) {
    const test = String(toJsonValue(b.test ?? null));
    const variable = String(toJsonValue(b.variable ?? null));
    const vals = toJsonValue(b.values ?? []);
    const list = Array.isArray(vals) ? vals : [vals];
    const byVar = out[test] ?? {};
    byVar[variable] = list.length === 1 ? list[0] : list;
    out[test] = byVar;
  }
  return out;
}

function statement(s: TfObject): Record<string, Json> {
  const st: Record<string, Json> = {};
  const sid = s.sid === undefined || s.sid === null ? undefined : toJsonValue(s.sid);
  if (sid !== undefined && sid !== '') st.Sid = sid;
  st.Effect = s.effect === undefined || s.effect === null ? 'Allow' : toJsonValue(s.effect);
  const fields: [string, Json][] = [
    ['Action', oneOrList(s.actions)],
    ['NotAction', oneOrList(s.not_actions)],
    ['Resource', oneOrList(s.resources)],
    ['NotResource', oneOrList(s.not_resources)],
    ['Principal', principals(s.principals)],
    ['NotPrincipal', principals(s.not_principals)],
    ['Condition', conditions(s.condition)],
  ];
  for (const [k, v] of fields) if (v !== undefined) st[k] = v;
  return st;
}

function parseDocs(v: TfValue | undefined): Record<string, Json>[] {
  if (v === undefined || v === null) return [];
  if (isUnresolved(v)) throw new UnresolvedSignal(v);
  const list = Array.isArray(v) ? v : [v];
  return list.map((d) => {
    if (isUnresolved(d)) throw new UnresolvedSignal(d);
    if (typeof d !== 'string') return {};
    try {
      const parsed = JSON.parse(d) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Json>) : {};
    } catch {
      return {};
    }
  });
}

function docStatements(d: Record<string, Json>): Record<string, Json>[] {
  const s = d.Statement;
  if (Array.isArray(s)) return s as Record<string, Json>[];
  return s && typeof s === 'object' ? [s as Record<string, Json>] : [];
}

/**
 * Synthesises the `json` attribute of an `aws_iam_policy_document` data source from its evaluated
 * attributes, as the AWS provider does: `Version` (default `2012-10-17`), `Id` from `policy_id`,
 * statements from `source_policy_documents`, then `statement` blocks (`effect` default `Allow`;
 * one-element lists written as a single string; `principals {type="*" identifiers=["*"]}` as `"*"`),
 * then `override_policy_documents` replacing statements with the same `Sid`. Output is indented
 * JSON (2 spaces). Computed resource attributes (ARNs) appear as `${address.attr}` placeholders;
 * any other unknown input makes the whole document Unresolved.
 */
export function synthesizePolicyJson(attrs: TfObject): TfValue {
  try {
    const doc: Record<string, Json> = { Version: attrs.version ? toJsonValue(attrs.version) : '2012-10-17' };
    if (attrs.policy_id !== undefined && attrs.policy_id !== null) doc.Id = toJsonValue(attrs.policy_id);
    const stmts: Record<string, Json>[] = [];
    for (const d of parseDocs(attrs.source_policy_documents)) stmts.push(...docStatements(d));
    for (const s of blocks(attrs.statement)) {
      const st = statement(s);
      const i = st.Sid === undefined ? -1 : stmts.findIndex((x) => x.Sid === st.Sid);
      if (i >= 0) stmts[i] = st;
      else stmts.push(st);
    }
    for (const d of parseDocs(attrs.override_policy_documents)) {
      for (const st of docStatements(d)) {
        const i = st.Sid === undefined ? -1 : stmts.findIndex((x) => x.Sid === st.Sid);
        if (i >= 0) stmts[i] = st;
        else stmts.push(st);
      }
    }
    doc.Statement = stmts;
    return JSON.stringify(doc, null, 2);
  } catch (err) {
    if (err instanceof UnresolvedSignal) {
      const u: Unresolved = err.value;
      return unresolvedFrom(`aws_iam_policy_document: ${u.reason}`, u);
    }
    throw err;
  }
}

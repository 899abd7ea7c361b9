// Terraform value helpers for the Azure and GCP checks (the GCP checks import this file too).
import type { CheckResult } from '../../../core/check.js';
import { subjectOf } from '../../../core/check.js';
import type { TerraformResource, TfObject, TfValue } from '../../../core/facts.js';
import type { SourceLocation } from '../../../core/location.js';
import { isUnresolved, type Unresolved } from '../../../core/unresolved.js';

/**
 * A Terraform value read for a check: `absent` (missing or null: the provider default applies),
 * `ok` with the value converted as Terraform would (`"true"` → true, `22` → `"22"`),
 * `unresolved` (not known statically), or `invalid` (a type Terraform could not convert).
 */
export type TfRead<T> =
  | { state: 'absent' }
  | { state: 'ok'; value: T }
  | { state: 'unresolved'; value: Unresolved }
  | { state: 'invalid'; raw: TfValue };

/** Three-valued truth for conditions that may depend on unresolved values. */
export type Tri = true | false | 'unknown';

/** Reads a bool attribute; strings `"true"`/`"false"` convert like Terraform's type conversion. */
export function readBool(obj: TfObject, key: string): TfRead<boolean> {
  const v = obj[key];
  if (v === undefined || v === null) return { state: 'absent' };
  if (isUnresolved(v)) return { state: 'unresolved', value: v };
  if (typeof v === 'boolean') return { state: 'ok', value: v };
  if (v === 'true' || v === 'false') return { state: 'ok', value: v === 'true' };
  return { state: 'invalid', raw: v };
}

/** Reads a string attribute; numbers and bools convert to their decimal/`true` text. */
export function readString(obj: TfObject, key: string): TfRead<string> {
  return toStringRead(obj[key]);
}

/** {@link readString} for a value already taken out of its object (a list element). */
export function toStringRead(v: TfValue | undefined): TfRead<string> {
  if (v === undefined || v === null) return { state: 'absent' };
  if (isUnresolved(v)) return { state: 'unresolved', value: v };
  if (typeof v === 'string') return { state: 'ok', value: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { state: 'ok', value: String(v) };
  return { state: 'invalid', raw: v };
}

/**
 * Reads a list-of-strings attribute (a single string counts as a one-element list): known elements
 * in `values`, unresolved elements (or the whole unresolved list) in `unresolved`. Empty strings are
 * dropped: plan JSON writes unset string fields of attribute-as-block objects (e.g. an azurerm
 * `security_rule`'s `destination_port_range` when `destination_port_ranges` is used) as `""`.
 */
export function readStrings(obj: TfObject, key: string): { values: string[]; unresolved: Unresolved[] } {
  const v = obj[key];
  const out = { values: [] as string[], unresolved: [] as Unresolved[] };
  if (v === undefined || v === null) return out;
  if (isUnresolved(v)) {
    out.unresolved.push(v);
    return out;
  }
  for (const x of Array.isArray(v) ? v : [v]) {
    const r = toStringRead(x);
    if (r.state === 'ok') {
      if (r.value !== '') out.values.push(r.value);
    } else if (r.state === 'unresolved') out.unresolved.push(r.value);
  }
  return out;
}

/** True for a plain attribute object (not an array, not Unresolved, not null). */
export function isTfObject(v: TfValue | undefined): v is TfObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnresolved(v);
}

/**
 * The objects of a repeated nested block or list-of-objects attribute (`security_rule`, `allow`):
 * `[]` when absent, the Unresolved marker when the whole list is unknown (dynamic block over an
 * unknown collection). Unresolved elements are kept.
 */
export function readBlocks(obj: TfObject, key: string): (TfObject | Unresolved)[] | Unresolved {
  const v = obj[key];
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) return v.filter((x): x is TfObject | Unresolved => isUnresolved(x) || isTfObject(x));
  return isTfObject(v) ? [v] : [];
}

/** Message part for an unresolved value: `enable_https_traffic_only is not known statically (var.https)`. */
export function unresolvedText(path: string, u: Unresolved): string {
  return `${path} is not known statically (${u.reason})`;
}

/**
 * Location of attribute `path` (`security_rule.1.source_address_prefix`), falling back to the
 * closest located parent and then to the resource block.
 */
export function locateAttr(resource: TerraformResource, path?: string): SourceLocation {
  let p = path;
  while (p) {
    const hit = resource.attributeLocations[p];
    if (hit) return hit;
    const cut = p.lastIndexOf('.');
    p = cut < 0 ? undefined : p.slice(0, cut);
  }
  return resource.location;
}

/** A verdict on one resource before it becomes a CheckResult; `path` is the attribute to point at. */
export interface TfVerdict {
  outcome: 'pass' | 'fail' | 'unknown';
  message: string;
  path?: string;
}

/** The CheckResult of `resource` for `verdict`, located at `verdict.path` when given. */
export function tfResult(resource: TerraformResource, verdict: TfVerdict): CheckResult {
  return {
    subject: subjectOf(resource),
    outcome: verdict.outcome,
    message: verdict.message,
    location: locateAttr(resource, verdict.path),
  };
}

/**
 * Folds verdicts about parts of one resource (rules, bindings) into one: `fail` if any fails (all
 * failures listed), else `unknown` if any is unknown, else `pass` (with `passMessage` when given).
 */
export function foldVerdicts(verdicts: readonly TfVerdict[], passMessage?: string): TfVerdict {
  const fails = verdicts.filter((v) => v.outcome === 'fail');
  const unknowns = verdicts.filter((v) => v.outcome === 'unknown');
  const chosen = fails.length ? fails : unknowns;
  if (chosen.length) {
    return {
      outcome: chosen[0]!.outcome,
      message: chosen.map((v) => v.message).join('; '),
      path: chosen.find((v) => v.path)?.path,
    };
  }
  return { outcome: 'pass', message: passMessage ?? verdicts.map((v) => v.message).join('; ') };
}

/** Managed resources of `type` (data sources excluded). */
export function managed(resources: readonly TerraformResource[], type: string): TerraformResource[] {
  return resources.filter((r) => r.mode === 'managed' && r.type === type);
}

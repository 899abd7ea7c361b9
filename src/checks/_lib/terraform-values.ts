// Terraform value readers and verdict helpers shared by the AWS, Azure and GCP checks.
// HCL and plan JSON give the same shapes: nested blocks are arrays of objects, unknown values are
// Unresolved markers (src/core/unresolved.ts).
import type { CheckResult } from '../../core/check.js';
import { subjectOf } from '../../core/check.js';
import type { TerraformResource, TfObject, TfValue } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import type { Outcome } from '../../core/outcome.js';
import { isUnresolved, type Unresolved } from '../../core/unresolved.js';

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

/** A check verdict on one subject before it becomes a CheckResult; `path` names the attribute to point at. */
export interface Verdict {
  outcome: Exclude<Outcome, 'error'>;
  message: string;
  /** Attribute path in `attributeLocations` form, e.g. `ingress.0.cidr_blocks`. */
  path?: string;
  /** Explicit location (e.g. in a companion resource); wins over `path`. */
  location?: SourceLocation;
}

/** True for a plain attribute object (not an array, not Unresolved, not null). */
export function isTfObject(v: TfValue | undefined): v is TfObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnresolved(v);
}

/** Reads a bool attribute; strings `"true"`/`"false"` convert like Terraform's type conversion. */
export function readBool(obj: TfObject, key: string): TfRead<boolean> {
  const v = obj[key];
  if (v === undefined || v === null) return { state: 'absent' };
  if (isUnresolved(v)) return { state: 'unresolved', value: v };
  if (typeof v === 'boolean') return { state: 'ok', value: v };
  if (v === 'true' || v === 'false') return { state: 'ok', value: v === 'true' };
  return { state: 'invalid', raw: v };
}

/**
 * {@link readBool} with the provider default applied: absent or null gives `fallback` with
 * `explicit: false`; other types than bool (and its string forms) give `invalid`.
 */
export function boolAttr(
  obj: TfObject,
  name: string,
  fallback: boolean,
):
  | { state: 'ok'; value: boolean; explicit: boolean }
  | { state: 'unresolved'; value: Unresolved }
  | { state: 'invalid' } {
  const r = readBool(obj, name);
  if (r.state === 'absent') return { state: 'ok', value: fallback, explicit: false };
  if (r.state === 'ok') return { state: 'ok', value: r.value, explicit: true };
  if (r.state === 'unresolved') return r;
  return { state: 'invalid' };
}

/**
 * Verdict for a bool attribute that must be true, provider default false: `unknown` when unresolved,
 * `fail` when not a boolean, `pass` (`<name> = true`), else `fail` (`<name> is false` / `<name> is not
 * set (defaults to false)`). Located at the attribute, except for the unset case (the resource).
 */
export function requireTrue(obj: TfObject, name: string): Verdict {
  const v = boolAttr(obj, name, false);
  if (v.state === 'unresolved')
    return { outcome: 'unknown', message: unresolvedText(name, v.value), path: name };
  if (v.state === 'invalid') return { outcome: 'fail', message: `${name} is not a boolean`, path: name };
  if (v.value) return { outcome: 'pass', message: `${name} = true`, path: name };
  return {
    outcome: 'fail',
    message: `${name} is ${v.explicit ? 'false' : 'not set (defaults to false)'}`,
    path: v.explicit ? name : undefined,
  };
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
 * {@link readString} flattened: the string (converted like Terraform), the Unresolved marker, or
 * undefined when absent, null or not convertible (a list or object).
 */
export function stringAttr(obj: TfObject, name: string): string | Unresolved | undefined {
  const r = readString(obj, name);
  return r.state === 'ok' || r.state === 'unresolved' ? r.value : undefined;
}

/**
 * Reads a number attribute: absent/null → undefined; numeric strings are converted like Terraform
 * does; other values give NaN.
 */
export function numberAttr(obj: TfObject, name: string): number | Unresolved | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (isUnresolved(v)) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return Number.NaN;
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

/**
 * A nested block written once (`versioning { ... }`): the first object of the block list, or
 * undefined when absent. Unresolved (e.g. a dynamic block over an unknown collection) is returned as is.
 */
export function block(obj: TfObject, name: string): TfObject | Unresolved | undefined {
  const v = obj[name];
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) {
    const first = v[0];
    if (isUnresolved(first)) return first;
    return isTfObject(first) ? first : undefined;
  }
  return isTfObject(v) ? v : undefined;
}

/**
 * The objects of a repeated nested block or list-of-objects attribute (`ingress`, `security_rule`):
 * `[]` when absent, the Unresolved marker when the whole list is unknown (dynamic block over an
 * unknown collection). Unresolved elements are kept.
 */
export function readBlocks(obj: TfObject, key: string): (TfObject | Unresolved)[] | Unresolved {
  const v = obj[key];
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) return v.filter((x): x is TfObject | Unresolved => isUnresolved(x) || isTfObject(x));
  return isTfObject(v) ? [v] : [];
}

/** Managed resources (data sources excluded) of any of `types`, in facts order. */
export function resourcesOf(
  resources: readonly TerraformResource[],
  types: readonly string[],
): TerraformResource[] {
  return resources.filter((r) => r.mode === 'managed' && types.includes(r.type));
}

/**
 * The location of attribute `path` (e.g. `security_rule.1.source_address_prefix`), falling back to
 * its closest located parent and then to the resource block itself.
 */
export function locate(resource: TerraformResource, path?: string): SourceLocation {
  let p = path;
  while (p) {
    const hit = resource.attributeLocations[p];
    if (hit) return hit;
    const cut = p.lastIndexOf('.');
    p = cut < 0 ? undefined : p.slice(0, cut);
  }
  return resource.location;
}

/** The CheckResult of `resource` for `verdict`: at `verdict.location`, else located at `verdict.path`. */
export function result(resource: TerraformResource, verdict: Verdict): CheckResult {
  return {
    subject: subjectOf(resource),
    outcome: verdict.outcome,
    message: verdict.message,
    location: verdict.location ?? locate(resource, verdict.path),
  };
}

/** Message part for an unresolved value: `enable_https_traffic_only is not known statically (var.https)`. */
export function unresolvedText(path: string, u: Unresolved): string {
  return `${path} is not known statically (${u.reason})`;
}

/** `unknown` verdict at `path`: `<path> is not known statically (<reason>): <consequence>`. */
export function unresolvedVerdict(path: string, value: Unresolved, consequence: string): Verdict {
  return { outcome: 'unknown', message: `${unresolvedText(path, value)}: ${consequence}`, path };
}

/**
 * Combines per-part verdicts into one per subject: the first `fail`, else the first `unknown`,
 * else `pass` with `passMessage`.
 */
export function worst(verdicts: readonly Verdict[], passMessage: string): Verdict {
  return (
    verdicts.find((v) => v.outcome === 'fail') ??
    verdicts.find((v) => v.outcome === 'unknown') ?? { outcome: 'pass', message: passMessage }
  );
}

/**
 * Picks the verdict when any one part suffices (e.g. one of several companion resources configuring
 * a bucket): the first `pass`, else the first `unknown`, else the first verdict, else `fallback`.
 */
export function best(verdicts: readonly Verdict[], fallback: Verdict): Verdict {
  return (
    verdicts.find((v) => v.outcome === 'pass') ??
    verdicts.find((v) => v.outcome === 'unknown') ??
    verdicts[0] ??
    fallback
  );
}

/**
 * Folds verdicts about parts of one resource (rules, bindings) into one: `fail` if any fails (all
 * failures listed, `; `-joined), else `unknown` if any is unknown, else `pass` (with `passMessage`
 * when given, else all messages joined).
 */
export function foldVerdicts(verdicts: readonly Verdict[], passMessage?: string): Verdict {
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

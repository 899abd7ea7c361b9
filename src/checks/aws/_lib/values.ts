import type { CheckResult } from '../../../core/check.js';
import { subjectOf } from '../../../core/check.js';
import type { TerraformResource, TfObject, TfValue } from '../../../core/facts.js';
import type { SourceLocation } from '../../../core/location.js';
import type { Outcome } from '../../../core/outcome.js';
import { isUnresolved, type Unresolved } from '../../../core/unresolved.js';

/** A check verdict on one subject before it becomes a CheckResult; `path` names the attribute to point at. */
export interface Verdict {
  outcome: Exclude<Outcome, 'error'>;
  message: string;
  /** Attribute path in `attributeLocations` form, e.g. `ingress.0.cidr_blocks`. */
  path?: string;
  /** Explicit location (e.g. in a companion resource); wins over `path`. */
  location?: SourceLocation;
}

/**
 * The location of attribute `path` (e.g. `versioning.0.enabled`), falling back to its closest
 * located parent and then to the resource block itself.
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

/** Turns a verdict into the CheckResult for `resource` (location narrowed to `verdict.path`). */
export function result(resource: TerraformResource, verdict: Verdict): CheckResult {
  return {
    subject: subjectOf(resource),
    outcome: verdict.outcome,
    message: verdict.message,
    location: verdict.location ?? locate(resource, verdict.path),
  };
}

/** Managed resources of any of `types`, in the order given. */
export function resourcesOf(
  resources: readonly TerraformResource[],
  types: readonly string[],
): TerraformResource[] {
  return resources.filter((r) => r.mode === 'managed' && types.includes(r.type));
}

/** `unknown` verdict naming the unresolved expression at `path`. */
export function unresolvedVerdict(path: string, value: Unresolved, consequence: string): Verdict {
  return {
    outcome: 'unknown',
    message: `${path} is not known statically (${value.reason}): ${consequence}`,
    path,
  };
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
    return isObject(first) ? first : undefined;
  }
  return isObject(v) ? v : undefined;
}

/** All objects of a repeated nested block (`ingress { } ingress { }`), or the Unresolved marker. */
export function blocks(obj: TfObject, name: string): (TfObject | Unresolved)[] | Unresolved {
  const v = obj[name];
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) return v.filter((x): x is TfObject | Unresolved => isUnresolved(x) || isObject(x));
  return isObject(v) ? [v] : [];
}

/** True for a plain attribute object (not an array, not Unresolved, not null). */
export function isObject(v: TfValue | undefined): v is TfObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnresolved(v);
}

/**
 * Reads a boolean attribute. Absent or null gives `fallback` (the provider default). Terraform
 * converts the strings "true"/"false" to bool, so those are accepted. Other types give `invalid`.
 */
export function boolAttr(
  obj: TfObject,
  name: string,
  fallback: boolean,
):
  | { state: 'ok'; value: boolean; explicit: boolean }
  | { state: 'unresolved'; value: Unresolved }
  | { state: 'invalid' } {
  const v = obj[name];
  if (v === undefined || v === null) return { state: 'ok', value: fallback, explicit: false };
  if (isUnresolved(v)) return { state: 'unresolved', value: v };
  if (typeof v === 'boolean') return { state: 'ok', value: v, explicit: true };
  if (v === 'true' || v === 'false') return { state: 'ok', value: v === 'true', explicit: true };
  return { state: 'invalid' };
}

/** Reads a string attribute: absent/null → undefined; numbers and bools are converted like Terraform does. */
export function stringAttr(obj: TfObject, name: string): string | Unresolved | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (isUnresolved(v)) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
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
 * Combines per-part verdicts into one per subject: any `fail` wins (the first one), then `unknown`,
 * else `pass` with `passMessage`.
 */
export function worst(verdicts: readonly Verdict[], passMessage: string): Verdict {
  return (
    verdicts.find((v) => v.outcome === 'fail') ??
    verdicts.find((v) => v.outcome === 'unknown') ?? { outcome: 'pass', message: passMessage }
  );
}

import type { Ecosystem } from '../../core/facts.js';
import { pep503 } from './lockfiles/python.js';
import type { OsvRecord } from './osv-db.js';
import { compareFor, type VersionCompare } from './versions.js';

/** Whether a package version is affected by one OSV record: `true`, `false`, or `undefined` with a reason. */
export interface MatchResult {
  affected: boolean | undefined;
  /** `fixed` versions of the ranges that matched. */
  fixed: string[];
  reason?: string;
}

type Event = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };

/**
 * Evaluates one range (OSV schema "Evaluation"): events sorted by version (`introduced: "0"` first),
 * walked in order; `introduced` ≤ v makes it vulnerable, `fixed` ≤ v or `last_affected` < v makes it
 * not; a `limit` ≤ v is outside the range. Returns undefined when a version cannot be ordered.
 */
function inRange(v: string, events: Event[], cmp: VersionCompare): boolean | undefined {
  const keyed: { kind: keyof Event; at: string }[] = [];
  for (const e of events)
    for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const)
      if (typeof e[k] === 'string') keyed.push({ kind: k, at: e[k]! });
  const order = (a: string, b: string): number | undefined =>
    a === b ? 0 : a === '0' ? -1 : b === '0' ? 1 : cmp(a, b);
  let unparseable = false;
  keyed.sort((a, b) => {
    const c = order(a.at, b.at);
    if (c === undefined) unparseable = true;
    return c ?? 0;
  });
  if (unparseable) return undefined;
  let vulnerable = false;
  for (const e of keyed) {
    if (e.kind === 'limit') {
      const c = e.at === '*' ? -1 : order(v, e.at);
      if (c === undefined) return undefined;
      if (c >= 0) return false;
      continue;
    }
    const c = e.at === '0' ? 1 : order(v, e.at);
    if (c === undefined) return undefined;
    if (e.kind === 'introduced' && c >= 0) vulnerable = true;
    else if (e.kind === 'fixed' && c >= 0) vulnerable = false;
    else if (e.kind === 'last_affected' && c > 0) vulnerable = false;
  }
  return vulnerable;
}

/**
 * Whether `version` of package `name` in `ecosystem` is affected by `record`: any of its
 * `affected[]` entries for that package lists the version in `versions`, or one of its `SEMVER` /
 * `ECOSYSTEM` ranges contains it under the ecosystem's ordering (`GIT` ranges are commit based and
 * ignored). `undefined` (with the reason) when the package version or a bound cannot be ordered and
 * no other range or list decides it. Withdrawn records are the caller's concern.
 */
export function matchRecord(
  record: OsvRecord,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): MatchResult {
  const same = (n: string) => (ecosystem === 'PyPI' ? pep503(n) === pep503(name) : n === name);
  const fixed = new Set<string>();
  let affected: boolean | undefined = false;
  let reason: string | undefined;
  for (const a of Array.isArray(record.affected) ? (record.affected as Record<string, unknown>[]) : []) {
    const p = a.package as { ecosystem?: string; name?: string } | undefined;
    if (!p || p.ecosystem?.split(':')[0] !== ecosystem || !p.name || !same(p.name)) continue;
    if (Array.isArray(a.versions) && a.versions.includes(version)) {
      for (const r of Array.isArray(a.ranges) ? a.ranges : [])
        for (const e of (r as { events?: Event[] }).events ?? []) if (e.fixed) fixed.add(e.fixed);
      return { affected: true, fixed: [...fixed] };
    }
    for (const r of Array.isArray(a.ranges) ? (a.ranges as { type?: string; events?: Event[] }[]) : []) {
      if (r.type !== 'SEMVER' && r.type !== 'ECOSYSTEM') continue;
      const events = Array.isArray(r.events) ? r.events : [];
      const res = inRange(version, events, compareFor(ecosystem, r.type));
      if (res === undefined) {
        affected = affected === true ? true : undefined;
        reason = `cannot order version ${version} against the ${r.type} range of ${String(record.id)} under ${ecosystem} rules`;
      } else if (res) {
        affected = true;
        for (const e of events) if (e.fixed) fixed.add(e.fixed);
      }
    }
  }
  return affected === undefined ? { affected, fixed: [...fixed], reason } : { affected, fixed: [...fixed] };
}

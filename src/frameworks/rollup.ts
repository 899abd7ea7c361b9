/**
 * Status roll-up: findings → per-check summaries → control statuses → requirement statuses →
 * framework standing (DESIGN.md "Outcomes — honesty first"). Pure: no I/O, `now` is injected.
 *
 * Check summary outcome (first rule that holds):
 *   1. `error`  — some `error` finding counts (not waived, or its waiver expired);
 *   2. `fail`   — some `fail` finding counts (not waived, or its waiver expired);
 *   3. `unknown` — some finding is `unknown`;
 *   4. `waived` — it had fail/error findings and every one has a live waiver;
 *   5. `pass`   — some finding passes;
 *   6. `not-applicable` — no finding, or only not-applicable ones (no subject to judge).
 *   `counts` counts raw outcomes; `counts.waived` counts fail/error findings with a live waiver.
 *
 * Control status (first rule that holds):
 *   1. `fail`    — one of its checks is `fail` or `error`;
 *   2. `unknown` — one of its checks is `unknown` (or did not run at all);
 *   3. `manual`  — it declares manual evidence that is not recorded, or older than `maxAgeDays`
 *                  at `now`;
 *   4. `waived`  — one of its checks is `waived`;
 *   5. `pass`    — one of its checks passes, or its manual evidence is fresh;
 *   6. `not-applicable` — every check is not-applicable and it declares no evidence.
 *   `findings` lists the fingerprints of the fail / error / unknown findings (waived or not) of its
 *   checks: the drill-down behind the status.
 *
 * Requirement status, from the controls whose `satisfies` lists it:
 *   - `not-applicable` when the map declares it in `notApplicable` (with the map's reason), or when
 *     every covering control is not-applicable;
 *   - `unknown` when no control covers it ("uncovered" is never "compliant");
 *   - else the worst status of its applicable controls: fail > unknown > manual > waived > pass.
 *
 * Framework standing: counts by status; inScope = total − not-applicable; passing = `pass` count;
 * compliancePercent = passing / inScope × 100 rounded to one decimal (0 when nothing is in scope).
 * Requirements are listed in catalog order.
 */

import type { ControlMap, MapControl } from '../control-map/types.js';
import type { CheckDefinition } from '../core/check.js';
import { type Finding, isCountedFailure } from '../core/finding.js';
import type { FrameworkId } from '../core/framework-id.js';
import type {
  CheckSummary,
  ControlStatus,
  FrameworkStatus,
  ManualEvidenceStatus,
  RequirementStatus,
  RollupStatus,
} from '../core/scan-result.js';
import type { Catalog } from './catalog.js';

const DAY_MS = 86_400_000;

/** A live waiver sits on this fail/error finding. */
function isWaived(f: Finding): boolean {
  return (f.outcome === 'fail' || f.outcome === 'error') && !!f.waiver && !f.waiver.expired;
}

function emptyCounts(): CheckSummary['counts'] {
  return { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, error: 0, waived: 0 };
}

/**
 * One summary per check in `checks` (same order), from the findings whose `checkId` is that
 * check's id; findings of other checks are ignored. See the module doc for the outcome rules.
 */
export function summarizeChecks(
  checks: readonly CheckDefinition[],
  findings: readonly Finding[],
): CheckSummary[] {
  const byCheck = groupBy(findings, (f) => f.checkId);
  return checks.map((check) => {
    const fs = byCheck.get(check.id) ?? [];
    const counts = emptyCounts();
    let countedError = false;
    let countedFail = false;
    for (const f of fs) {
      counts[f.outcome]++;
      if (isWaived(f)) counts.waived++;
      if (isCountedFailure(f)) {
        if (f.outcome === 'error') countedError = true;
        else countedFail = true;
      }
    }
    const outcome: CheckSummary['outcome'] = countedError
      ? 'error'
      : countedFail
        ? 'fail'
        : counts.unknown > 0
          ? 'unknown'
          : counts.waived > 0
            ? 'waived'
            : counts.pass > 0
              ? 'pass'
              : 'not-applicable';
    return {
      id: check.id,
      title: check.title,
      severity: check.severity,
      outcome,
      counts,
      mappings: check.mappings,
    };
  });
}

/** Input of {@link rollup}. */
export interface RollupInput {
  map: ControlMap;
  /** Catalogs of the frameworks to report, normally exactly `map.frameworks`. */
  catalogs: readonly Catalog[];
  summaries: readonly CheckSummary[];
  /** Findings with waivers applied (see applyWaivers). */
  findings: readonly Finding[];
  /** Reference time for manual-evidence freshness. */
  now: Date;
  /** Resolves manual evidence for a control: digest and ISO collection time, or undefined if none recorded. */
  manualEvidence?: (controlId: string, path: string) => { sha256: string; collectedAt: string } | undefined;
}

/** Rolls findings up to controls and framework requirements; see the module doc for every rule. */
export function rollup(input: RollupInput): { controls: ControlStatus[]; frameworks: FrameworkStatus[] } {
  const summaries = new Map(input.summaries.map((s) => [s.id, s]));
  const findingsByCheck = groupBy(input.findings, (f) => f.checkId);
  const controls = input.map.controls.map((c) => controlStatus(c, summaries, findingsByCheck, input));
  const frameworks = input.catalogs.map((cat) => frameworkStatus(cat, input.map, controls));
  return { controls, frameworks };
}

function controlStatus(
  control: MapControl,
  summaries: ReadonlyMap<string, CheckSummary>,
  findingsByCheck: ReadonlyMap<string, Finding[]>,
  input: RollupInput,
): ControlStatus {
  const checks = control.checks.map((id) => ({
    id,
    outcome: summaries.get(id)?.outcome ?? ('unknown' as const),
  }));
  const total = checks.length;
  const ofOutcome = (...o: CheckSummary['outcome'][]) => checks.filter((c) => o.includes(c.outcome));
  const failing = ofOutcome('fail', 'error');
  const unknown = ofOutcome('unknown');
  const waived = ofOutcome('waived');
  const passing = ofOutcome('pass');
  const na = ofOutcome('not-applicable');
  const evidence = control.evidence ? evidenceStatus(control, input) : undefined;
  const checksWord = (n: number) => `${n === 1 ? 'check' : 'checks'}`;

  let status: RollupStatus;
  let reason: string;
  if (failing.length) {
    status = 'fail';
    const ids = failing.map((c) => (c.outcome === 'error' ? `${c.id} (error)` : c.id));
    reason = `${failing.length} of ${total} ${checksWord(total)} fail: ${ids.join(', ')}`;
  } else if (unknown.length) {
    status = 'unknown';
    const ids = unknown.map((c) => (summaries.has(c.id) ? c.id : `${c.id} (did not run)`));
    reason = `${unknown.length} of ${total} ${checksWord(total)} could not be evaluated: ${ids.join(', ')}`;
  } else if (evidence && !evidence.fresh) {
    status = 'manual';
    reason = evidence.reason;
  } else if (waived.length) {
    status = 'waived';
    reason = `${waived.length} of ${total} ${checksWord(total)} pass only because failures are waived: ${waived
      .map((c) => c.id)
      .join(', ')}`;
  } else if (passing.length || evidence?.fresh) {
    status = 'pass';
    const parts: string[] = [];
    if (total) {
      parts.push(
        `${passing.length} of ${total} ${checksWord(total)} pass${na.length ? `, ${na.length} not applicable` : ''}`,
      );
    }
    if (evidence) parts.push(evidence.reason);
    reason = parts.join('; ');
  } else {
    status = 'not-applicable';
    reason = `no resource to evaluate for its ${total} ${checksWord(total)}: ${checks.map((c) => c.id).join(', ')}`;
  }

  const findings: string[] = [];
  for (const id of control.checks) {
    for (const f of findingsByCheck.get(id) ?? []) {
      if (f.outcome === 'fail' || f.outcome === 'error' || f.outcome === 'unknown')
        findings.push(f.fingerprint);
    }
  }
  const out: ControlStatus = {
    id: control.id,
    title: control.title,
    status,
    reason,
    satisfies: control.satisfies,
    checks,
    findings,
  };
  if (evidence) out.evidence = evidence;
  if (control.location) out.location = control.location;
  return out;
}

/** Freshness of a control's manual evidence at `input.now`; fresh when age ≤ maxAgeDays. */
function evidenceStatus(control: MapControl, input: RollupInput): ManualEvidenceStatus {
  const spec = control.evidence!;
  const base = { path: spec.manual, maxAgeDays: spec.maxAgeDays };
  const rec = input.manualEvidence?.(control.id, spec.manual);
  if (!rec) {
    return {
      ...base,
      fresh: false,
      reason: `manual evidence ${spec.manual} is not recorded; record it with \`evident evidence add\``,
    };
  }
  const at = Date.parse(rec.collectedAt);
  if (Number.isNaN(at)) {
    return {
      ...base,
      sha256: rec.sha256,
      collectedAt: rec.collectedAt,
      fresh: false,
      reason: `manual evidence ${spec.manual} has an unreadable collection time '${rec.collectedAt}'; record it again`,
    };
  }
  const ageMs = input.now.getTime() - at;
  const ageDays = Math.max(0, Math.floor(ageMs / DAY_MS));
  const day = new Date(at).toISOString().slice(0, 10);
  const fresh = ageMs <= spec.maxAgeDays * DAY_MS;
  return {
    ...base,
    sha256: rec.sha256,
    collectedAt: rec.collectedAt,
    fresh,
    reason: fresh
      ? `manual evidence ${spec.manual} collected ${day} (${ageDays} days old, max ${spec.maxAgeDays})`
      : `manual evidence ${spec.manual} collected ${day} is ${ageDays} days old, older than the ${spec.maxAgeDays} days allowed; record it again`,
  };
}

const REQUIREMENT_ORDER: RollupStatus[] = ['fail', 'unknown', 'manual', 'waived', 'pass'];

const REQUIREMENT_WORDING: Record<Exclude<RollupStatus, 'not-applicable'>, string> = {
  fail: 'fail',
  unknown: 'are unknown',
  manual: 'await manual evidence',
  waived: 'pass only with waivers',
  pass: 'pass',
};

function frameworkStatus(
  catalog: Catalog,
  map: ControlMap,
  controls: readonly ControlStatus[],
): FrameworkStatus {
  const fw: FrameworkId = catalog.id;
  const na = new Map(
    map.notApplicable.filter((n) => n.framework === fw).map((n) => [n.requirement, n.reason] as const),
  );
  const covering = new Map<string, ControlStatus[]>();
  for (const c of controls) {
    for (const rid of c.satisfies[fw] ?? []) {
      const list = covering.get(rid) ?? [];
      list.push(c);
      covering.set(rid, list);
    }
  }
  const requirements: RequirementStatus[] = catalog.requirements.map((r) => {
    const cs = covering.get(r.id) ?? [];
    const ids = cs.map((c) => c.id);
    const base = { id: r.id, title: r.title, family: r.family, controls: ids };
    const declared = na.get(r.id);
    if (declared !== undefined)
      return { ...base, status: 'not-applicable', reason: `declared not applicable: ${declared}` };
    if (cs.length === 0)
      return { ...base, status: 'unknown', reason: 'no control in the map covers this requirement' };
    const applicable = cs.filter((c) => c.status !== 'not-applicable');
    if (applicable.length === 0) {
      return {
        ...base,
        status: 'not-applicable',
        reason: `all ${cs.length} controls covering it are not applicable: ${ids.join(', ')}`,
      };
    }
    const status = REQUIREMENT_ORDER.find((s) => applicable.some((c) => c.status === s))!;
    const which = applicable.filter((c) => c.status === status).map((c) => c.id);
    const wording = REQUIREMENT_WORDING[status as Exclude<RollupStatus, 'not-applicable'>];
    const reason =
      status === 'pass'
        ? `${which.length} of ${cs.length} covering controls pass${
            cs.length > which.length ? ` (others not applicable)` : ''
          }: ${which.join(', ')}`
        : `${which.length} of ${cs.length} covering controls ${wording}: ${which.join(', ')}`;
    return { ...base, status, reason };
  });
  const counts: Record<RollupStatus, number> = {
    pass: 0,
    fail: 0,
    unknown: 0,
    manual: 0,
    waived: 0,
    'not-applicable': 0,
  };
  for (const r of requirements) counts[r.status]++;
  const inScope = requirements.length - counts['not-applicable'];
  const passing = counts.pass;
  return {
    id: fw,
    name: catalog.name,
    requirementsTotal: requirements.length,
    inScope,
    passing,
    compliancePercent: inScope === 0 ? 0 : Math.round((passing / inScope) * 1000) / 10,
    counts,
    requirements,
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

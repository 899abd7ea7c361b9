/**
 * First sight and resolution of clocked findings, computed from the evidence log (the source of truth;
 * DESIGN.md "Evidence"). Pure functions over log entries: the scan reads them to evaluate SLA clocks,
 * the exporter to list the period's vulnerability population, and a store can fold the same entries
 * incrementally ({@link addRun}) to index them.
 *
 * Rules:
 * - A finding (by fingerprint) is first seen at the `recordedAt` of the earliest logged run whose
 *   findings hold it, whatever its outcome. A finding that goes away and comes back keeps its first
 *   sighting (a clock is never reset by a gap, so skipping a scan cannot buy time).
 * - It is resolved at the first later run of the same scan root that evaluated its check, covered its
 *   scope (a finding of that check with that scope that is pass/fail or carries a clock) and no
 *   longer holds it; seen again later, it is open again.
 * - Only runs recorded at or before the evaluation instant count (`evident scan --now` audits a past moment).
 */
import type { Finding, SlaClock } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import { scanResultOf, statementTime } from './bundle/statement-view.js';
import type { LedgerEntry } from './types.js';
import { SCAN_PREDICATE_TYPE } from './types.js';

/** What one logged scan run contributes: when, which root, which checks ran, and its findings. */
export interface RunSighting {
  /** Log index (for drill-down). */
  index: number;
  /** ISO 8601: the predicate's `recordedAt` (real time of the run). */
  recordedAt: string;
  /** Scan root as given to the scan. */
  root: string;
  /** Ids of the checks the run evaluated. */
  checks: string[];
  findings: Pick<
    Finding,
    'fingerprint' | 'checkId' | 'outcome' | 'severity' | 'subject' | 'message' | 'sla' | 'waiver'
  >[];
}

/** The sighting of one scan-run entry; undefined for other entries (manual evidence) or without a time. */
export function sightingOf(entry: LedgerEntry): RunSighting | undefined {
  if (entry.statement.predicateType !== SCAN_PREDICATE_TYPE) return undefined;
  const scan: ScanResult | undefined = scanResultOf(entry.statement);
  const recordedAt = statementTime(entry.statement);
  if (!scan || !recordedAt) return undefined;
  return {
    index: entry.index,
    recordedAt,
    root: scan.root,
    checks: scan.checks.map((c) => c.id),
    findings: scan.findings,
  };
}

/** One clocked (or any) finding across runs. Times ISO 8601. */
export interface TrackedFinding {
  fingerprint: string;
  checkId: string;
  root: string;
  firstSeen: string;
  lastSeen: string;
  /** Set while the finding is resolved: the first covering run that no longer held it. */
  resolvedAt?: string;
  /** The finding as last seen (its message, severity, clock). */
  last: RunSighting['findings'][number];
}

/** Everything {@link addRun} has folded in. */
export interface SightingIndex {
  /** Runs folded in. */
  runs: number;
  /** Check id → recordedAt of the earliest run that evaluated it. */
  firstRunOfCheck: Map<string, string>;
  findings: Map<string, TrackedFinding>;
}

/** An empty index. */
export function emptySightings(): SightingIndex {
  return { runs: 0, firstRunOfCheck: new Map(), findings: new Map() };
}

/**
 * Folds one run into `index` (runs must come in log order). Only findings of checks in `clocked`
 * are tracked when it is given (the SLA checks), to keep the index small.
 */
export function addRun(index: SightingIndex, run: RunSighting, clocked?: ReadonlySet<string>): void {
  index.runs++;
  for (const c of run.checks) if (!index.firstRunOfCheck.has(c)) index.firstRunOfCheck.set(c, run.recordedAt);
  const held = new Set<string>();
  const covered = new Set<string>();
  for (const f of run.findings) {
    if (clocked && !clocked.has(f.checkId)) continue;
    held.add(f.fingerprint);
    if (f.outcome === 'pass' || f.outcome === 'fail' || f.sla)
      covered.add(`${f.checkId}\0${f.subject.scope}`);
    const t = index.findings.get(f.fingerprint);
    if (!t) {
      index.findings.set(f.fingerprint, {
        fingerprint: f.fingerprint,
        checkId: f.checkId,
        root: run.root,
        firstSeen: run.recordedAt,
        lastSeen: run.recordedAt,
        last: f,
      });
    } else {
      t.lastSeen = run.recordedAt;
      t.last = f;
      delete t.resolvedAt;
    }
  }
  const ran = new Set(run.checks);
  for (const t of index.findings.values()) {
    if (t.resolvedAt || held.has(t.fingerprint) || t.root !== run.root || !ran.has(t.checkId)) continue;
    if (covered.has(`${t.checkId}\0${t.last.subject.scope}`)) t.resolvedAt = run.recordedAt;
  }
}

/** Folds `runs` (in log order) recorded at or before `until` (all when absent) into a fresh index. */
export function sightingsFrom(
  runs: Iterable<RunSighting>,
  opts: { until?: Date; clocked?: ReadonlySet<string> } = {},
): SightingIndex {
  const index = emptySightings();
  const limit = opts.until?.getTime();
  for (const run of runs) {
    if (limit !== undefined && Date.parse(run.recordedAt) > limit) continue;
    addRun(index, run, opts.clocked);
  }
  return index;
}

/** One row of a period's remediation population (export CSV / HTML). */
export interface PopulationRow {
  fingerprint: string;
  checkId: string;
  kind: SlaClock['kind'] | 'other';
  item: string;
  purl?: string;
  severity: string;
  firstSeen: string;
  resolvedAt?: string;
  deadline?: string;
  /** `yes`: resolved by the deadline; `no`: resolved after it, or still open past it at `asOf`; `open`: still open, within it. */
  met: 'yes' | 'no' | 'open';
  waiver?: string;
}

/**
 * The remediation population of clocked findings (those carrying an SLA clock) that were open at some
 * time in [from, to]: first seen on or before `to` and not resolved before `from`. `asOf` decides
 * whether a still-open finding has already missed its deadline. The deadline is first seen + the
 * budget the finding's clock stated (a waiver shown beside it may extend it).
 */
export function remediationPopulation(
  index: SightingIndex,
  from: Date,
  to: Date,
  asOf: Date,
): PopulationRow[] {
  const rows: PopulationRow[] = [];
  for (const t of index.findings.values()) {
    const sla = t.last.sla;
    if (!sla) continue;
    if (Date.parse(sla.firstSeen ?? t.firstSeen) > to.getTime() && Date.parse(t.firstSeen) > to.getTime())
      continue;
    if (t.resolvedAt && Date.parse(t.resolvedAt) < from.getTime()) continue;
    // the clock a run recorded carries the first sighting it knew (possibly before the runs given here)
    const firstSeen = sla.firstSeen && sla.firstSeen < t.firstSeen ? sla.firstSeen : t.firstSeen;
    const deadlineMs = Date.parse(firstSeen) + sla.budgetHours * 3_600_000;
    const deadline = new Date(deadlineMs).toISOString();
    let met: PopulationRow['met'];
    if (t.resolvedAt) met = Date.parse(t.resolvedAt) <= deadlineMs ? 'yes' : 'no';
    else met = asOf.getTime() <= deadlineMs ? 'open' : 'no';
    const w = t.last.waiver;
    rows.push({
      fingerprint: t.fingerprint,
      checkId: t.checkId,
      kind: sla.kind,
      item: sla.item,
      ...(sla.purl ? { purl: sla.purl } : {}),
      severity: sla.severity,
      firstSeen,
      ...(t.resolvedAt ? { resolvedAt: t.resolvedAt } : {}),
      deadline,
      met,
      ...(w ? { waiver: `${w.reason} (${w.owner}, until ${w.expires})` } : {}),
    });
  }
  return rows.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.item.localeCompare(b.item));
}

/**
 * Projection of one evidence-log entry into index records: pure (statement in, plain records out), one projector
 * per predicate type. A new kind of evidence (change populations, vulnerability clocks, access reviews) adds a
 * projector here, a table in src/store/schema.ts and a writer in src/store/index-writer.ts; nothing else moves.
 *
 * Source formats: src/evidence/FORMAT.md (scan-run/v1 and manual-evidence/v1 predicates), ScanResult
 * (src/core/scan-result.ts). Fields are read defensively: an entry in the log is signed, but a predicate written
 * by an older or newer tool may lack a field; what is missing becomes null, never a guess.
 */
import type { Finding } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';
import type { ManualEvidencePredicate, ScanPredicate } from '../evidence/statement.js';
import type { InTotoStatement } from '../evidence/types.js';
import { MANUAL_EVIDENCE_PREDICATE_TYPE, SCAN_PREDICATE_TYPE } from '../evidence/types.js';

/** A finding as the index stores it. `open` = fail, error or unknown (waived or not). */
export interface FindingRecord {
  fingerprint: string;
  checkId: string;
  severity: string;
  outcome: string;
  waived: boolean;
  resource: string;
  file: string;
  line: number | null;
  message: string;
  waiver: Finding['waiver'] | null;
}

/** Outcomes that make a finding open (a problem someone has to look at). */
export const OPEN_OUTCOMES = ['fail', 'error', 'unknown'] as const;

/** True when the finding is open in its run (see {@link OPEN_OUTCOMES}). */
export function isOpen(outcome: string): boolean {
  return (OPEN_OUTCOMES as readonly string[]).includes(outcome);
}

/** A scan run: the ScanResult flattened for the store. `orderKey` totally orders the runs of a repository. */
export interface RunRecord {
  runUuid: string;
  recordedAt: string;
  orderKey: string;
  commit: string | null;
  ref: string | null;
  ciUrl: string | null;
  exitCode: number;
  failing: number;
  counts: Record<string, number>;
  diagnostics: ScanResult['diagnostics'];
  builtInMap: boolean;
  frameworks: {
    framework: string;
    passing: number;
    inScope: number;
    percent: number;
    counts: Record<string, number>;
    requirements: ScanResult['frameworks'][number]['requirements'];
  }[];
  controls: {
    controlId: string;
    title: string;
    status: string;
    reason: string;
    checks: unknown;
    satisfies: unknown;
    evidence: unknown;
  }[];
  findings: FindingRecord[];
  /** Live or expired waivers applied in this run, one per (check, resource). */
  waivers: { checkId: string; resource: string; reason: string; owner: string; expires: string }[];
}

/** Manual evidence: one document for one control. */
export interface ManualEvidenceRecord {
  controlId: string;
  path: string;
  sha256: string;
  collectedAt: string;
  addedBy: string | null;
}

/** What an entry projects to. `recordedAt` is the entry's own time (null when it has none). */
export type Projection =
  | { kind: 'scan'; recordedAt: string; run: RunRecord }
  | { kind: 'manual'; recordedAt: string; evidence: ManualEvidenceRecord }
  | { kind: 'other'; recordedAt: string | null };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** ISO 8601 time, normalised (`toISOString`), or null when unparseable. */
function isoOrNull(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * Projects a statement. `envelopeSha256` (hex) breaks ties in the run order key. Unknown predicate types, and
 * known ones whose required fields are missing, project to `other` (kept in the index as an entry, nothing more).
 */
export function projectStatement(statement: InTotoStatement, envelopeSha256: string): Projection {
  if (statement.predicateType === SCAN_PREDICATE_TYPE) {
    const run = projectScan(statement.predicate as Partial<ScanPredicate>, envelopeSha256);
    if (run) return { kind: 'scan', recordedAt: run.recordedAt, run };
  } else if (statement.predicateType === MANUAL_EVIDENCE_PREDICATE_TYPE) {
    const p = statement.predicate as Partial<ManualEvidencePredicate>;
    const collectedAt = isoOrNull(p.collectedAt);
    const sha256 = statement.subject[0]?.digest?.sha256;
    if (collectedAt && str(p.controlId) && str(p.path) && typeof sha256 === 'string') {
      return {
        kind: 'manual',
        recordedAt: collectedAt,
        evidence: {
          controlId: p.controlId!,
          path: p.path!,
          sha256,
          collectedAt,
          addedBy: str(p.addedBy),
        },
      };
    }
  }
  const p = statement.predicate as { recordedAt?: unknown } | null;
  return { kind: 'other', recordedAt: isoOrNull(p?.recordedAt) };
}

function projectScan(p: Partial<ScanPredicate>, envelopeSha256: string): RunRecord | undefined {
  const scan = p.scan as Partial<ScanResult> | undefined;
  const recordedAt = isoOrNull(p.recordedAt) ?? isoOrNull(scan?.finishedAt);
  if (!scan || !recordedAt) return undefined;
  const findings: FindingRecord[] = [];
  const seen = new Set<string>();
  const waivers = new Map<string, RunRecord['waivers'][number]>();
  for (const f of Array.isArray(scan.findings) ? scan.findings : []) {
    if (typeof f?.fingerprint !== 'string' || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const waived = (f.outcome === 'fail' || f.outcome === 'error') && !!f.waiver && !f.waiver.expired;
    const resource = str(f.subject?.address) ?? '';
    findings.push({
      fingerprint: f.fingerprint,
      checkId: String(f.checkId),
      severity: String(f.severity),
      outcome: String(f.outcome),
      waived,
      resource,
      file: str(f.location?.file) ?? '',
      line: typeof f.location?.line === 'number' ? f.location.line : null,
      message: String(f.message ?? ''),
      waiver: f.waiver ?? null,
    });
    if (f.waiver && !waivers.has(`${f.checkId}\u0000${resource}`)) {
      waivers.set(`${f.checkId}\u0000${resource}`, {
        checkId: String(f.checkId),
        resource,
        reason: String(f.waiver.reason ?? ''),
        owner: String(f.waiver.owner ?? ''),
        expires: String(f.waiver.expires ?? ''),
      });
    }
  }
  const summary = scan.summary;
  return {
    runUuid: str(p.runId) ?? envelopeSha256,
    recordedAt,
    orderKey: `${recordedAt}|${envelopeSha256}`,
    commit: str(p.git?.commit) ?? str(p.ci?.commit),
    ref: str(p.ci?.ref),
    ciUrl: str(p.ci?.runUrl),
    exitCode: num(summary?.exitCode, 2),
    failing: num(summary?.failing),
    counts: (summary?.findings ?? {}) as Record<string, number>,
    diagnostics: Array.isArray(scan.diagnostics) ? scan.diagnostics : [],
    builtInMap: scan.controlMap?.builtIn === true,
    frameworks: (Array.isArray(scan.frameworks) ? scan.frameworks : []).map((fw) => ({
      framework: String(fw.id),
      passing: num(fw.passing),
      inScope: num(fw.inScope),
      percent: num(fw.compliancePercent),
      counts: (fw.counts ?? {}) as Record<string, number>,
      requirements: Array.isArray(fw.requirements) ? fw.requirements : [],
    })),
    controls: (Array.isArray(scan.controls) ? scan.controls : []).map((c) => ({
      controlId: String(c.id),
      title: String(c.title ?? ''),
      status: String(c.status),
      reason: String(c.reason ?? ''),
      checks: c.checks ?? [],
      satisfies: c.satisfies ?? {},
      evidence: c.evidence ?? null,
    })),
    findings,
    waivers: [...waivers.values()],
  };
}

import type { ScanResult } from '../../core/scan-result.js';
import { isSha256Hex } from '../hash.js';
import type { InTotoStatement } from '../types.js';
import { MANUAL_EVIDENCE_PREDICATE_TYPE, SCAN_PREDICATE_TYPE } from '../types.js';
import type { BundleManualEvidence, BundleRun } from './period-model.js';

/**
 * Reading the bundle-relevant facts out of logged statements. Tolerant of the scan predicate's layout:
 * the ScanResult is taken from `predicate.scan`, `predicate.result` or the predicate itself (when it has
 * `schemaVersion` and `findings`); the CI context from `predicate.ci` (`runUrl`/`url`, `provider`, `sha`/`commit`).
 */

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The ScanResult inside a scan-run statement, or undefined when it has none. */
export function scanResultOf(st: InTotoStatement): ScanResult | undefined {
  const p = rec(st.predicate);
  if (!p) return undefined;
  for (const candidate of [p.scan, p.result, p]) {
    const c = rec(candidate);
    if (
      c &&
      typeof c.schemaVersion === 'string' &&
      Array.isArray(c.findings) &&
      Array.isArray(c.frameworks)
    ) {
      return c as unknown as ScanResult;
    }
  }
  return undefined;
}

/**
 * The time a statement speaks for (ISO 8601): `predicate.recordedAt`, else the ScanResult's `finishedAt`, else
 * `predicate.collectedAt`. Undefined when none is a parseable date.
 */
export function statementTime(st: InTotoStatement): string | undefined {
  const p = rec(st.predicate);
  const t = str(p?.recordedAt) ?? scanResultOf(st)?.finishedAt ?? str(p?.collectedAt);
  return t !== undefined && Number.isFinite(Date.parse(t)) ? t : undefined;
}

/** A scan-run statement as a {@link BundleRun}; undefined for other predicate types or without a ScanResult. */
export function runFromStatement(
  st: InTotoStatement,
  index: number,
  envelopeSha256: string,
): BundleRun | undefined {
  if (st.predicateType !== SCAN_PREDICATE_TYPE) return undefined;
  const result = scanResultOf(st);
  const recordedAt = statementTime(st);
  if (!result || !recordedAt) return undefined;
  const ci = rec(rec(st.predicate)?.ci);
  const p = rec(st.predicate);
  let commit = str(rec(p?.git)?.commit) ?? str(ci?.commit) ?? str(ci?.sha) ?? str(p?.commit);
  for (const s of st.subject ?? []) {
    const d = rec(s.digest);
    if (!commit && typeof s.name === 'string' && s.name.startsWith('git+commit:')) {
      commit = str(d?.gitCommit) ?? s.name.slice('git+commit:'.length);
    }
  }
  const run: BundleRun = { index, envelopeSha256, recordedAt, result };
  if (commit) run.commit = commit;
  const url = str(ci?.runUrl) ?? str(ci?.url);
  if (url) run.ciRunUrl = url;
  const provider = str(ci?.provider);
  if (provider) run.ciProvider = provider;
  return run;
}

/** A manual-evidence statement as {@link BundleManualEvidence}; undefined for other predicate types. */
export function manualFromStatement(
  st: InTotoStatement,
  index: number,
  envelopeSha256: string,
): BundleManualEvidence | undefined {
  if (st.predicateType !== MANUAL_EVIDENCE_PREDICATE_TYPE) return undefined;
  const p = rec(st.predicate);
  const sha256 = str(rec(st.subject?.[0]?.digest)?.sha256);
  const recordedAt = statementTime(st);
  if (!p || !sha256 || !recordedAt) return undefined;
  return {
    index,
    envelopeSha256,
    recordedAt,
    controlId: str(p.controlId) ?? '',
    path: str(p.path) ?? str(st.subject?.[0]?.name) ?? '',
    sha256,
  };
}

/**
 * Blob digests (lowercase sha256 hex, sorted, unique) a statement references: every subject's `digest.sha256`,
 * the ScanResult's input and control-map digests, and any predicate field named `blob`, `resultBlob` or
 * `resultSha256`, the redacted copies of inputs that held secrets (`predicate.redactedSubjects[].blob`) — except subjects the recorder could not store (`predicate.unstoredSubjects`, by name). These are the blobs a bundle must carry for the entry.
 */
export function referencedBlobs(st: InTotoStatement): string[] {
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (isSha256Hex(v)) out.add(v);
  };
  const p = rec(st.predicate);
  const unstored = new Set(Array.isArray(p?.unstoredSubjects) ? p.unstoredSubjects : []);
  for (const s of st.subject ?? []) if (!unstored.has(s.name)) add(rec(s.digest)?.sha256);
  const result = scanResultOf(st);
  if (result) {
    for (const input of result.inputs ?? []) if (!unstored.has(input.file)) add(input.sha256);
    if (!unstored.has(result.controlMap?.file)) add(result.controlMap?.sha256);
  }
  if (p) for (const k of ['blob', 'resultBlob', 'resultSha256']) add(p[k]);
  for (const r of Array.isArray(p?.redactedSubjects) ? p.redactedSubjects : []) add(rec(r)?.blob);
  for (const a of Array.isArray(p?.attachments) ? p.attachments : []) add(rec(a)?.blob);
  return [...out].sort();
}

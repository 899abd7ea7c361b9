/** in-toto Statement v1 builders for Evident's two predicate types (scan runs and manual evidence). */
import type { ScanResult } from '../core/scan-result.js';
import type { CiContext } from './ci-context.js';
import type { InTotoStatement } from './types.js';
import { MANUAL_EVIDENCE_PREDICATE_TYPE, SCAN_PREDICATE_TYPE } from './types.js';

/** A statement subject: artifact name plus digests (sha256 always; gitCommit for the commit subject). */
export type Subject = InTotoStatement['subject'][number];

/**
 * Predicate of `https://evident.dev/attestations/scan-run/v1`. The full ScanResult is inline (auditors read one
 * document); `resultBlob` is the sha256 of its canonical JSON stored as a blob.
 */
export interface ScanPredicate {
  scan: ScanResult;
  resultBlob: string;
  /** CI run that produced the scan, when run in CI. */
  ci?: CiContext;
  /** Git commit of the scan root, when it is in a git work tree. */
  git?: { commit: string };
  /** ISO 8601 UTC time the evidence was recorded. */
  recordedAt: string;
  /** Random UUID making each record unique (two identical runs are still two entries). */
  runId: string;
  tool: { name: 'evident'; version: string };
  /**
   * Subject names whose bytes were not stored as blobs: the file changed after the scan read it, or it
   * holds secrets and was stored redacted instead (see `redactedSubjects`).
   */
  unstoredSubjects?: string[];
  /**
   * Inputs in which the secrets scan found secrets: stored with every secret replaced by
   * `[REDACTED]` (never in plaintext). `blob` is the sha256 of the redacted bytes (a stored blob);
   * the subject's digest stays the digest of the real file.
   */
  redactedSubjects?: { name: string; blob: string; redactions: number }[];
  /** Documents the run produced, stored as blobs (`evident sbom`: the CycloneDX SBOM). */
  attachments?: { name: string; mediaType: string; blob: string }[];
}

/** Predicate of `https://evident.dev/attestations/manual-evidence/v1` (`evident evidence add`). */
export interface ManualEvidencePredicate {
  controlId: string;
  /** POSIX path of the document relative to the repository root. */
  path: string;
  /** ISO 8601 UTC time the document was added; freshness (`maxAgeDays`) counts from here. */
  collectedAt: string;
  addedBy?: string;
  ci?: CiContext;
  runId: string;
}

/** Builds the scan-run statement. Subjects are de-duplicated by name (first wins). */
export function scanStatement(subjects: Subject[], predicate: ScanPredicate): InTotoStatement<ScanPredicate> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: dedupe(subjects),
    predicateType: SCAN_PREDICATE_TYPE,
    predicate,
  };
}

/** Builds the manual-evidence statement: one subject, the document. */
export function manualEvidenceStatement(
  subject: Subject,
  predicate: ManualEvidencePredicate,
): InTotoStatement<ManualEvidencePredicate> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [subject],
    predicateType: MANUAL_EVIDENCE_PREDICATE_TYPE,
    predicate,
  };
}

function dedupe(subjects: Subject[]): Subject[] {
  const seen = new Set<string>();
  return subjects.filter((s) => {
    if (seen.has(s.name)) return false;
    seen.add(s.name);
    return true;
  });
}

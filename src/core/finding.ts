import type { Subject } from './check.js';
import type { SourceLocation } from './location.js';
import type { Outcome, Severity } from './outcome.js';

/** A waiver from evident.yaml that matched a finding. Dates are ISO `YYYY-MM-DD`. */
export interface AppliedWaiver {
  reason: string;
  owner: string;
  expires: string;
  /** True when `expires` is before the scan date: the finding counts as failing again. */
  expired: boolean;
  /** Where the waiver is declared in evident.yaml. */
  location?: SourceLocation;
}

/**
 * One check's verdict on one subject, as reported. `fingerprint` is stable across line moves and
 * reformatting: sha256 hex of `checkId`, `subject.kind`, `subject.scope`, `subject.address` (see
 * src/core/fingerprint.ts). `waiver`, when present and not expired, means the failing finding is waived.
 */
export interface Finding {
  checkId: string;
  title: string;
  severity: Severity;
  outcome: Outcome;
  subject: Subject;
  message: string;
  /** Which message template of the check produced `message`, when the check declares templates. */
  messageId?: string;
  location: SourceLocation;
  fingerprint: string;
  waiver?: AppliedWaiver;
}

/** True when the finding is a failure that counts (not waived, or waived with an expired waiver). */
export function isCountedFailure(f: Finding): boolean {
  return (f.outcome === 'fail' || f.outcome === 'error') && (!f.waiver || f.waiver.expired);
}

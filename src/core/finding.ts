import type { Subject } from './check.js';
import type { SourceLocation } from './location.js';
import type { Outcome, Severity } from './outcome.js';

/**
 * A waiver from evident.yaml that matched a finding. Dates are ISO `YYYY-MM-DD`. An inline
 * `evident:allow secret reason="..."` comment is carried the same way, with `owner` naming the comment
 * (`inline evident:allow`) and `expires` `never`.
 */
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
  /** Remediation clock of a clocked finding (an open vulnerability, a secret to rotate). */
  sla?: SlaClock;
  /** Where a secret was seen (secrets checks). Never the secret itself. */
  secret?: SecretSighting;
}

/**
 * A secret finding's details: the rule, where it was seen (working tree, or only in history), the
 * commit that added it and its author date (history), and the masked preview.
 */
export interface SecretSighting {
  rule: string;
  where: 'tree' | 'history';
  commit?: string;
  /** ISO 8601 author date of `commit`. */
  authorDate?: string;
  /** The match with the secret masked (at most 4 leading characters shown). */
  preview: string;
}

/**
 * A remediation deadline clocked from the first recorded run that saw the finding (the evidence log,
 * by fingerprint; src/evidence/first-seen.ts). Times are ISO 8601 UTC.
 * - `within`: before `deadline`; `overdue`: past it; `unknown`: no earlier run in the log evaluated
 *   the check, so the first sighting cannot be told (`reason` says so).
 */
export interface SlaClock {
  /** What is clocked: an open vulnerability (patch) or a secret (rotate). */
  kind: 'vulnerability' | 'secret';
  /** Advisory id (OSV id, e.g. `GHSA-...`) or secret rule id. */
  item: string;
  /** Other ids of the advisory (CVE, GHSA, ...), merged from OSV `aliases`. */
  aliases?: string[];
  /** Package URL with version (vulnerabilities). */
  purl?: string;
  /** Versions that fix it, when the advisory says. */
  fixed?: string[];
  /** Advisory summary, one line. */
  summary?: string;
  severity: Severity;
  /** Where the severity came from: `database` (OSV database_specific), `cvss-v3`, `cvss-v4`, `unrated`. */
  severitySource?: string;
  /** The remediation budget that applies, in hours (evident.yaml `sla:`). */
  budgetHours: number;
  firstSeen?: string;
  deadline?: string;
  /** The instant the clock was evaluated at (`--now`, else the scan time). */
  evaluatedAt: string;
  state: 'within' | 'overdue' | 'unknown';
  reason?: string;
}

/** True when the finding is a failure that counts (not waived, or waived with an expired waiver). */
export function isCountedFailure(f: Finding): boolean {
  return (f.outcome === 'fail' || f.outcome === 'error') && (!f.waiver || f.waiver.expired);
}

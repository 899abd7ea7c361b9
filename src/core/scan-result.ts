import type { Diagnostic } from './errors.js';
import type { Finding } from './finding.js';
import type { FrameworkId, FrameworkMappings } from './framework-id.js';
import type { SourceLocation } from './location.js';
import type { Outcome, Severity } from './outcome.js';

/** Status of a control or framework requirement after roll-up (DESIGN.md "Outcomes"). */
export type RollupStatus = 'pass' | 'fail' | 'unknown' | 'manual' | 'waived' | 'not-applicable';

/** One input the scan evaluated, with its content digest (these become in-toto subjects). */
export interface ScannedInput {
  /** POSIX path relative to the scan root. */
  file: string;
  /** Lowercase hex sha256 of the file bytes. */
  sha256: string;
  /**
   * What the file is: a source's input kind (`terraform`, `terraform-vars`, `terraform-plan`,
   * `kubernetes`, ...), `control-map`, or `policy` (a team rule file that judged the scan). New
   * sources add kinds; consumers must accept unknown ones.
   */
  kind: string;
  bytes: number;
}

/** A file found but not evaluated, e.g. a Helm template (`{{` in YAML). */
export interface SkippedInput {
  file: string;
  reason: string;
}

/** Per-check summary: the rolled-up outcome and how many subjects got each outcome. */
export interface CheckSummary {
  id: string;
  title: string;
  severity: Severity;
  /** `error` > `fail` > `unknown` > `waived` (all failures waived) > `pass` > `not-applicable` (no subject). */
  outcome: Outcome | 'waived';
  counts: Record<Outcome, number> & { waived: number };
  mappings: FrameworkMappings;
}

/** Manual evidence attached to a control (evident.yaml `evidence: { manual: PATH, maxAgeDays }`). */
export interface ManualEvidenceStatus {
  path: string;
  maxAgeDays: number;
  /** sha256 of the document when found, and its age basis (ISO date: logged evidence time or last git commit). */
  sha256?: string;
  collectedAt?: string;
  fresh: boolean;
  reason: string;
}

/** A control from the map after roll-up. */
export interface ControlStatus {
  id: string;
  title: string;
  status: RollupStatus;
  /** Why, in one sentence, e.g. `2 of 3 checks fail`, `evidence older than 365 days`. */
  reason: string;
  satisfies: FrameworkMappings;
  checks: { id: string; outcome: CheckSummary['outcome'] }[];
  evidence?: ManualEvidenceStatus;
  /** Finding fingerprints behind a fail/unknown/waived status (the drill-down). */
  findings: string[];
  location?: SourceLocation;
}

/** A framework requirement after roll-up. */
export interface RequirementStatus {
  id: string;
  title: string;
  family: string;
  status: RollupStatus;
  reason: string;
  /** IDs of the controls mapped to it. Empty means no control covers it (status `unknown`). */
  controls: string[];
}

/**
 * One framework's standing. `compliancePercent` = passing / inScope * 100, rounded to one decimal,
 * where inScope = requirements not `not-applicable`. `counts` counts requirements by status.
 */
export interface FrameworkStatus {
  id: FrameworkId;
  name: string;
  requirementsTotal: number;
  inScope: number;
  passing: number;
  compliancePercent: number;
  counts: Record<RollupStatus, number>;
  requirements: RequirementStatus[];
}

/**
 * The versioned result of `evident scan` (`--format json`). Schema documented in docs/scan-result.md.
 * Bump `schemaVersion` on any breaking change.
 */
export interface ScanResult {
  schemaVersion: '1';
  tool: { name: 'evident'; version: string };
  /** ISO 8601 UTC. */
  startedAt: string;
  finishedAt: string;
  /** Scan root as given on the command line. */
  root: string;
  controlMap: { file?: string; sha256?: string; builtIn: boolean };
  inputs: ScannedInput[];
  skipped: SkippedInput[];
  diagnostics: Diagnostic[];
  checks: CheckSummary[];
  findings: Finding[];
  controls: ControlStatus[];
  frameworks: FrameworkStatus[];
  summary: {
    findings: Record<Outcome, number> & { waived: number };
    /** Findings that fail the run: fail/error, not waived (or waiver expired), at or above `failOn`. */
    failing: number;
    failOn: Severity;
    /** Present when `--baseline` was used: failing findings whose fingerprints were not in the baseline. */
    newFailing?: number;
    /** 0 nothing failed, 1 a check or control failed, 2 configuration or input error. */
    exitCode: 0 | 1 | 2;
  };
}

import type { FrameworkId, FrameworkMappings } from '../core/framework-id.js';
import type { SourceLocation } from '../core/location.js';

/** `evidence:` of a control: a document in the repo that proves the control, fresh for `maxAgeDays`. */
export interface ManualEvidenceSpec {
  /** Path of the document as written in evident.yaml (relative to the map's directory). */
  manual: string;
  /** Days the recorded evidence stays fresh; default {@link DEFAULT_MAX_AGE_DAYS}. */
  maxAgeDays: number;
}

/** Default freshness window of manual evidence when evident.yaml gives no `maxAgeDays`. */
export const DEFAULT_MAX_AGE_DAYS = 365;

/** One of the organisation's controls (evident.yaml `controls[]`). */
export interface MapControl {
  /** e.g. `CHG-1`; unique in the map; letters, digits, `.`, `_`, `-`. */
  id: string;
  title: string;
  description?: string;
  owner?: string;
  /** Requirement IDs per framework; every ID exists in its catalog and its framework is in scope. */
  satisfies: FrameworkMappings;
  /** Canonical check IDs (aliases written in the file are resolved to the current ID), no duplicates. */
  checks: string[];
  evidence?: ManualEvidenceSpec;
  /** Where the control's list item starts in evident.yaml (absent for the built-in starter map). */
  location?: SourceLocation;
}

/** A requirement declared out of scope (evident.yaml `notApplicable[]`). */
export interface NotApplicableEntry {
  framework: FrameworkId;
  requirement: string;
  reason: string;
  location?: SourceLocation;
}

/**
 * A waiver (evident.yaml `waivers[]`): accepts failing findings of one check on matching subjects
 * until `expires`. `resource` is a subject address, exact or with one trailing `*`
 * (`aws_s3_bucket.public_*`, `module.x.*`, `*`). `scope`, when given, must equal the subject's scope
 * (Terraform root module dir, Kubernetes manifest file).
 */
export interface Waiver {
  /** Canonical check ID (an alias written in the file is resolved). */
  check: string;
  resource: string;
  scope?: string;
  reason: string;
  /** Email-ish address of the person accountable. */
  owner: string;
  /** ISO date `YYYY-MM-DD`; the waiver is live through that day (UTC). */
  expires: string;
  location?: SourceLocation;
}

/** A validated control map: evident.yaml, or the built-in starter map (`builtIn: true`). */
export interface ControlMap {
  version: 1;
  /** The file it was read from, as given to the loader. */
  file?: string;
  /** Lowercase hex sha256 and size of the exact bytes parsed (set by loadControlMap), for evidence subjects. */
  digest?: { sha256: string; bytes: number };
  builtIn: boolean;
  /** `policies:` as written: directories of team rule files, relative to the map's directory. */
  policies?: string[];
  /** Frameworks in scope, no duplicates, in the order written. */
  frameworks: FrameworkId[];
  controls: MapControl[];
  notApplicable: NotApplicableEntry[];
  waivers: Waiver[];
}

import type { FrameworkId } from '../../core/framework-id.js';
import type { ScanResult } from '../../core/scan-result.js';
import { type PopulationRow, remediationPopulation, sightingsFrom } from '../first-seen.js';

/**
 * One recorded `evident scan` run inside the audit period, as the bundle's reports see it.
 * `index` is the 0-based log index; `envelopeSha256` is hex SHA-256 of the canonical envelope bytes
 * (the bytes of `entries/<index>.dsse.json`); `recordedAt` is ISO 8601 UTC.
 */
export interface BundleRun {
  index: number;
  envelopeSha256: string;
  recordedAt: string;
  /** Git commit the run evaluated (40 hex), when recorded. */
  commit?: string;
  /** CI run URL, provider and workflow, when the run was recorded in CI. */
  ciRunUrl?: string;
  ciProvider?: string;
  result: ScanResult;
}

/** One manual evidence document logged with `evident evidence add`. `sha256` is the document digest. */
export interface BundleManualEvidence {
  index: number;
  envelopeSha256: string;
  recordedAt: string;
  controlId: string;
  path: string;
  sha256: string;
}

/**
 * Everything the derived bundle files (HTML, CSV, OSCAL, AUDITOR.md) are rendered from. Rendering is a pure,
 * deterministic function of this model, so `verifyBundle` can re-derive every report and compare bytes.
 * `period.from`/`period.to` are `YYYY-MM-DD` (inclusive, UTC); `createdAt` is ISO 8601 UTC.
 */
export interface BundleModel {
  createdAt: string;
  period: { from: string; to: string };
  framework?: FrameworkId;
  log: { origin: string; treeSize: number; rootHash: string };
  /** Key id of the signing key (`SHA256:` + base64 of sha256 of the SPKI DER) and its hex fingerprint. */
  key: { keyId: string; fingerprintHex: string };
  /** Runs in the period, in increasing log index order. */
  runs: BundleRun[];
  manual: BundleManualEvidence[];
}

/** The run whose statuses stand for the end of the period: the one with the latest `recordedAt` (ties: highest index). */
export function latestRun(model: BundleModel): BundleRun | undefined {
  let best: BundleRun | undefined;
  for (const run of model.runs) {
    if (
      !best ||
      run.recordedAt > best.recordedAt ||
      (run.recordedAt === best.recordedAt && run.index > best.index)
    ) {
      best = run;
    }
  }
  return best;
}

/** Frameworks of a run, filtered to `model.framework` when the bundle was exported for one framework. */
export function frameworksOf(model: BundleModel, run: BundleRun): ScanResult['frameworks'] {
  return model.framework
    ? run.result.frameworks.filter((f) => f.id === model.framework)
    : run.result.frameworks;
}

/** `soc2:CC6.1 CC6.6; iso27001-2022:A.8.24` — a compact, stable rendering of framework mappings. */
export function formatMappings(mappings: Partial<Record<string, string[]>>): string {
  return Object.keys(mappings)
    .sort()
    .map((k) => `${k}:${(mappings[k] ?? []).join(' ')}`)
    .join('; ');
}

/**
 * The period's remediation population: clocked findings (open vulnerabilities, secrets to rotate)
 * open at some time in the period, computed from the period's runs (first-seen.ts); a finding's first
 * sighting before the period comes from the clock its runs recorded. Still-open ones are judged at
 * the end of the period (or the bundle's creation, if earlier).
 */
export function periodPopulation(model: BundleModel): PopulationRow[] {
  const index = sightingsFrom(
    model.runs.map((r) => ({
      index: r.index,
      recordedAt: r.recordedAt,
      root: r.result.root,
      checks: r.result.checks.map((c) => c.id),
      findings: r.result.findings,
    })),
  );
  const from = new Date(`${model.period.from}T00:00:00.000Z`);
  const to = new Date(`${model.period.to}T23:59:59.999Z`);
  const created = new Date(model.createdAt);
  return remediationPopulation(index, from, to, created < to ? created : to);
}

import cvss from 'ae-cvss-calculator';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvss;

import type { Severity } from '../../core/outcome.js';

/** A severity and where it came from (`database`, `cvss-v3`, `cvss-v4`, `unrated`). */
export interface RatedSeverity {
  severity: Severity;
  source: 'database' | 'cvss-v3' | 'cvss-v4' | 'unrated';
  /** CVSS base score when computed. */
  score?: number;
}

const LABELS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  none: 'info',
};

/** CVSS qualitative rating (FIRST CVSS v3.1 §5 / v4.0 §6): 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 none. */
export function ratingOf(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/**
 * An OSV record's severity: the database-specific label when present (`database_specific.severity`
 * of the record or of the matching `affected` entry, e.g. GitHub's CRITICAL/HIGH/MODERATE/LOW), else
 * the highest base score of its CVSS v4 / v3 vectors (`severity[]`, computed with
 * ae-cvss-calculator), else `unrated`. An unparseable vector is skipped.
 */
export function rateSeverity(
  record: Record<string, unknown>,
  affected?: Record<string, unknown>,
): RatedSeverity {
  for (const holder of [
    affected?.database_specific,
    affected?.ecosystem_specific,
    record.database_specific,
  ]) {
    const label =
      typeof holder === 'object' && holder !== null
        ? (holder as Record<string, unknown>).severity
        : undefined;
    if (typeof label === 'string' && LABELS[label.toLowerCase()])
      return { severity: LABELS[label.toLowerCase()]!, source: 'database' };
  }
  let best: RatedSeverity | undefined;
  const list = Array.isArray(record.severity) ? record.severity : [];
  for (const s of list) {
    if (typeof s !== 'object' || s === null) continue;
    const { type, score } = s as { type?: string; score?: string };
    if (typeof score !== 'string') continue;
    try {
      let base: number | undefined;
      let source: RatedSeverity['source'] | undefined;
      if (type === 'CVSS_V4' && score.startsWith('CVSS:4.0/')) {
        base = new Cvss4P0(score).calculateScores().base;
        source = 'cvss-v4';
      } else if (type === 'CVSS_V3' && score.startsWith('CVSS:3.1/')) {
        base = new Cvss3P1(score).calculateScores().base;
        source = 'cvss-v3';
      } else if (type === 'CVSS_V3' && score.startsWith('CVSS:3.0/')) {
        base = new Cvss3P0(score).calculateScores().base;
        source = 'cvss-v3';
      }
      if (base === undefined || source === undefined || !Number.isFinite(base)) continue;
      if (!best || (best.score ?? -1) < base) best = { severity: ratingOf(base), source, score: base };
    } catch {
      // an invalid vector rates nothing
    }
  }
  return best ?? { severity: 'high', source: 'unrated' };
}

/**
 * Standing across repositories (the server's overview). Pure.
 *
 * - A requirement's status across repositories is the worst of its statuses in each repository's latest run,
 *   in the order fail > unknown > manual > waived > pass; `not-applicable` only when it is not applicable in
 *   every repository (the same order rollup.ts uses for controls → requirement).
 * - The compliance % across repositories pools (repository, requirement) pairs: Σ passing / Σ in scope × 100,
 *   rounded to one decimal, 0 when nothing is in scope. It equals the single-repository figure for one
 *   repository, and can be summed day by day for the chart over time.
 */
import type { RollupStatus } from '../core/scan-result.js';

const ORDER: RollupStatus[] = ['fail', 'unknown', 'manual', 'waived', 'pass', 'not-applicable'];

/** Worst status of a requirement across repositories (see module doc); `unknown` for an empty list. */
export function worstStatus(statuses: readonly string[]): RollupStatus {
  if (statuses.length === 0) return 'unknown';
  for (const s of ORDER) if (statuses.includes(s)) return s;
  return 'unknown'; // a status this version does not know is never reported as passing
}

/** Pooled compliance % over repositories (see module doc). */
export function pooledPercent(parts: readonly { passing: number; inScope: number }[]): number {
  const inScope = parts.reduce((a, p) => a + p.inScope, 0);
  const passing = parts.reduce((a, p) => a + p.passing, 0);
  return inScope === 0 ? 0 : Math.round((passing / inScope) * 1000) / 10;
}

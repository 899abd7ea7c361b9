import type { Diagnostic } from '../core/errors.js';
import { type Finding, isCountedFailure } from '../core/finding.js';
import { OUTCOMES, type Outcome, type Severity, severityAtLeast } from '../core/outcome.js';
import type { ScanResult } from '../core/scan-result.js';

/**
 * Computes `ScanResult.summary`: counts per outcome (+ `waived` = failures covered by a live waiver),
 * failing findings at or above `failOn`, and the exit code (DESIGN.md "Interfaces users expect"):
 * 1 when a counted failure at or above `failOn` exists (with `baseline`: only failures whose fingerprint
 * is not in the baseline), else 2 when an input or configuration diagnostic of severity `error`
 * exists (the scan is incomplete, so it is never reported clean), else 0.
 *
 * `uncontrolled`, when given, is the set of check ids no control of the map lists and whose failures
 * do not fail the run (`--no-fail-on-uncontrolled`): they are counted in `uncontrolledFailing`
 * instead of `failing`. Without it every failing finding counts (the default).
 */
export function summarize(
  findings: readonly Finding[],
  diagnostics: readonly Diagnostic[],
  failOn: Severity,
  baseline?: ReadonlySet<string>,
  uncontrolled?: ReadonlySet<string>,
): ScanResult['summary'] {
  const counts = Object.fromEntries([...OUTCOMES.map((o) => [o, 0]), ['waived', 0]]) as Record<
    Outcome,
    number
  > & {
    waived: number;
  };
  let failing = 0;
  let newFailing = 0;
  let uncontrolledFailing = 0;
  for (const f of findings) {
    counts[f.outcome]++;
    if ((f.outcome === 'fail' || f.outcome === 'error') && f.waiver && !f.waiver.expired) counts.waived++;
    if (isCountedFailure(f) && severityAtLeast(f.severity, failOn)) {
      if (uncontrolled?.has(f.checkId)) {
        uncontrolledFailing++;
        continue;
      }
      failing++;
      if (baseline && !baseline.has(f.fingerprint)) newFailing++;
    }
  }
  const blocking = baseline ? newFailing : failing;
  const incomplete = diagnostics.some((d) => d.severity === 'error');
  const exitCode: 0 | 1 | 2 = blocking > 0 ? 1 : incomplete ? 2 : 0;
  return {
    findings: counts,
    failing,
    failOn,
    ...(baseline ? { newFailing } : {}),
    failOnUncontrolled: uncontrolled === undefined,
    ...(uncontrolled ? { uncontrolledFailing } : {}),
    exitCode,
  };
}

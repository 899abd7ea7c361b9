/**
 * Outcome of one check on one subject (DESIGN.md "Outcomes — honesty first").
 * - `pass`: observed and compliant.
 * - `fail`: observed and non-compliant.
 * - `unknown`: could not be observed (unresolved value, computed at apply time, ...); always with a reason.
 * - `not-applicable`: the check does not apply to this subject.
 * - `error`: the check itself crashed on this input.
 * `waived` is not an outcome: it is kept beside the raw outcome on the finding.
 */
export type Outcome = 'pass' | 'fail' | 'unknown' | 'not-applicable' | 'error';

export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'unknown', 'not-applicable', 'error'];

/** Finding severity, ordered from most to least severe in {@link SEVERITIES}. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** True when `a` is at least as severe as `b`. */
export function severityAtLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

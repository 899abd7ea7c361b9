import type { CheckContext, Subject } from '../../core/check.js';
import type { SlaClock } from '../../core/finding.js';
import { fingerprint } from '../../core/fingerprint.js';

const HOUR = 3_600_000;

/** `2 d 5 h`, `7 h 30 min`, `45 min` for a duration in milliseconds (absolute value). */
export function formatDuration(ms: number): string {
  const mins = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** The clock fields of a finding: when it was first seen, its deadline, and the state at `ctx.now`. */
export type ClockState = Pick<
  SlaClock,
  'firstSeen' | 'deadline' | 'evaluatedAt' | 'state' | 'reason' | 'budgetHours'
>;

/**
 * Evaluates the remediation clock of the finding `checkId` would report on `subject` (matched by
 * its fingerprint in `ctx.history`): first seen = the earliest earlier run that saw it, else this
 * run; deadline = first seen + `budgetHours`; `within` until the deadline, `overdue` after it.
 * `unknown` (with the reason) when no evidence log was read or no earlier run evaluated the check:
 * then the first sighting cannot be told, and a clock that starts now would be a guess.
 */
export function evaluateClock(
  checkId: string,
  subject: Subject,
  budgetHours: number,
  ctx: CheckContext,
): ClockState {
  const evaluatedAt = ctx.now.toISOString();
  const base = { evaluatedAt, budgetHours };
  if (!ctx.history) {
    return {
      ...base,
      state: 'unknown',
      reason: 'no evidence log was read, so when this was first seen cannot be told',
    };
  }
  if (!ctx.history.hasEarlierRun(checkId)) {
    return {
      ...base,
      state: 'unknown',
      reason:
        'the evidence log holds no earlier run of this check, so when this was first seen cannot be told (first run, or a CI runner that did not restore its log: see docs/ci.md)',
    };
  }
  const first = ctx.history.firstSeen(fingerprint(checkId, subject)) ?? ctx.history.runAt;
  const deadline = new Date(first.getTime() + budgetHours * HOUR);
  return {
    ...base,
    firstSeen: first.toISOString(),
    deadline: deadline.toISOString(),
    state: ctx.now.getTime() <= deadline.getTime() ? 'within' : 'overdue',
  };
}

/** `42 h left (deadline 2026-01-17T12:00:00.000Z)` / `3 d 2 h past the deadline (...)` / the unknown reason. */
export function describeClock(c: ClockState, now: Date): string {
  if (c.state === 'unknown') return `clock unknown: ${c.reason}`;
  const left = new Date(c.deadline!).getTime() - now.getTime();
  const since = `first seen ${c.firstSeen}`;
  return c.state === 'within'
    ? `${formatDuration(left)} left (${since}, deadline ${c.deadline})`
    : `${formatDuration(left)} past the deadline (${since}, deadline ${c.deadline})`;
}

/**
 * Drift between two consecutive runs of a repository: control status changes and finding counts. Pure.
 * A control moving from `pass` to `fail` raises an alert.
 */

/** A control's status in a run. */
export interface ControlState {
  controlId: string;
  title: string;
  status: string;
}

/** One control whose status changed. */
export interface ControlChange {
  controlId: string;
  title: string;
  from: string | null;
  to: string;
}

/** Changes from `prev` to `next` (controls new in `next` have `from: null`), in control id order. */
export function controlDrift(prev: readonly ControlState[], next: readonly ControlState[]): ControlChange[] {
  const before = new Map(prev.map((c) => [c.controlId, c.status]));
  return next
    .filter((c) => before.get(c.controlId) !== c.status)
    .map((c) => ({
      controlId: c.controlId,
      title: c.title,
      from: before.get(c.controlId) ?? null,
      to: c.status,
    }))
    .sort((a, b) => (a.controlId < b.controlId ? -1 : a.controlId > b.controlId ? 1 : 0));
}

/** The changes that raise an alert: a control that passed and now fails. */
export function regressions(changes: readonly ControlChange[]): ControlChange[] {
  return changes.filter((c) => c.from === 'pass' && c.to === 'fail');
}

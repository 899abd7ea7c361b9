/** Status and severity badges: text first (colour is never the only signal). */
import { statusLabel } from '../format.js';

/** A status (pass, fail, unknown, …) as a labelled badge. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{statusLabel(status)}</span>;
}

/** A severity as a labelled badge. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}

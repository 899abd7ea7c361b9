import { formatDuration } from '../checks/_lib/sla-clock.js';
import type { Finding } from '../core/finding.js';
import type { ScanResult } from '../core/scan-result.js';

const STATE_RANK = { overdue: 0, within: 1, unknown: 2 } as const;

/**
 * The open clocked findings of a result (open vulnerabilities, secrets to rotate): every finding with
 * an SLA clock, overdue first, then by deadline, clocks that cannot be checked last.
 */
export function openClocks(result: ScanResult): Finding[] {
  return result.findings
    .filter((f) => f.sla !== undefined)
    .sort(
      (a, b) =>
        STATE_RANK[a.sla!.state] - STATE_RANK[b.sla!.state] ||
        (a.sla!.deadline ?? '').localeCompare(b.sla!.deadline ?? '') ||
        a.sla!.item.localeCompare(b.sla!.item),
    );
}

/** `OVERDUE by 2 d 3 h`, `1 d 4 h left`, `clock unknown` for a finding's clock at its evaluation instant. */
export function clockState(f: Finding): string {
  const c = f.sla!;
  if (c.state === 'unknown' || !c.deadline) return 'clock unknown';
  const left = Date.parse(c.deadline) - Date.parse(c.evaluatedAt);
  return c.state === 'overdue' ? `OVERDUE by ${formatDuration(left)}` : `${formatDuration(left)} left`;
}

/** What is clocked, one line: `GHSA-x (CVE-y) pkg:npm/lodash@4.17.20 high` or `secret aws-access-key-id`. */
export function clockSubject(f: Finding): string {
  const c = f.sla!;
  if (c.kind === 'secret') return `secret ${c.item} (${f.subject.address.split(':').pop()}) ${c.severity}`;
  const aka = c.aliases?.length ? ` (${c.aliases.join(', ')})` : '';
  return `${c.item}${aka} ${c.purl ?? ''} ${c.severity}`.replace(/\s+/g, ' ').trim();
}

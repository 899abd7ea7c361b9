/** Display formatting: framework names, percentages, dates, file:line, status labels. */

const FRAMEWORK_NAMES: Record<string, string> = {
  soc2: 'SOC 2',
  'iso27001-2022': 'ISO/IEC 27001:2022',
  hipaa: 'HIPAA Security Rule',
  gdpr: 'GDPR',
};

/** A framework's display name (its id when unknown). */
export function frameworkName(id: string): string {
  return FRAMEWORK_NAMES[id] ?? id;
}

/** `3.3` → `3.3%`; null → `–`. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${v.toFixed(1)}%`;
}

/** An ISO timestamp as `2026-03-20 14:05 UTC`. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An ISO timestamp as `2026-03-20`. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

/** `terraform/main.tf:33` (no line: the file alone). */
export function fileLine(file: string, line: number | null): string {
  return line === null ? file : `${file}:${line}`;
}

/** First 12 hex digits of a digest, for tables (the full digest is in the title and detail pages). */
export function shortDigest(hex: string): string {
  return hex.slice(0, 12);
}

/** Statuses in the order the UI lists them (worst first). */
export const STATUS_ORDER = ['fail', 'unknown', 'manual', 'waived', 'pass', 'not-applicable'] as const;

const STATUS_LABELS: Record<string, string> = {
  fail: 'Failing',
  unknown: 'Unknown',
  manual: 'Manual',
  waived: 'Waived',
  pass: 'Passing',
  'not-applicable': 'Not applicable',
  error: 'Error',
  fresh: 'Fresh',
  stale: 'Stale',
  missing: 'Missing',
  open: 'Open',
  resolved: 'Resolved',
};

/** A status's label. */
export function statusLabel(s: string): string {
  return STATUS_LABELS[s] ?? s;
}

/** Severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** `YYYY-MM-DD` of `d` (UTC). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

import type { Finding } from '../core/finding.js';
import type { SourceLocation } from '../core/location.js';
import { SEVERITIES, type Severity } from '../core/outcome.js';
import type { RollupStatus } from '../core/scan-result.js';

// Shared text helpers for the renderers. Scanned inputs are untrusted: resource names, messages and
// file names can carry terminal escapes or markup, so every renderer passes them through these.

const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes untrusted text safe for a one-line terminal/Markdown cell: removes ANSI escape sequences,
 * turns newlines and tabs into spaces and other C0/C1 control characters into `?`, collapses runs of
 * whitespace.
 */
export function oneLine(text: string): string {
  return text
    .replace(ANSI_ESCAPE, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Cuts `text` to at most `max` characters (code points), ending with `…` when cut. `max` < 1 gives ''. */
export function truncate(text: string, max: number): string {
  if (max < 1) return '';
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Display width in code points (good enough for the Latin text Evident prints). */
export function width(text: string): number {
  return Array.from(text).length;
}

/** Pads `text` with spaces to `n` code points (never cuts). */
export function padEnd(text: string, n: number): string {
  const w = width(text);
  return w >= n ? text : text + ' '.repeat(n - w);
}

/** 0 for `critical` … 4 for `info`. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

const STATUS_ORDER: readonly RollupStatus[] = [
  'fail',
  'unknown',
  'manual',
  'waived',
  'pass',
  'not-applicable',
];

/** Sort rank of a roll-up status: failing first, then unknown, manual, waived, pass, not-applicable. */
export function statusRank(s: RollupStatus): number {
  const i = STATUS_ORDER.indexOf(s);
  return i < 0 ? STATUS_ORDER.length : i;
}

/** True when the finding is a fail/error covered by a waiver that has not expired. */
export function isWaived(f: Finding): boolean {
  return (f.outcome === 'fail' || f.outcome === 'error') && f.waiver !== undefined && !f.waiver.expired;
}

/**
 * True when the location points into a scanned file. Findings of a crashed check carry the
 * placeholder `{ file: '.', line: 1 }` (src/engine/run-checks.ts): those have no file location.
 */
export function hasFileLocation(loc: SourceLocation): boolean {
  return loc.file !== '' && loc.file !== '.';
}

/** `file:line[:col]`, or `(no file)` for a placeholder location. Untrusted parts made one-line. */
export function locationText(loc: SourceLocation): string {
  if (!hasFileLocation(loc)) return '(no file)';
  const file = oneLine(loc.file);
  return loc.column ? `${file}:${loc.line}:${loc.column}` : `${file}:${loc.line}`;
}

/**
 * Orders findings for display: counted failures first (by severity, then check id, then address),
 * then errors, unknowns, waived, passes; stable for equal keys.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    findingGroup(a) - findingGroup(b) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.checkId, b.checkId) ||
    cmp(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    cmp(a.subject.address, b.subject.address)
  );
}

function findingGroup(f: Finding): number {
  if (isWaived(f)) return 3;
  switch (f.outcome) {
    case 'fail':
    case 'error':
      return 0;
    case 'unknown':
      return 2;
    case 'pass':
      return 4;
    default:
      return 5;
  }
}

/** Locale-independent string comparison (deterministic output on every machine). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Formats a percentage with one decimal, e.g. `62.5%`; whole numbers keep `.0` off: `100%`. */
export function percent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const r = Math.round(p * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}%`;
}

/** `1 finding` / `3 findings`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

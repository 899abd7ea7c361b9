import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type BundleModel, formatMappings, frameworksOf, periodPopulation } from './period-model.js';

/**
 * Characters that make a spreadsheet (Excel, LibreOffice Calc, Google Sheets) evaluate a cell as a formula
 * when they start it (OWASP "CSV Injection"; ASVS 5 V1.2.10): `=`, `+`, `-`, `@`, TAB, CR, LF and NUL.
 * Some applications trim leading spaces first, so a trigger after leading spaces counts too.
 */
const FORMULA_START = /^[ ]*[=+\-@\t\r\n\0]/;

/**
 * Neutralises a cell against formula injection: prefixes a single quote `'` to any value that starts
 * (after optional spaces) with = + - @ TAB CR LF NUL, **and to any value that already starts with `'`**, so
 * the rule is exactly reversible with {@link restoreCell}. Multi-line values keep their line breaks
 * (the CSV writer quotes them). Example: `=1+1` → `'=1+1`; `'x` → `''x`; `a\n=b` → unchanged.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) || value.startsWith("'") ? `'${value}` : value;
}

/** Inverse of {@link neutraliseCell}: removes one leading `'` if present. */
export function restoreCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** The note written in the bundle's AUDITOR.md and report about the CSV escaping rule. */
export const CSV_ESCAPING_NOTE =
  "Cells that begin (after optional spaces) with = + - @ TAB CR LF NUL, or with a single quote, are prefixed with one extra single quote (') so spreadsheets show them as text (OWASP CSV injection guidance). To get the original value, remove exactly one leading single quote from such a cell.";

/**
 * Renders rows (first row = header) as RFC 4180 CSV (CRLF line ends, every cell quoted) with every cell
 * neutralised by {@link neutraliseCell}. Values are strings; numbers and booleans are converted with `String`.
 */
export function toSafeCsv(rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  const safe = rows.map((row) => row.map((cell) => neutraliseCell(cell === undefined ? '' : String(cell))));
  return stringify(safe, { quoted: true, record_delimiter: '\r\n' });
}

/**
 * Parses CSV written by {@link toSafeCsv} back to the original cell strings (header row included), undoing the
 * neutralisation. Throws the csv-parse error on malformed CSV.
 */
export function parseSafeCsv(text: string): string[][] {
  const rows = parse(text, { relax_column_count: false, bom: true }) as string[][];
  return rows.map((row) => row.map(restoreCell));
}

/** Column order of `report/findings.csv`. */
export const FINDINGS_CSV_HEADER = [
  'run_index',
  'run_recorded_at',
  'run_envelope_sha256',
  'check_id',
  'title',
  'severity',
  'outcome',
  'waived',
  'waiver_reason',
  'waiver_owner',
  'waiver_expires',
  'subject_kind',
  'subject_type',
  'subject_address',
  'file',
  'line',
  'message',
  'fingerprint',
] as const;

/** `report/findings.csv`: one row per finding of every run in the period (the population), by run index. */
export function renderFindingsCsv(model: BundleModel): string {
  const rows: (string | number)[][] = [[...FINDINGS_CSV_HEADER]];
  for (const run of model.runs) {
    for (const f of run.result.findings) {
      const waived = f.waiver !== undefined && !f.waiver.expired;
      rows.push([
        run.index,
        run.recordedAt,
        run.envelopeSha256,
        f.checkId,
        f.title,
        f.severity,
        f.outcome,
        waived ? 'true' : 'false',
        f.waiver?.reason ?? '',
        f.waiver?.owner ?? '',
        f.waiver?.expires ?? '',
        f.subject.kind,
        f.subject.type,
        f.subject.address,
        f.location.file,
        f.location.line,
        f.message,
        f.fingerprint,
      ]);
    }
  }
  return toSafeCsv(rows);
}

/** Column order of `report/controls.csv`. */
export const CONTROLS_CSV_HEADER = [
  'run_index',
  'run_recorded_at',
  'run_envelope_sha256',
  'framework',
  'requirement_id',
  'requirement_status',
  'control_id',
  'control_title',
  'control_status',
  'control_reason',
  'control_satisfies',
  'checks',
  'manual_evidence_sha256',
] as const;

/**
 * `report/controls.csv`: for every run in the period, one row per (framework requirement, control) pair
 * (requirements with no control get one row with an empty control), so a status always drills down.
 */
export function renderControlsCsv(model: BundleModel): string {
  const rows: (string | number)[][] = [[...CONTROLS_CSV_HEADER]];
  for (const run of model.runs) {
    const controls = new Map(run.result.controls.map((c) => [c.id, c]));
    for (const fw of frameworksOf(model, run)) {
      for (const req of fw.requirements) {
        const ids = req.controls.length > 0 ? req.controls : [''];
        for (const id of ids) {
          const c = id ? controls.get(id) : undefined;
          rows.push([
            run.index,
            run.recordedAt,
            run.envelopeSha256,
            fw.id,
            req.id,
            req.status,
            id,
            c?.title ?? '',
            c?.status ?? '',
            c?.reason ?? '',
            c ? formatMappings(c.satisfies) : '',
            c ? c.checks.map((k) => `${k.id}=${k.outcome}`).join('; ') : '',
            c?.evidence?.sha256 ?? '',
          ]);
        }
      }
    }
  }
  return toSafeCsv(rows);
}

/** Column order of `report/vulnerabilities.csv`. */
export const POPULATION_CSV_HEADER = [
  'kind',
  'item',
  'package',
  'severity',
  'check_id',
  'first_seen',
  'resolved_at',
  'deadline',
  'met',
  'waiver',
  'fingerprint',
] as const;

/**
 * `report/vulnerabilities.csv`: the period's remediation population (open vulnerabilities and secrets
 * to rotate that were open at some time in the period): first seen, resolved at (empty while open),
 * deadline and whether it was met (see src/evidence/first-seen.ts), so an auditor can sample
 * remediation. Derived from the period's runs only, so verify can re-derive it.
 */
export function renderPopulationCsv(model: BundleModel): string {
  const rows: (string | number)[][] = [[...POPULATION_CSV_HEADER]];
  for (const r of periodPopulation(model)) {
    rows.push([
      r.kind,
      r.item,
      r.purl ?? '',
      r.severity,
      r.checkId,
      r.firstSeen,
      r.resolvedAt ?? '',
      r.deadline ?? '',
      r.met,
      r.waiver ?? '',
      r.fingerprint,
    ]);
  }
  return toSafeCsv(rows);
}

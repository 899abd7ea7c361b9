import type { Finding } from '../core/finding.js';
import type { Severity } from '../core/outcome.js';
import type { RollupStatus, ScanResult } from '../core/scan-result.js';
import { clockState, clockSubject, openClocks } from './clocks.js';
import type { RenderOptions } from './options.js';
import {
  compareFindings,
  hasFileLocation,
  isWaived,
  locationText,
  oneLine,
  percent,
  plural,
  statusRank,
} from './text.js';

/** GitHub's limit on a PR comment / issue body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left under the limit for whatever a CI step wraps around the report. */
const MARGIN = 1_536;
/** Budget kept for the sections after the failing-findings table (diagnostics, controls, unknown, waived). */
const TAIL_RESERVE = 12_000;

const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

const STATUS_ICON: Record<RollupStatus, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  unknown: '❔ unknown',
  manual: '📝 manual',
  waived: '💤 waived',
  'not-applicable': '➖ n/a',
};

/**
 * Escapes untrusted text for a GitHub-flavoured Markdown table cell: one line, Markdown punctuation
 * (`\`, backtick, `*`, `_`, `[`, `]`, `<`, `>`, `|`, `~`, `#`, `!`) backslash-escaped, `&` as `&amp;`,
 * so input text cannot add markup, links, HTML or extra columns.
 */
export function mdText(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|~#!]/g, (ch) => `\\${ch}`);
}

/**
 * A code span for a table cell: the fence is one backtick longer than the longest backtick run
 * inside (padded with spaces when the content starts or ends with one), and `|` is written `\|`
 * (GFM splits cells before parsing code spans). Empty text gives ''.
 */
export function mdCode(text: string): string {
  const t = oneLine(text);
  if (t === '') return '';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * A table of at most `maxRows` rows whose text fits in `budget` characters. Rows that do not fit are
 * counted in a closing note built by `note(n)`. Returns '' when not even the header fits.
 */
function fitTable(
  head: string[],
  align: string[],
  rows: string[],
  budget: number,
  maxRows: number,
  note: (n: number) => string,
): string {
  const lines = [row(head), row(align)];
  let size = lines.join('\n').length + 1;
  const reserve = note(rows.length).length + 4;
  if (size + reserve > budget) return rows.length > 0 ? note(rows.length) : '';
  let shown = 0;
  for (const r of rows) {
    if (shown >= maxRows) break;
    const last = shown === rows.length - 1;
    if (size + r.length + 1 + (last ? 0 : reserve) > budget) break;
    lines.push(r);
    size += r.length + 1;
    shown++;
  }
  let out = lines.join('\n');
  if (shown < rows.length) out += `\n\n${note(rows.length - shown)}`;
  return out;
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function severityCell(f: Finding): string {
  if (f.outcome === 'error') return '💥 error';
  return `${SEVERITY_ICON[f.severity]} ${f.severity}`;
}

function locationCell(f: Finding): string {
  return hasFileLocation(f.location) ? mdCode(locationText(f.location)) : '—';
}

function resourceCell(f: Finding): string {
  return f.subject.address === f.checkId ? '—' : mdCode(f.subject.address);
}

/**
 * Renders Markdown for a pull-request comment or a GitHub Actions job summary: a headline (✅ or ❌
 * with the number of failing findings at or above `failOn`), one line of scan facts (plus a warning
 * when the scan is incomplete and the baseline delta when known), a framework table (compliance %,
 * passing/in scope, pass/fail/unknown/manual/waived/n-a requirement counts), the failing findings
 * table (severity, check, resource, `file:line`, message; expired waivers noted), then collapsed
 * `<details>` for waived findings (owner, expiry, reason), unknown findings (why), controls that do
 * not pass, and diagnostics with skipped files.
 *
 * Untrusted text is escaped (see {@link mdText}, {@link mdCode}). The output stays under GitHub's
 * 65,536-character comment limit (with a margin): tables are cut with a note
 * "N more findings — see the JSON/SARIF artifact." `opts.maxRows` caps the failing table further.
 */
export function renderMarkdown(result: ScanResult, opts: RenderOptions): string {
  const limit = GITHUB_COMMENT_LIMIT - MARGIN;
  const maxRows =
    opts.maxRows === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(opts.maxRows));
  const s = result.summary;
  const findings = [...result.findings].sort(compareFindings);
  const failing = findings.filter((f) => (f.outcome === 'fail' || f.outcome === 'error') && !isWaived(f));
  const waived = findings.filter(isWaived);
  const unknown = findings.filter((f) => f.outcome === 'unknown');

  // Header ------------------------------------------------------------------------------------------
  const head: string[] = [];
  head.push(
    s.failing > 0
      ? `### ❌ Evident: ${plural(s.failing, 'failing finding')} at or above \`${s.failOn}\``
      : `### ✅ Evident: no failing findings at or above \`${s.failOn}\``,
  );
  const n = s.findings;
  const mapText = result.controlMap.builtIn
    ? 'the built-in control map'
    : `control map ${mdCode(result.controlMap.file ?? 'evident.yaml')}`;
  const facts = [
    `Scanned ${mdCode(result.root) || '`.`'}: ${plural(result.inputs.length, 'input')}, ${plural(result.checks.length, 'check')}, ${mapText}.`,
    `Findings: ${n.pass} pass · ${n.fail} fail · ${n.unknown} unknown · ${n.error} error · ${n.waived} waived.`,
    `Exit code ${s.exitCode}.`,
  ];
  head.push('', facts.join(' '));
  if (s.newFailing !== undefined)
    head.push('', `Baseline: ${plural(s.newFailing, 'new failing finding')} (not in the baseline).`);
  const inputErrors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (inputErrors > 0) {
    head.push(
      '',
      `> [!WARNING]\n> The scan is incomplete: ${plural(inputErrors, 'input error')}. Resources in those files were not checked; see Diagnostics below.`,
    );
  }
  if (result.frameworks.length > 0) {
    head.push('');
    head.push(row(['Framework', 'Compliance', 'Pass', 'Fail', 'Unknown', 'Manual', 'Waived', 'N/A']));
    head.push(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
    for (const fw of result.frameworks) {
      const c = fw.counts;
      const pct =
        fw.inScope > 0 ? `${percent(fw.compliancePercent)} (${fw.passing}/${fw.inScope})` : '– (0 in scope)';
      head.push(
        row([
          mdText(fw.name),
          pct,
          String(c.pass),
          String(c.fail),
          String(c.unknown),
          String(c.manual),
          String(c.waived),
          String(c['not-applicable']),
        ]),
      );
    }
  }
  const headText = head.join('\n');

  // Sections, budgeted in priority order ------------------------------------------------------------
  const moreFindings = (k: number) => `_${plural(k, 'more finding')} — see the JSON/SARIF artifact._`;
  const more = (what: string) => (k: number) => `_${k} more ${what} — see the JSON/SARIF artifact._`;

  const clockRows = openClocks(result).map((f) =>
    row([
      f.sla!.state === 'overdue' ? '❌ overdue' : f.sla!.state === 'unknown' ? '❔ unknown' : '⏳ within',
      mdText(clockSubject(f)),
      mdCode(locationText(f.location)),
      mdText(f.sla!.deadline ?? f.sla!.reason ?? ''),
      mdText(clockState(f)),
    ]),
  );

  const diagRows = [
    ...result.diagnostics.map((d) =>
      row([
        d.severity === 'error' ? '❌ error' : d.severity === 'warning' ? '⚠️ warning' : 'ℹ️ info',
        mdCode(d.line ? `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}` : d.file),
        mdCode(d.code),
        mdText(d.message),
      ]),
    ),
    ...result.skipped.map((sk) => row(['⏭️ skipped', mdCode(sk.file), '', mdText(sk.reason)])),
  ];
  const badControls = [...result.controls]
    .filter((c) => c.status !== 'pass' && c.status !== 'not-applicable')
    .sort((a, b) => statusRank(a.status) - statusRank(b.status));
  const controlRows = badControls.map((c) =>
    row([STATUS_ICON[c.status], mdCode(c.id), mdText(c.title), mdText(c.reason)]),
  );
  const unknownRows = unknown.map((f) =>
    row([mdCode(f.checkId), resourceCell(f), locationCell(f), mdText(f.message)]),
  );
  const waivedRows = waived.map((f) =>
    row([
      mdCode(f.checkId),
      resourceCell(f),
      locationCell(f),
      mdCode(f.waiver!.owner),
      mdText(f.waiver!.expires),
      mdText(f.waiver!.reason),
    ]),
  );
  const failingRows = failing.map((f) => {
    let message = mdText(f.message);
    if (f.waiver?.expired)
      message += ` _(waiver by ${mdCode(f.waiver.owner)} expired ${mdText(f.waiver.expires)})_`;
    return row([severityCell(f), mdCode(f.checkId), resourceCell(f), locationCell(f), message]);
  });

  let remaining = limit - headText.length - 200;
  let failingText = '';
  if (failing.length > 0) {
    const budget = Math.max(2_000, remaining - TAIL_RESERVE);
    const table = fitTable(
      ['Severity', 'Check', 'Resource', 'Location', 'Message'],
      ['---', '---', '---', '---', '---'],
      failingRows,
      budget,
      maxRows,
      moreFindings,
    );
    failingText = `#### Failing findings (${failing.length})\n\n${table}`;
    remaining -= failingText.length + 2;
  }
  const section = (title: string, rows: string[], headers: string[], note: (k: number) => string): string => {
    if (rows.length === 0) return '';
    const overhead = title.length + 60;
    const table = fitTable(
      headers,
      headers.map(() => '---'),
      rows,
      remaining - overhead,
      Number.POSITIVE_INFINITY,
      note,
    );
    const text = details(title, table);
    remaining -= text.length + 2;
    return text;
  };
  const diagTitle = [
    result.diagnostics.length ? `Diagnostics (${result.diagnostics.length})` : '',
    result.skipped.length ? `skipped files (${result.skipped.length})` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const clocksText = section(
    `Open vulnerabilities and secrets to rotate (${clockRows.length})`,
    clockRows,
    ['State', 'What', 'Location', 'Deadline', 'Time'],
    more('clocked findings'),
  );
  const diagText = section(diagTitle, diagRows, ['Severity', 'File', 'Code', 'Message'], more('diagnostics'));
  const controlsText = section(
    `Controls not passing (${badControls.length})`,
    controlRows,
    ['Status', 'Control', 'Title', 'Reason'],
    more('controls'),
  );
  const unknownText = section(
    `Unknown: could not be observed (${unknown.length})`,
    unknownRows,
    ['Check', 'Resource', 'Location', 'Why'],
    moreFindings,
  );
  const waivedText = section(
    `Waived findings (${waived.length})`,
    waivedRows,
    ['Check', 'Resource', 'Location', 'Owner', 'Expires', 'Reason'],
    moreFindings,
  );

  const parts = [headText, failingText, clocksText, waivedText, unknownText, controlsText, diagText].filter(
    Boolean,
  );
  return `${parts.join('\n\n')}\n`;
}

import picocolors from 'picocolors';
import type { Finding } from '../core/finding.js';
import type { Severity } from '../core/outcome.js';
import type { ControlStatus, FrameworkStatus, RollupStatus, ScanResult } from '../core/scan-result.js';
import { clockState, clockSubject, openClocks } from './clocks.js';
import type { RenderOptions } from './options.js';
import {
  compareFindings,
  isWaived,
  locationText,
  oneLine,
  padEnd,
  percent,
  plural,
  statusRank,
  truncate,
  width,
} from './text.js';

type Colors = ReturnType<typeof picocolors.createColors>;

const DEFAULT_WIDTH = 120;
const DEFAULT_MAX_ROWS = 20;
/** Indent of a control's finding rows, and of their message lines. */
const ROW_INDENT = 4;
const MSG_INDENT = ROW_INDENT + 10;

/**
 * Renders the terminal report: header (root, inputs, checks, control map), one line per framework
 * (compliance % = passing / in scope, bar, counts by status), every control sorted failing → unknown →
 * manual → waived → pass → not-applicable with its status, id, title and reason, and under each
 * non-passing control its failing, unknown and waived findings (severity, check id, subject address,
 * `file:line`, message; waived ones dimmed with owner and expiry, expired waivers marked EXPIRED).
 * Failing findings no control covers get their own section. Then diagnostics, skipped files and a
 * one-line verdict (failing findings at or above `failOn`, exit code).
 *
 * Pure: no I/O, no clock, no env. `opts.color` switches ANSI colours; `opts.width` (default 120)
 * bounds line length (long messages wrap to three lines, then are cut with `…`); `opts.maxRows`
 * (default 20) bounds finding rows per control. Untrusted text from inputs is stripped of control
 * characters and escape sequences. Output ends with a newline.
 */
export function renderTable(result: ScanResult, opts: RenderOptions): string {
  const c = picocolors.createColors(opts.color ?? false);
  const w = Math.max(60, Math.floor(opts.width ?? DEFAULT_WIDTH));
  const maxRows = Math.max(1, Math.floor(opts.maxRows ?? DEFAULT_MAX_ROWS));
  const out: string[] = [];

  out.push(...header(result, c, w), '');
  if (result.frameworks.length > 0)
    out.push(c.bold('Frameworks'), ...frameworkLines(result.frameworks, c, w), '');

  const byFingerprint = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFingerprint.get(f.fingerprint);
    if (list) list.push(f);
    else byFingerprint.set(f.fingerprint, [f]);
  }

  if (result.controls.length > 0) {
    out.push(c.bold('Controls'));
    const controls = [...result.controls].sort((a, b) => statusRank(a.status) - statusRank(b.status));
    const idWidth = Math.min(16, Math.max(...controls.map((ctl) => width(oneLine(ctl.id)))));
    for (const ctl of controls) {
      out.push(controlLine(ctl, idWidth, c, w));
      const findings = ctl.findings
        .flatMap((fp) => byFingerprint.get(fp) ?? [])
        .filter(shownUnderControl)
        .sort(compareFindings);
      out.push(...findingBlock(findings, maxRows, c, w));
    }
    out.push('');
  }

  const covered = new Set(result.controls.flatMap((ctl) => ctl.findings));
  const loose = result.findings
    .filter((f) => shownUnderControl(f) && !covered.has(f.fingerprint))
    .sort(compareFindings);
  if (loose.length > 0) {
    out.push(c.bold(result.controls.length > 0 ? 'Findings not covered by any control' : 'Findings'));
    out.push(...findingBlock(loose, Number.POSITIVE_INFINITY, c, w), '');
  }

  const clocks = openClocks(result);
  if (clocks.length > 0) {
    out.push(c.bold(`Open vulnerabilities and secrets to rotate (${clocks.length})`));
    for (const f of clocks) {
      const sla = f.sla!;
      const paint = sla.state === 'overdue' ? c.red : sla.state === 'unknown' ? c.yellow : (t: string) => t;
      const when = sla.deadline
        ? `deadline ${sla.deadline} (first seen ${sla.firstSeen})`
        : (sla.reason ?? '');
      out.push(`  ${truncate(`${oneLine(clockSubject(f))}  ${locationText(f.location)}`, w - 2)}`);
      const text = `${clockState(f)} · ${oneLine(when)}${f.waiver ? ` · waived until ${f.waiver.expires}` : ''}`;
      out.push(...wrap(text, w - 4, 2).map((l) => `    ${paint(l)}`));
    }
    out.push('');
  }

  if (result.diagnostics.length > 0) {
    out.push(c.bold(`Diagnostics (${result.diagnostics.length})`));
    for (const d of result.diagnostics) {
      const sev =
        d.severity === 'error'
          ? c.red('error  ')
          : d.severity === 'warning'
            ? c.yellow('warning')
            : c.dim('info   ');
      const where = locationText({ file: d.file, line: d.line ?? 0, column: d.column }).replace(/:0$/, '');
      const head = `  ${sev}  ${where}  ${c.dim(d.code)}`;
      out.push(head);
      out.push(...wrap(oneLine(d.message), w - 4, 3).map((l) => `    ${l}`));
    }
    out.push('');
  }
  if (result.skipped.length > 0) {
    out.push(c.bold(`Skipped files (${result.skipped.length})`));
    for (const s of result.skipped) {
      out.push(`  ${truncate(`${oneLine(s.file)}: ${oneLine(s.reason)}`, w - 2)}`);
    }
    out.push('');
  }

  out.push(verdict(result, c));
  return `${out.join('\n')}\n`;
}

function header(result: ScanResult, c: Colors, w: number): string[] {
  const map = result.controlMap.builtIn
    ? 'built-in starter map'
    : `${oneLine(result.controlMap.file ?? 'control map')}${result.controlMap.sha256 ? ` (sha256 ${result.controlMap.sha256.slice(0, 12)})` : ''}`;
  const n = result.summary.findings;
  const facts: Part[] = [
    { text: `${plural(result.inputs.length, 'input')} ·` },
    { text: `${plural(result.checks.length, 'check')} ·` },
    { text: `control map: ${map}` },
  ];
  const counts: Part[] = [
    { text: `${n.pass} pass`, style: c.green },
    { text: `${n.fail} fail`, style: n.fail > 0 ? c.red : undefined },
    { text: `${n.unknown} unknown`, style: n.unknown > 0 ? c.yellow : undefined },
    { text: `${n.error} error`, style: n.error > 0 ? c.red : undefined },
    { text: `${n['not-applicable']} n/a` },
    { text: `${n.waived} waived`, style: c.dim },
  ];
  const version = truncate(oneLine(result.tool.version), 20);
  const root = truncate(oneLine(result.root), Math.max(10, w - 17 - width(version)));
  return [
    `${c.bold(`Evident ${version}`)} scan of ${c.bold(root)}`,
    ...flow('  ', 2, facts, 4, w, ' '),
    ...flow('  findings: ', 12, counts, 4, w, ' · '),
  ];
}

const STATUS_LABEL: Record<RollupStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  manual: 'MANUAL',
  waived: 'WAIVED',
  'not-applicable': 'N/A',
};

function statusText(s: RollupStatus, c: Colors): string {
  const label = padEnd(STATUS_LABEL[s], 7);
  switch (s) {
    case 'pass':
      return c.green(label);
    case 'fail':
      return c.bold(c.red(label));
    case 'unknown':
      return c.yellow(label);
    case 'manual':
      return c.cyan(label);
    case 'waived':
      return c.magenta(label);
    default:
      return c.dim(label);
  }
}

function frameworkLines(frameworks: FrameworkStatus[], c: Colors, w: number): string[] {
  const nameWidth = Math.min(28, Math.max(...frameworks.map((f) => width(oneLine(f.name)))));
  return frameworks.flatMap((f) => {
    const pct = f.inScope > 0 ? percent(f.compliancePercent) : '–';
    const colour =
      f.inScope === 0
        ? c.dim
        : f.compliancePercent >= 100
          ? c.green
          : f.compliancePercent >= 50
            ? c.yellow
            : c.red;
    const filled = f.inScope > 0 ? Math.round(Math.min(100, Math.max(0, f.compliancePercent)) / 10) : 0;
    const bar = colour('█'.repeat(filled)) + c.dim('░'.repeat(10 - filled));
    // [plain text, colour] pairs so the width is measured without escape codes.
    const parts: [string, (t: string) => string][] = [
      [`${f.passing} of ${f.inScope} in scope pass`, (t) => t],
    ];
    if (f.counts.fail) parts.push([`${f.counts.fail} fail`, c.red]);
    if (f.counts.unknown) parts.push([`${f.counts.unknown} unknown`, c.yellow]);
    if (f.counts.manual) parts.push([`${f.counts.manual} manual`, c.cyan]);
    if (f.counts.waived) parts.push([`${f.counts.waived} waived`, c.magenta]);
    if (f.counts['not-applicable']) parts.push([`${f.counts['not-applicable']} n/a`, c.dim]);
    const name = padEnd(truncate(oneLine(f.name), nameWidth), nameWidth);
    const head = `  ${name}  ${colour(pct.padStart(6))}  ${bar}`;
    const headWidth = 2 + nameWidth + 2 + 6 + 2 + 10;
    const flowParts = parts.map(([text, style]): Part => ({ text, style }));
    const oneRow = flow(`${head}  `, headWidth + 2, flowParts, 0, w, ' · ');
    if (oneRow.length === 1) return oneRow;
    return [head, ...flow(' '.repeat(nameWidth + 4), nameWidth + 4, flowParts, nameWidth + 4, w, ' · ')];
  });
}

function controlLine(ctl: ControlStatus, idWidth: number, c: Colors, w: number): string {
  const id = padEnd(truncate(oneLine(ctl.id), idWidth), idWidth);
  const title = oneLine(ctl.title);
  let reason = oneLine(ctl.reason);
  if (ctl.evidence && ctl.status !== 'pass') reason += ` (${oneLine(ctl.evidence.path)})`;
  const avail = w - (2 + 7 + 2 + idWidth + 2);
  const titleText = truncate(title, Math.max(10, avail - Math.min(width(reason), Math.floor(avail / 2)) - 3));
  const reasonText = truncate(reason, Math.max(0, avail - width(titleText) - 3));
  const tail = reasonText ? ` ${c.dim(`— ${reasonText}`)}` : '';
  const idText = ctl.status === 'pass' || ctl.status === 'not-applicable' ? id : c.bold(id);
  return `  ${statusText(ctl.status, c)}  ${idText}  ${titleText}${tail}`;
}

function shownUnderControl(f: Finding): boolean {
  return f.outcome === 'fail' || f.outcome === 'error' || f.outcome === 'unknown';
}

function severityText(f: Finding, c: Colors): string {
  if (isWaived(f)) return c.dim(padEnd('waived', 8));
  if (f.outcome === 'unknown') return c.yellow(padEnd('unknown', 8));
  if (f.outcome === 'error') return c.bold(c.red(padEnd('error', 8)));
  return severityColour(f.severity, c)(padEnd(f.severity.toUpperCase(), 8));
}

function severityColour(s: Severity, c: Colors): (t: string) => string {
  switch (s) {
    case 'critical':
      return (t) => c.bold(c.red(t));
    case 'high':
      return c.red;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    default:
      return c.dim;
  }
}

function findingBlock(findings: Finding[], maxRows: number, c: Colors, w: number): string[] {
  const lines: string[] = [];
  const shown = findings.slice(0, maxRows);
  const pad = ' '.repeat(ROW_INDENT);
  const msgPad = ' '.repeat(MSG_INDENT);
  for (const f of shown) {
    const waived = isWaived(f);
    const dim = waived ? c.dim : (t: string) => t;
    const loc = locationText(f.location);
    const check = oneLine(f.checkId);
    // Check id, address and location flow onto continuation lines when the terminal is narrow.
    // A crashed check's placeholder subject is the check itself: do not print its id twice.
    const parts: Part[] = [{ text: check, style: dim }];
    if (f.subject.address !== f.checkId)
      parts.push({ text: oneLine(f.subject.address), style: (t) => dim(c.bold(t)) });
    parts.push({ text: loc, style: (t) => dim(c.underline(t)) });
    lines.push(...flow(`${pad}${severityText(f, c)}  `, ROW_INDENT + 10, parts, MSG_INDENT, w));
    let message = oneLine(f.message);
    if (f.waiver) {
      const who = `${oneLine(f.waiver.owner)}`;
      const until = oneLine(f.waiver.expires);
      message = f.waiver.expired
        ? `${message} — waiver by ${who} EXPIRED ${until}: ${oneLine(f.waiver.reason)}`
        : `waived by ${who} until ${until}: ${oneLine(f.waiver.reason)} — ${message}`;
    }
    for (const line of wrap(message, w - MSG_INDENT, 3)) {
      const text = f.waiver?.expired ? line.replace(/EXPIRED/, c.bold(c.red('EXPIRED'))) : line;
      lines.push(`${msgPad}${dim(text)}`);
    }
  }
  if (findings.length > shown.length) {
    lines.push(
      `${msgPad}${c.dim(`… ${plural(findings.length - shown.length, 'more finding')} (see --format json)`)}`,
    );
  }
  return lines;
}

/** A piece of a line: plain text (measured) and how to style it. */
interface Part {
  text: string;
  style?: (t: string) => string;
}

/**
 * Lays `parts` out after `prefix` (already styled, `prefixWidth` columns wide), separated by `sep`,
 * starting a new line indented by `indent` columns whenever the next part would pass `w`; a part
 * longer than a whole line is cut with `…`.
 */
function flow(
  prefix: string,
  prefixWidth: number,
  parts: Part[],
  indent: number,
  w: number,
  sep = '  ',
): string[] {
  const lines: string[] = [];
  let cur = prefix;
  let curWidth = prefixWidth;
  let empty = true;
  for (const p of parts) {
    const sepWidth = empty ? 0 : width(sep);
    let text = p.text;
    if (!empty && curWidth + sepWidth + width(text) > w) {
      lines.push(cur);
      cur = ' '.repeat(indent);
      curWidth = indent;
      empty = true;
    }
    const room = w - curWidth - (empty ? 0 : width(sep));
    text = truncate(text, Math.max(1, room));
    cur += (empty ? '' : sep) + (p.style ? p.style(text) : text);
    curWidth += (empty ? 0 : width(sep)) + width(text);
    empty = false;
  }
  lines.push(cur);
  return lines;
}

/** Word-wraps one-line `text` to `w` columns (min 20), at most `maxLines` lines, the last one cut with `…`. */
export function wrap(text: string, w: number, maxLines: number): string[] {
  const limit = Math.max(20, w);
  const lines: string[] = [];
  let rest = text;
  while (rest !== '' && lines.length < maxLines) {
    if (width(rest) <= limit) {
      lines.push(rest);
      break;
    }
    if (lines.length === maxLines - 1) {
      lines.push(truncate(rest, limit));
      break;
    }
    const chars = Array.from(rest);
    let cut = chars.lastIndexOf(' ', limit);
    if (cut <= 0) cut = limit;
    lines.push(chars.slice(0, cut).join('').trimEnd());
    rest = chars.slice(cut).join('').trimStart();
  }
  return lines.length > 0 ? lines : [''];
}

function verdict(result: ScanResult, c: Colors): string {
  const s = result.summary;
  const base = `at or above ${s.failOn}`;
  const baseline = s.newFailing !== undefined ? ` (${s.newFailing} new since the baseline)` : '';
  const exit = c.dim(`exit code ${s.exitCode}`);
  if (s.failing > 0) {
    const mark = s.exitCode === 1 ? c.bold(c.red('✖')) : c.yellow('●');
    return `${mark} ${c.bold(plural(s.failing, 'failing finding'))} ${base}${baseline} · ${exit}`;
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (s.exitCode === 2) {
    return `${c.yellow('⚠')} No failing findings ${base}, but the scan is incomplete: ${plural(errors, 'input error')} · ${exit}`;
  }
  return `${c.green('✔')} No failing findings ${base} · ${exit}`;
}

import type { CheckDefinition } from '../core/check.js';
import type { Finding } from '../core/finding.js';
import type { FrameworkMappings } from '../core/framework-id.js';
import type { ScanResult } from '../core/scan-result.js';
import type { RenderOptions } from './options.js';
import { cmp, hasFileLocation, isWaived, locationText } from './text.js';
import { xmlAttrs, xmlText } from './xml.js';

/** Name (and classname) of the extra test suite that reports input diagnostics and skipped files. */
export const INPUTS_SUITE = 'evident.inputs';

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  /** Inner XML (failure/error/skipped/system-out), already escaped. */
  body: string;
  kind: 'pass' | 'failure' | 'error' | 'skipped';
}

/**
 * Renders JUnit XML (the Ant/Surefire dialect Jenkins, GitLab, Azure DevOps and GitHub test
 * reporters read): `<testsuites>` with one `<testsuite>` per check (name = check id, sorted, with
 * `<properties>` severity/title/framework mappings) and one `<testcase>` per finding subject
 * (`name` = subject address, suffixed with ` [scope]` when the same address occurs in two scopes;
 * `classname` = check id; `file`/`line` when the finding has a file location).
 *
 * Outcome → element: `fail` (not waived, or waiver expired) → `<failure message type=severity>`;
 * `error` → `<error type="check-error">`; `unknown`, `not-applicable` and waived failures →
 * `<skipped message>` saying why; `pass` → an empty testcase. A last suite `evident.inputs` has one
 * testcase per diagnostic (`error` severity → `<error type=code>`, others → `<system-out>`) and per
 * skipped file (`<skipped>`), so an incomplete scan shows up in CI.
 *
 * `tests`/`failures`/`errors`/`skipped` attributes count exactly the elements inside. The root `time`
 * is `finishedAt - startedAt` in seconds and `timestamp` is `startedAt` as `YYYY-MM-DDTHH:MM:SS` (UTC,
 * the Ant schema's form); suites and cases carry no time (not measured per check).
 * All text is XML-escaped; characters XML 1.0 cannot carry are written as `\xNN`.
 */
export function renderJunit(result: ScanResult, opts: RenderOptions): string {
  const defs = new Map<string, CheckDefinition>(opts.checks.map((c) => [c.id, c]));
  const byCheck = new Map<string, Finding[]>();
  for (const c of result.checks) byCheck.set(c.id, []);
  for (const f of result.findings) {
    const list = byCheck.get(f.checkId);
    if (list) list.push(f);
    else byCheck.set(f.checkId, [f]);
  }
  const summaries = new Map(result.checks.map((c) => [c.id, c]));

  const suites: { name: string; props: [string, string][]; cases: Case[] }[] = [];
  for (const id of [...byCheck.keys()].sort(cmp)) {
    const findings = byCheck.get(id)!;
    const def = defs.get(id);
    const summary = summaries.get(id);
    const title = def?.title ?? summary?.title ?? findings[0]?.title ?? id;
    const severity = def?.severity ?? summary?.severity ?? findings[0]?.severity ?? 'medium';
    const mappings: FrameworkMappings = def?.mappings ?? summary?.mappings ?? {};
    const props: [string, string][] = [
      ['title', title],
      ['severity', severity],
      ...Object.entries(mappings)
        .sort(([a], [b]) => cmp(a, b))
        .map(([fw, reqs]): [string, string] => [`framework.${fw}`, (reqs ?? []).join(', ')]),
    ];
    const addressScopes = new Map<string, Set<string>>();
    for (const f of findings) {
      const set = addressScopes.get(f.subject.address) ?? new Set<string>();
      set.add(f.subject.scope);
      addressScopes.set(f.subject.address, set);
    }
    const cases = findings.map((f) => {
      const ambiguous = (addressScopes.get(f.subject.address)?.size ?? 0) > 1;
      return findingCase(
        f,
        ambiguous ? `${f.subject.address} [${f.subject.scope}]` : f.subject.address,
        def,
        mappings,
      );
    });
    suites.push({ name: id, props, cases });
  }

  const inputCases: Case[] = [
    ...result.diagnostics.map((d): Case => {
      const where = d.line ? `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}` : d.file;
      const base = { name: where, classname: INPUTS_SUITE, file: d.file, line: d.line };
      if (d.severity === 'error') {
        return {
          ...base,
          kind: 'error',
          body: `<error${xmlAttrs([
            ['message', d.message],
            ['type', d.code],
          ])}>${xmlText(`${where}: ${d.code}: ${d.message}`)}</error>`,
        };
      }
      return {
        ...base,
        kind: 'pass',
        body: `<system-out>${xmlText(`${d.severity}: ${where}: ${d.code}: ${d.message}`)}</system-out>`,
      };
    }),
    ...result.skipped.map(
      (s): Case => ({
        name: s.file,
        classname: INPUTS_SUITE,
        file: s.file,
        kind: 'skipped',
        body: `<skipped${xmlAttrs([['message', `not evaluated: ${s.reason}`]])}/>`,
      }),
    ),
  ];
  if (inputCases.length > 0) {
    suites.push({ name: INPUTS_SUITE, props: [['inputs', String(result.inputs.length)]], cases: inputCases });
  }

  const count = (cases: Case[], kind: Case['kind']) => cases.filter((c) => c.kind === kind).length;
  const all = suites.flatMap((s) => s.cases);
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  // The Ant JUnit schema's timestamp has no zone or fraction; Evident's times are UTC.
  const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(result.startedAt)?.[0];
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites${xmlAttrs([
      ['name', `Evident ${result.root}`],
      ['tests', all.length],
      ['failures', count(all, 'failure')],
      ['errors', count(all, 'error')],
      ['skipped', count(all, 'skipped')],
      ['time', Number.isFinite(seconds) && seconds >= 0 ? seconds.toFixed(3) : undefined],
      ['timestamp', timestamp],
    ])}>`,
  );
  for (const s of suites) {
    out.push(
      `  <testsuite${xmlAttrs([
        ['name', s.name],
        ['tests', s.cases.length],
        ['failures', count(s.cases, 'failure')],
        ['errors', count(s.cases, 'error')],
        ['skipped', count(s.cases, 'skipped')],
        ['timestamp', timestamp],
      ])}>`,
    );
    if (s.props.length > 0) {
      out.push('    <properties>');
      for (const [name, value] of s.props)
        out.push(
          `      <property${xmlAttrs([
            ['name', name],
            ['value', value],
          ])}/>`,
        );
      out.push('    </properties>');
    }
    for (const c of s.cases) {
      const open = `    <testcase${xmlAttrs([
        ['name', c.name],
        ['classname', c.classname],
        ['file', c.file],
        ['line', c.line],
      ])}`;
      out.push(c.body ? `${open}>\n      ${c.body}\n    </testcase>` : `${open}/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function findingCase(
  f: Finding,
  name: string,
  def: CheckDefinition | undefined,
  mappings: FrameworkMappings,
): Case {
  const file = hasFileLocation(f.location) ? f.location.file : undefined;
  const base = { name, classname: f.checkId, file, line: file ? f.location.line : undefined };
  const details = (): string => {
    const lines = [
      `${f.subject.address} (${f.subject.type}) at ${locationText(f.location)}`,
      f.message,
      `Check: ${f.checkId}: ${f.title} [${f.severity}]`,
    ];
    if (def?.remediation) lines.push(`Remediation: ${def.remediation}`);
    const fw = Object.entries(mappings)
      .sort(([a], [b]) => cmp(a, b))
      .map(([k, v]) => `${k} ${(v ?? []).join(', ')}`);
    if (fw.length) lines.push(`Frameworks: ${fw.join('; ')}`);
    if (f.waiver?.expired) {
      lines.push(`Waiver EXPIRED on ${f.waiver.expires} (owner ${f.waiver.owner}): ${f.waiver.reason}`);
    }
    lines.push(`Fingerprint: ${f.fingerprint}`);
    return xmlText(lines.join('\n'));
  };

  if (isWaived(f)) {
    const w = f.waiver!;
    return {
      ...base,
      kind: 'skipped',
      body: `<skipped${xmlAttrs([['message', `waived by ${w.owner} until ${w.expires}: ${w.reason} (${f.message})`]])}/>`,
    };
  }
  switch (f.outcome) {
    case 'fail': {
      const message = f.waiver?.expired ? `${f.message} (waiver expired ${f.waiver.expires})` : f.message;
      return {
        ...base,
        kind: 'failure',
        body: `<failure${xmlAttrs([
          ['message', message],
          ['type', f.severity],
        ])}>${details()}</failure>`,
      };
    }
    case 'error':
      return {
        ...base,
        kind: 'error',
        body: `<error${xmlAttrs([
          ['message', f.message],
          ['type', 'check-error'],
        ])}>${details()}</error>`,
      };
    case 'unknown':
      return {
        ...base,
        kind: 'skipped',
        body: `<skipped${xmlAttrs([['message', `unknown: ${f.message}`]])}/>`,
      };
    case 'not-applicable':
      return {
        ...base,
        kind: 'skipped',
        body: `<skipped${xmlAttrs([['message', `not applicable: ${f.message}`]])}/>`,
      };
    default:
      return { ...base, kind: 'pass', body: '' };
  }
}

import { posix } from 'node:path';
import type {
  Artifact,
  Location,
  Log,
  Notification,
  PhysicalLocation,
  ReportingDescriptor,
  Result,
  Run,
} from 'sarif';
import type { CheckDefinition } from '../core/check.js';
import type { Diagnostic } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { FrameworkMappings } from '../core/framework-id.js';
import type { SourceLocation } from '../core/location.js';
import type { Severity } from '../core/outcome.js';
import type { ScanResult } from '../core/scan-result.js';
import type { RenderOptions } from './options.js';
import { cmp, hasFileLocation, isWaived } from './text.js';

/** `$schema` of the SARIF logs Evident writes (OASIS SARIF 2.1.0, as GitHub code scanning documents). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** `tool.driver.informationUri`. */
export const EVIDENT_INFORMATION_URI = 'https://evident.dev';
/** Key of the stable fingerprint in `result.partialFingerprints` (finding.fingerprint, not line-based). */
export const FINGERPRINT_KEY = 'evident/v1';

/** GitHub code scanning's `security-severity` (CVSS-like 0–10 string) per severity; `info` has none. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string | undefined>> = {
  critical: '9.0',
  high: '7.0',
  medium: '5.0',
  low: '3.0',
  info: undefined,
};

/** SARIF `level` per severity: critical/high → error, medium → warning, low/info → note. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

const FRAMEWORK_NAMES: Record<string, string> = {
  soc2: 'SOC 2',
  'iso27001-2022': 'ISO/IEC 27001:2022',
  hipaa: 'HIPAA Security Rule',
  gdpr: 'GDPR',
};

/**
 * Renders SARIF 2.1.0 (OASIS) for GitHub code scanning: one run whose `tool.driver` lists one rule per
 * check that ran (id, name, short/full description, help text+markdown from the remediation,
 * `helpUri` = first reference when the check has one, default level, tags `security`, `compliance`,
 * the input kind and the framework ids, `security-severity` 9.0/7.0/5.0/3.0 for
 * critical/high/medium/low, `precision` high).
 *
 * Results: every `fail` and `error` finding located in a file, with `ruleId`/`ruleIndex`, level from
 * severity, `message.text` = `address: message`, one physical location (URI relative to the
 * repository, POSIX, percent-encoded, prefixed with `opts.uriBase`, `uriBaseId` `%SRCROOT%`; region
 * start line and, when known, column and end line), a logical location (the resource address),
 * `partialFingerprints['evident/v1']` = the finding fingerprint, and `properties` (subject, outcome).
 * Waived findings are results with `suppressions: [{ kind: 'external', status: 'accepted',
 * justification }]`; a finding whose waiver expired is not suppressed and its message says so.
 *
 * The invocation carries `executionSuccessful` (false when an input could not be evaluated or a
 * check crashed), times, the exit code and `toolExecutionNotifications`: diagnostics (with their
 * file location), skipped files, and crashed checks that have no file location (with
 * `associatedRule`). `run.artifacts` lists every scanned input with its sha-256 and length.
 * Output: 2-space JSON with a trailing newline; deterministic.
 */
export function renderSarif(result: ScanResult, opts: RenderOptions): string {
  const defs = new Map<string, CheckDefinition>(opts.checks.map((c) => [c.id, c]));
  const summaries = new Map(result.checks.map((c) => [c.id, c]));
  const ruleIds = [
    ...new Set([...result.checks.map((c) => c.id), ...result.findings.map((f) => f.checkId)]),
  ].sort(cmp);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const findingsByCheck = new Map<string, Finding>();
  for (const f of result.findings) if (!findingsByCheck.has(f.checkId)) findingsByCheck.set(f.checkId, f);

  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const def = defs.get(id);
    const summary = summaries.get(id);
    const sample = findingsByCheck.get(id);
    return rule(id, {
      title: def?.title ?? summary?.title ?? sample?.title ?? id,
      severity: def?.severity ?? summary?.severity ?? sample?.severity ?? 'medium',
      rationale: def?.rationale,
      remediation: def?.remediation,
      references: def?.references ?? [],
      mappings: def?.mappings ?? summary?.mappings ?? {},
      input: def?.input ?? sample?.subject.kind,
    });
  });

  const results: Result[] = [];
  const notifications: Notification[] = [];
  for (const f of result.findings) {
    // open clocked findings (a vulnerability within its deadline, a clock that cannot be checked) are listed as `open` notes
    const openClock = f.sla !== undefined && (f.outcome === 'pass' || f.outcome === 'unknown');
    if (f.outcome !== 'fail' && f.outcome !== 'error' && !openClock) continue;
    const idx = ruleIndex.get(f.checkId)!;
    if (!hasFileLocation(f.location)) {
      notifications.push({
        level: 'error',
        message: { text: `${f.checkId}: ${f.message}` },
        descriptor: { id: 'E_CHECK_CRASHED' },
        associatedRule: { id: f.checkId, index: idx },
      });
      continue;
    }
    const r = resultOf(f, idx, opts.uriBase);
    if (openClock) {
      r.kind = 'open';
      r.level = 'note';
    }
    results.push(r);
  }
  for (const d of result.diagnostics) notifications.push(diagnosticNotification(d, opts.uriBase));
  for (const s of result.skipped) {
    notifications.push({
      level: 'note',
      message: { text: `skipped ${s.file}: ${s.reason}` },
      descriptor: { id: 'skipped-input' },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(s.file, opts.uriBase) } }],
    });
  }

  const executionSuccessful =
    !result.diagnostics.some((d) => d.severity === 'error') &&
    !result.findings.some((f) => f.outcome === 'error');
  const artifacts: Artifact[] = result.inputs.map((i) => ({
    location: artifactLocation(i.file, opts.uriBase),
    length: i.bytes,
    hashes: { 'sha-256': i.sha256 },
  }));

  const run: Run = {
    tool: {
      driver: {
        name: 'Evident',
        informationUri: EVIDENT_INFORMATION_URI,
        version: result.tool.version,
        semanticVersion: result.tool.version,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful,
        startTimeUtc: result.startedAt,
        endTimeUtc: result.finishedAt,
        exitCode: result.summary.exitCode,
        toolExecutionNotifications: notifications,
      },
    ],
    artifacts,
    results,
    properties: {
      failOn: result.summary.failOn,
      failing: result.summary.failing,
      ...(result.summary.newFailing !== undefined ? { newFailing: result.summary.newFailing } : {}),
    },
  };
  const log: Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

interface RuleMeta {
  title: string;
  severity: Severity;
  rationale?: string;
  remediation?: string;
  references: string[];
  mappings: FrameworkMappings;
  input?: string;
}

function rule(id: string, m: RuleMeta): ReportingDescriptor {
  const frameworks = Object.keys(m.mappings).sort(cmp);
  const mappingLines = frameworks.map(
    (fw) => `${FRAMEWORK_NAMES[fw] ?? fw}: ${(m.mappings[fw as keyof FrameworkMappings] ?? []).join(', ')}`,
  );
  const refs = m.references.filter((r) => /^https?:\/\//.test(r));
  const text = [
    m.remediation ? `Remediation: ${m.remediation}` : `Make ${id} pass: ${m.title}.`,
    mappingLines.length ? `Frameworks: ${mappingLines.join('; ')}` : '',
    refs.length ? `References: ${refs.join(' ')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const markdown = [
    `**${m.title}**`,
    m.rationale ?? '',
    m.remediation ? `**Remediation.** ${m.remediation}` : '',
    mappingLines.length ? `**Frameworks.**\n\n${mappingLines.map((l) => `- ${l}`).join('\n')}` : '',
    refs.length ? `**References.**\n\n${refs.map((r) => `- <${r}>`).join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const securitySeverity = SECURITY_SEVERITY[m.severity];
  const tags = ['security', 'compliance', ...(m.input ? [m.input] : []), ...frameworks];
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale ?? m.title },
    help: { text, markdown },
    ...(refs[0] ? { helpUri: refs[0] } : {}),
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties: {
      tags,
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      precision: 'high',
      severity: m.severity,
      frameworks: m.mappings,
    },
  };
}

/** `aws.s3-bucket-encrypted` → `AwsS3BucketEncrypted` (SARIF rule `name`: an identifier, not the id). */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

function resultOf(f: Finding, ruleIndex: number, uriBase: string | undefined): Result {
  const waived = isWaived(f);
  let text = `${f.subject.address}: ${f.message}`;
  if (f.outcome === 'error') text = `${f.subject.address}: the check crashed: ${f.message}`;
  if (f.waiver?.expired) text += ` (waiver by ${f.waiver.owner} expired on ${f.waiver.expires})`;
  const location: Location = {
    physicalLocation: physicalLocation(f.location, uriBase),
    logicalLocations: [{ fullyQualifiedName: f.subject.address, kind: 'resource' }],
  };
  const out: Result = {
    ruleId: f.checkId,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      subject: f.subject.address,
      subjectType: f.subject.type,
      scope: f.subject.scope,
      outcome: f.outcome,
      severity: f.severity,
      ...(f.sla ? { sla: f.sla } : {}),
      ...(f.waiver
        ? {
            waiver: {
              owner: f.waiver.owner,
              expires: f.waiver.expires,
              expired: f.waiver.expired,
              reason: f.waiver.reason,
            },
          }
        : {}),
    },
  };
  if (waived && f.waiver) {
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${f.waiver.reason} (owner ${f.waiver.owner}, expires ${f.waiver.expires})`,
        ...(f.waiver.location
          ? { location: { physicalLocation: physicalLocation(f.waiver.location, uriBase) } }
          : {}),
      },
    ];
  }
  return out;
}

function physicalLocation(loc: SourceLocation, uriBase: string | undefined): PhysicalLocation {
  const region: PhysicalLocation['region'] = { startLine: Math.max(1, Math.floor(loc.line)) };
  if (loc.column && loc.column >= 1) region.startColumn = Math.floor(loc.column);
  if (loc.endLine && loc.endLine >= region.startLine!) region.endLine = Math.floor(loc.endLine);
  return { artifactLocation: artifactLocation(loc.file, uriBase), region };
}

function artifactLocation(file: string, uriBase: string | undefined) {
  return { uri: sarifUri(file, uriBase), uriBaseId: '%SRCROOT%' };
}

/**
 * Repository-relative URI for a scan-root-relative path: backslashes become `/`, `uriBase` is
 * prepended, `.`/`..` segments are resolved, each segment is percent-encoded (so spaces and `#`
 * survive, and a `:` cannot be read as a URI scheme). E.g. (`net work/sg.tf`, `infra/`) →
 * `infra/net%20work/sg.tf`.
 */
export function sarifUri(file: string, uriBase?: string): string {
  const base = (uriBase ?? '').replace(/\\/g, '/');
  const joined = posix.normalize(posix.join(base, file.replace(/\\/g, '/'))).replace(/^\.\/+/, '');
  return joined
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function diagnosticNotification(d: Diagnostic, uriBase: string | undefined): Notification {
  const loc: PhysicalLocation = { artifactLocation: artifactLocation(d.file, uriBase) };
  if (d.line && d.line >= 1) {
    loc.region = {
      startLine: Math.floor(d.line),
      ...(d.column && d.column >= 1 ? { startColumn: Math.floor(d.column) } : {}),
    };
  }
  return {
    level: d.severity === 'info' ? 'note' : d.severity,
    message: { text: d.message },
    descriptor: { id: d.code },
    locations: [{ physicalLocation: loc }],
  };
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EvidentError } from '../../core/errors.js';
import { SEVERITIES, type Severity } from '../../core/outcome.js';
import { runScan } from '../../engine/run-scan.js';
import { readBaseline } from '../../report/baseline.js';
import { renderReport } from '../../report/index.js';
import { recordScanEvidence } from '../evidence-hook.js';
import { gitPrefix } from '../git-prefix.js';
import { createProgress } from '../progress.js';

const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `--now` value: an ISO 8601 date (`2026-03-01`, midnight UTC) or date-time with an offset or `Z`.
 * Throws EvidentError `E_USAGE` for anything else (a local time without offset is ambiguous).
 */
export function parseInstant(value: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(value);
  const d = new Date(value);
  if (!ok || Number.isNaN(d.getTime()))
    throw new EvidentError('E_USAGE', `--now: '${value}' is not an ISO 8601 instant`, {
      hint: 'write a date (2026-03-01) or a date-time with an offset (2026-03-01T12:00:00Z)',
    });
  return d;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseVar(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected NAME=VALUE, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Options of `evident scan` after commander parsing. */
interface ScanCliOptions {
  format: Format;
  output?: string;
  config?: string;
  varFile?: string[];
  var?: Record<string, string>;
  exclude?: string[];
  failOn: Severity;
  baseline?: string;
  color: boolean;
  quiet?: boolean;
  evidence: boolean;
  ledger: string;
  blobs?: string;
  keyFile?: string;
  now?: string;
  sarifUriBase?: string;
  osv?: string;
  secretsHistory?: boolean;
  secretRules?: string;
}

/**
 * `evident scan [PATH]`: evaluates every check on the Terraform and Kubernetes inputs under PATH, rolls
 * findings up through the control map, prints the report, records the run as evidence, and sets the
 * exit code (0 nothing failed, 1 a check or control failed, 2 usage/configuration/input error).
 */
export function registerScanCommand(program: Command): void {
  const cmd = program
    .command('scan')
    .description(
      'Evaluate every check (Terraform, Kubernetes, secrets, dependencies) and report framework standing',
    )
    .argument('[path]', 'directory or file to scan', '.');
  addCommonOptions(cmd)
    .option(
      '--osv <dir-or-zip>',
      'OSV database: a directory of OSV JSON files or an OSV all.zip (overrides dependencies.osv)',
    )
    .option(
      '--secrets-history',
      'also scan every commit on every branch for secrets (overrides secrets.history)',
    )
    .option('--secret-rules <file>', 'gitleaks TOML rules for the secrets scan (overrides secrets.rules)')
    .action((path: string, o: ScanCliOptions) => runScanCommand(path, o));
}

/**
 * `evident secrets [PATH] [--history] [--rules FILE]`: the secrets scan alone (working tree, and with
 * `--history` every commit on every branch), with the scan's formats, baseline, waivers and evidence.
 */
export function registerSecretsCommand(program: Command): void {
  const cmd = program
    .command('secrets')
    .description('Scan the working tree (and with --history every commit on every branch) for secrets')
    .argument('[path]', 'directory to scan', '.');
  addCommonOptions(cmd)
    .option('--history', 'also scan the added lines of every commit on every branch, merges included')
    .option(
      '--rules <file>',
      'gitleaks TOML rules (replacing the built-in rules unless it says [extend] useDefault = true)',
    )
    .action((path: string, o: ScanCliOptions & { history?: boolean; rules?: string }) =>
      runScanCommand(path, { ...o, secretsHistory: o.history, secretRules: o.rules }, ['secrets']),
    );
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('-c, --config <file>', 'control map (default: PATH/evident.yaml, else the built-in starter map)')
    .option('--var-file <file>', 'Terraform variable file applied to every root module (repeatable)', collect)
    .option('--var <name=value>', 'Terraform variable override (repeatable)', parseVar)
    .option(
      '--exclude <prefix>',
      'skip paths starting with this prefix, relative to PATH (repeatable)',
      collect,
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity of a failing finding that fails the run')
        .choices(SEVERITIES)
        .default('info'),
    )
    .option('--baseline <file>', 'earlier `--format json` result: fail only on findings absent from it')
    .option(
      '--sarif-uri-base <prefix>',
      'prefix for SARIF file URIs (default: the scan path relative to its git repository root)',
    )
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'no progress lines')
    .option(
      '--no-evidence',
      'do not record this run in the evidence log (logged manual evidence is still read)',
    )
    .option('--ledger <dir>', 'evidence log directory', '.evident/ledger')
    .option('--blobs <dir>', 'content-addressed blob directory (default: beside the ledger)')
    .option(
      '--key-file <file>',
      'Ed25519 private key (PEM) to sign the evidence; or EVIDENT_SIGNING_KEY_FILE',
    )
    .option(
      '--now <iso-8601>',
      'evaluate every clock (SLA deadlines, waiver expiry, evidence freshness) as of this instant; the run is still recorded at the real time',
    );
}

async function runScanCommand(path: string, o: ScanCliOptions, onlySources?: string[]): Promise<void> {
  const now = o.now ? parseInstant(o.now) : undefined;
  const baseline = o.baseline ? readBaseline(readFileSync(o.baseline, 'utf8'), o.baseline) : undefined;
  const progress = createProgress({ quiet: o.quiet });
  const ledgerDir = resolve(o.ledger);
  const run = await runScan({
    root: path,
    config: o.config,
    varFiles: o.varFile,
    vars: o.var,
    exclude: o.exclude,
    failOn: o.failOn,
    baseline,
    now,
    ledgerDir,
    onProgress: progress.update,
    osv: o.osv,
    secretsHistory: o.secretsHistory,
    secretRules: o.secretRules,
    onlySources,
  });
  progress.done();
  const color =
    o.color && !o.output && o.format === 'table' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const width = !o.output && process.stdout.isTTY ? process.stdout.columns : undefined;
  const uriBase = o.format === 'sarif' ? (o.sarifUriBase ?? gitPrefix(path)) : undefined;
  const rendered = renderReport(o.format, run.result, { color, checks: run.checks, width, uriBase });
  const text = rendered.endsWith('\n') ? rendered : `${rendered}\n`;
  if (o.output) {
    mkdirSync(dirname(resolve(o.output)), { recursive: true });
    writeFileSync(o.output, text);
    process.stderr.write(`evident: wrote ${o.format} report to ${o.output}\n`);
  } else {
    process.stdout.write(text);
  }
  if (o.evidence) {
    const note = await recordScanEvidence({
      run,
      root: path,
      ledgerDir,
      blobDir: o.blobs ? resolve(o.blobs) : undefined,
      keyFile: o.keyFile,
    });
    if (!o.quiet) process.stderr.write(`${note}\n`);
  }
  process.exitCode = run.result.summary.exitCode;
}

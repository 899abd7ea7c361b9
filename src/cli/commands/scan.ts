import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EvidentError } from '../../core/errors.js';
import { LIMITS, parseLimitArg, type ScanLimits } from '../../core/limits.js';
import { SEVERITIES, type Severity } from '../../core/outcome.js';
import { locateRepository } from '../../engine/repository.js';
import { runScan } from '../../engine/run-scan.js';
import { readBaseline } from '../../report/baseline.js';
import { renderReport } from '../../report/index.js';
import { recordScanEvidence } from '../evidence-hook.js';
import { gitPrefix } from '../git-prefix.js';
import { exitCodesHelp, KEY_FILE_HELP, PATHS_NOTE, USAGE_ERROR } from '../help.js';
import { guardStdout, writeReport } from '../output.js';
import { createProgress } from '../progress.js';
import { MAX_BASELINE_BYTES, readTextFileOrThrow } from '../read-text-file.js';

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

function parseLimit(value: string, previous: Partial<ScanLimits> = {}): Partial<ScanLimits> {
  const [name, n] = parseLimitArg(value);
  return { ...previous, [name]: n };
}

function parseVar(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected NAME=VALUE, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Reads `--baseline FILE`, turning a missing or unreadable file into a usage error with a hint. */
function loadBaseline(file: string): ReadonlySet<string> {
  const hint =
    'a baseline is an earlier `evident scan PATH --format json --output baseline.json --no-evidence` result, committed to the repository; the path is relative to the current directory';
  if (!existsSync(file))
    throw new EvidentError('E_USAGE', `--baseline ${file} does not exist; nothing was scanned`, {
      file,
      hint,
    });
  // a regular file of bounded size, strictly decoded: a FIFO cannot hang the scan, invalid UTF-8 is refused
  return readBaseline(readTextFileOrThrow(file, MAX_BASELINE_BYTES, 'json', '--baseline', hint), file);
}

/** Options of `evident scan` after commander parsing. */
interface ScanCliOptions {
  format: Format;
  output?: string;
  config?: string;
  varFile?: string[];
  var?: Record<string, string>;
  workspace?: string;
  parameter?: Record<string, string>;
  exclude?: string[];
  failOn: Severity;
  baseline?: string;
  color: boolean;
  quiet?: boolean;
  evidence: boolean;
  ledger?: string;
  blobs?: string;
  failOnUncontrolled: boolean;
  keyFile?: string;
  now?: string;
  sarifUriBase?: string;
  osv?: string;
  secretsHistory?: boolean;
  secretRules?: string;
  limit?: Partial<ScanLimits>;
}

/**
 * `evident scan [PATH]`: evaluates every check on the Terraform, CloudFormation and Kubernetes inputs under PATH, rolls
 * findings up through the control map, prints the report, records the run as evidence in the
 * repository's log (see locateRepository), and sets the exit code (0 nothing failed, 1 a check or
 * control failed, 2 usage/configuration/input error).
 */
export function registerScanCommand(program: Command): void {
  const cmd = program
    .command('scan')
    .description(
      'Evaluate every check (Terraform, CloudFormation, Kubernetes, secrets, dependencies) and report framework standing',
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
  cmd.addHelpText('after', EXIT_HELP);
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
  cmd.addHelpText('after', EXIT_HELP);
}

const EXIT_HELP =
  exitCodesHelp({
    0: 'nothing failed',
    1: 'a failing finding at or above --fail-on (with --baseline: a new one) or a failing control',
    2: `${USAGE_ERROR}; also an incomplete scan (an input could not be read), never reported clean`,
  }) + PATHS_NOTE;

function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option(
      '-c, --config <file>',
      'control map (default: the nearest evident.yaml from PATH up to the git work-tree root, else the built-in starter map)',
    )
    .option('--var-file <file>', 'Terraform variable file applied to every root module (repeatable)', collect)
    .option(
      '--var <name=value>',
      'Terraform variable override (repeatable); an undeclared name is a warning',
      parseVar,
    )
    .option(
      '--workspace <name>',
      'Terraform workspace to evaluate as (terraform.workspace); without it, terraform.workspace is not known statically',
    )
    .option(
      '--parameter <name=value>',
      'CloudFormation parameter value for every template declaring it, or a pseudo parameter (AWS::Region=eu-west-1) (repeatable)',
      parseVar,
    )
    .option(
      '--exclude <pattern>',
      'skip a path and everything under it, relative to PATH: `vendor` skips vendor/** (not vendor2); * ? ** globs (repeatable); a pattern matching nothing is a warning',
      collect,
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity of a failing finding that fails the run')
        .choices(SEVERITIES)
        .default('info'),
    )
    .option(
      '--limit <name=value>',
      `raise or lower a resource limit (repeatable): ${Object.keys(LIMITS).join(', ')}; see docs/limits.md`,
      parseLimit,
    )
    .option(
      '--no-fail-on-uncontrolled',
      'failures of checks that no control in the map lists are reported but do not fail the run (default: they fail it)',
    )
    .option('--baseline <file>', 'earlier `--format json` result: fail only on findings absent from it')
    .option(
      '--sarif-uri-base <prefix>',
      'prefix for SARIF file URIs (default: the scan path relative to its git repository root)',
    )
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'no progress lines (unsigned evidence and warnings are still said, on stderr)')
    .option(
      '--no-evidence',
      'do not record this run in the evidence log (logged manual evidence is still read)',
    )
    .option(
      '--ledger <dir>',
      "evidence log directory (default: .evident/ledger in PATH's repository: the directory holding evident.yaml, else the git work-tree root, else PATH)",
    )
    .option('--blobs <dir>', 'content-addressed blob directory (default: blobs/ inside the log directory)')
    .option('--key-file <file>', KEY_FILE_HELP)
    .option(
      '--now <iso-8601>',
      'evaluate every clock (SLA deadlines, waiver expiry, evidence freshness) as of this instant; the run is still recorded at the real time',
    );
}

async function runScanCommand(path: string, o: ScanCliOptions, onlySources?: string[]): Promise<void> {
  guardStdout();
  const now = o.now ? parseInstant(o.now) : undefined;
  const baseline = o.baseline ? loadBaseline(o.baseline) : undefined;
  const progress = createProgress({ quiet: o.quiet });
  const repo = locateRepository(path);
  const ledgerDir = o.ledger ? resolve(o.ledger) : repo.ledgerDir;
  const run = await runScan({
    root: path,
    config: o.config,
    varFiles: o.varFile,
    vars: o.var,
    workspace: o.workspace,
    cfnParameters: o.parameter,
    exclude: o.exclude,
    failOn: o.failOn,
    failOnUncontrolled: o.failOnUncontrolled,
    baseline,
    now,
    ledgerDir,
    onProgress: progress.update,
    osv: o.osv,
    secretsHistory: o.secretsHistory,
    secretRules: o.secretRules,
    onlySources,
    limits: o.limit,
  });
  progress.done();
  const color =
    o.color && !o.output && o.format === 'table' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const width = !o.output && process.stdout.isTTY ? process.stdout.columns : undefined;
  const uriBase = o.format === 'sarif' ? (o.sarifUriBase ?? gitPrefix(path)) : undefined;
  const rendered = renderReport(o.format, run.result, { color, checks: run.checks, width, uriBase });
  writeReport(rendered, o.output, `${o.format} report`);
  if (o.evidence) {
    const said = await recordScanEvidence({
      run,
      root: path,
      repo,
      ledgerDir,
      blobDir: o.blobs ? resolve(o.blobs) : undefined,
      keyFile: o.keyFile,
    });
    for (const line of [...(o.quiet ? [] : said.notes), ...said.alerts]) process.stderr.write(`${line}\n`);
  }
  process.exitCode = run.result.summary.exitCode;
}

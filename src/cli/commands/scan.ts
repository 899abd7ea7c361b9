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
  parameter?: Record<string, string>;
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
}

/**
 * `evident scan [PATH]`: evaluates every check on the Terraform, CloudFormation and Kubernetes inputs under PATH, rolls
 * findings up through the control map, prints the report, records the run as evidence, and sets the
 * exit code (0 nothing failed, 1 a check or control failed, 2 usage/configuration/input error).
 */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(
      'Evaluate every check on Terraform, CloudFormation and Kubernetes inputs and report framework standing',
    )
    .argument('[path]', 'directory or file to scan', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('-c, --config <file>', 'control map (default: PATH/evident.yaml, else the built-in starter map)')
    .option('--var-file <file>', 'Terraform variable file applied to every root module (repeatable)', collect)
    .option('--var <name=value>', 'Terraform variable override (repeatable)', parseVar)
    .option(
      '--parameter <name=value>',
      'CloudFormation parameter value for every template declaring it, or a pseudo parameter (AWS::Region=eu-west-1) (repeatable)',
      parseVar,
    )
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
    .addOption(
      new Option('--now <iso-date>', 'evaluate as of this date (waiver expiry, evidence age)').hideHelp(),
    )
    .action(async (path: string, o: ScanCliOptions) => {
      const now = o.now ? new Date(o.now) : undefined;
      if (now && Number.isNaN(now.getTime()))
        throw new EvidentError('E_USAGE', `--now: '${o.now}' is not a date`);
      const baseline = o.baseline ? readBaseline(readFileSync(o.baseline, 'utf8'), o.baseline) : undefined;
      const progress = createProgress({ quiet: o.quiet });
      const ledgerDir = resolve(o.ledger);
      const run = await runScan({
        root: path,
        config: o.config,
        varFiles: o.varFile,
        vars: o.var,
        cfnParameters: o.parameter,
        exclude: o.exclude,
        failOn: o.failOn,
        baseline,
        now,
        ledgerDir,
        onProgress: progress.update,
      });
      progress.done();
      const color =
        o.color &&
        !o.output &&
        o.format === 'table' &&
        Boolean(process.stdout.isTTY) &&
        !process.env.NO_COLOR;
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
    });
}

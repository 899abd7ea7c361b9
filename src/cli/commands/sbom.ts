import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { locateRepository } from '../../engine/repository.js';
import { runScan } from '../../engine/run-scan.js';
import { renderCycloneDx } from '../../report/sbom.js';
import { recordScanEvidence } from '../evidence-hook.js';
import { exitCodesHelp, KEY_FILE_HELP, PATHS_NOTE, USAGE_ERROR } from '../help.js';
import { guardStdout, writeReport } from '../output.js';
import { createProgress } from '../progress.js';
import { parseInstant } from './scan.js';

interface SbomCliOptions {
  output?: string;
  config?: string;
  osv?: string;
  exclude?: string[];
  quiet?: boolean;
  evidence: boolean;
  ledger?: string;
  blobs?: string;
  keyFile?: string;
  now?: string;
}

/**
 * `evident sbom [PATH]`: reads the lockfiles under PATH (and, with an OSV database, their
 * vulnerabilities and clocks), writes a CycloneDX 1.6 JSON SBOM (stdout or `--output`) and keeps it as
 * evidence: the run is recorded with the SBOM stored as a blob (`attachments` of the scan predicate).
 * Exit 0, or 2 for bad input/configuration.
 */
export function registerSbomCommand(program: Command): void {
  const cmd = program
    .command('sbom')
    .description('Write a CycloneDX 1.6 SBOM of the packages the lockfiles pin, and keep it as evidence')
    .argument('[path]', 'directory to read lockfiles from', '.')
    .option('-o, --output <file>', 'write the SBOM to FILE instead of stdout')
    .option(
      '-c, --config <file>',
      'control map (default: the nearest evident.yaml from PATH up to the git work-tree root)',
    )
    .option('--osv <dir-or-zip>', 'OSV database: adds the vulnerabilities affecting the packages')
    .option('--exclude <prefix>', 'skip paths under PATH (repeatable)', (v: string, p: string[] = []) => [
      ...p,
      v,
    ])
    .option('-q, --quiet', 'no progress lines')
    .option('--no-evidence', 'do not record the run and the SBOM in the evidence log')
    .option(
      '--ledger <dir>',
      "evidence log directory (default: .evident/ledger in PATH's repository: the directory holding evident.yaml, else the git work-tree root, else PATH)",
    )
    .option('--blobs <dir>', 'content-addressed blob directory (default: blobs/ inside the log directory)')
    .option('--key-file <file>', KEY_FILE_HELP)
    .option('--now <iso-8601>', 'evaluate vulnerability clocks as of this instant')
    .action(async (path: string, o: SbomCliOptions) => {
      guardStdout();
      const progress = createProgress({ quiet: o.quiet });
      const repo = locateRepository(path);
      const ledgerDir = o.ledger ? resolve(o.ledger) : repo.ledgerDir;
      const run = await runScan({
        root: path,
        config: o.config,
        exclude: o.exclude,
        osv: o.osv,
        now: o.now ? parseInstant(o.now) : undefined,
        ledgerDir,
        onlySources: ['dependencies'],
        onProgress: progress.update,
      });
      progress.done();
      const sbom = renderCycloneDx(
        run.facts.dependencies,
        {
          name: basename(resolve(path)),
          toolVersion: run.result.tool.version,
          timestamp: new Date(run.result.startedAt),
        },
        run.result.findings,
      );
      writeReport(sbom, o.output, 'CycloneDX 1.6 SBOM');
      if (o.evidence) {
        const said = await recordScanEvidence({
          run,
          root: path,
          repo,
          ledgerDir,
          blobDir: o.blobs ? resolve(o.blobs) : undefined,
          keyFile: o.keyFile,
          attachments: [
            {
              name: 'sbom.cdx.json',
              mediaType: 'application/vnd.cyclonedx+json',
              bytes: Buffer.from(sbom, 'utf8'),
            },
          ],
        });
        for (const line of [...(o.quiet ? [] : said.notes), ...said.alerts])
          process.stderr.write(`${line}\n`);
      }
      process.exitCode = run.result.summary.exitCode === 2 ? 2 : 0;
    });
  cmd.addHelpText(
    'after',
    exitCodesHelp({ 0: 'the SBOM was written (vulnerabilities do not fail it)', 2: USAGE_ERROR }) +
      PATHS_NOTE,
  );
}

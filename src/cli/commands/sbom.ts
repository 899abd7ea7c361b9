import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { runScan } from '../../engine/run-scan.js';
import { renderCycloneDx } from '../../report/sbom.js';
import { recordScanEvidence } from '../evidence-hook.js';
import { createProgress } from '../progress.js';
import { parseInstant } from './scan.js';

interface SbomCliOptions {
  output?: string;
  config?: string;
  osv?: string;
  exclude?: string[];
  quiet?: boolean;
  evidence: boolean;
  ledger: string;
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
  program
    .command('sbom')
    .description('Write a CycloneDX 1.6 SBOM of the packages the lockfiles pin, and keep it as evidence')
    .argument('[path]', 'directory to read lockfiles from', '.')
    .option('-o, --output <file>', 'write the SBOM to FILE instead of stdout')
    .option('-c, --config <file>', 'control map (default: PATH/evident.yaml)')
    .option('--osv <dir-or-zip>', 'OSV database: adds the vulnerabilities affecting the packages')
    .option('--exclude <prefix>', 'skip paths under PATH (repeatable)', (v: string, p: string[] = []) => [
      ...p,
      v,
    ])
    .option('-q, --quiet', 'no progress lines')
    .option('--no-evidence', 'do not record the run and the SBOM in the evidence log')
    .option('--ledger <dir>', 'evidence log directory', '.evident/ledger')
    .option('--blobs <dir>', 'content-addressed blob directory (default: beside the ledger)')
    .option(
      '--key-file <file>',
      'Ed25519 private key (PEM) to sign the evidence; or EVIDENT_SIGNING_KEY_FILE',
    )
    .option('--now <iso-8601>', 'evaluate vulnerability clocks as of this instant')
    .action(async (path: string, o: SbomCliOptions) => {
      const progress = createProgress({ quiet: o.quiet });
      const ledgerDir = resolve(o.ledger);
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
      if (o.output) {
        mkdirSync(dirname(resolve(o.output)), { recursive: true });
        writeFileSync(o.output, sbom);
        process.stderr.write(`evident: wrote CycloneDX 1.6 SBOM to ${o.output}\n`);
      } else process.stdout.write(sbom);
      if (o.evidence) {
        const note = await recordScanEvidence({
          run,
          root: path,
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
        if (!o.quiet) process.stderr.write(`${note}\n`);
      }
      process.exitCode = run.result.summary.exitCode === 2 ? 2 : 0;
    });
}

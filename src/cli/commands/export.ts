import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EvidentError } from '../../core/errors.js';
import type { FrameworkId } from '../../core/framework-id.js';
import { checkPeriod, exportBundle } from '../../evidence/bundle/export-bundle.js';
import { loadSigner, readPublicKeyFile } from '../../evidence/index.js';

/** Options of `evident export`. */
interface ExportCliOptions {
  from?: string;
  to?: string;
  framework?: string;
  ledger: string;
  blobs?: string;
  key?: string;
  output?: string;
  dir?: string;
  since?: string;
  allowMissingBlobs?: boolean;
}

function formatBytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * `evident export --from YYYY-MM-DD --to YYYY-MM-DD [--framework ID] [--ledger DIR] [--blobs DIR] [--key PUB]
 * [--output FILE | --dir DIR] [--since CHECKPOINT] [--allow-missing-blobs]`: writes the auditor bundle of the period
 * (default `evident-bundle-<from>_<to>.tar.gz`) and prints its path and a summary. The public key defaults to the
 * one of the signing key in EVIDENT_SIGNING_KEY / EVIDENT_SIGNING_KEY_FILE. Exit 0 written; 2 usage error (bad or
 * reversed dates, empty period, unknown framework, existing output) or evidence error (checkpoint not signed by the
 * key, missing blobs) — thrown as EvidentError for main() to print.
 */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Write the auditor bundle for an audit period: signed entries, proofs, blobs, HTML/CSV/OSCAL reports',
    )
    .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD, UTC, inclusive)')
    .requiredOption('--to <date>', 'last day of the period (YYYY-MM-DD, UTC, inclusive)')
    .option('--framework <id>', 'limit the reports to one framework (soc2, iso27001-2022, hipaa, gdpr)')
    .option('--ledger <dir>', 'evidence log directory', '.evident/ledger')
    .option('--blobs <dir>', 'blob store directory (default: beside the log)')
    .option('--key <file>', 'public key the log is signed with (PEM, evident.pub)')
    .option('--output <file>', 'archive to write (default evident-bundle-<from>_<to>.tar.gz)')
    .option('--dir <dir>', 'write an unpacked bundle directory instead of an archive')
    .option('--since <file>', 'earlier checkpoint: include a consistency proof from it')
    .option(
      '--allow-missing-blobs',
      'export even when referenced blobs are missing (listed; verify reports them)',
    )
    .action(async (o: ExportCliOptions) => {
      checkPeriod(o.from ?? '', o.to ?? '', o.framework);
      if (o.output && o.dir) {
        throw new EvidentError('E_USAGE', '--output and --dir are exclusive', { hint: 'choose one' });
      }
      let publicKeyPem: string;
      if (o.key) publicKeyPem = readPublicKeyFile(o.key).pem;
      else {
        const signer = loadSigner({ env: process.env });
        if (!signer) {
          throw new EvidentError(
            'E_USAGE',
            'export needs the public key the log is signed with: --key evident.pub',
            {
              hint: 'or set EVIDENT_SIGNING_KEY_FILE so the key can be derived from the signing key',
            },
          );
        }
        publicKeyPem = signer.publicKeyPem();
      }
      let sinceCheckpoint: string | undefined;
      if (o.since) {
        try {
          sinceCheckpoint = readFileSync(o.since, 'utf8');
        } catch (err) {
          throw new EvidentError(
            'E_USAGE',
            `cannot read --since checkpoint ${o.since}: ${(err as Error).message}`,
            {
              hint: 'pass a checkpoint file saved from this log earlier',
            },
          );
        }
      }
      const summary = await exportBundle({
        ledgerDir: o.ledger,
        ...(o.blobs ? { blobDir: o.blobs } : {}),
        publicKeyPem,
        from: o.from!,
        to: o.to!,
        ...(o.framework ? { framework: o.framework as FrameworkId } : {}),
        ...(o.output ? { output: o.output } : {}),
        ...(o.dir ? { dir: o.dir } : {}),
        ...(sinceCheckpoint !== undefined ? { sinceCheckpoint } : {}),
        allowMissingBlobs: o.allowMissingBlobs === true,
      });
      const lines = [
        `wrote ${summary.path}`,
        `  period: ${o.from} to ${o.to}${o.framework ? ` (${o.framework})` : ''}`,
        `  entries: ${summary.entries} (${summary.runs} scan runs, ${summary.manual} manual evidence), blobs: ${summary.blobs}`,
        `  size: ${formatBytes(summary.bytes)}`,
        `  log: ${summary.origin}, tree size ${summary.treeSize}, root ${summary.rootHash}`,
      ];
      if (summary.missingBlobs.length > 0) {
        lines.push(
          `  warning: ${summary.missingBlobs.length} referenced blob(s) missing; verify will report them`,
        );
      }
      lines.push(`verify with: evident verify ${summary.path} --key <your copy of evident.pub>`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { EvidentError } from '../../core/errors.js';
import type { FrameworkId } from '../../core/framework-id.js';
import { locateRepository } from '../../engine/repository.js';
import { checkPeriod, defaultBundleName, exportBundle } from '../../evidence/bundle/export-bundle.js';
import { loadSigner, readPublicKeyFile } from '../../evidence/index.js';
import { displayPath, prepareEvidenceDir } from '../evidence-hook.js';
import { exitCodesHelp, KEY_FILE_HELP, KEY_HELP, PATHS_NOTE, USAGE_ERROR } from '../help.js';

/** Options of `evident export`. */
interface ExportCliOptions {
  from?: string;
  to?: string;
  framework?: string;
  ledger?: string;
  blobs?: string;
  key?: string;
  keyFile?: string;
  output?: string;
  format: 'tar.gz' | 'dir';
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
 * [--key-file KEY] [-f tar.gz|dir] [-o PATH | --dir DIR] [--since CHECKPOINT] [--allow-missing-blobs]`: writes the
 * auditor bundle of the period (default `.evident/exports/evident-bundle-<from>_<to>.tar.gz` in the current
 * directory's repository, beside the log it reads) and prints its path and a summary. When a
 * signing key is available (`--key-file`, else EVIDENT_SIGNING_KEY / EVIDENT_SIGNING_KEY_FILE, via loadSigner) the
 * manifest is signed (`manifest.dsse.json`); otherwise the summary says the manifest is unsigned and what that means.
 * The public key defaults to the one of the signing key. Key material is never printed. Exit 0 written; 2 usage
 * error (bad or reversed dates, empty period, unknown framework, existing output, signing key not the log's key) or
 * evidence error (checkpoint not signed by the key, missing blobs, unreadable key) — thrown as EvidentError for
 * main() to print.
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
    .option(
      '--ledger <dir>',
      "evidence log directory (default: the current directory's repository log, .evident/ledger)",
    )
    .option('--blobs <dir>', 'blob store directory (default: blobs/ inside the log directory)')
    .option('--key <file>', `${KEY_HELP} (default: the public half of the signing key)`)
    .option('--key-file <file>', `${KEY_FILE_HELP}; signs the manifest, i.e. the completeness of the period`)
    .addOption(
      new Option('-f, --format <format>', 'tar.gz archive or an unpacked directory')
        .choices(['tar.gz', 'dir'])
        .default('tar.gz'),
    )
    .option(
      '-o, --output <path>',
      'archive (or, with -f dir, directory) to write; default .evident/exports/evident-bundle-<from>_<to>[.tar.gz] in the repository',
    )
    .option('--dir <dir>', 'same as --format dir --output DIR')
    .option('--since <file>', 'earlier checkpoint: include a consistency proof from it')
    .option(
      '--allow-missing-blobs',
      'export even when referenced blobs are missing (listed; verify reports them)',
    )
    .action(async (o: ExportCliOptions) => {
      checkPeriod(o.from ?? '', o.to ?? '', o.framework);
      if (o.output && o.dir) {
        throw new EvidentError('E_USAGE', '--output and --dir are exclusive', {
          hint: 'use --format dir --output DIR (or --dir DIR alone)',
        });
      }
      const repo = locateRepository('.');
      const ledgerDir = o.ledger ?? repo.ledgerDir;
      const asDir = o.dir !== undefined || o.format === 'dir';
      const archiveName = defaultBundleName(o.from ?? '', o.to ?? '');
      const target =
        o.dir ??
        o.output ??
        join(repo.exportsDir, asDir ? archiveName.replace(/\.tar\.gz$/, '') : archiveName);
      const signer = loadSigner({ ...(o.keyFile ? { keyFile: o.keyFile } : {}), env: process.env });
      let publicKeyPem: string;
      if (o.key) publicKeyPem = readPublicKeyFile(o.key).pem;
      else {
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
      prepareEvidenceDir(repo, target);
      const summary = await exportBundle({
        ledgerDir,
        ...(o.blobs ? { blobDir: o.blobs } : {}),
        publicKeyPem,
        from: o.from!,
        to: o.to!,
        ...(o.framework ? { framework: o.framework as FrameworkId } : {}),
        ...(asDir ? { dir: target } : { output: target }),
        ...(sinceCheckpoint !== undefined ? { sinceCheckpoint } : {}),
        allowMissingBlobs: o.allowMissingBlobs === true,
        ...(signer ? { signer } : {}),
      });
      const lines = [
        `wrote ${displayPath(summary.path)}`,
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
      if (summary.manifestSigned) {
        lines.push(
          `  manifest: signed by ${signer!.keyId()} (manifest.dsse.json lists all ${summary.entries} entries of the period)`,
        );
      } else {
        lines.push(
          '  manifest: UNSIGNED (no signing key: --key-file or $EVIDENT_SIGNING_KEY_FILE). Every entry is still signed,',
          '    but nothing proves the bundle holds ALL entries of the period; `evident verify` fails an unsigned',
          '    manifest unless given --allow-unsigned',
        );
      }
      lines.push(`verify with: evident verify ${displayPath(summary.path)} --key <your copy of evident.pub>`);
      process.stdout.write(`${lines.join('\n')}\n`);
    })
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'bundle written',
        2: `${USAGE_ERROR}: bad or reversed dates, a period with no entries, an existing output, a key that is not the log's, missing blobs`,
      }) + PATHS_NOTE,
    );
}

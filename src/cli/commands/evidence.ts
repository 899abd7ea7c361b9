import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EvidentError } from '../../core/errors.js';
import type { ManualEvidencePredicate } from '../../evidence/index.js';
import {
  addManualEvidence,
  decodeStatement,
  KIND_MANUAL,
  loadSigner,
  openLedger,
} from '../../evidence/index.js';

/**
 * `evident evidence add --control ID FILE` (hash, store, sign and log a document as manual evidence for a control)
 * and `evident evidence list [--control ID]` (the manual evidence in the log, newest first).
 */
/**
 * The directory evident.yaml `evidence.manual` paths are relative to for `file`: the nearest
 * ancestor directory of the file that holds an evident.yaml, else the current directory.
 */
export function mapDirOf(file: string): string {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, 'evident.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return '.';
    dir = up;
  }
}

export function registerEvidenceCommand(program: Command): void {
  const evidence = program.command('evidence').description('Manual evidence: attach documents to controls');
  evidence
    .command('add')
    .description('Hash, sign and log FILE as evidence for a control (counts until older than its maxAgeDays)')
    .argument('<file>', 'the evidence document, inside the repository')
    .requiredOption('--control <id>', 'control id from evident.yaml, e.g. IR-1')
    .option(
      '--root <dir>',
      'directory the document path is recorded relative to (default: the nearest directory above FILE holding evident.yaml, as evidence.manual paths are relative to the map)',
    )
    .option('--ledger <dir>', 'evidence log directory', '.evident/ledger')
    .option('--blobs <dir>', 'content-addressed blob directory (default: beside the ledger)')
    .option('--key-file <file>', 'Ed25519 private key (PEM) to sign with; or EVIDENT_SIGNING_KEY(_FILE)')
    .option('--by <who>', 'who collected the evidence (recorded in the statement)')
    .action(
      async (
        file: string,
        o: { control: string; root?: string; ledger: string; blobs?: string; keyFile?: string; by?: string },
      ) => {
        const signer = loadSigner({ keyFile: o.keyFile, env: process.env });
        const res = await addManualEvidence({
          file,
          controlId: o.control,
          root: o.root ?? mapDirOf(file),
          ledgerDir: o.ledger,
          blobDir: o.blobs,
          signer,
          env: process.env,
          addedBy: o.by,
        });
        process.stdout.write(
          `evidence for ${o.control}: ${res.path} sha256:${res.sha256} logged as entry #${res.index} in ${o.ledger} (${
            res.signed ? 'signed' : 'UNSIGNED: set EVIDENT_SIGNING_KEY_FILE or --key-file to sign'
          }), collected ${res.collectedAt}\n`,
        );
      },
    );
  evidence
    .command('list')
    .description(
      'List manual evidence in the log, newest first (unverified: run `evident verify` to check it)',
    )
    .option('--control <id>', 'only this control')
    .option('--ledger <dir>', 'evidence log directory', '.evident/ledger')
    .action(async (o: { control?: string; ledger: string }) => {
      const ledger = await openLedger(o.ledger);
      try {
        let n = 0;
        for (
          let i = ledger.lastIndexOfKind(KIND_MANUAL);
          i >= 0;
          i = ledger.lastIndexOfKind(KIND_MANUAL, i)
        ) {
          const st = decodeStatement((await ledger.get(i)).envelope);
          const p = st?.predicate as ManualEvidencePredicate | undefined;
          if (!p || (o.control && p.controlId !== o.control)) continue;
          process.stdout.write(
            `#${i} ${p.controlId} ${p.path} sha256:${st?.subject[0]?.digest.sha256 ?? '?'} collected ${p.collectedAt}${p.addedBy ? ` by ${p.addedBy}` : ''}\n`,
          );
          n++;
        }
        if (n === 0) process.stdout.write('no manual evidence in the log\n');
      } finally {
        await ledger.close();
      }
    });
  evidence.action(() => {
    throw new EvidentError('E_USAGE', 'missing subcommand', {
      hint: 'use `evident evidence add --control ID FILE`',
    });
  });
}

import { relative } from 'node:path';
import type { ScanRun } from '../engine/run-scan.js';
import { loadSigner, recordScan } from '../evidence/index.js';

/**
 * Records a finished scan in the evidence log (signed when a key is configured) and returns the line
 * the CLI prints about it. Never prints key material.
 */
export async function recordScanEvidence(opts: {
  run: ScanRun;
  root: string;
  ledgerDir: string;
  blobDir?: string;
  keyFile?: string;
  attachments?: { name: string; mediaType: string; bytes: Buffer }[];
}): Promise<string> {
  const signer = loadSigner({ keyFile: opts.keyFile, env: process.env });
  const rec = await recordScan({
    result: opts.run.result,
    root: opts.root,
    ledgerDir: opts.ledgerDir,
    blobDir: opts.blobDir,
    signer,
    env: process.env,
    redactions: opts.run.redactions,
    attachments: opts.attachments,
  });
  const where = relative(process.cwd(), opts.ledgerDir) || opts.ledgerDir;
  return rec.signed
    ? `evident: evidence recorded and signed: ${where} entry #${rec.index} (sha256:${rec.envelopeSha256.slice(0, 16)}…)`
    : `evident: evidence recorded UNSIGNED: ${where} entry #${rec.index}. Set EVIDENT_SIGNING_KEY_FILE or --key-file (see 'evident keygen') to sign it; 'evident verify' reports unsigned entries.`;
}

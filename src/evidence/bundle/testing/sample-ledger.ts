import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../hash.js';
import { generateKeyPair, keyStoreFromPem } from '../../keys.js';
import { addManualEvidence } from '../../manual-evidence.js';
import { recordScan } from '../../record-scan.js';
import { tempDir } from '../../test-support/fixtures.js';
import { sampleScanResult } from './sample-scan.js';

/** A real signed log built through the evidence API, for bundle tests. */
export interface SampleLedger {
  root: string;
  ledgerDir: string;
  blobDir: string;
  publicKeyPem: string;
  privateKeyPem: string;
  /** Checkpoint text after each scan append, in order (tree sizes 1, 2, 4, 5). */
  checkpoints: string[];
}

const CI_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/platform',
  GITHUB_RUN_ID: '4242',
  GITHUB_SHA: 'f'.repeat(40),
};

/**
 * Builds a log in a temp dir with: a scan on 2026-02-27 (before March), two scans in March 2026 (the second
 * with a hostile finding message), a manual evidence document on 2026-03-15 and a scan on 2026-04-02.
 */
export async function buildSampleLedger(): Promise<SampleLedger> {
  const root = tempDir('evident-bundle-ledger-');
  const main = 'resource "aws_s3_bucket" "logs" {}\n';
  await writeFile(path.join(root, 'main.tf'), main);
  await writeFile(path.join(root, 'ir.md'), '# Incident response plan\n');
  const ledgerDir = path.join(root, '.evident', 'ledger');
  const blobDir = path.join(root, '.evident', 'blobs');
  const keys = generateKeyPair();
  const signer = keyStoreFromPem(keys.privateKeyPem);
  const inputSha256 = sha256Hex(main);
  const checkpoints: string[] = [];
  const scan = async (finishedAt: string, message?: string, env: NodeJS.ProcessEnv = {}) => {
    const r = await recordScan({
      result: sampleScanResult({ finishedAt, inputSha256, ...(message ? { message } : {}) }),
      root,
      ledgerDir,
      blobDir,
      signer,
      env,
      origin: 'evident.local/test',
      now: new Date(finishedAt),
    });
    checkpoints.push(r.checkpoint);
  };
  await scan('2026-02-27T10:00:00.000Z');
  await scan('2026-03-01T00:00:00.000Z', undefined, CI_ENV);
  await addManualEvidence({
    file: path.join(root, 'ir.md'),
    controlId: 'IR-1',
    root,
    ledgerDir,
    blobDir,
    signer,
    env: {},
    now: new Date('2026-03-15T09:00:00.000Z'),
  });
  await scan('2026-03-31T23:59:59.000Z', '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>');
  await scan('2026-04-02T08:00:00.000Z');
  return {
    root,
    ledgerDir,
    blobDir,
    publicKeyPem: keys.publicKeyPem,
    privateKeyPem: keys.privateKeyPem,
    checkpoints,
  };
}

/** Records an `evident scan` run as signed evidence (the API the scan command calls). */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ScanResult } from '../core/scan-result.js';
import { openBlobStore } from './blob-store.js';
import { canonicalize } from './canonical-json.js';
import { detectCiContext } from './ci-context.js';
import { createEnvelope } from './dsse.js';
import { headCommit } from './git-commit.js';
import { sha256Hex } from './hash.js';
import type { KeyStore } from './keys.js';
import { appendToLedger } from './ledger.js';
import type { Subject } from './statement.js';
import { scanStatement } from './statement.js';

/**
 * Default blob directory of a log directory: `blobs/` inside it (`.evident/ledger` → `.evident/ledger/blobs`),
 * so `--ledger DIR` names one self-contained directory holding the log and every blob it references.
 */
export function defaultBlobDir(ledgerDir: string): string {
  return join(resolve(ledgerDir), 'blobs');
}

/** What {@link recordScan} recorded: the entry index, sha256 of the stored envelope, and the new checkpoint text. */
export interface RecordScanResult {
  index: number;
  envelopeSha256: string;
  signed: boolean;
  checkpoint: string;
}

/**
 * Records a scan: stores the canonical ScanResult JSON and every input file (`root`/`inputs[].file`, only if its
 * bytes still hash to the digest the scan saw) as blobs; builds an in-toto statement whose subjects are the
 * inputs, the control map file and the git HEAD commit (when `root` is in a git work tree), with the full
 * ScanResult, CI context (from `env`), time and tool version as predicate; wraps it in a DSSE envelope signed by
 * `signer` (unsigned without one) and appends it to the log (`ledgerDir`, created if absent) with a new
 * checkpoint. `blobDir` defaults to {@link defaultBlobDir}. Throws EvidentError(E_EVIDENCE) if the log is damaged,
 * E_IO on file-system errors.
 */
export async function recordScan(opts: {
  result: ScanResult;
  root: string;
  ledgerDir: string;
  blobDir?: string;
  signer?: KeyStore;
  env: NodeJS.ProcessEnv;
  origin?: string;
  /** Clock override for tests. */
  now?: Date;
}): Promise<RecordScanResult> {
  const { result, root } = opts;
  const blobs = openBlobStore(opts.blobDir ?? defaultBlobDir(opts.ledgerDir));
  const resultBlob = await blobs.put(Buffer.from(canonicalize(result), 'utf8'));
  const subjects: Subject[] = [];
  const unstored: string[] = [];
  const addFile = async (name: string, digest: string): Promise<void> => {
    subjects.push({ name, digest: { sha256: digest } });
    let bytes: Buffer | undefined;
    const abs = resolve(root, name);
    const rel = relative(resolve(root), abs);
    try {
      // only files inside the scan root are stored
      bytes = rel.startsWith('..') || isAbsolute(rel) ? undefined : readFileSync(abs);
    } catch {
      bytes = undefined;
    }
    if (bytes && sha256Hex(bytes) === digest) await blobs.put(bytes);
    else unstored.push(name);
  };
  for (const input of result.inputs) await addFile(input.file, input.sha256);
  if (result.controlMap.file && result.controlMap.sha256) {
    await addFile(result.controlMap.file, result.controlMap.sha256);
  }
  const commit = headCommit(root);
  if (commit) {
    const digest = await blobs.put(commit.object);
    subjects.push({ name: `git+commit:${commit.sha}`, digest: { sha256: digest, gitCommit: commit.sha } });
  }
  const ci = detectCiContext(opts.env);
  const statement = scanStatement(subjects, {
    scan: result,
    resultBlob,
    ci,
    git: commit ? { commit: commit.sha } : undefined,
    recordedAt: (opts.now ?? new Date()).toISOString(),
    runId: randomUUID(),
    tool: { name: 'evident', version: result.tool.version },
    unstoredSubjects: unstored.length > 0 ? unstored : undefined,
  });
  const envelope = await createEnvelope(statement, opts.signer);
  const appended = await appendToLedger(opts.ledgerDir, [envelope], {
    signer: opts.signer,
    origin: opts.origin,
  });
  return {
    index: appended.firstIndex,
    envelopeSha256: appended.envelopeSha256[0]!,
    signed: opts.signer !== undefined,
    checkpoint: appended.checkpoint,
  };
}

/** Manual evidence (`evident evidence add --control ID FILE`): hash, store, sign and log a document. */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { EvidentError } from '../core/errors.js';
import { describeRefusal, readRegularFileSync } from '../sources/read-regular-file.js';
import { openBlobStore } from './blob-store.js';
import { detectCiContext } from './ci-context.js';
import { createEnvelope, decodeStatement } from './dsse.js';
import { isSha256Hex } from './hash.js';
import type { KeyStore } from './keys.js';
import type { Ledger } from './ledger.js';
import { appendToLedger } from './ledger.js';
import { KIND_MANUAL } from './ledger-files.js';
import { defaultBlobDir } from './record-scan.js';
import type { ManualEvidencePredicate } from './statement.js';
import { manualEvidenceStatement } from './statement.js';
import { MANUAL_EVIDENCE_PREDICATE_TYPE } from './types.js';

/** Largest document `evidence add` accepts (256 MiB). */
export const MAX_MANUAL_EVIDENCE_BYTES = 256 * 1024 * 1024;

/** `./a\b/c` → `a/b/c`: the form paths are stored and compared in. */
export function normalizeEvidencePath(p: string): string {
  return p
    .split(sep)
    .join('/')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '');
}

/** Result of {@link addManualEvidence}. */
export interface AddManualEvidenceResult {
  index: number;
  sha256: string;
  path: string;
  collectedAt: string;
  signed: boolean;
  envelopeSha256: string;
}

/**
 * Logs `file` as evidence for `controlId`: stores its bytes as a blob, builds a manual-evidence statement (subject =
 * the path relative to `root` with its sha256; predicate = controlId, path, collectedAt, addedBy, CI context), signs
 * it with `signer` when given and appends it to the log. Throws EvidentError: E_IO when the file cannot be read,
 * E_INPUT_TOO_LARGE over {@link MAX_MANUAL_EVIDENCE_BYTES}, E_USAGE for an empty control id or a file outside `root`.
 */
export async function addManualEvidence(opts: {
  file: string;
  controlId: string;
  root: string;
  ledgerDir: string;
  blobDir?: string;
  signer?: KeyStore;
  env: NodeJS.ProcessEnv;
  addedBy?: string;
  origin?: string;
  now?: Date;
}): Promise<AddManualEvidenceResult> {
  const controlId = opts.controlId.trim();
  if (controlId === '')
    throw new EvidentError('E_USAGE', 'empty --control id', {
      hint: 'pass the control id from evident.yaml, e.g. --control IR-1',
    });
  const abs = resolve(opts.file);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (err) {
    throw new EvidentError('E_IO', `cannot read evidence document ${opts.file}: ${(err as Error).message}`, {
      file: opts.file,
      hint: 'pass the path of an existing file',
    });
  }
  if (size > MAX_MANUAL_EVIDENCE_BYTES) {
    throw new EvidentError(
      'E_INPUT_TOO_LARGE',
      `evidence document ${opts.file} is ${size} bytes, over the 256 MiB limit`,
      {
        file: opts.file,
        hint: 'attach a smaller document (e.g. a summary or an export) and keep the original in your records system',
      },
    );
  }
  const rel = relative(resolve(opts.root), abs);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new EvidentError(
      'E_USAGE',
      `evidence document ${opts.file} is outside the repository root ${opts.root}`,
      {
        file: opts.file,
        hint: 'keep evidence documents in the repository (the path in evident.yaml must match), or pass --root',
      },
    );
  }
  const path = normalizeEvidencePath(rel);
  // Opened non-blocking and checked again on the descriptor: a file swapped for a FIFO since stat cannot hang.
  const read = readRegularFileSync(abs, MAX_MANUAL_EVIDENCE_BYTES);
  if ('refused' in read) {
    throw new EvidentError(
      'E_IO',
      `cannot read evidence document ${opts.file}: it ${describeRefusal(read.refused, MAX_MANUAL_EVIDENCE_BYTES)}`,
      {
        file: opts.file,
        hint: 'pass the path of an existing regular file',
      },
    );
  }
  const bytes = read.buf;
  const blobs = openBlobStore(opts.blobDir ?? defaultBlobDir(opts.ledgerDir));
  const sha256 = await blobs.put(bytes);
  const collectedAt = (opts.now ?? new Date()).toISOString();
  const predicate: ManualEvidencePredicate = {
    controlId,
    path,
    collectedAt,
    addedBy: opts.addedBy,
    ci: detectCiContext(opts.env),
    runId: randomUUID(),
  };
  const envelope = await createEnvelope(
    manualEvidenceStatement({ name: path, digest: { sha256 } }, predicate),
    opts.signer,
  );
  const res = await appendToLedger(opts.ledgerDir, [envelope], { signer: opts.signer, origin: opts.origin });
  return {
    index: res.firstIndex,
    sha256,
    path,
    collectedAt,
    signed: opts.signer !== undefined,
    envelopeSha256: res.envelopeSha256[0]!,
  };
}

/**
 * The latest manual evidence logged for `controlId` (and, when given, for document `path`, compared after
 * normalising `./` and separators). Scans the log backwards using the entry-kind hint in index.bin, decoding only
 * manual-evidence entries. This reads unverified data; `evident verify` vouches for the log.
 */
export async function findManualEvidence(
  ledger: Ledger,
  controlId: string,
  path?: string,
): Promise<{ sha256: string; collectedAt: string } | undefined> {
  const want = path === undefined ? undefined : normalizeEvidencePath(path);
  for (let i = ledger.lastIndexOfKind(KIND_MANUAL); i >= 0; i = ledger.lastIndexOfKind(KIND_MANUAL, i)) {
    let raw: Buffer;
    try {
      raw = await ledger.rawEntry(i);
    } catch {
      continue;
    }
    let st: ReturnType<typeof decodeStatement>;
    try {
      st = decodeStatement(JSON.parse(raw.toString('utf8')));
    } catch {
      continue;
    }
    if (!st || st.predicateType !== MANUAL_EVIDENCE_PREDICATE_TYPE) continue;
    const p = st.predicate as Partial<ManualEvidencePredicate>;
    if (p.controlId !== controlId) continue;
    if (want !== undefined && (typeof p.path !== 'string' || normalizeEvidencePath(p.path) !== want))
      continue;
    const sha256 = st.subject[0]?.digest.sha256;
    if (!isSha256Hex(sha256) || typeof p.collectedAt !== 'string') continue;
    return { sha256, collectedAt: p.collectedAt };
  }
  return undefined;
}

/** True while evidence collected at `collectedAt` (ISO) is at most `maxAgeDays` days old at `now`. */
export function isEvidenceFresh(collectedAt: string, maxAgeDays: number, now: Date): boolean {
  const t = Date.parse(collectedAt);
  if (Number.isNaN(t)) return false;
  return now.getTime() - t <= maxAgeDays * 86_400_000;
}

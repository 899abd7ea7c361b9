/**
 * A scheduled re-scan: runs `evident scan` on a configured checkout, stores the inputs and the result as blobs, signs
 * the run with the server key (the statement records `ci.provider = evident-server`) and appends it to the server
 * log for that repository, exactly like a pushed run.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { VERSION } from '../core/version.js';
import { runScan } from '../engine/run-scan.js';
import { canonicalize } from '../evidence/canonical-json.js';
import { createEnvelope, envelopeBytes } from '../evidence/dsse.js';
import { sha256Hex } from '../evidence/hash.js';
import type { KeyStore } from '../evidence/keys.js';
import { type Subject, scanStatement } from '../evidence/statement.js';
import { indexEntryBytes } from '../indexer/sync.js';
import type { Store } from '../store/open-store.js';
import type { Repository } from '../store/repos.js';
import { appendServerLog, type ServerAppendResult } from '../store/server-log.js';

/** Scans `path` and records the run for `repo` in the server log. */
export async function rescanRepository(
  store: Store,
  opts: { repo: Repository; path: string; signer?: KeyStore; origin: string; now: Date },
): Promise<ServerAppendResult> {
  const root = resolve(opts.path);
  const run = await runScan({ root, now: opts.now });
  const result = run.result;
  const blobs = new Map<string, Buffer>();
  const resultBytes = Buffer.from(canonicalize(result), 'utf8');
  const resultBlob = sha256Hex(resultBytes);
  blobs.set(resultBlob, resultBytes);
  const subjects: Subject[] = [];
  const unstored: string[] = [];
  const files = [...result.inputs.map((i) => ({ file: i.file, sha256: i.sha256 }))];
  if (result.controlMap.file && result.controlMap.sha256)
    files.push({ file: result.controlMap.file, sha256: result.controlMap.sha256 });
  for (const f of files) {
    subjects.push({ name: f.file, digest: { sha256: f.sha256 } });
    const abs = resolve(root, f.file);
    const rel = relative(root, abs);
    let bytes: Buffer | undefined;
    try {
      bytes = rel.startsWith('..') || isAbsolute(rel) ? undefined : readFileSync(abs);
    } catch {
      bytes = undefined;
    }
    if (bytes && sha256Hex(bytes) === f.sha256) blobs.set(f.sha256, bytes);
    else unstored.push(f.file);
  }
  const runId = randomUUID();
  const statement = scanStatement(subjects, {
    scan: result,
    resultBlob,
    ci: { provider: 'evident-server', runId },
    recordedAt: opts.now.toISOString(),
    runId,
    tool: { name: 'evident', version: VERSION },
    ...(unstored.length > 0 ? { unstoredSubjects: unstored } : {}),
  });
  const envelope = await createEnvelope(statement, opts.signer);
  const body = envelopeBytes(envelope);
  return appendServerLog(
    store,
    {
      envelope,
      body,
      envelopeSha256: sha256Hex(body),
      runUuid: runId,
      repoId: opts.repo.id,
      blobs: [...blobs].map(([sha256, bytes]) => ({ sha256, bytes })),
    },
    {
      signer: opts.signer,
      origin: opts.origin,
      afterAppend: async (tx, index) => {
        await indexEntryBytes(tx, { source: 'server', logIdx: index, repoId: opts.repo.id }, body);
      },
    },
  );
}

/**
 * Admission decisions as evidence (docs/admission.md "Evidence"). Each decision is first appended to a
 * write-ahead file and fsynced (group commit: requests arriving while a sync runs share the next one) before the
 * webhook answers, so no acknowledged decision is lost on a crash or restart. Decisions are then signed in
 * batches, one DSSE envelope (in-toto Statement, predicate {@link ADMISSION_PREDICATE_TYPE}) per at most
 * `batchSize` decisions or `flushMs` milliseconds, appended to the evidence log (ledger.ts, with its lock), and
 * removed from the write-ahead file. On start, decisions left in the write-ahead file are signed first.
 * Delivery is at least once: a crash between the log append and the write-ahead rewrite logs a batch twice;
 * each decision's `uid` identifies it.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VERSION } from '../core/version.js';
import { createEnvelope } from '../evidence/dsse.js';
import type { KeyStore } from '../evidence/keys.js';
import { appendToLedger } from '../evidence/ledger.js';
import type { InTotoStatement } from '../evidence/types.js';
import type { AdmissionDecision } from './decide.js';

/** Predicate type of a batch of admission decisions. */
export const ADMISSION_PREDICATE_TYPE = 'https://evident.dev/attestations/admission-decisions/v1';

/** Predicate of {@link ADMISSION_PREDICATE_TYPE}. */
export interface AdmissionDecisionsPredicate {
  decisions: AdmissionDecision[];
  /** Who decided: the webhook's pod (HOSTNAME) when known. */
  replica?: string;
  tool: { name: 'evident'; version: string };
  /**
   * Every subject name: the objects are not stored as blobs (they may carry secrets in env values), which
   * `evident verify` reads from this field (the scan-run predicate's convention).
   */
  unstoredSubjects: string[];
}

/** Options of {@link openDecisionLog}. */
export interface DecisionLogOptions {
  /** Evidence log directory (e.g. `.evident/ledger`). */
  ledgerDir: string;
  /** Write-ahead file; default `<ledgerDir>/../admission-wal.jsonl`. */
  walFile?: string;
  signer?: KeyStore;
  /** Most decisions per envelope (default 100). */
  batchSize?: number;
  /** Longest a decision waits before its batch is signed, in milliseconds (default 5000). */
  flushMs?: number;
  replica?: string;
  /**
   * fdatasync the write-ahead file before `record` resolves (default true). False only for the benchmark's
   * comparison: an acknowledged decision could then be lost by a machine crash (not by a process crash).
   */
  sync?: boolean;
  /** Called when a batch could not be appended (it stays in the write-ahead file and is retried). */
  onError?: (err: unknown) => void;
}

/** The decision log of a running webhook. */
export interface DecisionLog {
  /** Resolves once `d` is durable in the write-ahead file (answer the API server only after that). */
  record(d: AdmissionDecision): Promise<void>;
  /** Signs and appends every pending decision now. */
  flush(): Promise<void>;
  /** Flushes and closes the write-ahead file. */
  close(): Promise<void>;
  /** Decisions durable but not yet in the evidence log. */
  pending(): number;
}

/** Builds the statement of one batch; subjects are the judged objects (`Kind/namespace/name@uid`, sha256 of the object). */
export function decisionsStatement(
  decisions: AdmissionDecision[],
  replica?: string,
): InTotoStatement<AdmissionDecisionsPredicate> {
  const subject = decisions
    .filter((d) => d.objectSha256)
    .map((d) => ({
      name: `${d.kind}/${d.namespace ?? '~'}/${d.name}@${d.uid}`,
      digest: { sha256: d.objectSha256 as string },
    }));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: ADMISSION_PREDICATE_TYPE,
    predicate: {
      decisions,
      ...(replica ? { replica } : {}),
      tool: { name: 'evident', version: VERSION },
      unstoredSubjects: subject.map((s) => s.name),
    },
  };
}

/** Reads the decisions of a write-ahead file; a torn last line (crash mid-write, never acknowledged) is dropped. */
export function readWal(file: string): AdmissionDecision[] {
  if (!existsSync(file)) return [];
  const out: AdmissionDecision[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as AdmissionDecision);
    } catch {
      // an incomplete line was never fsynced, so never acknowledged
    }
  }
  return out;
}

/**
 * Opens the decision log: recovers the write-ahead file (its decisions are signed and appended first; when that
 * fails they stay there, `onError` is told and the append is retried) and starts batching. Throws on a
 * write-ahead file that cannot be opened.
 */
export async function openDecisionLog(opts: DecisionLogOptions): Promise<DecisionLog> {
  const walFile = opts.walFile ?? join(dirname(opts.ledgerDir), 'admission-wal.jsonl');
  const batchSize = opts.batchSize ?? 100;
  const flushMs = opts.flushMs ?? 5000;
  mkdirSync(dirname(walFile), { recursive: true });
  let pending = readWal(walFile);
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  /** Writes `decisions` as the whole write-ahead file, atomically (tmp, fsync, rename). */
  const rewriteWal = (decisions: AdmissionDecision[]): void => {
    const tmp = `${walFile}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      if (decisions.length) writeSync(fd, `${decisions.map((d) => JSON.stringify(d)).join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, walFile);
  };

  let wal: FileHandle = await open(walFile, 'a', 0o600);
  // Every write-ahead file operation runs in this chain, one at a time.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };
  // group commit: lines waiting for the next write + fdatasync
  let queued: { decision: AdmissionDecision; done: () => void; fail: (e: unknown) => void }[] = [];
  let pumpScheduled = false;
  const pump = async (): Promise<void> => {
    pumpScheduled = false;
    const batch = queued;
    queued = [];
    try {
      await wal.appendFile(batch.map((q) => `${JSON.stringify(q.decision)}\n`).join(''));
      if (opts.sync !== false) await wal.datasync();
    } catch (e) {
      for (const q of batch) q.fail(e);
      return;
    }
    for (const q of batch) {
      pending.push(q.decision);
      q.done();
    }
    if (pending.length >= batchSize) void flushNow();
    else schedule();
  };

  const flushNow = (): Promise<void> => {
    flushing = flushing
      .then(async () => {
        if (timer) {
          clearTimeout(timer);
          timer = undefined;
        }
        const batch = pending.slice(0, batchSize);
        if (batch.length === 0) return;
        try {
          const env = await createEnvelope(decisionsStatement(batch, opts.replica), opts.signer);
          await appendToLedger(opts.ledgerDir, [env], { signer: opts.signer });
        } catch (e) {
          opts.onError?.(e);
          schedule();
          return;
        }
        // `batch` is a prefix of `pending`, which is exactly the write-ahead file's content: drop it from both
        await serial(async () => {
          pending = pending.slice(batch.length);
          await wal.close();
          rewriteWal(pending);
          wal = await open(walFile, 'a', 0o600);
        });
        if (pending.length >= batchSize) void flushNow();
        else schedule();
      })
      .catch((e) => opts.onError?.(e));
    return flushing;
  };

  const schedule = (): void => {
    if (timer || pending.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flushNow();
    }, flushMs);
    timer.unref();
  };

  if (pending.length) await flushNow();

  const flushAll = async (): Promise<void> => {
    await serial(async () => undefined);
    while (pending.length) {
      const before = pending.length;
      await flushNow();
      if (pending.length >= before) throw new Error('decisions could not be appended to the evidence log');
    }
  };

  return {
    record(decision) {
      return new Promise<void>((resolve, reject) => {
        queued.push({ decision, done: resolve, fail: reject });
        if (!pumpScheduled) {
          pumpScheduled = true;
          void serial(pump);
        }
      });
    },
    flush: flushAll,
    async close() {
      await flushAll().catch((e: unknown) => opts.onError?.(e));
      if (timer) clearTimeout(timer);
      await serial(() => wal.close());
    },
    pending: () => pending.length,
  };
}

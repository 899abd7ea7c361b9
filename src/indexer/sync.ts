/**
 * Feeding the index from logs: entries of the server log (as they are appended, and on reindex) and of local
 * file logs (`.evident/ledger` written by `evident scan`), which the server follows by reading the entries past
 * the last one it indexed. `reindex` empties the index tables and rebuilds them from every log, in one
 * transaction holding the log append lock (readers wait, they never see a half-built index).
 */
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { decodeStatement } from '../evidence/dsse.js';
import { sha256Hex } from '../evidence/hash.js';
import { openLedger } from '../evidence/ledger.js';
import { leafHashBytes } from '../evidence/merkle.js';
import type { DsseEnvelope } from '../evidence/types.js';
import { type EntryRef, rebuildDerived, type WriteResult, writeEntry } from '../store/index-writer.js';
import { type Db, rows, type Store } from '../store/open-store.js';
import { upsertRepository } from '../store/repos.js';
import { INDEX_TABLES } from '../store/schema.js';
import { LOG_APPEND_LOCK, serverLogEntries } from '../store/server-log.js';
import { projectStatement } from './project.js';

/** A local file log the server indexes, and the repository its entries belong to. */
export interface FileLogSource {
  dir: string;
  repo: string;
}

/** The index `source` name of a file log. */
export function fileSourceName(dir: string): string {
  return `file:${resolve(dir)}`;
}

/** Repository name for a log origin: `evident.local/payments` → `payments`. */
export function repoNameFromOrigin(origin: string): string {
  const last = origin.split('/').filter(Boolean).pop() ?? '';
  return last.replace(/[^A-Za-z0-9._-]/g, '-') || 'local';
}

/**
 * Indexes one log entry given its canonical bytes. Entries that are not JSON or not an in-toto statement are
 * indexed as `other` (they still occupy their position, so a later sync does not re-read them).
 */
export async function indexEntryBytes(
  tx: Db,
  at: { source: string; logIdx: number; repoId: number },
  body: Buffer,
  opts: { deferDerived?: boolean } = {},
): Promise<WriteResult> {
  let envelope: DsseEnvelope | undefined;
  try {
    envelope = JSON.parse(body.toString('utf8')) as DsseEnvelope;
  } catch {
    envelope = undefined;
  }
  const statement = envelope ? decodeStatement(envelope) : undefined;
  const envelopeSha256 = sha256Hex(body);
  const ref: EntryRef = {
    ...at,
    envelopeSha256,
    leafHash: leafHashBytes(body).toString('hex'),
    predicateType: statement?.predicateType ?? '',
    keyId: envelope?.signatures?.[0]?.keyid ?? null,
  };
  const projection = statement
    ? projectStatement(statement, envelopeSha256)
    : { kind: 'other' as const, recordedAt: null };
  return writeEntry(tx, ref, projection, opts);
}

/**
 * Indexes the entries of a file log past the last one already indexed, in transactions of `batch` entries.
 * Returns how many entries were read. The repository is created when new (without a key).
 */
export async function syncFileLog(store: Store, src: FileLogSource, batch = 200): Promise<number> {
  const source = fileSourceName(src.dir);
  const ledger = await openLedger(src.dir);
  try {
    const repo = await upsertRepository(store.db, src.repo);
    const last = await rows<{ n: number | null }>(
      store.db,
      sql`select max(log_idx)::int as n from indexed_entries where source = ${source}`,
    );
    let from = (last[0]?.n ?? -1) + 1;
    const start = from;
    while (from < ledger.size) {
      const to = Math.min(ledger.size, from + batch);
      await store.transaction(async (tx) => {
        for (let i = from; i < to; i++) {
          await indexEntryBytes(tx, { source, logIdx: i, repoId: repo.id }, await ledger.rawEntry(i));
        }
      });
      from = to;
    }
    return ledger.size - start;
  } finally {
    await ledger.close();
  }
}

/**
 * Rebuilds the whole index from the server log and the given file logs. Returns counts of what was read.
 * Repositories and everything not derived from a log (users, tokens, alerts) are kept.
 */
export async function reindex(
  store: Store,
  fileLogs: readonly FileLogSource[] = [],
): Promise<{ entries: number; runs: number }> {
  return store.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOG_APPEND_LOCK})`);
    await tx.execute(sql.raw(`truncate table ${INDEX_TABLES.join(', ')} restart identity`));
    const repos = new Set<number>();
    let entries = 0;
    let runCount = 0;
    const count = (r: WriteResult): void => {
      entries++;
      if (r.status === 'indexed' && r.runId !== undefined) runCount++;
    };
    for await (const e of serverLogEntries(tx)) {
      if (e.repoId === null) continue;
      repos.add(e.repoId);
      count(
        await indexEntryBytes(tx, { source: 'server', logIdx: e.idx, repoId: e.repoId }, e.body, {
          deferDerived: true,
        }),
      );
    }
    for (const src of fileLogs) {
      const repo = await upsertRepository(tx, src.repo);
      repos.add(repo.id);
      const ledger = await openLedger(src.dir);
      try {
        const source = fileSourceName(src.dir);
        for (let i = 0; i < ledger.size; i++) {
          count(
            await indexEntryBytes(tx, { source, logIdx: i, repoId: repo.id }, await ledger.rawEntry(i), {
              deferDerived: true,
            }),
          );
        }
      } finally {
        await ledger.close();
      }
    }
    for (const id of repos) await rebuildDerived(tx, id);
    return { entries, runs: runCount };
  });
}

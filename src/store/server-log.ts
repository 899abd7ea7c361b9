/**
 * The server's evidence log, kept in the store so every replica shares one log: the same RFC 9162 tree and C2SP
 * checkpoints as the file log (src/evidence/FORMAT.md), with entries in `log_entries`, complete subtree hashes in
 * `log_nodes` (like `tree/level-KK.bin`) and every checkpoint in `log_checkpoints`.
 *
 * Appends are serialised by a transaction-scoped advisory lock (`pg_advisory_xact_lock`), so N replicas append
 * one at a time and a crash rolls the whole append back (entry, nodes, checkpoint and index rows commit together).
 * {@link exportServerLog} writes the log in the file format, for `evident verify`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { EvidentError } from '../core/errors.js';
import { openBlobStore } from '../evidence/blob-store.js';
import { createCheckpoint } from '../evidence/checkpoint.js';
import type { KeyStore } from '../evidence/keys.js';
import { appendToLedger, readCheckpointFile } from '../evidence/ledger.js';
import { CHECKPOINT_FILE, frontierNodes } from '../evidence/ledger-files.js';
import {
  inclusionPath,
  isPowerOfTwo,
  leafHashBytes,
  nodeHash,
  type RangeHasher,
  rootFromFrontier,
  splitPoint,
} from '../evidence/merkle.js';
import type { DsseEnvelope } from '../evidence/types.js';
import { type Db, rows, type Store } from './open-store.js';
import { blobs, logCheckpoints, logEntries, logNodes } from './schema.js';

/** Advisory lock key serialising appends to the server log ('evlg'). */
export const LOG_APPEND_LOCK = 0x65766c67;

/** The latest checkpoint of the server log (size 0 and text '' when empty). `rootHash` is hex. */
export interface ServerCheckpoint {
  size: number;
  rootHash: string;
  text: string;
  origin: string;
}

const toBuf = (v: Buffer | Uint8Array): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v));

/** Reads the latest checkpoint (inside or outside a transaction). */
export async function latestCheckpoint(db: Db): Promise<ServerCheckpoint> {
  const r = await rows<{ size: string | number; root_hash: string; text: string }>(
    db,
    sql`select size, root_hash, text from log_checkpoints order by size desc limit 1`,
  );
  const row = r[0];
  if (!row) return { size: 0, rootHash: '', text: '', origin: '' };
  return {
    size: Number(row.size),
    rootHash: row.root_hash,
    text: row.text,
    origin: row.text.slice(0, row.text.indexOf('\n')),
  };
}

/**
 * Fetches the hashes of complete subtrees (level, index) in one query: level 0 from `log_entries.leaf_hash`,
 * higher levels from `log_nodes`. Throws E_EVIDENCE when one is missing (the log tables were altered).
 */
async function fetchNodes(db: Db, wanted: { level: number; index: number }[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const leaves = wanted.filter((w) => w.level === 0).map((w) => w.index);
  const inner = wanted.filter((w) => w.level > 0);
  if (leaves.length > 0) {
    const list = sql.join(
      leaves.map((i) => sql`${i}`),
      sql`, `,
    );
    for (const r of await rows<{ idx: string | number; leaf_hash: Uint8Array }>(
      db,
      sql`select idx, leaf_hash from log_entries where idx in (${list})`,
    )) {
      out.set(`0/${Number(r.idx)}`, toBuf(r.leaf_hash));
    }
  }
  if (inner.length > 0) {
    const pairs = sql.join(
      inner.map((w) => sql`(${w.level}::int, ${w.index}::bigint)`),
      sql`, `,
    );
    for (const r of await rows<{ level: number; idx: string | number; hash: Uint8Array }>(
      db,
      sql`select level, idx, hash from log_nodes where (level, idx) in (${pairs})`,
    )) {
      out.set(`${r.level}/${Number(r.idx)}`, toBuf(r.hash));
    }
  }
  for (const w of wanted) {
    if (!out.has(`${w.level}/${w.index}`)) {
      throw new EvidentError(
        'E_EVIDENCE',
        `the server log is damaged: node ${w.level}/${w.index} is missing`,
        {
          hint: 'restore the database from a backup; `evident log export` then `evident verify` shows the damage',
        },
      );
    }
  }
  return out;
}

/** The complete subtrees MTH(D[start:end]) decomposes into (RFC 9162 §2.1.1 split), left to right. */
function subtreesOf(start: number, end: number, out: { level: number; index: number }[]): void {
  const n = end - start;
  if (isPowerOfTwo(n) && start % n === 0) {
    out.push({ level: Math.log2(n), index: start / n });
    return;
  }
  const k = splitPoint(n);
  subtreesOf(start, start + k, out);
  subtreesOf(start + k, end, out);
}

/**
 * A RangeHasher over the stored tree for the given ranges: first collects every complete subtree the ranges
 * need, fetches them in one query, then hashes.
 */
async function hasherFor(db: Db, ranges: [number, number][]): Promise<RangeHasher> {
  const wanted: { level: number; index: number }[] = [];
  for (const [s, e] of ranges) subtreesOf(s, e, wanted);
  const nodes = await fetchNodes(db, wanted);
  const mth: RangeHasher = (start, end) => {
    const n = end - start;
    if (isPowerOfTwo(n) && start % n === 0) return nodes.get(`${Math.log2(n)}/${start / n}`)!;
    const k = splitPoint(n);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth;
}

/** RFC 9162 inclusion proof (hex) of entry `index` in the tree of `treeSize` leaves of the server log. */
export async function serverInclusionProof(db: Db, index: number, treeSize: number): Promise<string[]> {
  if (!(index >= 0 && index < treeSize)) {
    throw new EvidentError('E_EVIDENCE', `no inclusion proof for entry ${index} in tree size ${treeSize}`);
  }
  const ranges: [number, number][] = [];
  inclusionPath(index, treeSize, (s, e) => {
    ranges.push([s, e]);
    return Buffer.alloc(32);
  });
  const mth = await hasherFor(db, ranges);
  return inclusionPath(index, treeSize, mth).map((b) => b.toString('hex'));
}

/** One envelope to append, with the blobs it references (content-addressed, already hash-checked by the caller). */
export interface ServerAppend {
  envelope: DsseEnvelope;
  /** Canonical envelope bytes (what the log stores). */
  body: Buffer;
  envelopeSha256: string;
  runUuid: string | null;
  repoId: number;
  blobs: { sha256: string; bytes: Buffer }[];
}

/** Result of {@link appendServerLog}. `index` is the entry's 0-based position. */
export interface ServerAppendResult {
  status: 'appended' | 'duplicate';
  index: number;
  checkpoint: ServerCheckpoint;
}

/**
 * Appends one entry to the server log inside a transaction holding the append lock, then calls `afterAppend`
 * (the indexer) in the same transaction. An envelope already in the log (same canonical bytes) is a no-op
 * returning `duplicate`; `onReplay` is called (and should throw) when another envelope with the same runId exists.
 * `origin` names a new log; an existing log keeps its own. The checkpoint is signed with `signer` when given.
 */
export async function appendServerLog(
  store: Store,
  item: ServerAppend,
  opts: {
    signer?: KeyStore;
    origin: string;
    afterAppend?: (tx: Db, index: number) => Promise<void>;
    onReplay?: (existingIndex: number) => never;
  },
): Promise<ServerAppendResult> {
  return store.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOG_APPEND_LOCK})`);
    const dup = await rows<{ idx: string | number; envelope_sha256: string }>(
      tx,
      item.runUuid
        ? sql`select idx, envelope_sha256 from log_entries where envelope_sha256 = ${item.envelopeSha256} or run_uuid = ${item.runUuid}`
        : sql`select idx, envelope_sha256 from log_entries where envelope_sha256 = ${item.envelopeSha256}`,
    );
    const cp = await latestCheckpoint(tx);
    const same = dup.find((d) => d.envelope_sha256 === item.envelopeSha256);
    if (same) return { status: 'duplicate', index: Number(same.idx), checkpoint: cp };
    if (dup[0] && opts.onReplay) opts.onReplay(Number(dup[0].idx));
    const size = cp.size;
    const origin = cp.origin || opts.origin;
    // frontier of the current tree, then fold in the new leaf (as appendToLedger does)
    const frontierSpec = frontierNodes(size);
    const nodes = await fetchNodes(tx, frontierSpec);
    const frontier = new Map<number, Buffer>();
    for (const f of frontierSpec) frontier.set(f.level, nodes.get(`${f.level}/${f.index}`)!);
    const leaf = leafHashBytes(item.body);
    const newNodes: { level: number; idx: number; hash: Buffer }[] = [];
    let carry = leaf;
    let k = 0;
    while (Math.floor(size / 2 ** k) % 2 === 1) {
      carry = nodeHash(frontier.get(k)!, carry);
      frontier.delete(k);
      k++;
      newNodes.push({ level: k, idx: Math.floor(size / 2 ** k), hash: carry });
    }
    frontier.set(k, carry);
    const root = rootFromFrontier([...frontier.entries()].sort((a, b) => b[0] - a[0]).map((e) => e[1]));
    const text = await createCheckpoint(origin, size + 1, root, opts.signer);
    for (const b of item.blobs) {
      await tx
        .insert(blobs)
        .values({ sha256: b.sha256, bytes: b.bytes, size: b.bytes.length })
        .onConflictDoNothing();
    }
    await tx.insert(logEntries).values({
      idx: size,
      body: item.body,
      leafHash: leaf,
      envelopeSha256: item.envelopeSha256,
      runUuid: item.runUuid,
      repoId: item.repoId,
    });
    if (newNodes.length > 0) await tx.insert(logNodes).values(newNodes);
    await tx.insert(logCheckpoints).values({ size: size + 1, rootHash: root.toString('hex'), text });
    if (opts.afterAppend) await opts.afterAppend(tx, size);
    return {
      status: 'appended',
      index: size,
      checkpoint: { size: size + 1, rootHash: root.toString('hex'), text, origin },
    };
  });
}

/** Iterates the server log's entries [from, to) in batches (index, canonical bytes, repository id). */
export async function* serverLogEntries(
  db: Db,
  from = 0,
  to = Number.MAX_SAFE_INTEGER,
  batch = 500,
): AsyncGenerator<{ idx: number; body: Buffer; repoId: number | null }> {
  let at = from;
  for (;;) {
    const page = await rows<{ idx: string | number; body: Uint8Array; repo_id: number | null }>(
      db,
      sql`select idx, body, repo_id from log_entries where idx >= ${at} and idx < ${to} order by idx limit ${batch}`,
    );
    for (const r of page) yield { idx: Number(r.idx), body: toBuf(r.body), repoId: r.repo_id };
    if (page.length < batch) return;
    at = Number(page[page.length - 1]!.idx) + 1;
  }
}

/** The bytes of a blob pushed to the server, or undefined. */
export async function serverBlob(db: Db, sha256: string): Promise<Buffer | undefined> {
  const r = await rows<{ bytes: Uint8Array }>(db, sql`select bytes from blobs where sha256 = ${sha256}`);
  return r[0] ? toBuf(r[0].bytes) : undefined;
}

/**
 * Writes the server log, as of its latest checkpoint, to `dir` in the file format (entries.jsonl, index.bin,
 * tree/, checkpoint = the exact signed checkpoint text) and its blobs to `blobDir` (default `<dir>/../blobs`).
 * `dir` must not hold a log yet. Throws E_EVIDENCE when the recomputed root differs from the checkpoint's.
 */
export async function exportServerLog(
  store: Store,
  dir: string,
  blobDir = join(dir, '..', 'blobs'),
): Promise<{ size: number; rootHash: string; blobs: number }> {
  if (readCheckpointFile(dir)) {
    throw new EvidentError('E_USAGE', `${dir} already holds an evidence log`, {
      hint: 'export into a new, empty directory',
    });
  }
  const cp = await latestCheckpoint(store.db);
  mkdirSync(dir, { recursive: true });
  let batch: DsseEnvelope[] = [];
  let last: { rootHash: string; size: number } = { rootHash: '', size: 0 };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const r = await appendToLedger(dir, batch, { origin: cp.origin || 'evident.server/default' });
    last = { rootHash: r.rootHash, size: r.size };
    batch = [];
  };
  for await (const e of serverLogEntries(store.db, 0, cp.size)) {
    batch.push(JSON.parse(e.body.toString('utf8')) as DsseEnvelope);
    if (batch.length >= 500) await flush();
  }
  await flush();
  if (cp.size > 0 && last.rootHash !== cp.rootHash) {
    throw new EvidentError(
      'E_EVIDENCE',
      `exported log root ${last.rootHash} differs from the server checkpoint root ${cp.rootHash}`,
      { hint: 'the stored entries do not match the signed checkpoint: the database was altered' },
    );
  }
  if (cp.size > 0) {
    writeFileSync(join(dir, CHECKPOINT_FILE), cp.text);
  }
  const store2 = openBlobStore(blobDir);
  let count = 0;
  let after = '';
  for (;;) {
    const page = await rows<{ sha256: string; bytes: Uint8Array }>(
      store.db,
      sql`select sha256, bytes from blobs where sha256 > ${after} order by sha256 limit 200`,
    );
    for (const b of page) {
      await store2.put(toBuf(b.bytes));
      count++;
    }
    if (page.length < 200) break;
    after = page[page.length - 1]!.sha256;
  }
  return { size: cp.size, rootHash: cp.rootHash, blobs: count };
}

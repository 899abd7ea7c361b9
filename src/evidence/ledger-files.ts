/**
 * On-disk layout of an evidence log directory (default `.evident/ledger/`):
 *
 * - `entries.jsonl` — one canonical (RFC 8785) DSSE envelope per line, UTF-8, `\n`-terminated, append-only.
 * - `index.bin` — one 48-byte record per entry: offset u64 BE (of the line in entries.jsonl), length u32 BE
 *   (bytes, without the `\n`), kind u8 (0 other, 1 scan run, 2 manual evidence), 3 zero bytes, then the 32-byte
 *   RFC 9162 leaf hash SHA-256(0x00 ‖ line bytes). Append-only.
 * - `tree/level-<k>.bin` (k >= 1) — 32-byte hashes of the complete subtrees of 2^k leaves, in order (node i covers
 *   leaves [i·2^k, (i+1)·2^k)). Append-only; derived from index.bin, lets appends and proofs run in O(log n).
 * - `checkpoint` — the latest C2SP checkpoint (origin, size, root), signed when a key is configured; replaced
 *   atomically (write temp, fsync, rename, fsync dir). **It is the commit point**: the log is exactly its first
 *   `size` entries. Bytes or records beyond that are the debris of an interrupted append and are truncated by
 *   the next writer (readers ignore them).
 * - `ledger.lock` — present while a writer appends (see lock.ts).
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export const ENTRIES_FILE = 'entries.jsonl';
export const INDEX_FILE = 'index.bin';
export const CHECKPOINT_FILE = 'checkpoint';
export const LOCK_FILE = 'ledger.lock';
export const TREE_DIR = 'tree';
export const INDEX_RECORD_SIZE = 48;

/** Entry kinds recorded in index.bin (a hint for fast lookups; verification recomputes it). */
export type EntryKind = 0 | 1 | 2;
export const KIND_OTHER: EntryKind = 0;
export const KIND_SCAN: EntryKind = 1;
export const KIND_MANUAL: EntryKind = 2;

/** Path of the level-k subtree hash file. */
export function levelFile(dir: string, k: number): string {
  return join(dir, TREE_DIR, `level-${String(k).padStart(2, '0')}.bin`);
}

/** One decoded index.bin record. */
export interface IndexRecord {
  offset: number;
  length: number;
  kind: EntryKind;
  leafHash: Buffer;
}

/** Encodes an index record into `buf` at `at`. */
export function encodeIndexRecord(buf: Buffer, at: number, rec: IndexRecord): void {
  buf.writeUInt32BE(Math.floor(rec.offset / 2 ** 32), at);
  buf.writeUInt32BE(rec.offset % 2 ** 32, at + 4);
  buf.writeUInt32BE(rec.length, at + 8);
  buf.writeUInt8(rec.kind, at + 12);
  buf.fill(0, at + 13, at + 16);
  rec.leafHash.copy(buf, at + 16);
}

/** Decodes the index record at `at` of `buf`. */
export function decodeIndexRecord(buf: Buffer, at: number): IndexRecord {
  return {
    offset: buf.readUInt32BE(at) * 2 ** 32 + buf.readUInt32BE(at + 4),
    length: buf.readUInt32BE(at + 8),
    kind: buf.readUInt8(at + 12) as EntryKind,
    leafHash: Buffer.from(buf.subarray(at + 16, at + 48)),
  };
}

/** Reads exactly `length` bytes at `position`; returns fewer only at end of file. */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** Size in bytes of an open file. */
export function fileSize(fd: number): number {
  return fstatSync(fd).size;
}

/** fsyncs a directory so a rename or file creation inside it is durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some platforms cannot fsync directories; the rename is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Number of complete level-k nodes in a tree of `size` leaves: floor(size / 2^k). */
export function nodesAtLevel(size: number, k: number): number {
  return Math.floor(size / 2 ** k);
}

/**
 * The complete subtrees (level, index) of a tree of `size` leaves, largest (leftmost) first: one per set bit of
 * size. Their hashes folded right to left give the root.
 */
export function frontierNodes(size: number): { level: number; index: number }[] {
  const out: { level: number; index: number }[] = [];
  let pos = 0;
  for (let k = 52; k >= 0; k--) {
    const w = 2 ** k;
    if (size - pos >= w) {
      out.push({ level: k, index: pos / w });
      pos += w;
    }
  }
  return out;
}

/**
 * The evidence log: an append-only RFC 9162 Merkle tree of DSSE envelopes with a C2SP checkpoint after every
 * append. File layout and the commit-point invariant are documented in ledger-files.ts.
 *
 * Crash safety: an append writes, in order, the entry lines (fsync), the index records (fsync), the new subtree
 * hashes (fsync), then the new checkpoint via temp file + fsync + rename + directory fsync. Until the rename the
 * old checkpoint stands and the new bytes are ignored by readers and truncated by the next writer; after it,
 * every byte the checkpoint covers is already durable. So a process killed at any instant leaves a log that
 * verifies with every earlier entry intact. Exclusivity: the whole append (recovery included) runs under
 * `ledger.lock` (lock.ts), so concurrent writers serialise and never interleave or lose an entry.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { EvidentError } from '../core/errors.js';
import type { Checkpoint } from './checkpoint.js';
import { createCheckpoint, parseCheckpoint } from './checkpoint.js';
import { decodeStatement, envelopeBytes } from './dsse.js';
import { sha256Hex } from './hash.js';
import type { KeyStore } from './keys.js';
import {
  CHECKPOINT_FILE,
  decodeIndexRecord,
  ENTRIES_FILE,
  type EntryKind,
  encodeIndexRecord,
  fileSize,
  frontierNodes,
  fsyncDir,
  INDEX_FILE,
  INDEX_RECORD_SIZE,
  type IndexRecord,
  KIND_MANUAL,
  KIND_OTHER,
  KIND_SCAN,
  LOCK_FILE,
  levelFile,
  nodesAtLevel,
  readAt,
  TREE_DIR,
} from './ledger-files.js';
import { acquireLock } from './lock.js';
import {
  consistencyPath,
  emptyRoot,
  inclusionPath,
  isPowerOfTwo,
  leafHashBytes,
  nodeHash,
  type RangeHasher,
  rootFromFrontier,
  splitPoint,
} from './merkle.js';
import type { DsseEnvelope, LedgerEntry } from './types.js';
import { MANUAL_EVIDENCE_PREDICATE_TYPE, SCAN_PREDICATE_TYPE } from './types.js';

/** The latest checkpoint of a log. `rootHash` is lowercase hex; `text` is the exact signed note. */
export interface LedgerCheckpoint {
  text: string;
  origin: string;
  size: number;
  rootHash: string;
}

/**
 * A read-only snapshot of a log at the size of its checkpoint when opened. Later appends by other processes are
 * not visible (open it again). Methods throw EvidentError(E_EVIDENCE) for out-of-range indices or a damaged log.
 */
export interface Ledger {
  readonly dir: string;
  /** Number of committed entries (the checkpoint's tree size). */
  readonly size: number;
  /** The log origin (checkpoint first line); '' for an empty log without a checkpoint. */
  readonly origin: string;
  get(index: number): Promise<LedgerEntry>;
  /** The exact stored bytes of entry `index` (its canonical envelope, without the newline). */
  rawEntry(index: number): Promise<Buffer>;
  /** Entry kind hint from index.bin: 0 other, 1 scan run, 2 manual evidence. */
  kindOf(index: number): EntryKind;
  /**
   * Index of the last entry before `before` (default size) whose kind hint is `kind`, or -1. Reads index.bin
   * backwards in 1 MiB chunks (fast on million-entry logs).
   */
  lastIndexOfKind(kind: EntryKind, before?: number): number;
  /** Entries [from, to) in order. */
  entries(from?: number, to?: number): AsyncIterable<LedgerEntry>;
  /** The checkpoint this snapshot was opened at (an empty log has size 0, the empty root and text ''). */
  checkpoint(): Promise<LedgerCheckpoint>;
  /** RFC 9162 inclusion proof (hex hashes) of entry `index` in the tree of `treeSize` (index < treeSize <= size). */
  inclusionProof(index: number, treeSize: number): Promise<string[]>;
  /** RFC 9162 consistency proof (hex) from tree size m to n, 0 < m <= n <= size. */
  consistencyProof(m: number, n: number): Promise<string[]>;
  /** MTH of the first `n` entries (hex), n <= size, computed from stored subtree hashes in O(log n). */
  rootAt(n: number): Promise<string>;
  close(): Promise<void>;
}

/** Reads and parses `<dir>/checkpoint`; undefined when absent. Throws EvidentError(E_EVIDENCE) if malformed. */
export function readCheckpointFile(dir: string): Checkpoint | undefined {
  const path = join(dir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EvidentError('E_IO', `cannot read ${path}: ${(err as Error).message}`, { file: path });
  }
  try {
    return parseCheckpoint(text);
  } catch (err) {
    throw new EvidentError('E_EVIDENCE', `${path}: ${(err as Error).message}`, {
      file: path,
      hint: 'the checkpoint was damaged or edited; restore it from a backup or an auditor bundle',
    });
  }
}

class NodeReader {
  private readonly fds = new Map<number, number>();
  constructor(
    private readonly dir: string,
    private readonly indexFd: number,
  ) {}

  /** Hash of complete node (level, index). Level 0 = leaf hashes from index.bin. */
  node(level: number, index: number): Buffer {
    if (level === 0) {
      const b = readAt(this.indexFd, index * INDEX_RECORD_SIZE + 16, 32);
      if (b.length !== 32) throw damaged(this.dir, `index.bin has no record ${index}`);
      return b;
    }
    let fd = this.fds.get(level);
    if (fd === undefined) {
      try {
        fd = openSync(levelFile(this.dir, level), 'r');
      } catch {
        throw damaged(this.dir, `subtree file for level ${level} is missing`);
      }
      this.fds.set(level, fd);
    }
    const b = readAt(fd, index * 32, 32);
    if (b.length !== 32) throw damaged(this.dir, `subtree file for level ${level} has no node ${index}`);
    return b;
  }

  /** MTH(D[start:end]) using stored complete subtrees. */
  readonly mth: RangeHasher = (start, end) => {
    const n = end - start;
    if (isPowerOfTwo(n) && start % n === 0) return this.node(Math.log2(n), start / n);
    const k = splitPoint(n);
    return nodeHash(this.mth(start, start + k), this.mth(start + k, end));
  };

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

function damaged(dir: string, what: string): EvidentError {
  return new EvidentError('E_EVIDENCE', `evidence log ${dir} is damaged: ${what}`, {
    hint: 'run `evident verify` on the log to see what changed; restore the log from a backup or bundle',
  });
}

/**
 * Opens the log in `dir` read-only at its current checkpoint. A directory without a checkpoint is an empty log.
 * Throws EvidentError(E_EVIDENCE) when `dir` does not exist or the checkpoint is malformed.
 */
export async function openLedger(dir: string): Promise<Ledger> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EvidentError('E_EVIDENCE', `no evidence log at ${dir}`, {
      hint: 'run `evident scan` (which records evidence) or pass the log directory (default .evident/ledger)',
    });
  }
  const cp = readCheckpointFile(dir);
  const size = cp?.size ?? 0;
  const open = (name: string): number | undefined => {
    try {
      return openSync(join(dir, name), 'r');
    } catch {
      if (size > 0) throw damaged(dir, `${name} is missing but the checkpoint commits to ${size} entries`);
      return undefined;
    }
  };
  const entriesFd = open(ENTRIES_FILE);
  const indexFd = open(INDEX_FILE);
  if (indexFd !== undefined && fileSize(indexFd) < size * INDEX_RECORD_SIZE) {
    throw damaged(
      dir,
      `index.bin holds ${Math.floor(fileSize(indexFd) / INDEX_RECORD_SIZE)} records, checkpoint commits to ${size}`,
    );
  }
  const reader = indexFd === undefined ? undefined : new NodeReader(dir, indexFd);
  const checkIndex = (i: number): void => {
    if (!Number.isSafeInteger(i) || i < 0 || i >= size) {
      throw new EvidentError(
        'E_EVIDENCE',
        `entry ${i} is out of range: the log ${dir} has ${size} entries`,
        {},
      );
    }
  };
  const record = (i: number): IndexRecord => {
    checkIndex(i);
    const b = readAt(indexFd!, i * INDEX_RECORD_SIZE, INDEX_RECORD_SIZE);
    return decodeIndexRecord(b, 0);
  };
  const raw = (i: number): Buffer => {
    const rec = record(i);
    const b = readAt(entriesFd!, rec.offset, rec.length);
    if (b.length !== rec.length) throw damaged(dir, `entries.jsonl ends inside entry ${i}`);
    return b;
  };
  const entry = (i: number): LedgerEntry => {
    const bytes = raw(i);
    let envelope: DsseEnvelope;
    try {
      envelope = JSON.parse(bytes.toString('utf8')) as DsseEnvelope;
    } catch {
      throw damaged(dir, `entry ${i} is not valid JSON`);
    }
    const statement = decodeStatement(envelope);
    if (!statement) throw damaged(dir, `entry ${i} does not hold an in-toto statement`);
    return { index: i, leafHash: leafHashBytes(bytes).toString('hex'), envelope, statement };
  };
  const rootAt = (n: number): Buffer => (n === 0 ? emptyRoot() : reader!.mth(0, n));
  return {
    dir,
    size,
    origin: cp?.origin ?? '',
    async get(i) {
      return entry(i);
    },
    async rawEntry(i) {
      return raw(i);
    },
    kindOf(i) {
      return record(i).kind;
    },
    lastIndexOfKind(kind, before = size) {
      const per = Math.floor((1024 * 1024) / INDEX_RECORD_SIZE);
      let hi = Math.min(before, size);
      while (hi > 0) {
        const lo = Math.max(0, hi - per);
        const buf = readAt(indexFd!, lo * INDEX_RECORD_SIZE, (hi - lo) * INDEX_RECORD_SIZE);
        for (let i = hi - 1; i >= lo; i--) {
          const at = (i - lo) * INDEX_RECORD_SIZE + 12;
          if (at < buf.length && buf[at] === kind) return i;
        }
        hi = lo;
      }
      return -1;
    },
    async *entries(from = 0, to = size) {
      for (let i = Math.max(0, from); i < Math.min(to, size); i++) yield entry(i);
    },
    async checkpoint() {
      return cp
        ? { text: cp.text, origin: cp.origin, size: cp.size, rootHash: cp.rootHash }
        : { text: '', origin: '', size: 0, rootHash: emptyRoot().toString('hex') };
    },
    async inclusionProof(index, treeSize) {
      if (!(treeSize <= size && index < treeSize && index >= 0)) {
        throw new EvidentError(
          'E_EVIDENCE',
          `no inclusion proof for entry ${index} in tree size ${treeSize} (log size ${size})`,
          {},
        );
      }
      return inclusionPath(index, treeSize, reader!.mth).map((b) => b.toString('hex'));
    },
    async consistencyProof(m, n) {
      if (!(m >= 1 && m <= n && n <= size)) {
        throw new EvidentError(
          'E_EVIDENCE',
          `no consistency proof from size ${m} to ${n} (log size ${size})`,
          {},
        );
      }
      return consistencyPath(m, n, reader!.mth).map((b) => b.toString('hex'));
    },
    async rootAt(n) {
      if (!(n >= 0 && n <= size))
        throw new EvidentError('E_EVIDENCE', `no root for size ${n} (log size ${size})`, {});
      return rootAt(n).toString('hex');
    },
    async close() {
      reader?.close();
      if (entriesFd !== undefined) closeSync(entriesFd);
      if (indexFd !== undefined) closeSync(indexFd);
    },
  };
}

/** Result of an append: indices are 0-based; `checkpoint` is the new checkpoint text. */
export interface AppendResult {
  firstIndex: number;
  size: number;
  rootHash: string;
  checkpoint: string;
  /** Per appended envelope: hex leaf hash and hex sha256 of the stored canonical bytes. */
  leafHashes: string[];
  envelopeSha256: string[];
}

/** Default origin for a new log: `evident.local/<name of the directory holding .evident>`. */
export function defaultOrigin(ledgerDir: string): string {
  const abs = resolve(ledgerDir);
  const parent = basename(resolve(abs, '..')) === '.evident' ? resolve(abs, '..', '..') : resolve(abs, '..');
  const name = basename(parent).replace(/[^A-Za-z0-9._-]/g, '-') || 'log';
  return `evident.local/${name}`;
}

function kindOf(env: DsseEnvelope): EntryKind {
  const t = decodeStatement(env)?.predicateType;
  return t === SCAN_PREDICATE_TYPE
    ? KIND_SCAN
    : t === MANUAL_EVIDENCE_PREDICATE_TYPE
      ? KIND_MANUAL
      : KIND_OTHER;
}

function openRw(path: string): number {
  return openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
}

function writeAll(fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
}

/**
 * Appends envelopes (one batch, one checkpoint) to the log in `dir`, creating it when absent. Holds the lock for
 * the whole operation, first recovering any interrupted append (see module doc). The checkpoint is signed with
 * `signer` when given, otherwise unsigned. `origin` applies only when the log is created (an existing log keeps
 * its origin); default {@link defaultOrigin}. Throws EvidentError(E_EVIDENCE) when the committed part of the log is
 * damaged (it refuses to extend a log it cannot vouch for), E_IO on file-system errors.
 */
export async function appendToLedger(
  dir: string,
  envelopes: readonly DsseEnvelope[],
  opts: { signer?: KeyStore; origin?: string; lockTimeoutMs?: number } = {},
): Promise<AppendResult> {
  mkdirSync(join(dir, TREE_DIR), { recursive: true });
  const lock = await acquireLock(join(dir, LOCK_FILE), opts.lockTimeoutMs);
  const fds: number[] = [];
  try {
    const cp = readCheckpointFile(dir);
    const origin = cp?.origin ?? opts.origin ?? defaultOrigin(dir);
    const size = cp?.size ?? 0;
    const entriesFd = openRw(join(dir, ENTRIES_FILE));
    fds.push(entriesFd);
    const indexFd = openRw(join(dir, INDEX_FILE));
    fds.push(indexFd);

    // --- recovery: cut everything beyond the committed size ---
    const indexLen = fileSize(indexFd);
    if (indexLen < size * INDEX_RECORD_SIZE) {
      throw damaged(
        dir,
        `index.bin holds ${Math.floor(indexLen / INDEX_RECORD_SIZE)} records, checkpoint commits to ${size}`,
      );
    }
    if (indexLen > size * INDEX_RECORD_SIZE) ftruncateSync(indexFd, size * INDEX_RECORD_SIZE);
    let entriesEnd = 0;
    if (size > 0) {
      const last = decodeIndexRecord(readAt(indexFd, (size - 1) * INDEX_RECORD_SIZE, INDEX_RECORD_SIZE), 0);
      entriesEnd = last.offset + last.length + 1;
    }
    const entriesLen = fileSize(entriesFd);
    if (entriesLen < entriesEnd)
      throw damaged(dir, `entries.jsonl is ${entriesLen} bytes, index needs ${entriesEnd}`);
    if (entriesLen > entriesEnd) ftruncateSync(entriesFd, entriesEnd);
    const reader = new NodeReader(dir, indexFd);
    const levelFds = new Map<number, number>();
    const levelFd = (k: number): number => {
      let fd = levelFds.get(k);
      if (fd === undefined) {
        fd = openRw(levelFile(dir, k));
        levelFds.set(k, fd);
        fds.push(fd);
      }
      return fd;
    };
    for (let k = 1; ; k++) {
      const need = nodesAtLevel(size, k);
      if (need === 0 && !existsSync(levelFile(dir, k))) break;
      const fd = levelFd(k);
      const have = Math.floor(fileSize(fd) / 32);
      if (fileSize(fd) !== have * 32 || have > need) ftruncateSync(fd, Math.min(have, need) * 32);
      for (let i = have; i < need; i++) {
        // roll forward a subtree hash that was not written before the crash (deterministic from level k-1)
        writeAll(fd, nodeHash(reader.node(k - 1, 2 * i), reader.node(k - 1, 2 * i + 1)), i * 32);
      }
      if (need === 0) break;
    }
    for (const f of readdirSync(dir)) if (f.startsWith(`${CHECKPOINT_FILE}.tmp-`)) unlinkSync(join(dir, f));

    // --- frontier and sanity check against the checkpoint (O(log n)) ---
    const frontier = new Map<number, Buffer>();
    for (const n of frontierNodes(size)) frontier.set(n.level, reader.node(n.level, n.index));
    reader.close();
    const oldRoot = rootFromFrontier([...frontier.entries()].sort((a, b) => b[0] - a[0]).map((e) => e[1]));
    if (cp && oldRoot.toString('hex') !== cp.rootHash) {
      throw damaged(
        dir,
        `the stored tree (root ${oldRoot.toString('hex')}) does not match the checkpoint root ${cp.rootHash}`,
      );
    }

    // --- build the new bytes ---
    const lines: Buffer[] = [];
    const index = Buffer.alloc(envelopes.length * INDEX_RECORD_SIZE);
    const newNodes = new Map<number, Buffer[]>();
    const leafHashes: string[] = [];
    const envelopeSha256: string[] = [];
    let n = size;
    let offset = entriesEnd;
    envelopes.forEach((env, j) => {
      const bytes = envelopeBytes(env);
      if (bytes.includes(0x0a))
        throw new EvidentError('E_INTERNAL', 'canonical envelope contains a newline', {});
      const leaf = leafHashBytes(bytes);
      leafHashes.push(leaf.toString('hex'));
      envelopeSha256.push(sha256Hex(bytes));
      encodeIndexRecord(index, j * INDEX_RECORD_SIZE, {
        offset,
        length: bytes.length,
        kind: kindOf(env),
        leafHash: leaf,
      });
      lines.push(bytes, NEWLINE);
      offset += bytes.length + 1;
      let carry = leaf;
      let k = 0;
      while (Math.floor(n / 2 ** k) % 2 === 1) {
        carry = nodeHash(frontier.get(k)!, carry);
        frontier.delete(k);
        k++;
        const list = newNodes.get(k) ?? [];
        list.push(carry);
        newNodes.set(k, list);
      }
      frontier.set(k, carry);
      n++;
    });

    // --- write in commit order: entries, index, subtree hashes, then the checkpoint ---
    writeAll(entriesFd, Buffer.concat(lines), entriesEnd);
    fsyncSync(entriesFd);
    writeAll(indexFd, index, size * INDEX_RECORD_SIZE);
    fsyncSync(indexFd);
    for (const [k, nodes] of newNodes) {
      const fd = levelFd(k);
      writeAll(fd, Buffer.concat(nodes), nodesAtLevel(size, k) * 32);
      fsyncSync(fd);
    }
    const root = rootFromFrontier([...frontier.entries()].sort((a, b) => b[0] - a[0]).map((e) => e[1]));
    const text = await createCheckpoint(origin, n, root, opts.signer);
    const tmp = join(dir, `${CHECKPOINT_FILE}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    const tfd = openSync(tmp, 'wx', 0o644);
    try {
      writeAll(tfd, Buffer.from(text, 'utf8'), 0);
      fsyncSync(tfd);
    } finally {
      closeSync(tfd);
    }
    renameSync(tmp, join(dir, CHECKPOINT_FILE));
    fsyncDir(dir);
    return {
      firstIndex: size,
      size: n,
      rootHash: root.toString('hex'),
      checkpoint: text,
      leafHashes,
      envelopeSha256,
    };
  } finally {
    for (const fd of fds) closeSync(fd);
    lock.release();
  }
}

const NEWLINE = Buffer.from('\n');

/**
 * Full verification of an evidence log directory (`evident verify LOG --key PUB`): every DSSE signature against
 * the pinned key, the Merkle root recomputed from the stored entry bytes against the signed checkpoint, the
 * checkpoint signature, index.bin and the subtree cache against the entries, every blob referenced by an entry
 * re-hashed, and optionally (`since`) a consistency proof from an earlier checkpoint. Never trusts a key or hash
 * found inside the log. Each failure says what and where (entry index, file, byte offset).
 */
import { verify as cryptoVerify } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from './checkpoint.js';
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { isDsseEnvelope, type PinnedKey, paeFromBase64, pinKey } from './dsse.js';
import { isSha256Hex, sha256Hex } from './hash.js';
import { readCheckpointFile } from './ledger.js';
import {
  CHECKPOINT_FILE,
  decodeIndexRecord,
  ENTRIES_FILE,
  INDEX_FILE,
  INDEX_RECORD_SIZE,
  KIND_MANUAL,
  KIND_OTHER,
  KIND_SCAN,
  levelFile,
} from './ledger-files.js';
import {
  consistencyPath,
  leafHashBytes,
  nodeHash,
  rangeHasherFromLeaves,
  rootFromFrontier,
  verifyConsistencyBytes,
} from './merkle.js';
import { defaultBlobDir } from './record-scan.js';
import type { VerifyCheck, VerifyReport } from './types.js';
import { MANUAL_EVIDENCE_PREDICATE_TYPE, SCAN_PREDICATE_TYPE } from './types.js';

/** Options of {@link verifyLog}. */
export interface VerifyLogOptions {
  /** PEM SPKI public key to pin. Without it signatures cannot be checked, which fails unless `allowUnsigned`. */
  publicKeyPem?: string;
  /** Accept unsigned entries and an unsigned checkpoint (reported, not failed). */
  allowUnsigned?: boolean;
  /**
   * More PEM public keys accepted for entry signatures only (never for the checkpoint): a server log holds the
   * envelopes each repository's CI signed, under checkpoints the server signs (`evident verify --entry-key`).
   */
  entryKeys?: string[];
  /** Blob store directory (default: sibling `blobs/` of the log), or false to skip blob checks. */
  blobDir?: string | false;
  /** Text of an earlier checkpoint: prove by a consistency proof that the log extends it. */
  sinceCheckpoint?: string;
  /** How many failure lines to report per check before summarising (default 10). */
  maxDetailsPerCheck?: number;
}

class Collector {
  private readonly failures = new Map<string, { details: string[]; count: number }>();
  private readonly oks = new Map<string, string>();
  private readonly order: string[] = [];
  constructor(private readonly max: number) {}

  private touch(name: string): void {
    if (!this.order.includes(name)) this.order.push(name);
  }
  fail(name: string, detail: string): void {
    this.touch(name);
    let f = this.failures.get(name);
    if (!f) {
      f = { details: [], count: 0 };
      this.failures.set(name, f);
    }
    f.count++;
    if (f.details.length < this.max) f.details.push(detail);
  }
  ok(name: string, detail: string): void {
    this.touch(name);
    this.oks.set(name, detail);
  }
  failed(name: string): boolean {
    return this.failures.has(name);
  }
  checks(): VerifyCheck[] {
    const out: VerifyCheck[] = [];
    for (const name of this.order) {
      const f = this.failures.get(name);
      if (f) {
        for (const d of f.details) out.push({ name, ok: false, detail: d });
        if (f.count > f.details.length) {
          out.push({ name, ok: false, detail: `… and ${f.count - f.details.length} more ${name} failures` });
        }
      } else {
        out.push({ name, ok: true, detail: this.oks.get(name) ?? 'ok' });
      }
    }
    return out;
  }
}

/** Iterates `\n`-terminated lines of a file in large chunks; a final unterminated fragment is `complete: false`. */
function* fileLines(path: string): Generator<{ bytes: Buffer; offset: number; complete: boolean }> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
    let carry: Buffer = Buffer.alloc(0);
    let carryOffset = 0;
    let pos = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) break;
      pos += n;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = data.indexOf(0x0a, start);
        if (nl < 0) break;
        // a view: valid until the next read, and callers do not keep it
        yield { bytes: data.subarray(start, nl), offset: carryOffset + start, complete: true };
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      carryOffset += start;
    }
    if (carry.length > 0) yield { bytes: carry, offset: carryOffset, complete: false };
  } finally {
    closeSync(fd);
  }
}

/** Compares the stored level-k subtree hashes with the recomputed ones (`level`: concatenated 32-byte hashes). */
function compareLevel(c: Collector, dir: string, k: number, level: Buffer): void {
  const count = level.length / 32;
  let stored: Buffer;
  try {
    stored = readFileSync(levelFile(dir, k));
  } catch {
    c.fail('tree-cache', `${levelFile(dir, k)} is missing`);
    return;
  }
  if (stored.length < level.length) {
    c.fail(
      'tree-cache',
      `${levelFile(dir, k)} holds ${Math.floor(stored.length / 32)} nodes, needs ${count}`,
    );
    return;
  }
  if (stored.compare(level, 0, level.length, 0, level.length) === 0) return;
  for (let j = 0; j < count; j++) {
    if (stored.compare(level, j * 32, j * 32 + 32, j * 32, j * 32 + 32) !== 0) {
      c.fail(
        'tree-cache',
        `${levelFile(dir, k)} node ${j} (byte ${j * 32}) differs from the hash recomputed from the entries`,
      );
    }
  }
}

/** Leaf hashes in one growing buffer (no per-entry objects kept alive: keeps GC cheap on large logs). */
class LeafHashes {
  private buf: Buffer;
  length = 0;
  constructor(expected: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1, expected) * 32);
  }
  push(hash: Buffer): void {
    if ((this.length + 1) * 32 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.length * 32);
      this.buf = bigger;
    }
    hash.copy(this.buf, this.length * 32);
    this.length++;
  }
  at(i: number): Buffer {
    return this.buf.subarray(i * 32, i * 32 + 32);
  }
  flat(): Buffer {
    return this.buf.subarray(0, this.length * 32);
  }
  views(): Buffer[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }
  /** Pairs [first, duplicate] of entry numbers with identical leaf hashes. */
  duplicates(): [number, number][] {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i++) order[i] = i;
    const b = this.buf;
    order.sort((x, y) => b.compare(b, x * 32, x * 32 + 32, y * 32, y * 32 + 32) || x - y);
    const out: [number, number][] = [];
    for (let t = 1; t < order.length; t++) {
      const x = order[t - 1]!;
      const y = order[t]!;
      if (b.compare(b, x * 32, x * 32 + 32, y * 32, y * 32 + 32) === 0) out.push([x, y]);
    }
    return out;
  }
}

const short = (hex: string): string => `${hex.slice(0, 12)}…`;

/**
 * Verifies the log in `dir` (see module doc). Never throws for a damaged log: every problem becomes a failing
 * check. Throws EvidentError only for unusable options (a malformed pinned key).
 */
export async function verifyLog(dir: string, opts: VerifyLogOptions = {}): Promise<VerifyReport> {
  const c = new Collector(opts.maxDetailsPerCheck ?? 10);
  const pinned: PinnedKey | undefined = opts.publicKeyPem ? pinKey(opts.publicKeyPem) : undefined;
  const entryPins = new Map<string, PinnedKey>();
  if (pinned) entryPins.set(pinned.keyId, pinned);
  for (const pem of opts.entryKeys ?? []) {
    const k = pinKey(pem);
    entryPins.set(k.keyId, k);
  }
  const keyNames = [...entryPins.keys()].join(', ');
  const report = (entries: number, unsigned: number): VerifyReport => {
    const checks = c.checks();
    return { target: dir, ok: checks.every((k) => k.ok), checks, entries, unsigned };
  };
  if (!existsSync(dir)) {
    c.fail('log', `no evidence log at ${dir}`);
    return report(0, 0);
  }

  // --- checkpoint ---
  let cp: Checkpoint | undefined;
  try {
    cp = readCheckpointFile(dir);
    if (!cp)
      c.fail('checkpoint', `${join(dir, CHECKPOINT_FILE)} is missing: nothing commits to the log contents`);
  } catch (err) {
    c.fail('checkpoint', (err as Error).message);
  }
  if (cp) {
    c.ok('checkpoint', `origin ${cp.origin}, tree size ${cp.size}, root ${short(cp.rootHash)}`);
    if (cp.signatures.length === 0) {
      if (opts.allowUnsigned)
        c.ok(
          'checkpoint-signature',
          `checkpoint (size ${cp.size}) is UNSIGNED (allowed by --allow-unsigned)`,
        );
      else
        c.fail(
          'checkpoint-signature',
          `checkpoint (size ${cp.size}) is unsigned (pass --allow-unsigned to accept unsigned evidence)`,
        );
    } else if (pinned) {
      const v = verifyCheckpoint(cp.text, pinned);
      if (v.ok) c.ok(v.name, v.detail);
      else c.fail(v.name, `${CHECKPOINT_FILE}: ${v.detail}`);
    } else {
      c.fail(
        'checkpoint-signature',
        'no public key given: the checkpoint signature cannot be checked (pass --key)',
      );
    }
  }
  const size = cp?.size;

  // --- index.bin ---
  let index: Buffer | undefined;
  try {
    index = readFileSync(join(dir, INDEX_FILE));
  } catch {
    if ((size ?? 0) > 0) c.fail('index', `${INDEX_FILE} is missing`);
  }
  if (index && size !== undefined && index.length < size * INDEX_RECORD_SIZE) {
    c.fail(
      'index',
      `${INDEX_FILE} holds ${Math.floor(index.length / INDEX_RECORD_SIZE)} records, the checkpoint commits to ${size} (index truncated)`,
    );
  }

  // --- entries ---
  const leaves = new LeafHashes(cp?.size ?? 1024);
  const blobRefs = new Map<string, string>();
  let unsigned = 0;
  let signedOk = 0;
  let tailBytes = 0;
  let count = 0;
  const collectBlobs = opts.blobDir !== false;
  const entriesPath = join(dir, ENTRIES_FILE);
  const hasEntries = existsSync(entriesPath);
  if (!hasEntries && (size ?? 0) > 0) c.fail('entries', `${ENTRIES_FILE} is missing`);
  if (hasEntries) {
    for (const line of fileLines(entriesPath)) {
      const i = count;
      if (!line.complete || (size !== undefined && i >= size)) {
        tailBytes += line.bytes.length + (line.complete ? 1 : 0);
        continue;
      }
      count++;
      const where = `entry ${i} (${ENTRIES_FILE} line ${i + 1}, byte ${line.offset})`;
      const leaf = leafHashBytes(line.bytes);
      leaves.push(leaf);

      let expectedKind = KIND_OTHER;
      let env: unknown;
      try {
        env = JSON.parse(line.bytes.toString('utf8'));
      } catch {
        c.fail('entries', `${where} is not valid JSON (bytes modified)`);
      }
      if (env !== undefined && !isDsseEnvelope(env)) c.fail('entries', `${where} is not a DSSE envelope`);
      else if (env !== undefined) {
        const { message, payload } = paeFromBase64(env.payloadType, env.payload);
        if (env.signatures.length === 0) {
          unsigned++;
          if (!opts.allowUnsigned)
            c.fail('signature', `${where} is unsigned (pass --allow-unsigned to accept unsigned evidence)`);
        } else if (pinned) {
          const sig = env.signatures.find(
            (s) => s.keyid === undefined || s.keyid === '' || entryPins.has(s.keyid),
          );
          if (!sig) {
            c.fail(
              'signature',
              `${where} is signed by key ${env.signatures.map((s) => s.keyid).join(', ')}, but the pinned key is ${keyNames}`,
            );
          } else {
            const key = (sig.keyid ? entryPins.get(sig.keyid) : undefined) ?? pinned;
            const sigBytes = Buffer.from(sig.sig, 'base64');
            if (sigBytes.length === 64 && cryptoVerify(null, message, key.key, sigBytes)) signedOk++;
            else
              c.fail(
                'signature',
                `${where}: signature does not verify with the pinned key ${key.keyId} (payload or signature modified)`,
              );
          }
        } else {
          c.fail('signature', `${where} is signed but no public key was given to check it (pass --key)`);
        }
        let st: { predicateType?: unknown; subject?: unknown; predicate?: unknown } | undefined;
        try {
          st = JSON.parse(payload.toString('utf8'));
        } catch {
          c.fail('entries', `${where}: payload is not valid JSON`);
        }
        if (st && typeof st === 'object') {
          expectedKind =
            st.predicateType === SCAN_PREDICATE_TYPE
              ? KIND_SCAN
              : st.predicateType === MANUAL_EVIDENCE_PREDICATE_TYPE
                ? KIND_MANUAL
                : KIND_OTHER;
        }
        if (st && typeof st === 'object' && collectBlobs) {
          const pred = (st.predicate ?? {}) as { resultBlob?: unknown; unstoredSubjects?: unknown };
          const unstored = new Set(Array.isArray(pred.unstoredSubjects) ? pred.unstoredSubjects : []);
          if (Array.isArray(st.subject)) {
            for (const s of st.subject as { name?: unknown; digest?: { sha256?: unknown } }[]) {
              const d = s?.digest?.sha256;
              if (isSha256Hex(d) && !unstored.has(s.name) && !blobRefs.has(d))
                blobRefs.set(d, `subject ${String(s.name)} of entry ${i}`);
            }
          }
          if (isSha256Hex(pred.resultBlob) && !blobRefs.has(pred.resultBlob))
            blobRefs.set(pred.resultBlob, `scan result of entry ${i}`);
        }
      }
      if (index && index.length >= (i + 1) * INDEX_RECORD_SIZE) {
        const at = i * INDEX_RECORD_SIZE;
        const offset = index.readUInt32BE(at) * 2 ** 32 + index.readUInt32BE(at + 4);
        const length = index.readUInt32BE(at + 8);
        const kind = index[at + 12];
        if (offset !== line.offset || length !== line.bytes.length) {
          c.fail(
            'index',
            `${INDEX_FILE} record ${i} points at byte ${offset} (+${length}) but ${where} is at byte ${line.offset} (+${line.bytes.length}): entries were inserted, removed or resized`,
          );
        } else if (index.compare(leaf, 0, 32, at + 16, at + 48) !== 0) {
          c.fail(
            'index',
            `${INDEX_FILE} record ${i} leaf hash ${short(index.toString('hex', at + 16, at + 48))} differs from the hash of ${where} ${short(leaf.toString('hex'))}`,
          );
        } else if (kind !== expectedKind) {
          c.fail('index', `${INDEX_FILE} record ${i} has kind ${kind}, ${where} is kind ${expectedKind}`);
        } else if (index.readUIntBE(at + 13, 3) !== 0) {
          c.fail(
            'index',
            `${INDEX_FILE} record ${i}: reserved bytes ${at + 13}..${at + 15} are not zero (file modified)`,
          );
        }
      }
    }
  }
  const committed = size ?? count;
  if (size !== undefined && count < size) {
    c.fail(
      'entries',
      `log truncated: ${ENTRIES_FILE} holds ${count} complete entries but the checkpoint commits to ${size} (entries ${count}..${size - 1} removed)`,
    );
  }
  if (!c.failed('index')) c.ok('index', `${INDEX_FILE} matches all ${count} entries`);
  if (!c.failed('signature')) {
    c.ok(
      'signature',
      pinned
        ? `${signedOk} entries signed by pinned key${entryPins.size > 1 ? 's' : ''} ${keyNames}${unsigned ? `, ${unsigned} UNSIGNED (allowed)` : ''}`
        : `${unsigned} UNSIGNED entries (allowed); no key given`,
    );
  }
  if (tailBytes > 0) {
    c.ok(
      'tail',
      `${tailBytes} bytes after entry ${committed - 1} are not covered by the checkpoint (an interrupted append; ignored, the next append discards them)`,
    );
  }

  // --- duplicates: sort entry numbers by leaf hash; equal neighbours are byte-identical entries ---
  for (const [first, dup] of leaves.duplicates()) {
    c.fail(
      'entries',
      `entry ${dup} (${ENTRIES_FILE} line ${dup + 1}) is a byte-identical duplicate of entry ${first}`,
    );
  }
  if (!c.failed('entries')) c.ok('entries', `${count} entries parsed, no duplicates`);

  // --- Merkle root and subtree cache, in one bottom-up pass (n - 1 node hashes) ---
  // The frontier (one complete subtree per set bit of the size) is the last node of every odd-length level.
  const frontier: Buffer[] = [];
  const checkCache = leaves.length === committed;
  let level = leaves.flat();
  let levelLen = leaves.length;
  for (let k = 0; levelLen > 0; k++) {
    if (levelLen % 2 === 1) frontier.unshift(Buffer.from(level.subarray((levelLen - 1) * 32, levelLen * 32)));
    if (levelLen === 1) break;
    const nextLen = Math.floor(levelLen / 2);
    const next = Buffer.allocUnsafe(nextLen * 32);
    for (let j = 0; j < nextLen; j++) {
      nodeHash(level.subarray(64 * j, 64 * j + 32), level.subarray(64 * j + 32, 64 * j + 64)).copy(
        next,
        32 * j,
      );
    }
    level = next;
    levelLen = nextLen;
    if (checkCache) compareLevel(c, dir, k + 1, next);
  }
  if (checkCache && !c.failed('tree-cache')) c.ok('tree-cache', 'stored subtree hashes match the entries');
  const root = rootFromFrontier(frontier);
  if (cp) {
    if (root.toString('hex') === cp.rootHash && count === cp.size) {
      c.ok(
        'merkle-root',
        `recomputed root of ${count} entries matches the checkpoint (${short(cp.rootHash)})`,
      );
    } else {
      let where = '';
      if (index) {
        for (let i = 0; i < leaves.length && i * INDEX_RECORD_SIZE + 48 <= index.length; i++) {
          if (!decodeIndexRecord(index, i * INDEX_RECORD_SIZE).leafHash.equals(leaves.at(i))) {
            where = `; first differing entry: ${i}`;
            break;
          }
        }
      }
      c.fail(
        'merkle-root',
        `recomputed root ${short(root.toString('hex'))} over ${count} entries does not match the checkpoint root ${short(cp.rootHash)} at size ${cp.size}: entries were modified, removed, reordered or inserted${where}`,
      );
    }
  }

  // --- blobs ---
  if (opts.blobDir !== false) {
    const blobDir = opts.blobDir ?? defaultBlobDir(dir);
    let checked = 0;
    for (const [digest, what] of blobRefs) {
      const path = join(blobDir, 'sha256', digest);
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        c.fail('blob-digest', `blob sha256:${short(digest)} (${what}) is missing from ${blobDir}`);
        continue;
      }
      const got = sha256Hex(bytes);
      if (got !== digest)
        c.fail('blob-digest', `blob ${path} (${what}) re-hashes to ${short(got)}: the blob was modified`);
      else checked++;
    }
    if (!c.failed('blob-digest')) c.ok('blob-digest', `${checked} referenced blobs re-hashed in ${blobDir}`);
  }

  // --- consistency with an earlier checkpoint ---
  if (opts.sinceCheckpoint !== undefined) {
    let old: Checkpoint | undefined;
    try {
      old = parseCheckpoint(opts.sinceCheckpoint);
    } catch (err) {
      c.fail('consistency', `--since: ${(err as Error).message}`);
    }
    if (old) {
      if (old.signatures.length === 0) {
        if (!opts.allowUnsigned)
          c.fail(
            'consistency',
            `--since checkpoint (size ${old.size}) is unsigned (pass --allow-unsigned to accept it)`,
          );
      } else if (pinned) {
        const v = verifyCheckpoint(old.text, pinned);
        if (!v.ok) c.fail('consistency', `--since ${v.detail}`);
      }
      if (cp && old.origin !== cp.origin) {
        c.fail('consistency', `--since checkpoint is for log "${old.origin}", this log is "${cp.origin}"`);
      } else if (old.size > committed) {
        c.fail(
          'consistency',
          `--since checkpoint has size ${old.size} but the log has only ${committed} entries: entries were removed`,
        );
      } else if (old.size === 0) {
        c.ok('consistency', 'the --since checkpoint is of the empty log: nothing to prove');
      } else if (leaves.length === committed && cp) {
        const proof = consistencyPath(old.size, committed, rangeHasherFromLeaves(leaves.views()));
        const okProof = verifyConsistencyBytes(
          old.size,
          committed,
          proof,
          Buffer.from(old.rootHash, 'hex'),
          Buffer.from(cp.rootHash, 'hex'),
        );
        if (okProof && !c.failed('consistency')) {
          c.ok(
            'consistency',
            `consistency proof (${proof.length} hashes) shows the log extends the checkpoint at size ${old.size} unchanged`,
          );
        } else if (!okProof) {
          c.fail(
            'consistency',
            `the log is not an extension of the checkpoint at size ${old.size} (root ${short(old.rootHash)}): entries before ${old.size} were changed, removed or reordered`,
          );
        }
      } else {
        c.fail(
          'consistency',
          'cannot build a consistency proof: the log entries do not match its checkpoint',
        );
      }
    }
  }
  return report(committed, unsigned);
}

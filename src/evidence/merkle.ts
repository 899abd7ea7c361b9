/**
 * RFC 9162 §2.1 Merkle Tree Hash with SHA-256: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right),
 * the root of the empty tree = SHA-256(""). Inclusion proofs (§2.1.3) and consistency proofs (§2.1.4): generation
 * over any source of subtree hashes, and verification that agrees with transparency-dev/merkle's test vectors
 * (including every case it rejects). Sizes and indices are JS numbers and must be safe integers.
 */
import { createHash, hash as cryptoHash } from 'node:crypto';

/** Length in bytes of every hash in the tree. */
export const HASH_SIZE = 32;

/** RFC 9162 leaf hash of the entry bytes: SHA-256(0x00 ‖ bytes), 32 raw bytes. */
export function leafHashBytes(bytes: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(bytes.length + 1);
  buf[0] = 0;
  buf.set(bytes, 1);
  return sha256Once(buf);
}

/** RFC 9162 leaf hash of the entry bytes as lowercase hex: hex(SHA-256(0x00 ‖ bytes)). */
export function leafHash(bytes: Uint8Array): string {
  return leafHashBytes(bytes).toString('hex');
}

/** RFC 9162 interior node hash SHA-256(0x01 ‖ left ‖ right), 32 raw bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256Once(buf);
}

/** One-shot SHA-256 (crypto.hash, about twice as fast as a Hash object for small inputs; Node >= 20.12). */
const sha256Once: (data: Buffer) => Buffer =
  typeof cryptoHash === 'function'
    ? (data) => cryptoHash('sha256', data, 'buffer')
    : (data) => createHash('sha256').update(data).digest();

/** Root hash of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** Largest power of two strictly smaller than `n` (n >= 2), the split point `k` of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Root hash of a tree whose complete subtrees, left to right, have the given hashes (the "frontier" or compact
 * range of a tree of size n: one subtree per set bit of n, largest first). Empty input gives the empty root.
 */
export function rootFromFrontier(frontier: readonly Uint8Array[]): Buffer {
  if (frontier.length === 0) return emptyRoot();
  let r: Buffer = Buffer.from(frontier[frontier.length - 1]!);
  for (let i = frontier.length - 2; i >= 0; i--) r = nodeHash(frontier[i]!, r);
  return r;
}

/** RFC 9162 MTH over the given leaf hashes (not entries), computed in O(n) with an O(log n) stack. */
export function rootFromLeafHashes(leaves: readonly Uint8Array[]): Buffer {
  const stack: { h: Buffer; size: number }[] = [];
  for (const leaf of leaves) {
    let cur: { h: Buffer; size: number } = { h: Buffer.from(leaf), size: 1 };
    while (stack.length > 0 && stack[stack.length - 1]!.size === cur.size) {
      const left = stack.pop()!;
      cur = { h: nodeHash(left.h, cur.h), size: cur.size * 2 };
    }
    stack.push(cur);
  }
  return rootFromFrontier(stack.map((s) => s.h));
}

/** Returns MTH(D[start:end]) of the underlying tree, end > start. */
export type RangeHasher = (start: number, end: number) => Buffer;

/** A RangeHasher over an in-memory array of leaf hashes (recursive; each proof touches disjoint ranges, so O(n)). */
export function rangeHasherFromLeaves(leaves: readonly Uint8Array[]): RangeHasher {
  const mth: RangeHasher = (start, end) => {
    if (end - start === 1) return Buffer.from(leaves[start]!);
    const k = splitPoint(end - start);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth;
}

/** RFC 9162 §2.1.3.1 PATH(index, D[size]): audit path of leaf `index` in the tree of `size` leaves. */
export function inclusionPath(index: number, size: number, mth: RangeHasher): Buffer[] {
  if (!isSize(index) || !isSize(size) || index >= size) {
    throw new RangeError(`no inclusion proof for leaf ${index} in a tree of size ${size}`);
  }
  const out: Buffer[] = [];
  const walk = (lo: number, hi: number): void => {
    if (hi - lo === 1) return;
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      walk(lo, lo + k);
      out.push(mth(lo + k, hi));
    } else {
      walk(lo + k, hi);
      out.push(mth(lo, lo + k));
    }
  };
  walk(0, size);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]): consistency proof between tree sizes 0 < m <= n. Empty when m == n. */
export function consistencyPath(m: number, n: number, mth: RangeHasher): Buffer[] {
  if (!isSize(m) || !isSize(n) || m < 1 || m > n) {
    throw new RangeError(`no consistency proof from size ${m} to size ${n}`);
  }
  const out: Buffer[] = [];
  const sub = (lo: number, hi: number, b: boolean): void => {
    if (m === hi) {
      if (!b) out.push(mth(lo, hi));
      return;
    }
    const k = splitPoint(hi - lo);
    if (m - lo <= k) {
      sub(lo, lo + k, b);
      out.push(mth(lo + k, hi));
    } else {
      sub(lo + k, hi, false);
      out.push(mth(lo, lo + k));
    }
  };
  sub(0, n, true);
  return out;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** True for 1, 2, 4, 8, … (safe integers only). */
export function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/**
 * RFC 9162 §2.1.3.2: true when `proof` proves that the leaf with hash `leaf` is at `index` in the tree of
 * `size` leaves whose root is `root`. Rejects index >= size, hashes that are not 32 bytes, wrong proof length.
 */
export function verifyInclusionBytes(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size) return false;
  if (leaf.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: true when `proof` proves the tree of size1 (root1) is a prefix of the tree of size2 (root2).
 * As in transparency-dev/merkle: size1 must be >= 1 (a proof from the empty tree proves nothing), and when
 * size1 == size2 the proof must be empty and the roots equal.
 */
export function verifyConsistencyBytes(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (!isSize(size1) || !isSize(size2) || size1 > size2 || size1 === 0) return false;
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  let path = proof;
  // size1 a power of two: the old root itself is the first node of the path.
  if (isPowerOfTwo(size1)) path = [root1, ...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

/** Hex form of {@link verifyInclusionBytes}: all hashes lowercase hex. False (never throws) on malformed hex. */
export function verifyInclusion(
  leafHashHex: string,
  index: number,
  treeSize: number,
  proof: readonly string[],
  rootHex: string,
): boolean {
  const all = [leafHashHex, rootHex, ...proof];
  if (!all.every(isHex32)) return false;
  return verifyInclusionBytes(
    Buffer.from(leafHashHex, 'hex'),
    index,
    treeSize,
    proof.map((p) => Buffer.from(p, 'hex')),
    Buffer.from(rootHex, 'hex'),
  );
}

/** Hex form of {@link verifyConsistencyBytes}: all hashes lowercase hex. False (never throws) on malformed hex. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly string[],
  root1Hex: string,
  root2Hex: string,
): boolean {
  const all = [root1Hex, root2Hex, ...proof];
  if (!all.every(isHex32)) return false;
  return verifyConsistencyBytes(
    size1,
    size2,
    proof.map((p) => Buffer.from(p, 'hex')),
    Buffer.from(root1Hex, 'hex'),
    Buffer.from(root2Hex, 'hex'),
  );
}

function isHex32(s: unknown): boolean {
  return typeof s === 'string' && /^[0-9a-fA-F]{64}$/.test(s);
}

/** Smallest power of two >= n (n >= 1). */
function bitCeil(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * True when [start, end) is a subtree of an RFC 9162 tree: start < end and start is a multiple of the smallest
 * power of two >= end - start (the Merkle Tree Certificates draft's definition, as in transparency-dev/merkle).
 */
export function isValidSubtree(start: number, end: number): boolean {
  return isSize(start) && isSize(end) && start < end && start % bitCeil(end - start) === 0;
}

/**
 * Subtree inclusion proof (transparency-dev/merkle VerifySubtreeInclusion): the leaf at `index` is in the subtree
 * [start, end) whose hash is `subtreeRoot`. Equivalent to an inclusion proof of index-start in a tree of end-start.
 */
export function verifySubtreeInclusionBytes(
  leaf: Uint8Array,
  index: number,
  start: number,
  end: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): boolean {
  if (!isValidSubtree(start, end) || !isSize(index) || index < start || index >= end) return false;
  return verifyInclusionBytes(leaf, index - start, end - start, proof, subtreeRoot);
}

/**
 * Subtree consistency proof (Merkle Tree Certificates draft, "Verifying a Subtree Consistency Proof"; agrees with
 * transparency-dev/merkle VerifySubtreeConsistency): the subtree [start, end) with hash `subtreeRoot` sits at those
 * positions in the tree of `size` leaves with root `root`. An empty subtree (start == end <= size) is consistent
 * with any tree only with an empty proof and the empty-tree hash as its root.
 */
export function verifySubtreeConsistencyBytes(
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): boolean {
  if (!isSize(start) || !isSize(end) || !isSize(size) || end > size) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (start === end) return proof.length === 0 && emptyRoot().equals(subtreeRoot);
  if (!isValidSubtree(start, end)) return false;
  let fn = start;
  let sn = end - 1;
  let tn = size - 1;
  const up = (): void => {
    fn = half(fn);
    sn = half(sn);
    tn = half(tn);
  };
  if (sn === tn) {
    while (fn !== sn) up();
  } else {
    while (fn !== sn && odd(sn)) up();
  }
  let fr: Buffer;
  let sr: Buffer;
  let rest: readonly Uint8Array[];
  if (fn === sn) {
    fr = Buffer.from(subtreeRoot);
    sr = Buffer.from(subtreeRoot);
    rest = proof;
  } else {
    if (proof.length === 0) return false;
    fr = Buffer.from(proof[0]!);
    sr = Buffer.from(proof[0]!);
    rest = proof.slice(1);
  }
  for (const c of rest) {
    if (tn === 0) return false;
    if (odd(sn) || sn === tn) {
      if (fn < sn) fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(sn) && sn !== 0) up();
    } else {
      sr = nodeHash(sr, c);
    }
    up();
  }
  return tn === 0 && fr.equals(subtreeRoot) && sr.equals(root);
}

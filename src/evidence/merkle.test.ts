import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { corpus, needsCorpora } from '../../test/support/corpora.js';
import {
  consistencyPath,
  emptyRoot,
  inclusionPath,
  leafHashBytes,
  rangeHasherFromLeaves,
  rootFromLeafHashes,
  verifyConsistency,
  verifyConsistencyBytes,
  verifyInclusion,
  verifyInclusionBytes,
  verifySubtreeConsistencyBytes,
  verifySubtreeInclusionBytes,
} from './merkle.js';

const corpusDir = corpus('merkle-testdata/testdata');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
const toSize = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

// The 8 leaves of transparency-dev/merkle's reference tree (proof/verify_test.go).
const leaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => leafHashBytes(Buffer.from(h, 'hex')));

describe('RFC 9162 Merkle tree vs transparency-dev/merkle testdata', {
  skip: needsCorpora('merkle-testdata'),
}, () => {
  const inclusion = walk(join(corpusDir, 'inclusion'));
  const consistency = walk(join(corpusDir, 'consistency'));

  it('finds the corpus', () => {
    assert.ok(inclusion.length >= 90, `inclusion vectors: ${inclusion.length}`);
    assert.ok(consistency.length >= 90, `consistency vectors: ${consistency.length}`);
  });

  it('agrees with every inclusion vector (happy paths verify, every wantErr case is rejected)', () => {
    let accepted = 0;
    for (const file of inclusion) {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      const got = verifyInclusionBytes(
        b64(v.leafHash),
        toSize(v.leafIdx),
        toSize(v.treeSize),
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
      assert.equal(got, !v.wantErr, `${relative(corpusDir, file)} (${v.desc})`);
      if (got) accepted++;
    }
    assert.ok(accepted >= 5, `accepted ${accepted}`);
  });

  it('agrees with every consistency vector', () => {
    for (const file of consistency) {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      const got = verifyConsistencyBytes(
        toSize(v.size1),
        toSize(v.size2),
        (v.proof ?? []).map(b64),
        b64(v.root1),
        b64(v.root2),
      );
      assert.equal(got, !v.wantErr, `${relative(corpusDir, file)} (${v.desc})`);
    }
  });

  it('agrees with every subtree inclusion and subtree consistency vector', () => {
    const subIncl = walk(join(corpusDir, 'subtreeinclusion'));
    const subCons = walk(join(corpusDir, 'subtreeconsistency'));
    assert.ok(subIncl.length >= 200 && subCons.length >= 100, `${subIncl.length} + ${subCons.length}`);
    for (const file of subIncl) {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      const got = verifySubtreeInclusionBytes(
        b64(v.leafHash),
        toSize(v.leafIdx),
        toSize(v.start),
        toSize(v.end),
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
      assert.equal(got, !v.wantErr, `${relative(corpusDir, file)} (${v.desc})`);
    }
    for (const file of subCons) {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      const got = verifySubtreeConsistencyBytes(
        toSize(v.start),
        toSize(v.end),
        toSize(v.size),
        (v.proof ?? []).map(b64),
        b64(v.root1),
        b64(v.root2),
      );
      assert.equal(got, !v.wantErr, `${relative(corpusDir, file)} (${v.desc})`);
    }
  });

  it('generates exactly the happy-path proofs of the reference tree', () => {
    const mth = rangeHasherFromLeaves(leaves);
    let compared = 0;
    for (const file of inclusion) {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      if (v.wantErr || v.treeSize > 8 || !file.includes('happy')) continue;
      const root = rootFromLeafHashes(leaves.slice(0, v.treeSize));
      if (!root.equals(b64(v.root))) continue; // vector from a different tree
      const proof = inclusionPath(v.leafIdx, v.treeSize, mth).map((b) => b.toString('base64'));
      assert.deepEqual(proof, v.proof ?? [], relative(corpusDir, file));
      compared++;
    }
    for (const file of consistency) {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      if (v.wantErr || v.size2 > 8 || v.size1 < 1 || !file.includes('happy')) continue;
      if (!rootFromLeafHashes(leaves.slice(0, v.size2)).equals(b64(v.root2))) continue;
      const proof = consistencyPath(v.size1, v.size2, mth).map((b) => b.toString('base64'));
      assert.deepEqual(proof, v.proof ?? [], relative(corpusDir, file));
      compared++;
    }
    assert.ok(compared >= 4, `compared ${compared} generated proofs`);
  });
});

describe('Merkle proofs round-trip on trees of every size up to 33', () => {
  it('inclusion and consistency proofs verify; tampered ones do not', () => {
    const all = Array.from({ length: 33 }, (_, i) => leafHashBytes(Buffer.from(`entry ${i}`)));
    const mth = rangeHasherFromLeaves(all);
    for (let n = 1; n <= 33; n++) {
      const root = rootFromLeafHashes(all.slice(0, n));
      assert.ok(root.equals(mth(0, n)));
      for (let i = 0; i < n; i++) {
        const p = inclusionPath(i, n, mth);
        assert.ok(verifyInclusionBytes(all[i]!, i, n, p, root), `incl ${i}/${n}`);
        if (n > 1) assert.ok(!verifyInclusionBytes(all[(i + 1) % n]!, i, n, p, root));
      }
      for (let m = 1; m <= n; m++) {
        const p = consistencyPath(m, n, mth);
        const r1 = rootFromLeafHashes(all.slice(0, m));
        assert.ok(verifyConsistencyBytes(m, n, p, r1, root), `cons ${m}->${n}`);
        if (m < n) {
          const altered = rootFromLeafHashes([leafHashBytes(Buffer.from('x')), ...all.slice(1, m)]);
          assert.ok(!verifyConsistencyBytes(m, n, p, altered, root), `altered prefix ${m}->${n}`);
        }
      }
    }
  });

  it('hex helpers reject malformed hex instead of throwing', () => {
    assert.equal(verifyInclusion('zz', 0, 1, [], 'aa'), false);
    assert.equal(verifyConsistency(1, 1, [], 'nothex', 'nothex'), false);
    const l = leafHashBytes(Buffer.from('a')).toString('hex');
    assert.equal(verifyInclusion(l, 0, 1, [], l), true);
  });

  it('empty tree root is SHA-256 of the empty string', () => {
    assert.equal(
      emptyRoot().toString('hex'),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.ok(rootFromLeafHashes([]).equals(emptyRoot()));
  });
});

import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { appendToLedger, openLedger } from './ledger.js';
import { levelFile } from './ledger-files.js';
import { acquireLock } from './lock.js';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from './merkle.js';
import { tempDir, testEnvelope, testKey } from './test-support/fixtures.js';
import { verifyLog } from './verify-log.js';

describe('evidence ledger', () => {
  it('appends one at a time and in batches; proofs verify against every checkpoint', async () => {
    const dir = join(tempDir(), 'ledger');
    const key = testKey();
    const checkpoints: string[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await appendToLedger(dir, [await testEnvelope(i, key.signer)], {
        signer: key.signer,
        origin: 'evident.local/t',
      });
      assert.equal(res.firstIndex, i);
      assert.equal(res.size, i + 1);
      checkpoints.push(res.checkpoint);
    }
    const batch = await Promise.all([21, 22, 23, 24, 25].map((i) => testEnvelope(i, key.signer)));
    const res = await appendToLedger(dir, batch, { signer: key.signer });
    assert.equal(res.firstIndex, 21);
    assert.equal(res.size, 26);
    checkpoints.push(res.checkpoint);

    const ledger = await openLedger(dir);
    try {
      assert.equal(ledger.size, 26);
      assert.equal(ledger.origin, 'evident.local/t');
      const cp = await ledger.checkpoint();
      assert.equal(cp.text, res.checkpoint);
      assert.ok(verifyCheckpoint(cp.text, key.publicKeyPem).ok);
      const leaves: Buffer[] = [];
      for await (const e of ledger.entries()) {
        assert.equal(e.leafHash, leafHash(await ledger.rawEntry(e.index)));
        assert.deepEqual((e.statement.predicate as { seq: number }).seq, e.index);
        leaves.push(Buffer.from(e.leafHash, 'hex'));
      }
      assert.equal(rootFromLeafHashes(leaves).toString('hex'), cp.rootHash);
      for (const text of checkpoints) {
        const old = parseCheckpoint(text);
        assert.equal(await ledger.rootAt(old.size), old.rootHash);
        if (old.size < 26) {
          assert.ok(
            verifyConsistency(
              old.size,
              26,
              await ledger.consistencyProof(old.size, 26),
              old.rootHash,
              cp.rootHash,
            ),
          );
        }
        for (const i of [0, Math.floor(old.size / 2), old.size - 1]) {
          const e = await ledger.get(i);
          assert.ok(
            verifyInclusion(e.leafHash, i, old.size, await ledger.inclusionProof(i, old.size), old.rootHash),
          );
        }
      }
      await assert.rejects(() => ledger.get(26), /out of range/);
    } finally {
      await ledger.close();
    }
  });

  it('ignores and then discards the debris of an interrupted append (torn tail)', async () => {
    const dir = join(tempDir(), 'ledger');
    const key = testKey();
    for (let i = 0; i < 5; i++)
      await appendToLedger(dir, [await testEnvelope(i, key.signer)], { signer: key.signer });
    const before = readFileSync(join(dir, 'checkpoint'), 'utf8');
    // simulate a crash after writing an entry, a partial index record and a subtree hash, before the checkpoint
    appendFileSync(join(dir, 'entries.jsonl'), '{"payload":"torn');
    appendFileSync(join(dir, 'index.bin'), Buffer.alloc(20, 7));
    appendFileSync(levelFile(dir, 1), Buffer.alloc(32, 9));
    writeFileSync(join(dir, 'checkpoint.tmp-999-abcd'), 'partial');
    const readonly = await openLedger(dir);
    assert.equal(readonly.size, 5);
    await readonly.close();
    const r1 = await verifyLog(dir, { publicKeyPem: key.publicKeyPem });
    assert.ok(r1.ok, JSON.stringify(r1.checks));
    assert.ok(r1.checks.some((c) => c.name === 'tail'));
    assert.equal(readFileSync(join(dir, 'checkpoint'), 'utf8'), before);
    const res = await appendToLedger(dir, [await testEnvelope(5, key.signer)], { signer: key.signer });
    assert.equal(res.firstIndex, 5);
    assert.equal(statSync(join(dir, 'index.bin')).size, 6 * 48);
    assert.equal(statSync(levelFile(dir, 1)).size, 3 * 32);
    const r2 = await verifyLog(dir, { publicKeyPem: key.publicKeyPem });
    assert.ok(r2.ok, JSON.stringify(r2.checks));
    assert.ok(!r2.checks.some((c) => c.name === 'tail'));
  });

  it('rolls forward a subtree hash file that is shorter than the checkpoint needs', async () => {
    const dir = join(tempDir(), 'ledger');
    const key = testKey();
    for (let i = 0; i < 8; i++)
      await appendToLedger(dir, [await testEnvelope(i, key.signer)], { signer: key.signer });
    writeFileSync(levelFile(dir, 2), readFileSync(levelFile(dir, 2)).subarray(0, 32));
    await appendToLedger(dir, [await testEnvelope(8, key.signer)], { signer: key.signer });
    const r = await verifyLog(dir, { publicKeyPem: key.publicKeyPem });
    assert.ok(r.ok, JSON.stringify(r.checks));
  });

  it('refuses to extend a log whose stored tree disagrees with its checkpoint', async () => {
    const dir = join(tempDir(), 'ledger');
    const key = testKey();
    for (let i = 0; i < 5; i++)
      await appendToLedger(dir, [await testEnvelope(i, key.signer)], { signer: key.signer });
    const idx = readFileSync(join(dir, 'index.bin'));
    idx.writeUInt8(idx.readUInt8(16 + 48 * 4) ^ 1, 16 + 48 * 4); // the last leaf is in the frontier of a 5-leaf tree
    writeFileSync(join(dir, 'index.bin'), idx);
    await assert.rejects(
      async () => appendToLedger(dir, [await testEnvelope(5, key.signer)], { signer: key.signer }),
      (err: Error & { code?: string }) =>
        err.code === 'E_EVIDENCE' && /does not match the checkpoint/.test(err.message),
    );
  });

  it('an empty directory is an empty log; a missing one is an error', async () => {
    const dir = tempDir();
    const l = await openLedger(dir);
    assert.equal(l.size, 0);
    assert.equal((await l.checkpoint()).size, 0);
    await l.close();
    await assert.rejects(() => openLedger(join(dir, 'nope')), /no evidence log/);
  });

  it('unsigned appends write an unsigned checkpoint', async () => {
    const dir = join(tempDir(), 'ledger');
    const res = await appendToLedger(dir, [await testEnvelope(0)], {});
    assert.equal(parseCheckpoint(res.checkpoint).signatures.length, 0);
    const key = testKey();
    assert.match(verifyCheckpoint(res.checkpoint, key.publicKeyPem).detail, /unsigned/);
  });

  it('the lock excludes a second holder until released, and breaks a stale lock of a dead process', async () => {
    const dir = tempDir();
    const path = join(dir, 'l.lock');
    const a = await acquireLock(path);
    await assert.rejects(() => acquireLock(path, 100), /locked by process/);
    a.release();
    const b = await acquireLock(path, 100);
    b.release();
    writeFileSync(path, '999999999\n'); // no such pid
    const c = await acquireLock(path, 2000);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
    c.release();
  });
});

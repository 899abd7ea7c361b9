import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { appendToLedger } from './ledger.js';
import { logSigners } from './log-signers.js';
import { tempDir, testEnvelope, testKey } from './test-support/fixtures.js';

describe('logSigners', () => {
  test('counts unsigned entries and entries per key id, without reading whole entries', async () => {
    const dir = join(tempDir(), 'ledger');
    assert.equal(logSigners(dir), undefined, 'no log yet');
    const a = testKey();
    const b = testKey();
    await appendToLedger(dir, [await testEnvelope(0, undefined)]);
    assert.deepEqual(logSigners(dir), { entries: 1, unsigned: 1, byKey: new Map() });
    // a large payload: the signatures are found in the tail
    await appendToLedger(dir, [await testEnvelope(1, a.signer, { pad: 'x'.repeat(100_000) })], {
      signer: a.signer,
    });
    await appendToLedger(dir, [await testEnvelope(2, a.signer), await testEnvelope(3, b.signer)], {
      signer: b.signer,
    });
    const s = logSigners(dir)!;
    assert.equal(s.entries, 4);
    assert.equal(s.unsigned, 1);
    assert.deepEqual(
      [...s.byKey].sort(),
      [
        [a.signer.keyId(), 2],
        [b.signer.keyId(), 1],
      ].sort(),
    );
  });
});

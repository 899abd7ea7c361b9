/**
 * Test child process: appends `count` small signed envelopes to the log in `dir`, one append (and one checkpoint)
 * at a time, printing `ok <index>` after each committed append. Used by the kill -9 and concurrent-writer tests.
 * Usage: node --import tsx append-worker.ts DIR KEYFILE COUNT LABEL
 */
import { readFileSync } from 'node:fs';
import { createEnvelope } from '../dsse.js';
import { keyStoreFromPem } from '../keys.js';
import { appendToLedger } from '../ledger.js';

const [dir, keyFile, countText, label] = process.argv.slice(2);
const signer = keyStoreFromPem(readFileSync(keyFile!, 'utf8'));
const count = Number(countText);
for (let i = 0; i < count; i++) {
  const env = await createEnvelope(
    {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [],
      predicateType: 'https://evident.dev/test/v1',
      predicate: { writer: label, seq: i, pad: 'x'.repeat(200 + (i % 7) * 50) },
    },
    signer,
  );
  const res = await appendToLedger(dir!, [env], { signer, origin: 'evident.local/test' });
  process.stdout.write(`ok ${res.firstIndex}\n`);
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { generateKeyPair, keyStoreFromPem } from '../src/evidence/keys.js';
import { appendToLedger, openLedger } from '../src/evidence/ledger.js';
import { projectEntryBytes } from '../src/indexer/sync.js';
import { writeEntriesBulk } from '../src/store/index-bulk.js';
import { rebuildDerived } from '../src/store/index-writer.js';
import { openStore } from '../src/store/open-store.js';
import { upsertRepository } from '../src/store/repos.js';
import { scanEnvelope, syntheticScan } from '../src/store/testing/synthetic.js';

const N = Number(process.argv[2] ?? 200);
const work = mkdtempSync(join(tmpdir(), 'prof-'));
const key = keyStoreFromPem(generateKeyPair().privateKeyPem);
const dir = join(work, 'ledger');
const envs = [];
for (let i = 0; i < N; i++) {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString();
  envs.push(await scanEnvelope(syntheticScan({ recordedAt: at, findings: 100, failing: (k) => (k + Math.floor(i / 50)) % 9 === 0 }), `b-${i}`, key));
}
await appendToLedger(dir, envs);
const store = process.env.DATABASE_URL ? await openStore({ url: process.env.DATABASE_URL }) : await openStore({ memory: true });
const repo = await upsertRepository(store.db, 'acme/x');
const led = await openLedger(dir);
let t = Date.now();
const items = [];
for (let i = 0; i < led.size; i++) items.push(projectEntryBytes({ source: 'file:x', logIdx: i, repoId: repo.id }, await led.rawEntry(i)));
console.log('project', Date.now() - t, 'ms');
t = Date.now();
await store.transaction(async (tx) => {
  await tx.execute(sql.raw('truncate table repo_daily, manual_evidence, waivers, findings, run_findings, run_controls, run_frameworks, runs, indexed_entries restart identity'));
  for (let i = 0; i < items.length; i += 200) await writeEntriesBulk(tx, items.slice(i, i + 200));
  console.log('bulk', Date.now() - t, 'ms');
  t = Date.now();
  await rebuildDerived(tx, repo.id);
  console.log('derived', Date.now() - t, 'ms');
});
await store.close();
console.log((globalThis as any).T)

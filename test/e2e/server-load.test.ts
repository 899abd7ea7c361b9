/**
 * Load and crash test of ingest (issue 11): 1,000 runs pushed by 20 concurrent clients to `evident serve` on
 * PostgreSQL; the server is killed with SIGKILL in the middle and restarted; the clients' retries must still leave
 * exactly 1,000 runs, none twice, and the server log must verify. Runs the built CLI (npm test builds first).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { tempDir, testKey } from '../../src/evidence/test-support/fixtures.js';
import { verifyLog } from '../../src/evidence/verify-log.js';
import { postWithRetry } from '../../src/server/push-client.js';
import { openStore, rows, type Store } from '../../src/store/open-store.js';
import { createToken, upsertRepository } from '../../src/store/repos.js';
import { exportServerLog } from '../../src/store/server-log.js';
import { scratchDatabase } from '../../src/store/testing/backends.js';
import { scanPush, syntheticScan } from '../../src/store/testing/synthetic.js';
import { REPO } from './helpers.js';

const RUNS = 1000;
const CLIENTS = 20;
const url = process.env.DATABASE_URL;
if (!url && process.env.CI) throw new Error('DATABASE_URL is not set: .ci/run must start PostgreSQL');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

test('1,000 runs from 20 clients with a SIGKILL in the middle are stored exactly once and the log verifies', {
  skip: url ? false : 'DATABASE_URL not set: PostgreSQL load test skipped',
  timeout: 300_000,
}, async () => {
  const db = await scratchDatabase(url!);
  const dir = tempDir('evident-load-');
  const ci = testKey();
  const server = testKey(dir);
  let store: Store | undefined;
  let child: ChildProcess | undefined;
  try {
    store = await openStore({ url: db.url, poolSize: 2 });
    const repo = await upsertRepository(store.db, 'acme/load', {
      publicKeyPem: ci.publicKeyPem,
      keyId: ci.keyId,
    });
    const { token } = await createToken(store.db, repo.id);
    const bodies: Awaited<ReturnType<typeof scanPush>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      bodies.push(
        await scanPush(
          syntheticScan({ recordedAt: at, findings: 5, failing: (k) => (k + i) % 3 === 0 }),
          `load-${i}`,
          ci.signer,
        ),
      );
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      EVIDENT_SIGNING_KEY_FILE: server.keyFile!,
      EVIDENT_LOG: 'silent',
    };
    const start = () =>
      spawn(process.execPath, [join(REPO, 'bin/evident.js'), 'serve', '--port', String(port)], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const ready = async () => {
      for (let i = 0; i < 200; i++) {
        try {
          if ((await fetch(`${base}/readyz`)).ok) return;
        } catch {
          // not yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('server did not become ready');
    };
    child = start();
    await ready();
    let next = 0;
    let acknowledged = 0;
    let killed = false;
    const statuses: Record<string, number> = {};
    const client = async () => {
      for (;;) {
        const i = next++;
        if (i >= RUNS) return;
        const r = await postWithRetry(base, token, bodies[i], { retries: 60, backoffMs: 50 });
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        acknowledged++;
      }
    };
    const killer = (async () => {
      while (acknowledged < RUNS * 0.3) await new Promise((r) => setTimeout(r, 20));
      child!.kill('SIGKILL');
      killed = true;
      await new Promise((r) => child!.once('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      child = start();
      await ready();
    })();
    await Promise.all([...Array.from({ length: CLIENTS }, client), killer]);
    assert.ok(killed, 'the server was killed during the load');
    assert.equal(acknowledged, RUNS);
    const [c] = await rows<{ entries: number; runs: number; uuids: number; maxidx: number }>(
      store.db,
      sql`select (select count(*)::int from log_entries) as entries, (select count(*)::int from runs) as runs,
                 (select count(distinct run_uuid)::int from runs) as uuids, (select max(idx)::int from log_entries) as maxidx`,
    );
    assert.deepEqual(c, { entries: RUNS, runs: RUNS, uuids: RUNS, maxidx: RUNS - 1 });
    const out = join(dir, 'export', 'ledger');
    const exported = await exportServerLog(store, out, join(dir, 'export', 'blobs'));
    assert.equal(exported.size, RUNS);
    const report = await verifyLog(out, {
      publicKeyPem: server.publicKeyPem,
      entryKeys: [ci.publicKeyPem],
      blobDir: join(dir, 'export', 'blobs'),
    });
    assert.ok(report.ok, JSON.stringify(report.checks.filter((k) => !k.ok)));
    writeFileSync(join(dir, 'statuses.json'), JSON.stringify(statuses));
  } finally {
    child?.kill('SIGKILL');
    await store?.close();
    await db.drop();
  }
});

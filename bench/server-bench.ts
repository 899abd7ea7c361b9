/**
 * Server performance budgets (issue 11). Run:
 *   DATABASE_URL=postgres://… node --import tsx bench/server-bench.ts postgres [RUNS=10000] [FINDINGS_PER_RUN=100]
 *   node --import tsx bench/server-bench.ts embedded [RUNS=1000] [FINDINGS_PER_RUN=100]
 *
 * 1. builds RUNS signed scan runs in file logs (10 repositories), then times `reindex` of them
 *    (budget: 10,000 runs in < 60 s);
 * 2. dashboard API p99 at 50 concurrent clients (autocannon, 5 s per endpoint) over that store
 *    (budget: p99 < 100 ms on PostgreSQL at 10,000 runs / 1,000,000 findings, < 200 ms embedded at 1,000 / 100,000);
 * 3. push ingest: 500 runs by 20 concurrent HTTP clients through `/api/push` (budget ≥ 100 runs/s on PostgreSQL).
 * Prints each figure and its ratio to the budget. The machine is shared: re-run on a quiet machine for the record.
 * PostgreSQL runs in a scratch database that is dropped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { generateKeyPair, keyStoreFromPem } from '../src/evidence/keys.js';
import { appendToLedger } from '../src/evidence/ledger.js';
import type { DsseEnvelope } from '../src/evidence/types.js';
import { reindex } from '../src/indexer/sync.js';
import { buildApp } from '../src/server/app.js';
import { postWithRetry } from '../src/server/push-client.js';
import { ROUTES } from '../src/server/routes/index.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { createToken, upsertRepository } from '../src/store/repos.js';
import { scratchDatabase } from '../src/store/testing/backends.js';
import { scanEnvelope, scanPush, syntheticScan } from '../src/store/testing/synthetic.js';
import { createSession, upsertUser } from '../src/store/users.js';

const kind = process.argv[2] === 'postgres' ? 'postgres' : 'embedded';
const RUNS = Number(process.argv[3] ?? (kind === 'postgres' ? 10_000 : 1000));
const PER_RUN = Number(process.argv[4] ?? 100);
const REPOS = 10;
const P99_BUDGET = kind === 'postgres' ? 100 : 200;
const work = mkdtempSync(join(tmpdir(), 'evident-server-bench-'));
const line = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  let drop: (() => Promise<void>) | undefined;
  let store: Store;
  if (kind === 'postgres') {
    if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL for the postgres bench');
    const db = await scratchDatabase(process.env.DATABASE_URL);
    drop = db.drop;
    store = await openStore({ url: db.url, poolSize: 20 });
  } else {
    store = await openStore({ dataDir: join(work, 'db') });
  }
  try {
    line(
      `store: ${kind}; ${RUNS} runs × ${PER_RUN} findings = ${RUNS * PER_RUN} findings, ${REPOS} repositories`,
    );
    const key = keyStoreFromPem(generateKeyPair().privateKeyPem);
    const logs: { dir: string; repo: string }[] = [];
    const t0 = Date.now();
    for (let r = 0; r < REPOS; r++) {
      const dir = join(work, `repo${r}`, 'ledger');
      logs.push({ dir, repo: `acme/repo${r}` });
      let batch: DsseEnvelope[] = [];
      for (let i = r; i < RUNS; i += REPOS) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString();
        const scan = syntheticScan({
          recordedAt: at,
          findings: PER_RUN,
          failing: (k) => (k + Math.floor(i / 50)) % 9 === 0,
        });
        batch.push(await scanEnvelope(scan, `bench-${i}`, key));
        if (batch.length === 200) {
          await appendToLedger(dir, batch);
          batch = [];
        }
      }
      if (batch.length > 0) await appendToLedger(dir, batch);
    }
    line(`built logs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = Date.now();
    const r = await reindex(store, logs);
    const secs = (Date.now() - t1) / 1000;
    line(
      `reindex: ${r.runs} runs in ${secs.toFixed(1)} s (${(r.runs / secs).toFixed(0)} runs/s); budget 10,000 runs < 60 s → ratio ${((secs / 60) * (10_000 / r.runs)).toFixed(2)}`,
    );

    const app = await buildApp(
      {
        store,
        origin: 'evident.bench/server',
        fileLogs: [],
        now: () => new Date('2026-06-01T00:00:00Z'),
        secureCookies: false,
      },
      ROUTES,
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const user = await upsertUser(store.db, 'bench@example.com', 'admin', 'x');
    const session = await createSession(store.db, user.id, 3_600_000);
    const headers = { cookie: `evident_session=${session.id}` };
    const endpoints = [
      '/api/overview',
      '/api/frameworks/soc2/history?from=2026-01-01&to=2026-03-31',
      '/api/frameworks/soc2/requirements?status=fail',
      '/api/frameworks/soc2/requirements/CC6.1',
      '/api/findings?status=open&severity=critical,high&sort=firstSeen&limit=50',
      '/api/findings?framework=soc2&repo=acme/repo3&status=all&limit=50&offset=100',
      '/api/runs?repo=acme/repo1&limit=50',
      '/api/waivers',
      '/api/evidence',
    ];
    let worst = 0;
    for (const path of endpoints) {
      const res = await autocannon({ url: `${base}${path}`, connections: 50, duration: 5, headers });
      const p99 = res.latency.p99;
      worst = Math.max(worst, p99);
      line(
        `GET ${path}: p99 ${p99} ms, p50 ${res.latency.p50} ms, ${res.requests.average} req/s, non-2xx ${res.non2xx}`,
      );
    }
    line(
      `dashboard API worst p99 ${worst} ms; budget ${P99_BUDGET} ms → ratio ${(worst / P99_BUDGET).toFixed(2)}`,
    );

    const ci = generateKeyPair();
    const ciKey = keyStoreFromPem(ci.privateKeyPem);
    const pushRepos: string[] = [];
    for (let i = 0; i < 5; i++) {
      const repo = await upsertRepository(store.db, `acme/push${i}`, {
        publicKeyPem: ci.publicKeyPem,
        keyId: ci.keyId,
      });
      pushRepos.push((await createToken(store.db, repo.id)).token);
    }
    const N = 500;
    const bodies: Awaited<ReturnType<typeof scanPush>>[] = [];
    for (let i = 0; i < N; i++) {
      const at = new Date(Date.UTC(2026, 5, 1) + i * 60_000).toISOString();
      bodies.push(await scanPush(syntheticScan({ recordedAt: at, findings: PER_RUN }), `push-${i}`, ciKey));
    }
    let next = 0;
    const t2 = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (;;) {
          const i = next++;
          if (i >= N) return;
          await postWithRetry(base, pushRepos[i % pushRepos.length]!, bodies[i]);
        }
      }),
    );
    const rate = N / ((Date.now() - t2) / 1000);
    line(
      `push ingest: ${N} runs by 20 clients at ${rate.toFixed(0)} runs/s; budget ≥ 100 runs/s → ratio ${(rate / 100).toFixed(2)}`,
    );
    await app.close();
  } finally {
    await store.close();
    await drop?.();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

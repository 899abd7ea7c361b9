import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { ScanResult } from '../core/scan-result.js';
import { appendToLedger } from '../evidence/ledger.js';
import { tempDir } from '../evidence/test-support/fixtures.js';
import { syncFileLog } from '../indexer/sync.js';
import { forEachBackend } from '../store/testing/backends.js';
import { scanEnvelope, syntheticScan } from '../store/testing/synthetic.js';
import { type Harness, harness } from './testing/harness.js';
import { ViewCache } from './view-cache.js';

/** Fingerprints of the failing findings of `check` in `scan`, sorted. */
const failingOf = (scan: ScanResult, check: string): string[] =>
  scan.findings
    .filter((f) => f.checkId === check && f.outcome === 'fail')
    .map((f) => f.fingerprint)
    .sort();

forEachBackend('dashboard views', (b) => {
  let h: Harness;
  let headers: Record<string, string>;
  const dir = tempDir('evident-views-');
  const logs = { a: join(dir, 'a', 'ledger'), b: join(dir, 'b', 'ledger') };
  const scans = {
    a: syntheticScan({ recordedAt: '2026-03-01T10:00:00.000Z', findings: 40, failing: (i) => i % 3 === 0 }),
    b: syntheticScan({ recordedAt: '2026-03-02T10:00:00.000Z', findings: 40, failing: (i) => i % 4 === 0 }),
  };
  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json();
  };

  before(async () => {
    await appendToLedger(logs.a, [await scanEnvelope(scans.a, 'a-1')]);
    await appendToLedger(logs.b, [await scanEnvelope(scans.b, 'b-1')]);
    await syncFileLog(b.store(), { dir: logs.a, repo: 'acme/a' });
    await syncFileLog(b.store(), { dir: logs.b, repo: 'acme/b' });
    h = await harness(b.store(), { now: new Date('2026-03-20T00:00:00Z') });
    headers = await h.as('auditor');
  });

  test('requirement drill-down lists, per repository and failing check, exactly the open findings', async () => {
    const d = await get('/api/frameworks/soc2/requirements/CC6.1');
    assert.equal(d.requirement.status, 'fail');
    assert.deepEqual(
      d.repositories.map((r: { repo: string }) => r.repo),
      ['acme/a', 'acme/b'],
    );
    for (const r of d.repositories) {
      const scan = r.repo === 'acme/a' ? scans.a : scans.b;
      // CC6.1 is satisfied by SEC-1 (s3-bucket-encrypted) and SEC-3 (rds-storage-encrypted)
      assert.deepEqual(
        r.controls.map((c: { id: string }) => c.id),
        ['SEC-1', 'SEC-3'],
      );
      for (const c of r.controls) {
        const check = c.checks[0];
        const want = failingOf(scan, check.id);
        assert.ok(want.length > 0, 'the fixture fails every check');
        assert.equal(check.outcome, 'fail');
        assert.deepEqual(check.findings.map((f: { fingerprint: string }) => f.fingerprint).sort(), want);
        for (const f of check.findings) assert.equal(f.runId, r.runId);
      }
    }
  });

  test('control detail gives each repository its control and its open findings', async () => {
    const d = await get('/api/controls/SEC-2');
    assert.equal(d.repositories.length, 2);
    for (const r of d.repositories) {
      const scan = r.repo === 'acme/a' ? scans.a : scans.b;
      assert.equal(r.control.id, 'SEC-2');
      assert.deepEqual(
        r.control.checks[0].findings.map((f: { fingerprint: string }) => f.fingerprint).sort(),
        failingOf(scan, 'aws.s3-no-public-acl'),
      );
    }
    const none = await h.app.inject({ method: 'GET', url: '/api/controls/NOPE-1', headers });
    assert.equal(none.statusCode, 404);
  });

  test('a cached answer is replaced as soon as the index changes (same URL, same clock second)', async () => {
    const before1 = await get('/api/overview');
    const openBefore = (await get('/api/findings?repo=acme/a&status=open&limit=200')).total;
    assert.deepEqual(await get('/api/overview'), before1, 'a repeated read gives the same answer');
    const later = syntheticScan({
      recordedAt: '2026-03-05T10:00:00.000Z',
      findings: 40,
      failing: () => false,
    });
    await appendToLedger(logs.a, [await scanEnvelope(later, 'a-2')]);
    await syncFileLog(b.store(), { dir: logs.a, repo: 'acme/a' });
    const after1 = await get('/api/overview');
    const runA = (o: { repositories: { repo: string; runId: number }[] }) =>
      o.repositories.find((r) => r.repo === 'acme/a')!.runId;
    assert.notEqual(runA(after1), runA(before1), 'the overview shows the new run');
    assert.ok(openBefore > 0);
    assert.equal((await get('/api/findings?repo=acme/a&status=open&limit=200')).total, 0);
  });
});

test('view cache: concurrent misses share one computation; failures are not kept', async () => {
  const cache = new ViewCache(8);
  let calls = 0;
  const slow = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 10));
    return { n: calls };
  };
  const all = await Promise.all([1, 2, 3].map(() => cache.get(1, 100, '/x', slow)));
  assert.equal(calls, 1);
  assert.deepEqual(all, ['{"n":1}', '{"n":1}', '{"n":1}']);
  assert.equal(await cache.get(2, 100, '/x', slow), '{"n":2}', 'a new generation recomputes');
  assert.equal(await cache.get(2, 101, '/x', slow), '{"n":3}', 'a new second recomputes');
  await assert.rejects(
    cache.get(3, 100, '/y', async () => {
      throw new Error('boom');
    }),
  );
  assert.equal(await cache.get(3, 100, '/y', slow), '{"n":4}', 'a failure is not cached');
  for (let i = 0; i < 20; i++) await cache.get(4, 100, `/z${i}`, slow);
  assert.equal(await cache.get(4, 100, '/z19', slow), '{"n":24}', 'recent keys survive eviction');
});

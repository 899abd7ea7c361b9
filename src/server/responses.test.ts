/**
 * Every GET route that declares a response schema answers a body that parses with it, on a store holding pushed
 * runs, findings, waivers and an alert with a delivery. The compiler checks handler return types against the
 * schemas; this checks the values at run time (the JSON of database rows), so the dashboard's types are true.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { z } from 'zod';
import { testKey } from '../evidence/test-support/fixtures.js';
import { recordAlert, recordDelivery } from '../store/alerts.js';
import { openStore, type Store } from '../store/open-store.js';
import { createToken, upsertRepository } from '../store/repos.js';
import { scanPush, syntheticScan } from '../store/testing/synthetic.js';
import { ROUTES } from './routes/index.js';
import { type Harness, harness } from './testing/harness.js';

let store: Store;
let h: Harness;
let fingerprint = '';
before(async () => {
  store = await openStore({ memory: true });
  const server = testKey();
  const ci = testKey();
  h = await harness(store, { signer: server.signer, now: new Date('2026-03-20T00:00:00Z') });
  const repo = await upsertRepository(store.db, 'acme/payments', {
    publicKeyPem: ci.publicKeyPem,
    keyId: ci.keyId,
  });
  const { token } = await createToken(store.db, repo.id);
  for (const [i, day] of ['2026-03-01', '2026-03-10', '2026-03-18'].entries()) {
    const scan = syntheticScan({
      recordedAt: `${day}T00:00:00.000Z`,
      findings: 30,
      failing: (k) => k % (3 + i) === 0,
      waived: (k) => k === 5,
    });
    fingerprint ||= scan.findings.find((f) => f.outcome === 'fail')!.fingerprint;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/push',
      headers: { authorization: `Bearer ${token}` },
      payload: await scanPush(scan, `run-${i}`, ci.signer),
    });
    assert.equal(res.statusCode, 201, res.body);
  }
  const alert = await recordAlert(
    store.db,
    {
      kind: 'control-regressed',
      repoId: repo.id,
      subject: 'acme/payments SEC-1',
      message: 'SEC-1 passed and now fails',
      details: { drift: [] },
      dedupeKey: 'x',
    },
    ['chat'],
  );
  await recordDelivery(store.db, alert!, 'chat', 'retrying', 'HTTP 500');
});
after(() => store.close());

const PARAMS: Record<string, string> = {
  framework: 'soc2',
  requirement: 'CC6.1',
  control: 'SEC-1',
  id: '1',
  repo: 'acme%2Fpayments',
  name: 'acme%2Fpayments',
};

test('GET routes with a response schema answer bodies that parse with it', async () => {
  const admin = await h.as('admin');
  let checked = 0;
  for (const r of ROUTES) {
    if (r.method !== 'GET' || !r.response) continue;
    const url = r.url.replace(/:([A-Za-z]+)/g, (_m, k: string) =>
      k === 'fingerprint' ? fingerprint : PARAMS[k]!,
    );
    const res = await h.app.inject({ method: 'GET', url, headers: admin });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    const parsed = (r.response as z.ZodType).safeParse(res.json());
    assert.ok(
      parsed.success,
      `${url}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5))}`,
    );
    checked++;
  }
  assert.ok(checked >= 17, `checked ${checked} routes`);
});

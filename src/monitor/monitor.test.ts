import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { testKey } from '../evidence/test-support/fixtures.js';
import { acceptPush } from '../server/push.js';
import type { ServerContext } from '../server/route.js';
import { listAlerts } from '../store/queries.js';
import type { Repository } from '../store/repos.js';
import { createToken, upsertRepository } from '../store/repos.js';
import { forEachBackend } from '../store/testing/backends.js';
import { scanPush, syntheticScan } from '../store/testing/synthetic.js';
import { type Monitor, startMonitor } from './monitor.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let hook: Server;
let base = '';
const received: Received[] = [];
let failFirst = 0;
before(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/flaky' && failFirst > 0) {
        failFirst--;
        res.writeHead(503).end('try later');
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => hook.close(() => r())));

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

forEachBackend('monitor', (b) => {
  const key = testKey();
  let repo: Repository;
  let monitors: Monitor[] = [];
  process.env.EVIDENT_TEST_HOOK_SECRET = 'hook-secret';
  before(async () => {
    repo = await upsertRepository(b.store().db, 'payments', {
      publicKeyPem: key.publicKeyPem,
      keyId: key.keyId,
    });
    await createToken(b.store().db, repo.id);
  });
  after(async () => {
    for (const m of monitors) await m.stop();
  });

  test('a control going from pass to fail raises one alert, delivered to Slack-style and HMAC-signed webhooks, retried on failure', async () => {
    received.length = 0;
    failFirst = 1;
    const config = {
      webhooks: [
        { name: 'chat', url: `${base}/slack`, format: 'slack' as const },
        {
          name: 'siem',
          url: `${base}/flaky`,
          format: 'generic' as const,
          secretEnv: 'EVIDENT_TEST_HOOK_SECRET',
        },
      ],
    };
    const opts = {
      config,
      origin: 'evident.test/server',
      work: true,
      pollingIntervalSeconds: 0.5,
      retry: { retryLimit: 3, retryDelay: 1, retryBackoff: true },
    };
    // two workers on one store: no job may run twice
    monitors = [await startMonitor(b.store(), opts), await startMonitor(b.store(), opts)];
    const ctx = {
      store: b.store(),
      origin: 'evident.test/server',
      fileLogs: [],
      now: () => new Date(),
      secureCookies: true,
    } as ServerContext;
    const push = async (at: string, failing: (i: number) => boolean, id: string) => {
      const body = await scanPush(syntheticScan({ recordedAt: at, findings: 20, failing }), id, key.signer);
      return acceptPush(ctx, repo, body as never);
    };
    await push('2026-03-01T00:00:00.000Z', () => false, 'm-1');
    await push('2026-03-02T00:00:00.000Z', (i) => i === 3, 'm-2'); // k8s.no-privileged → SEC-4 fails
    await monitors[0]!.enqueue('run-indexed', { repoId: repo.id });
    await monitors[1]!.enqueue('run-indexed', { repoId: repo.id }); // the same drift twice: one alert
    const alert = await waitFor('delivered alert', async () => {
      const a = await listAlerts(b.store().db, { limit: 10, offset: 0 });
      return a.length === 1 && a[0]!.deliveries.every((d) => d.status === 'delivered') ? a[0] : undefined;
    });
    assert.equal(alert.kind, 'control-regressed');
    assert.match(alert.subject, /payments: control SEC-4 now fails/);
    const slack = received.filter((r) => r.path === '/slack');
    assert.equal(slack.length, 1, 'the Slack-style webhook got exactly one request');
    assert.match(JSON.parse(slack[0]!.body).text, /SEC-4/);
    const siem = received.filter((r) => r.path === '/flaky');
    assert.equal(siem.length, 2, 'the generic webhook failed once and was retried once');
    const sig = siem[1]!.headers['x-evident-signature'];
    const ts = siem[1]!.headers['x-evident-timestamp'];
    const want = createHmac('sha256', 'hook-secret').update(`${ts}.${siem[1]!.body}`).digest('hex');
    assert.equal(sig, `sha256=${want}`);
    assert.equal(JSON.parse(siem[1]!.body).alert.id, alert.id);
    const d = alert.deliveries.find((x) => x.webhook === 'siem')!;
    assert.equal(d.attempts, 2);
  });

  test('waivers near expiry raise an alert once', async () => {
    const ctx = {
      store: b.store(),
      origin: 'evident.test/server',
      fileLogs: [],
      now: () => new Date(),
      secureCookies: true,
    } as ServerContext;
    const body = await scanPush(
      syntheticScan({
        recordedAt: '2026-03-03T00:00:00.000Z',
        findings: 20,
        failing: (i) => i === 3,
        waived: (i) => i === 3,
      }),
      'm-3',
      key.signer,
    );
    await acceptPush(ctx, repo, body as never);
    const at = new Date('2027-01-25T00:00:00.000Z'); // the synthetic waiver expires 2027-01-31
    const first = await monitors[0]!.checkExpiry(at);
    assert.ok(first >= 1);
    assert.equal(await monitors[1]!.checkExpiry(at), 0, 'the same expiry is not raised twice');
    const a = await listAlerts(b.store().db, { kind: 'waiver-expiring', limit: 10, offset: 0 });
    assert.equal(a.length, 1);
    assert.match(a[0]!.subject, /expires in 6 days/);
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '../store/open-store.js';
import { ROLES } from './roles.js';
import { ROUTES } from './routes/index.js';
import { type Harness, harness } from './testing/harness.js';

const SAMPLE: Record<string, string> = {
  framework: 'soc2',
  requirement: 'CC6.1',
  control: 'SEC-1',
  id: '999',
  repo: 'payments',
  name: 'payments',
  fingerprint: 'a'.repeat(64),
};

const urlOf = (u: string) => u.replace(/:([A-Za-z]+)/g, (_, k: string) => SAMPLE[k] ?? 'x');

let store: Store;
let h: Harness;
before(async () => {
  store = await openStore({ memory: true });
  h = await harness(store);
});
after(() => store.close());

test('every route declares its access, and session routes name known roles', () => {
  for (const r of ROUTES) {
    assert.ok(['public', 'token', 'session'].includes(r.access.kind), `${r.method} ${r.url}`);
    if (r.access.kind === 'session') {
      assert.ok(r.access.roles.length > 0, `${r.method} ${r.url} allows nobody`);
      for (const role of r.access.roles) assert.ok(ROLES.includes(role), `${r.method} ${r.url}: ${role}`);
    }
  }
  const publics = ROUTES.filter((r) => r.access.kind === 'public').map((r) => r.url);
  assert.deepEqual(publics, ['/api/login'], 'only login is public among API routes');
});

test('route table × every role: allowed roles get through, others get 403; no session gets 401', async () => {
  const matrix: string[] = [];
  for (const r of ROUTES) {
    if (r.access.kind === 'public') continue;
    const url = urlOf(r.url);
    const anon = await h.app.inject({ method: r.method, url, payload: r.method === 'GET' ? undefined : {} });
    assert.equal(anon.statusCode, 401, `${r.method} ${r.url} without credentials: ${anon.body}`);
    assert.match(anon.json().error, /E_UNAUTHENTICATED/);
    if (r.access.kind !== 'session') continue;
    for (const role of ROLES) {
      const headers = await h.as(role);
      const res = await h.app.inject({
        method: r.method,
        url,
        headers,
        payload: r.method === 'GET' ? undefined : {},
      });
      const allowed = r.access.roles.includes(role);
      if (allowed) {
        assert.ok(
          ![401, 403].includes(res.statusCode),
          `${role} ${r.method} ${r.url} should be allowed: ${res.statusCode} ${res.body}`,
        );
        assert.ok(res.statusCode < 500, `${role} ${r.method} ${r.url}: ${res.statusCode} ${res.body}`);
      } else {
        assert.equal(res.statusCode, 403, `${role} ${r.method} ${r.url} should be refused: ${res.body}`);
        assert.equal(res.json().error, 'E_FORBIDDEN');
      }
      matrix.push(`${role} ${r.method} ${r.url} ${allowed ? 'allow' : 'deny'}`);
    }
  }
  // the auditor is read-only: every route it may call is a GET
  for (const r of ROUTES) {
    if (r.access.kind === 'session' && r.access.roles.includes('auditor')) {
      assert.ok(r.method === 'GET' || r.url === '/api/logout', `auditor may ${r.method} ${r.url}`);
    }
  }
  assert.ok(matrix.length >= ROUTES.length * 2);
});

test('state-changing routes need the CSRF token of the session', async () => {
  const headers = await h.as('admin');
  const { 'x-csrf-token': _csrf, ...noCsrf } = headers;
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: noCsrf,
    payload: { email: 'x@example.com', role: 'auditor' },
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error, 'E_CSRF');
  const other = await h.as('admin');
  const wrong = await h.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { ...noCsrf, 'x-csrf-token': other['x-csrf-token']! },
    payload: { email: 'x@example.com', role: 'auditor' },
  });
  assert.equal(wrong.statusCode, 403, "another session's token is refused");
  const ok = await h.app.inject({
    method: 'POST',
    url: '/api/users',
    headers,
    payload: { email: 'x@example.com', role: 'auditor' },
  });
  assert.equal(ok.statusCode, 201);
  assert.match(ok.json().oneTimePassword, /^[A-Za-z0-9_-]{20}$/);
});

test('login sets a Secure, HttpOnly, SameSite=Strict cookie; wrong passwords are refused and rate limited', async () => {
  await h.as('reviewer');
  const ok = await h.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { email: 'reviewer@example.com', password: 'correct horse battery staple' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const cookie = String(ok.headers['set-cookie']);
  assert.match(cookie, /evident_session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /Secure/);
  assert.match(cookie, /SameSite=Strict/);
  const session = await h.app.inject({
    method: 'GET',
    url: '/api/session',
    headers: { cookie: cookie.split(';')[0]! },
  });
  assert.equal(session.json().user.role, 'reviewer');
  assert.equal(session.json().csrfToken, ok.json().csrfToken);
  const codes: number[] = [];
  for (let i = 0; i < 11; i++) {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { email: 'reviewer@example.com', password: `wrong${i}` },
    });
    codes.push(bad.statusCode);
  }
  assert.equal(codes[0], 401);
  assert.equal(codes.at(-1), 429, `login is rate limited: ${codes.join(',')}`);
});

test('security headers, public probes and OpenAPI; errors do not leak internals', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(res.statusCode, 200);
  assert.ok(res.headers['content-security-policy']);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.ok(res.headers['strict-transport-security']);
  assert.equal((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  assert.equal(doc.openapi, '3.1.0');
  for (const r of ROUTES) {
    const p = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    assert.ok(doc.paths[p]?.[r.method.toLowerCase()], `OpenAPI documents ${r.method} ${p}`);
  }
  assert.ok(doc.paths['/api/findings'].get.parameters.some((p: { name: string }) => p.name === 'severity'));
  const headers = await h.as('admin');
  const bad = await h.app.inject({ method: 'GET', url: '/api/findings?sort=1;drop%20table%20runs', headers });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error, 'E_VALIDATION');
  const malformed = await h.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: '{"email": ',
  });
  assert.equal(malformed.statusCode, 400);
  for (const body of [bad.body, malformed.body]) {
    assert.doesNotMatch(body, /at \w+ \(|\/work\/|node_modules|select |SQL/i);
  }
  const page = await h.app.inject({ method: 'GET', url: '/' });
  assert.match(page.body, /Evident server/);
});

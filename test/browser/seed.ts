/**
 * A seeded server for the browser tests, built the way a team would: Ed25519 keys (as `evident keygen` writes them), `evident scan` of
 * examples/platform (signed), `evident user add`, `evident repo add|token`, `evident serve` (the BUILT server on an
 * embedded store: DATABASE_URL is emptied in its environment), `evident push` of the scan run, and a second
 * repository whose CI pushed a month of runs (synthetic scans, signed with its key, POSTed to /api/push), so the
 * chart has a history and the overview pools two repositories. Not product code.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanResult } from '../../src/core/scan-result.js';
import { tempDir, testKey } from '../../src/evidence/test-support/fixtures.js';
import { scanPush, syntheticScan } from '../../src/store/testing/synthetic.js';
import { evident, REPO } from '../e2e/helpers.js';

/** Password of the admin. */
export const PASSWORD = 'correct horse battery staple';
/** Seeded users, by role. */
export const USERS = { admin: 'admin@example.com', auditor: 'auditor@example.com' } as const;
/** Repository names. */
export const EXAMPLE_REPO = 'acme/platform';
export const HISTORY_REPO = 'acme/payments';

/** A running seeded server. */
export interface Seeded {
  url: string;
  dir: string;
  /** `evident scan examples/platform --format json` of the pushed run. */
  scan: ScanResult;
  /** How long each seeding step took (printed by the test). */
  timings: string[];
  /** The auditor's one-time password (from `POST /api/users`). */
  auditorPassword: string;
  /** The synthetic runs of {@link HISTORY_REPO}, oldest first. */
  history: ScanResult[];
  serverPub: string;
  examplePub: string;
  historyPub: string;
  close(): Promise<void>;
}

function must(r: { status: number; stdout: string; stderr: string }, what: string, ok = [0]): string {
  if (!ok.includes(r.status)) throw new Error(`${what} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Starts `evident serve --port 0` in `dir`; resolves with its URL once it listens. */
function serve(dir: string, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'evident.js'), 'serve', '--port', '0'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`evident serve did not start in 2 minutes:\n${out}\n${err}`)),
      120_000,
    );
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`evident serve exited ${code}:\n${out}\n${err}`));
    });
  });
}

/** Builds and starts the seeded server (see module doc). Needs `npm run build` (dist/ and dist/web). */
export async function seededServer(): Promise<Seeded> {
  const dir = tempDir('evident-browser-');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', EVIDENT_LOG: 'warn' };
  env.DATABASE_URL = ''; // the embedded store, whatever the CI environment says (empty: not PostgreSQL)
  const run = (args: string[], opts: { input?: string; ok?: number[]; env?: NodeJS.ProcessEnv } = {}) =>
    must(
      opts.input === undefined
        ? evident(args, { cwd: dir, env: { ...env, ...opts.env } })
        : evidentWithInput(args, opts.input, dir, env),
      `evident ${args.join(' ')}`,
      opts.ok,
    );

  const timings: string[] = [];
  let t0 = Date.now();
  const lap = (what: string) => {
    timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
  };
  for (const who of ['server', 'ci']) {
    const k = testKey();
    mkdirSync(join(dir, 'keys', who), { recursive: true });
    writeFileSync(join(dir, 'keys', who, 'evident.key'), k.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'keys', who, 'evident.pub'), k.publicKeyPem);
  }
  const history = testKey();
  writeFileSync(join(dir, 'payments-ci.pub'), history.publicKeyPem);

  // exit 1: the example has deliberate violations
  run(
    [
      'scan',
      join(REPO, 'examples', 'platform'),
      '--format',
      'json',
      '--output',
      join(dir, 'scan.json'),
      '--quiet',
      '--ledger',
      join(dir, 'ci-ledger'),
      '--key-file',
      join(dir, 'keys', 'ci', 'evident.key'),
    ],
    { ok: [1] },
  );
  const scan = JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8')) as ScanResult;
  lap('scan');

  // one admin from the CLI; everything else through the admin API, as an admin would
  run(['user', 'add', USERS.admin, '--role', 'admin', '--password-stdin'], { input: PASSWORD });
  lap('user add');
  const server = await serve(dir, {
    ...env,
    EVIDENT_SIGNING_KEY_FILE: join(dir, 'keys', 'server', 'evident.key'),
  });
  lap('serve');
  try {
    const admin = await adminApi(server.url);
    const created = (await admin('POST', '/api/users', { email: USERS.auditor, role: 'auditor' })) as {
      oneTimePassword: string;
    };
    for (const [name, pub] of [
      [EXAMPLE_REPO, join(dir, 'keys', 'ci', 'evident.pub')],
      [HISTORY_REPO, join(dir, 'payments-ci.pub')],
    ] as const) {
      await admin('POST', '/api/repositories', { name, publicKeyPem: readFileSync(pub, 'utf8') });
    }
    const token = async (name: string) =>
      ((await admin('POST', `/api/repositories/${encodeURIComponent(name)}/tokens`)) as { token: string })
        .token;
    const exampleToken = await token(EXAMPLE_REPO);
    const historyToken = await token(HISTORY_REPO);
    run(['push', '--server', server.url, '--ledger', join(dir, 'ci-ledger')], {
      env: { EVIDENT_PUSH_TOKEN: exampleToken },
    });
    lap('admin API and push');
    const runs: ScanResult[] = [];
    const now = Date.now();
    // a month of runs, improving: fewer failing findings each week; the last one regresses one check
    // (finding i is on check i % 5; a check with one failing finding fails its control)
    const failingChecks = (checks: number[]) => (i: number) => checks.includes(i % 5) && i % 3 === 0;
    const plan = [
      { daysAgo: 29, fails: failingChecks([0, 1, 2, 3]) },
      { daysAgo: 22, fails: failingChecks([0, 1, 3]) },
      { daysAgo: 15, fails: failingChecks([1, 3]) },
      { daysAgo: 8, fails: failingChecks([3]) },
      { daysAgo: 2, fails: failingChecks([1, 3]) },
    ];
    for (const [n, p] of plan.entries()) {
      const recordedAt = new Date(now - p.daysAgo * 86_400_000).toISOString();
      const s = syntheticScan({ recordedAt, findings: 60, failing: p.fails });
      runs.push(s);
      const body = await scanPush(s, `00000000-0000-4000-8000-00000000000${n}`, history.signer);
      const res = await fetch(`${server.url}/api/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${historyToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201)
        throw new Error(`push of synthetic run ${n}: HTTP ${res.status} ${await res.text()}`);
    }
    lap('synthetic pushes');
    return {
      timings,
      url: server.url,
      dir,
      auditorPassword: created.oneTimePassword,
      scan,
      history: runs,
      serverPub: join(dir, 'keys', 'server', 'evident.pub'),
      examplePub: join(dir, 'keys', 'ci', 'evident.pub'),
      historyPub: join(dir, 'payments-ci.pub'),
      async close() {
        if (server.child.exitCode !== null) return;
        const exited = new Promise((r) => server.child.once('exit', r));
        server.child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (err) {
    server.child.kill('SIGKILL');
    throw err;
  }
}

function evidentWithInput(args: string[], input: string, cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'evident.js'), ...args], {
    cwd,
    env,
    input,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Logs in as the admin over HTTP; returns a caller sending the session cookie and CSRF token. */
async function adminApi(
  url: string,
): Promise<(method: string, path: string, body?: unknown) => Promise<unknown>> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS.admin, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`admin login: HTTP ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method, path, body) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
}

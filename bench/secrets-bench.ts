// Secrets budgets (issue 10):
//  1. Tree scan at least 3x faster than secretlint 11 (@secretlint/quick-start, recommended preset) on
//     ../shared/corpora as a whole plus a planted-secret set, with at least its recall on the planted set.
//  2. History scan of 10,000 commits within 3x the time of `git log -p` over them (repository made
//     with git fast-import).
// Both tools run as CLI processes (start-up included), each median of BENCH_RUNS (default 3).
// Run: `npm run build && node --import tsx bench/secrets-bench.ts`. The machine is shared: the lead
// re-runs this on a quiet machine. Every planted secret is random, made here at run time.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const corpora = fileURLToPath(new URL('../../shared/corpora', import.meta.url));
const secretlint = join(repo, 'node_modules/@secretlint/quick-start/bin/quick-start.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 10_000);
if (!existsSync(corpora) || !existsSync(secretlint)) {
  console.error('needs ../shared/corpora and @secretlint/quick-start (npm ci)');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'evident-secrets-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number, a = ALNUM) => [...randomBytes(n)].map((b) => a[b % a.length]).join('');

// ---- the planted set: one secret per file, kinds both tools claim to find plus Evident's own ----
const planted = join(work, 'planted');
mkdirSync(planted);
const plants: { file: string; secret: string }[] = [];
const plant = (file: string, secret: string, text: string) => {
  mkdirSync(join(planted, file, '..'), { recursive: true });
  writeFileSync(join(planted, file), text);
  plants.push({ file, secret });
};
for (let i = 0; i < 5; i++) {
  const id = `AKIA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
  plant(`aws/id-${i}.env`, id, `AWS_ACCESS_KEY_ID=${id}\n`);
  const sk = rand(40, `${ALNUM}/+`);
  plant(`aws/secret-${i}.py`, sk, `aws_secret_access_key = "${sk}"\n`);
  const gh = `ghp_${rand(36)}`;
  plant(`github/token-${i}.sh`, gh, `export GITHUB_TOKEN=${gh}\n`);
  const slack = `xoxb-${rand(11, '0123456789')}-${rand(12, '0123456789')}-${rand(24)}`;
  plant(`slack/bot-${i}.js`, slack, `const token = "${slack}";\n`);
  const npm = `npm_${rand(36)}`;
  plant(`npm/ci-${i}.npmrc`, npm, `//registry.npmjs.org/:_authToken=${npm}\n`);
  const sg = `SG.${rand(22)}.${rand(43)}`;
  plant(`sendgrid/mail-${i}.js`, sg, `const key = "${sg}";\n`);
  const pw = `Pw${rand(14)}`;
  plant(`db/url-${i}.yaml`, pw, `database_url: postgres://app:${pw}@db.internal:5432/app\n`);
  const body = rand(64 * 12, `${ALNUM}+/`).replace(/(.{64})/g, '$1\n');
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----`;
  plant(`keys/id_rsa_${i}`, pem.split('\n')[1]!, `${pem}\n`);
  const gkey = `AIza${rand(35)}`;
  plant(`gcp/maps-${i}.js`, gkey, `const mapsKey = "${gkey}";\n`);
  const stripe = `sk_live_${rand(24)}`;
  plant(`stripe/pay-${i}.rb`, stripe, `Stripe.api_key = "${stripe}"\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function time(cmd: string, args: string[], cwd: string): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', EVIDENT_SECRETS_SALT: 'bench-salt-0123456789abcdef' },
  });
  return { ms: performance.now() - t0, stdout: r.stdout };
}
const evidentSecrets = (root: string) =>
  time(
    process.execPath,
    [join(repo, 'bin/evident.js'), 'secrets', root, '--format', 'json', '--quiet', '--no-evidence'],
    repo,
  );
const secretlintRun = (root: string) =>
  time(process.execPath, [secretlint, '**/*', '--format', 'json', '--maskSecrets'], root);

/** Planted files a tool reported (by file). */
function recallEvident(stdout: string): Set<string> {
  const r = JSON.parse(stdout) as {
    findings: { checkId: string; outcome: string; location: { file: string } }[];
  };
  return new Set(
    r.findings
      .filter((f) => f.checkId === 'secrets.no-secrets-in-code' && f.outcome === 'fail')
      .map((f) => f.location.file),
  );
}
function recallSecretlint(stdout: string): Set<string> {
  const r = JSON.parse(stdout || '[]') as { filePath: string; messages: unknown[] }[];
  return new Set(r.filter((f) => f.messages.length > 0).map((f) => f.filePath.slice(planted.length + 1)));
}

console.log(`tree scan: ../shared/corpora + ${plants.length} planted secrets, median of ${RUNS}`);
const ev: number[] = [];
const sl: number[] = [];
let evFound = new Set<string>();
let slFound = new Set<string>();
for (let i = 0; i < RUNS; i++) {
  const a = evidentSecrets(corpora);
  const b = evidentSecrets(planted);
  ev.push(a.ms + b.ms);
  evFound = recallEvident(b.stdout);
  const c = secretlintRun(corpora);
  const d = secretlintRun(planted);
  sl.push(c.ms + d.ms);
  slFound = recallSecretlint(d.stdout);
  console.log(
    `  run ${i + 1}: evident ${(ev.at(-1)! / 1000).toFixed(2)} s, secretlint ${(sl.at(-1)! / 1000).toFixed(2)} s`,
  );
}
const speedup = median(sl) / median(ev);
console.log(
  `  evident secrets: ${(median(ev) / 1000).toFixed(2)} s; secretlint: ${(median(sl) / 1000).toFixed(2)} s; evident is ${speedup.toFixed(2)}x faster (budget >= 3x): ${speedup >= 3 ? 'OK' : 'OVER BUDGET'}`,
);
const recall = (found: Set<string>) => plants.filter((p) => found.has(p.file)).length;
console.log(
  `  recall on the planted set: evident ${recall(evFound)}/${plants.length}, secretlint ${recall(slFound)}/${plants.length}: ${recall(evFound) >= recall(slFound) ? 'OK' : 'BELOW secretlint'}`,
);
const missed = plants.filter((p) => !evFound.has(p.file)).map((p) => p.file);
if (missed.length) console.log(`  evident missed: ${missed.join(', ')}`);

// ---- history: a repository of COMMITS commits made with git fast-import ----
const hist = join(work, 'history');
mkdirSync(hist);
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: hist });
const chunks: string[] = [];
let mark = 0;
for (let i = 0; i < COMMITS; i++) {
  const lines = Array.from(
    { length: 8 },
    (_, j) => `line ${i}.${j}: value = "${rand(12)}" # config ${rand(6)}`,
  );
  if (i % 997 === 0) lines.push(`db_password = "Hx${rand(18)}"`);
  const content = `${lines.join('\n')}\n`;
  const when = 1_700_000_000 + i * 60;
  chunks.push(
    `commit refs/heads/main\nmark :${++mark}\ncommitter Bench <bench@example.invalid> ${when} +0000\ndata 11\ncommit ${String(i % 1000).padStart(3, '0')}\n` +
      `M 100644 inline src/file-${i % 200}.cfg\ndata ${Buffer.byteLength(content)}\n${content}\n`,
  );
}
execFileSync('git', ['fast-import', '--quiet'], { cwd: hist, input: chunks.join('') });
execFileSync('git', ['checkout', '-q', 'main'], { cwd: hist });
console.log(`history: ${COMMITS} commits (git fast-import), median of ${RUNS}`);
const gl: number[] = [];
const eh: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  execFileSync('sh', ['-c', 'git log -p --all > /dev/null'], { cwd: hist });
  gl.push(performance.now() - t0);
  eh.push(
    time(
      process.execPath,
      [
        join(repo, 'bin/evident.js'),
        'secrets',
        hist,
        '--history',
        '--format',
        'json',
        '--quiet',
        '--no-evidence',
      ],
      repo,
    ).ms,
  );
  console.log(
    `  run ${i + 1}: git log -p ${(gl.at(-1)! / 1000).toFixed(2)} s, evident secrets --history ${(eh.at(-1)! / 1000).toFixed(2)} s`,
  );
}
const ratio = median(eh) / median(gl);
console.log(
  `  git log -p: ${(median(gl) / 1000).toFixed(2)} s; evident secrets --history: ${(median(eh) / 1000).toFixed(2)} s; ratio ${ratio.toFixed(2)} (budget <= 3): ${ratio <= 3 ? 'OK' : 'OVER BUDGET'}`,
);

// Secrets and vulnerability clocks end to end through the built CLI: a repository with planted secrets
// (working tree and git history) and a vulnerable lockfile; every format, the evidence log, blobs,
// the audit bundle and the SBOM are written, then every byte Evident wrote is searched for the secrets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { evident, REPO, scanJson } from './helpers.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number, a = ALNUM) => [...randomBytes(n)].map((b) => a[b % a.length]).join('');
// n different characters: always above the generic rule's entropy threshold (a plain draw sometimes is not)
const distinct = (n: number) =>
  [...ALNUM]
    .map((c) => ({ c, k: randomBytes(4).readUInt32BE() }))
    .sort((a, b) => a.k - b.k)
    .slice(0, n)
    .map((x) => x.c)
    .join('');

const work = mkdtempSync(join(tmpdir(), 'evident-e2e-secrets-'));
after(() => rmSync(work, { recursive: true, force: true }));
const repo = join(work, 'repo');
const out = join(work, 'out');
mkdirSync(repo);
mkdirSync(out);

// secrets made at run time: nothing real-looking is committed to Evident's own repository
const awsKey = `AKIA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
const awsSecret = `Q${rand(39, `${ALNUM}/+`)}`;
const ghToken = `ghp_${rand(36)}`;
const dbPassword = `Pw-${distinct(18)}`;
const historyOnly = `xoxb-${rand(12)}-${rand(24)}`;
const tfPassword = `Tf${distinct(18)}`;
const PLANTED = [awsKey, awsSecret, ghToken, dbPassword, historyOnly, tfPassword];

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.invalid',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.invalid',
      GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
      GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
    },
    encoding: 'utf8',
  });
const write = (rel: string, text: string) => {
  mkdirSync(join(repo, rel, '..'), { recursive: true });
  writeFileSync(join(repo, rel), text);
};

git('init', '-q', '-b', 'main');
write('notify.py', `SLACK_TOKEN = "${historyOnly}"\n`);
git('add', '.');
git('commit', '-qm', 'add notifier');
write('notify.py', 'import os\nSLACK_TOKEN = os.environ["SLACK_TOKEN"]\n');
git('commit', '-qam', 'read the token from the environment');
write(
  'config/settings.py',
  `AWS_ACCESS_KEY_ID = "${awsKey}"\naws_secret_access_key = "${awsSecret}"\nDB_PASSWORD = "${dbPassword}"\n`,
);
write('deploy.sh', `#!/bin/sh\nexport GITHUB_TOKEN=${ghToken}\n`);
write(
  'infra/main.tf',
  `resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = "${tfPassword}"\n  storage_encrypted = true\n}\n`,
);
write('.gitignore', 'ignored/\n');
write('ignored/leak.txt', `password = "Ignored-${rand(16)}"\n`);
write(
  'package-lock.json',
  JSON.stringify({
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: { lodash: '^4.17.0' } },
      'node_modules/lodash': { version: '4.17.20' },
    },
  }),
);
cpSync(join(REPO, 'src/checks/deps/vulnerability-sla/osv'), join(repo, 'osv'), { recursive: true });
write(
  'evident.yaml',
  `frameworks: [soc2, iso27001-2022]
controls:
  - id: SEC-1
    title: Secrets are not in code
    satisfies: { soc2: [CC6.1], iso27001-2022: [A.5.17] }
    checks: [secrets.no-secrets-in-code, secrets.rotation-sla]
  - id: VULN-1
    title: Vulnerabilities are patched on time
    satisfies: { soc2: [CC7.1], iso27001-2022: [A.8.8] }
    checks: [deps.vulnerability-sla]
secrets:
  history: true
dependencies:
  osv: osv
sla:
  high: 3d
`,
);
git('add', '.');
git('commit', '-qm', 'app');

const ledger = join(out, 'evident', 'ledger');
const keyDir = join(out, 'keys');
const keygen = evident(['keygen', '--out', keyDir]);
if (keygen.status !== 0) throw new Error(keygen.stderr);
const env = {
  EVIDENT_SECRETS_SALT: 'e2e-salt-of-this-test-0123456789',
  EVIDENT_SIGNING_KEY_FILE: join(keyDir, 'evident.key'),
};

describe('secrets and vulnerability clocks', () => {
  test('first run: secrets found in tree and history, vulnerability open, clocks unknown (no earlier run)', () => {
    const run = scanJson([repo, '--ledger', ledger], { env });
    const r = run.result;
    const secretFindings = r.findings.filter((f) => f.checkId === 'secrets.no-secrets-in-code');
    const rules = secretFindings.map((f) => f.subject.type).sort();
    assert.ok(rules.includes('aws-access-key-id'), rules.join(','));
    assert.ok(rules.includes('aws-secret-access-key'), rules.join(','));
    assert.ok(rules.includes('github-token'), rules.join(','));
    assert.ok(rules.includes('generic-secret-assignment'), rules.join(','));
    const slack = secretFindings.find((f) => f.subject.type === 'slack-token');
    assert.ok(slack, 'the token removed from the tree is found in history');
    assert.match(slack.message, /git history only/);
    assert.match(slack.message, /2026-01-02T03:04:05/);
    assert.equal(slack.secret?.where, 'history');
    assert.match(slack.secret?.commit ?? '', /^[0-9a-f]{40}$/);
    assert.match(slack.secret?.authorDate ?? '', /^2026-01-02T03:04:05/);
    assert.match(slack.secret?.preview ?? '', /^xoxb\*+$/);
    assert.ok(!secretFindings.some((f) => f.location.file.startsWith('ignored/')), '.gitignore is respected');
    const vuln = r.findings.find((f) => f.checkId === 'deps.vulnerability-sla' && f.sla);
    assert.equal(vuln?.outcome, 'unknown');
    assert.equal(vuln?.sla?.state, 'unknown');
    assert.match(vuln?.message ?? '', /no earlier run/);
    assert.ok(
      r.findings.filter((f) => f.checkId === 'secrets.rotation-sla').every((f) => f.outcome === 'unknown'),
    );
    assert.equal(run.status, 1);
  });

  test('a later run clocks from the first: within the deadline passes with time left, past it fails', () => {
    const within = scanJson([repo, '--ledger', ledger], { env }).result;
    const v1 = within.findings.find((f) => f.checkId === 'deps.vulnerability-sla' && f.sla)!;
    assert.equal(v1.outcome, 'pass');
    assert.equal(v1.sla?.state, 'within');
    assert.equal(v1.sla?.budgetHours, 72, 'evident.yaml sla.high applies');
    assert.match(v1.message, /left/);
    const later = new Date(Date.parse(v1.sla!.firstSeen!) + 80 * 3_600_000).toISOString();
    const overdue = scanJson([repo, '--ledger', ledger, '--now', later], { env }).result;
    const v2 = overdue.findings.find((f) => f.checkId === 'deps.vulnerability-sla' && f.sla)!;
    assert.equal(v2.outcome, 'fail');
    assert.equal(v2.sla?.firstSeen, v1.sla?.firstSeen, 'first seen stays the first run');
    assert.equal(overdue.evaluatedAt, later);
    assert.notEqual(overdue.startedAt, later, 'the run itself is recorded at the real time');
    const vulnControl = overdue.controls.find((c) => c.id === 'VULN-1');
    assert.equal(vulnControl?.status, 'fail');
    const rotation = overdue.findings.filter((f) => f.checkId === 'secrets.rotation-sla');
    assert.ok(
      rotation.length > 0 && rotation.every((f) => f.outcome === 'fail'),
      'secrets past 24 h fail rotation',
    );
  });

  test('a waiver (owner, reason, expiry) extends an overdue deadline until it expires', () => {
    const first = scanJson([repo, '--ledger', ledger, '--no-evidence'], { env }).result;
    const open = first.findings.find((f) => f.checkId === 'deps.vulnerability-sla' && f.sla)!;
    const overdueAt = Date.parse(open.sla!.firstSeen!) + 80 * 3_600_000;
    const expires = new Date(overdueAt + 5 * 86_400_000).toISOString().slice(0, 10);
    const map = join(out, 'waived.yaml');
    writeFileSync(
      map,
      // outside the repository: the map's relative paths would resolve beside it, so the database is absolute
      `${readFileSync(join(repo, 'evident.yaml'), 'utf8').replace('osv: osv', `osv: ${join(repo, 'osv')}`)}waivers:
  - check: deps.vulnerability-sla
    resource: "${open.subject.address}"
    owner: security@example.invalid
    reason: lodash upgrade blocked on the template engine; patch scheduled (SEC-9)
    expires: ${expires}
`,
    );
    const at = (ms: number) =>
      scanJson([repo, '--ledger', ledger, '--no-evidence', '-c', map, '--now', new Date(ms).toISOString()], {
        env,
      }).result;
    const waived = at(overdueAt);
    const w = waived.findings.find((f) => f.checkId === 'deps.vulnerability-sla' && f.sla)!;
    assert.equal(w.outcome, 'fail', 'the deadline was still missed');
    assert.equal(w.waiver?.owner, 'security@example.invalid');
    assert.equal(w.waiver?.expired, false);
    assert.notEqual(
      waived.controls.find((c) => c.id === 'VULN-1')?.status,
      'fail',
      'the waiver holds the control',
    );
    const lapsed = at(overdueAt + 7 * 86_400_000);
    const l = lapsed.findings.find((f) => f.checkId === 'deps.vulnerability-sla' && f.sla)!;
    assert.equal(l.waiver?.expired, true);
    assert.equal(
      lapsed.controls.find((c) => c.id === 'VULN-1')?.status,
      'fail',
      'an expired waiver fails again',
    );
  });

  test('every format lists the open vulnerability with its deadline', () => {
    for (const format of ['table', 'markdown', 'sarif', 'junit', 'json']) {
      const file = join(out, `report.${format}`);
      evident(['scan', repo, '--ledger', ledger, '--format', format, '--output', file, '--quiet'], { env });
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes('GHSA-35jh-r3h4-6jhm'), `${format} names the advisory`);
      assert.match(text, /deadline/i, `${format} gives the deadline`);
    }
  });

  test('sbom writes CycloneDX 1.6 and keeps it as evidence; export carries the remediation population', () => {
    const sbomFile = join(out, 'sbom.cdx.json');
    const s = evident(['sbom', repo, '--ledger', ledger, '--output', sbomFile, '--quiet'], { env });
    assert.equal(s.status, 0, s.stderr);
    const sbom = JSON.parse(readFileSync(sbomFile, 'utf8'));
    assert.equal(sbom.specVersion, '1.6');
    assert.ok(sbom.components.some((c: { purl: string }) => c.purl === 'pkg:npm/lodash@4.17.20'));
    assert.ok(sbom.vulnerabilities.some((v: { id: string }) => v.id === 'GHSA-35jh-r3h4-6jhm'));
    const blobs = join(out, 'evident', 'ledger', 'blobs', 'sha256');
    const stored = readdirSync(blobs).some(
      (b) => readFileSync(join(blobs, b), 'utf8') === readFileSync(sbomFile, 'utf8'),
    );
    assert.ok(stored, 'the SBOM is stored as a blob');

    const day = new Date().toISOString().slice(0, 10);
    const bundle = join(out, 'bundle');
    const e = evident(
      [
        'export',
        '--ledger',
        ledger,
        '--from',
        '2020-01-01',
        '--to',
        day,
        '--key',
        join(keyDir, 'evident.pub'),
        '--dir',
        bundle,
      ],
      { env },
    );
    assert.equal(e.status, 0, e.stderr);
    const csv = readFileSync(join(bundle, 'report', 'vulnerabilities.csv'), 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    assert.match(
      header!,
      /^"kind","item","package","severity","check_id","first_seen","resolved_at","deadline","met"/,
    );
    const row = rows.find((r) => r.includes('GHSA-35jh-r3h4-6jhm'));
    assert.ok(row, 'the open vulnerability is in the population');
    assert.match(row, /pkg:npm\/lodash@4\.17\.20/);
    assert.ok(
      rows.some((r) => r.startsWith('"secret",')),
      'secrets to rotate are in the population',
    );
    const html = readFileSync(join(bundle, 'report', 'index.html'), 'utf8');
    assert.match(html, /Remediation population/);
    assert.equal(
      evident(['verify', bundle, '--key', join(keyDir, 'evident.pub')]).status,
      0,
      'the bundle verifies',
    );
  });

  test('no planted secret appears in any byte Evident wrote (reports, log, blobs, bundle, SBOM, stdout, stderr)', () => {
    const outputs: string[] = [];
    // the report files of every format were written above; these add stdout, stderr and the secrets command
    const runs = [
      evident(['scan', repo, '--ledger', ledger, '--format', 'table'], { env }),
      evident(['secrets', repo, '--history', '--ledger', ledger, '--format', 'sarif'], { env }),
    ];
    for (const r of runs) outputs.push(r.stdout, r.stderr);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(out);
    if (existsSync(join(repo, '.evident'))) walk(join(repo, '.evident'));
    // tar.gz bundles are compressed: unpack them to search their bytes
    for (const f of files.filter((x) => x.endsWith('.tar.gz'))) {
      const dir = `${f}.d`;
      mkdirSync(dir);
      execFileSync('tar', ['-xzf', f, '-C', dir]);
      walk(dir);
    }
    assert.ok(
      files.some((f) => f.includes(`${join('evident', 'ledger')}`)),
      'the log was written',
    );
    assert.ok(
      files.some((f) => f.includes(join('blobs', 'sha256'))),
      'blobs were written',
    );
    const haystacks = [...outputs, ...files.map((f) => readFileSync(f).toString('latin1'))];
    for (const secret of PLANTED) {
      for (const [i, h] of haystacks.entries()) {
        assert.ok(
          !h.includes(secret),
          `a planted secret (${secret.slice(0, 4)}…) was written to ${i < outputs.length ? 'a CLI output' : files[i - outputs.length]}`,
        );
        // also base64 (the DSSE payload encodes the statement)
        assert.ok(
          !h.includes(Buffer.from(secret).toString('base64').slice(0, 24)),
          'not even base64-encoded',
        );
      }
    }
    // the Terraform input that held a password is stored redacted, not skipped
    const blobs = join(out, 'evident', 'ledger', 'blobs', 'sha256');
    const redacted = readdirSync(blobs)
      .map((b) => readFileSync(join(blobs, b), 'utf8'))
      .find((t) => t.startsWith('resource "aws_db_instance"'));
    assert.ok(redacted?.includes('[REDACTED]'), 'infra/main.tf is kept as a redacted blob');
    // the salt never leaves its place
    const salt = env.EVIDENT_SECRETS_SALT;
    assert.ok(!haystacks.some((h) => h.includes(salt)), 'the salt is not written');
  });
});

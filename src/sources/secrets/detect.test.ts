import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BUILTIN_GLOBAL_ALLOWLISTS, BUILTIN_RULES } from './builtin-rules.js';
import { SecretDetector } from './detect.js';
import { maskSecret } from './mask.js';
import { compileAllowlist, compileRule } from './rule.js';
import { builtinRuleSet } from './rule-set.js';

// Every credential below is generated at run time from random bytes: nothing real-looking is
// committed to this repository (scanners of our own history stay quiet).
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number, alphabet = ALNUM) =>
  [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
const upper = (n: number) => rand(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
const hex = (n: number) => rand(n, '0123456789abcdef');
const b64 = (n: number) => rand(n, `${ALNUM}+/`);
/**
 * `n` different characters in random order: a password whose entropy is always above the generic
 * rule's threshold (a plain random draw repeats characters often enough to fall below it now and then).
 */
const distinct = (n: number) =>
  [...ALNUM]
    .map((c) => ({ c, k: randomBytes(4).readUInt32BE() }))
    .sort((a, b) => a.k - b.k)
    .slice(0, n)
    .map((x) => x.c)
    .join('');

const detector = new SecretDetector(builtinRuleSet());
const find = (text: string, path = 'config.txt') => detector.detect({ text, path });

/** One sample per built-in rule: file path, text, and the secret the rule must report. */
function samples(): { rule: string; path: string; text: string; secret: string }[] {
  const aws = `AKIA${upper(16)}`;
  const awsSecret = b64(40).replace(/^[+/]/, 'Q');
  const gh = `ghp_${rand(36)}`;
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${b64(64)}\n${b64(64)}\n-----END RSA PRIVATE KEY-----`;
  const jwt = `eyJ${rand(20)}.eyJ${rand(30)}.${rand(30)}`;
  const pw = `Q${distinct(15)}9!`;
  return [
    { rule: 'private-key', path: 'id_rsa', text: `${pem}\n`, secret: pem },
    {
      rule: 'gcp-service-account-key',
      path: 'sa.json',
      text: `{"type": "service_account", "private_key_id": "${hex(40)}"}`,
      secret: '',
    },
    { rule: 'aws-access-key-id', path: 'a.env', text: `AWS_ACCESS_KEY_ID=${aws}\n`, secret: aws },
    {
      rule: 'aws-secret-access-key',
      path: 'a.env',
      text: `aws_secret_access_key = "${awsSecret}"\n`,
      secret: awsSecret,
    },
    { rule: 'github-token', path: 'ci.sh', text: `export GH=${gh}\n`, secret: gh },
    { rule: 'github-fine-grained-token', path: 'ci.sh', text: `t=github_pat_${rand(82)}\n`, secret: '' },
    { rule: 'gitlab-token', path: 'ci.sh', text: `t=glpat-${rand(20)}\n`, secret: '' },
    { rule: 'slack-token', path: 'bot.py', text: `SLACK = "xoxb-${rand(12)}-${rand(24)}"\n`, secret: '' },
    {
      rule: 'slack-webhook-url',
      path: 'bot.py',
      text: `url = "https://hooks.slack.com/services/T${upper(8)}/B${upper(8)}/${rand(24)}"\n`,
      secret: '',
    },
    { rule: 'stripe-key', path: 'pay.rb', text: `Stripe.api_key = "sk_live_${rand(24)}"\n`, secret: '' },
    { rule: 'twilio-api-key', path: 'sms.js', text: `const key = "SK${hex(32)}";\n`, secret: '' },
    {
      rule: 'sendgrid-api-key',
      path: 'mail.js',
      text: `const k = "SG.${rand(22)}.${rand(43)}";\n`,
      secret: '',
    },
    { rule: 'npm-access-token', path: 'ci.sh', text: `NPM=npm_${rand(36)}\n`, secret: '' },
    { rule: 'pypi-upload-token', path: 'ci.sh', text: `TWINE=pypi-AgEIcHlwaS5vcmc${rand(60)}\n`, secret: '' },
    { rule: 'google-api-key', path: 'maps.js', text: `key: "AIza${rand(35)}"\n`, secret: '' },
    {
      rule: 'azure-storage-connection-string',
      path: 'app.config',
      text: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${b64(86)}==;EndpointSuffix=core.windows.net\n`,
      secret: '',
    },
    { rule: 'jwt', path: 'test.http', text: `Authorization: Bearer ${jwt}\n`, secret: jwt },
    {
      rule: 'database-url-password',
      path: 'app.yaml',
      text: `url: postgres://app:${pw}@db.internal:5432/app\n`,
      secret: pw,
    },
    {
      rule: 'netrc-password',
      path: '.netrc',
      text: `machine api.example.com login bot password ${pw}\n`,
      secret: pw,
    },
    { rule: 'pgpass-password', path: '.pgpass', text: `db.internal:5432:app:app:${pw}\n`, secret: pw },
    {
      rule: 'htpasswd-hash',
      path: '.htpasswd',
      text: `admin:$apr1$${rand(8)}$${rand(22, `${ALNUM}./`)}\n`,
      secret: '',
    },
    {
      rule: 'shadow-password-hash',
      path: 'etc/shadow',
      text: `root:$6$${rand(16)}$${rand(86)}:19000:0:99999:7:::\n`,
      secret: '',
    },
    {
      rule: 'putty-private-key',
      path: 'key.ppk',
      text: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: bot\nPublic-Lines: 2\n${b64(64)}\nPrivate-Lines: 1\n${b64(44)}\n`,
      secret: '',
    },
    {
      rule: 'filezilla-password',
      path: 'sitemanager.xml',
      text: `<Server><Pass encoding="base64">${b64(24)}</Pass></Server>\n`,
      secret: '',
    },
    {
      rule: 'npmrc-auth',
      path: '.npmrc',
      text: `//registry.npmjs.org/:_authToken=${rand(36)}\n`,
      secret: '',
    },
    {
      rule: 'pypirc-password',
      path: '.pypirc',
      text: `[pypi]\nusername = bot\npassword = ${pw}\n`,
      secret: pw,
    },
    {
      rule: 'docker-config-auth',
      path: '.docker/config.json',
      text: `{"auths": {"registry.example.com": {"auth": "${b64(32)}"}}}\n`,
      secret: '',
    },
    {
      rule: 'kubeconfig-credential',
      path: '.kube/config',
      text: `users:\n- name: ci\n  user:\n    token: ${rand(40)}\n`,
      secret: '',
    },
    {
      rule: 'kubeconfig-client-key',
      path: 'cluster.yaml',
      text: `    client-key-data: ${b64(120)}\n`,
      secret: '',
    },
    { rule: 'generic-secret-assignment', path: 'settings.py', text: `DB_PASSWORD = "${pw}"\n`, secret: pw },
  ];
}

test('every built-in rule finds its credential kind, and only the secret is masked', () => {
  const covered = new Set<string>();
  for (const s of samples()) {
    const { matches } = find(s.text, s.path);
    const m = matches.find((x) => x.rule.id === s.rule);
    assert.ok(
      m,
      `${s.rule} finds its sample in ${s.path}: got ${matches.map((x) => x.rule.id).join(', ') || 'nothing'}`,
    );
    if (s.secret) assert.equal(m.secret, s.secret, `${s.rule} extracts the secret itself`);
    assert.ok(!m.preview.includes(m.secret), `${s.rule}: the preview never holds the secret`);
    assert.ok(m.line >= 1 && m.column >= 1);
    covered.add(s.rule);
  }
  for (const r of builtinRuleSet().rules)
    assert.ok(covered.has(r.id), `rule ${r.id} has a sample in this test`);
});

test('positions: 1-based line and UTF-16 column of the secret, across lines and after non-ASCII text', () => {
  const key = `AKIA${upper(16)}`;
  const { matches } = find(`# café ☕\nfirst line\n  é key=${key}\n`);
  assert.equal(matches.length, 1);
  assert.equal(matches[0]!.line, 3);
  assert.equal(matches[0]!.column, 9);
});

test('placeholders, references, documented examples and lock files are not secrets', () => {
  const cases = [
    `password = "${'$'}{DB_PASSWORD}"`,
    'password: <your-password>',
    'token = "{{ .Values.token }}"',
    'api_key = os.environ["API_KEY"]',
    'secret = var.db_secret',
    'password = "changeme"',
    'password: "********"',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'secret_name = "payments-db-password"',
  ];
  for (const c of cases) assert.deepEqual(find(`${c}\n`).matches, [], `not a secret: ${c}`);
  const lock = `"resolved": "https://registry.npmjs.org/x", "integrity": "sha512-${b64(86)}", "token": "${rand(30)}"`;
  assert.deepEqual(find(lock, 'package-lock.json').matches, [], 'lock files are allowlisted');
  const pw = `Q${distinct(15)}9!`;
  for (const path of ['test/fixtures/app.env', 'pkg/testdata/app.env', 'app/fixture.env'])
    assert.equal(
      find(`password = "${pw}"\n`, path).matches.length,
      1,
      `a secret under ${path} is a secret: a fixture directory is no allowlist (a live key committed there is leaked)`,
    );
});

test('low-entropy values under a secret name are not reported', () => {
  assert.deepEqual(find('password = "aaaaaaaaaaaa"\n').matches, []);
});

test('an inline evident:allow with a reason covers its line or the next; without a reason it is ignored and noted', () => {
  const pw = `Q${distinct(15)}9!`;
  const same = find(`password = "${pw}" # evident:allow secret reason="test vector of the hashing spec"\n`);
  assert.equal(same.matches[0]?.inlineAllow?.reason, 'test vector of the hashing spec');
  const above = find(`# evident:allow secret reason="public demo key"\npassword = "${pw}"\n`);
  assert.deepEqual(above.matches[0]?.inlineAllow, { reason: 'public demo key', line: 1 });
  const bare = find(`password = "${pw}" # evident:allow secret\n`);
  assert.equal(bare.matches.length, 1);
  assert.equal(bare.matches[0]!.inlineAllow, undefined);
  assert.match(bare.notes[0]?.message ?? '', /without reason/);
});

test('overlapping keywords: `_password` (npmrc) does not hide `password` (generic) on the same text', () => {
  const pw = `Q${distinct(15)}9!`;
  const { matches } = find(`db_password = "${pw}"\n`);
  assert.deepEqual(
    matches.map((m) => m.rule.id),
    ['generic-secret-assignment'],
  );
});

test('a 50 MB single-line file with secrets in it is scanned in linear time (no hang)', () => {
  const key = `AKIA${upper(16)}`;
  const filler = 'x'.repeat(25 * 1024 * 1024);
  const text = `${filler} aws key ${key} ${filler} token=${'ab'.repeat(20)}\n`;
  const started = Date.now();
  const { matches } = find(text);
  const elapsed = Date.now() - started;
  assert.ok(matches.some((m) => m.secret === key));
  assert.equal(matches[0]!.line, 1);
  assert.ok(elapsed < 60_000, `scanned in ${elapsed} ms`);
});

test('maskSecret shows at most 4 leading characters and never the whole value', () => {
  assert.equal(maskSecret('abcd'), '****');
  assert.equal(maskSecret('abcdefghijklmnopqrstuvwxyz').slice(0, 4), 'abcd');
  assert.ok(!maskSecret('short12345').includes('short12345'));
});

test('every built-in pattern (rules, rule allowlists, global allowlists) compiles eagerly with RE2', () => {
  for (const spec of BUILTIN_RULES) assert.doesNotThrow(() => compileRule(spec, 'eager-check'), spec.id);
  BUILTIN_GLOBAL_ALLOWLISTS.forEach((a, i) => {
    assert.doesNotThrow(() => compileAllowlist(a, '(builtin)', `allowlist ${i}`));
  });
});

test('credential files are recognised under prefixed names (ci.netrc, deploy.npmrc), not under look-alikes', () => {
  const secret = `Np${distinct(18)}`;
  const netrc = `machine ci.example.invalid login deploy password ${secret}\n`;
  for (const path of ['.netrc', '_netrc', 'ci.netrc', 'ops/deploy_netrc'])
    assert.ok(
      find(netrc, path).matches.some((m) => m.rule.id === 'netrc-password'),
      `${path} is read as a netrc file`,
    );
  for (const path of ['mynetrc', 'netrc.md', 'docs/netrc/README'])
    assert.ok(
      !find(netrc, path).matches.some((m) => m.rule.id === 'netrc-password'),
      `${path} is not a netrc file`,
    );
  const pgpass = `db.internal:5432:app:app:${secret}\n`;
  assert.ok(find(pgpass, 'staging.pgpass').matches.some((m) => m.rule.id === 'pgpass-password'));
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { evident as cli } from '../../test/e2e/helpers.js';
import { tempDir } from './test-support/fixtures.js';

/** Runs the built CLI in `cwd` with no signing key in the environment (EVIDENT_SIGNING_KEY set but empty, as in a fork's CI job). */
async function evident(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = cli(args, { cwd, env: { EVIDENT_SIGNING_KEY: '', EVIDENT_SIGNING_KEY_FILE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('evident keygen', () => {
  it('writes evident.key (0600) and evident.pub, prints the key id but never the private key, refuses to overwrite', async () => {
    const dir = join(tempDir(), 'keys');
    const r = await evident(tempDir(), 'keygen', '--out', dir);
    assert.equal(r.code, 0, r.err);
    const priv = readFileSync(join(dir, 'evident.key'), 'utf8');
    assert.match(priv, /BEGIN PRIVATE KEY/);
    assert.equal(statSync(join(dir, 'evident.key')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, 'evident.pub'), 'utf8'), /BEGIN PUBLIC KEY/);
    assert.match(r.out, /key id: +SHA256:/);
    const body = priv.split('\n')[1]!;
    assert.ok(!r.out.includes(body) && !r.err.includes(body), 'private key material printed');
    const again = await evident(tempDir(), 'keygen', '--out', dir);
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists; no key was written/);
    assert.equal(readFileSync(join(dir, 'evident.key'), 'utf8'), priv, 'old key untouched');
  });

  it('refuses to write the private key inside a git work tree unless --force-in-repo (then warns)', async () => {
    const repo = tempDir();
    spawnSync('git', ['init', '-q', repo]);
    const r = await evident(repo, 'keygen', '--out', join(repo, 'keys'));
    assert.equal(r.code, 2);
    assert.match(r.err, /inside a git work tree/);
    assert.equal(existsSync(join(repo, 'keys')), false);
    const forced = await evident(repo, 'keygen', '--out', join(repo, 'keys'), '--force-in-repo');
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.err, /WARNING/);
  });
});

/** A control map with one manual-evidence control, IR-1, whose document is `ir.md`. */
const MAP = `frameworks: [soc2]
controls:
  - id: IR-1
    title: Incident response plan exists and is reviewed yearly
    satisfies: { soc2: [CC7.4] }
    evidence: { manual: ir.md, maxAgeDays: 365 }
  - id: CHG-1
    title: Customer data is encrypted at rest
    satisfies: { soc2: [CC6.1] }
    checks: [aws.s3-bucket-encrypted]
`;

describe('evident evidence add + verify', () => {
  it('logs signed evidence; verify prints a verdict per check and exits 0 / 1 / 2', async () => {
    const repo = tempDir();
    const keys = join(tempDir(), 'k');
    assert.equal((await evident(repo, 'keygen', '--out', keys)).code, 0);
    writeFileSync(join(repo, 'evident.yaml'), MAP);
    writeFileSync(join(repo, 'ir.md'), '# plan\n');
    const add = await evident(
      repo,
      'evidence',
      'add',
      '--control',
      'IR-1',
      'ir.md',
      '--key-file',
      join(keys, 'evident.key'),
    );
    assert.equal(add.code, 0, add.err);
    assert.match(
      add.out,
      /evidence for IR-1: ir\.md sha256:[0-9a-f]{64} logged as entry #0 .*\(signed by SHA256:/,
    );
    copyFileSync(join(repo, '.evident', 'ledger', 'checkpoint'), join(repo, 'cp-1'));
    await evident(
      repo,
      'evidence',
      'add',
      '--control',
      'IR-1',
      'ir.md',
      '--key-file',
      join(keys, 'evident.key'),
    );
    const list = await evident(repo, 'evidence', 'list');
    assert.match(list.out, /^#1 IR-1 ir\.md/);

    const ok = await evident(repo, 'verify', '--key', join(keys, 'evident.pub'), '--since', 'cp-1');
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^✓ checkpoint-signature: /m);
    assert.match(ok.out, /^✓ consistency: /m);
    assert.match(ok.out, /^verdict: OK: \.evident\/ledger: 2 entries verified$/m);

    const json = await evident(repo, 'verify', '--key', join(keys, 'evident.pub'), '--format', 'json');
    assert.equal(JSON.parse(json.out).ok, true);

    const entries = join(repo, '.evident', 'ledger', 'entries.jsonl');
    const bytes = readFileSync(entries);
    bytes.writeUInt8(bytes.readUInt8(40) ^ 1, 40);
    writeFileSync(entries, bytes);
    const bad = await evident(repo, 'verify', '--key', join(keys, 'evident.pub'));
    assert.equal(bad.code, 1);
    assert.match(bad.out, /^✗ .*entry 0/m);
    assert.match(bad.out, /^verdict: FAILED/m);

    assert.equal((await evident(repo, 'verify')).code, 2, 'no --key is a usage error');
    assert.equal((await evident(repo, 'verify', 'nowhere', '--key', join(keys, 'evident.pub'))).code, 2);
  });

  it('unsigned evidence: recorded with a notice, verify fails unless --allow-unsigned', async () => {
    const repo = tempDir();
    writeFileSync(join(repo, 'evident.yaml'), MAP);
    writeFileSync(join(repo, 'ir.md'), '# plan\n');
    const add = await evident(repo, 'evidence', 'add', '--control', 'IR-1', 'ir.md');
    assert.match(add.out, /UNSIGNED/);
    assert.match(
      add.err,
      /EVIDENT_SIGNING_KEY is set but empty \(CI secrets are not given to pull requests from forks\)/,
    );
    const keys = join(tempDir(), 'k');
    await evident(repo, 'keygen', '--out', keys);
    const strict = await evident(repo, 'verify', '--key', join(keys, 'evident.pub'));
    assert.equal(strict.code, 1);
    assert.match(strict.out, /✗ signature: entry 0 .* is unsigned/);
    assert.match(strict.out, /^hint: every entry must be signed by the one pinned key/m);
    const lax = await evident(repo, 'verify', '--allow-unsigned');
    assert.equal(lax.code, 0, lax.out);
    assert.match(lax.out, /1 unsigned/);
  });

  it('refuses (exit 2, nothing logged) a control not in evident.yaml, a control without manual evidence, a path that is not its evidence.manual, and no map at all; --force logs anyway', async () => {
    const repo = tempDir();
    writeFileSync(join(repo, 'ir.md'), '# plan\n');
    writeFileSync(join(repo, 'other.md'), '# other\n');
    const noMap = await evident(repo, 'evidence', 'add', '--control', 'IR-1', 'ir.md');
    assert.equal(noMap.code, 2, noMap.err);
    assert.match(noMap.err, /no evident\.yaml found for ir\.md/);
    writeFileSync(join(repo, 'evident.yaml'), MAP);
    const cases: [string, string, RegExp][] = [
      [
        'IR-9',
        'ir.md',
        /control IR-9 is not in evident\.yaml; nothing was logged\n {2}hint: controls that take manual evidence: IR-1/,
      ],
      ['CHG-1', 'ir.md', /control CHG-1 in evident\.yaml declares no manual evidence/],
      [
        'IR-1',
        'other.md',
        /control IR-1 expects its manual evidence at ir\.md .*not other\.md; nothing was logged/,
      ],
    ];
    for (const [control, file, message] of cases) {
      const r = await evident(repo, 'evidence', 'add', '--control', control, file);
      assert.equal(r.code, 2, `${control} ${file}: ${r.err}`);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /init --force/);
    }
    assert.equal(existsSync(join(repo, '.evident')), false, 'nothing was logged');
    const forced = await evident(repo, 'evidence', 'add', '--control', 'IR-9', 'other.md', '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /evidence for IR-9: other\.md .* logged as entry #0/);
  });

  it("from another directory: FILE's repository log is used, the path is relative to its evident.yaml, and a scan of the repository counts it", async () => {
    const repo = tempDir();
    spawnSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'evident.yaml'), MAP);
    writeFileSync(join(repo, 'ir.md'), '# plan\n');
    const elsewhere = tempDir();
    const add = await evident(elsewhere, 'evidence', 'add', '--control', 'IR-1', join(repo, 'ir.md'));
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /evidence for IR-1: ir\.md /);
    assert.ok(existsSync(join(repo, '.evident', 'ledger', 'checkpoint')), 'logged in the repository');
    assert.equal(existsSync(join(elsewhere, '.evident')), false, 'not in the current directory');
    // the log is ignored by git, a team's rules beside it are not
    mkdirSync(join(repo, '.evident', 'policies'), { recursive: true });
    writeFileSync(join(repo, '.evident', 'policies', 'acme.rule.yaml'), 'id: acme.rule\n');
    const status = spawnSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=all'], {
      encoding: 'utf8',
    });
    const untracked = status.stdout.split('\n').filter((l) => l.includes('.evident'));
    assert.deepEqual(untracked.sort(), ['?? .evident/.gitignore', '?? .evident/policies/acme.rule.yaml']);
  });
});

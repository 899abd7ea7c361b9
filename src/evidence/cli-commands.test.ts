import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childArgs, tempDir } from './test-support/fixtures.js';

const harness = childArgs(fileURLToPath(new URL('./test-support/cli-harness.ts', import.meta.url)));

async function evident(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(process.execPath, [...(await harness), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', EVIDENT_SIGNING_KEY: '', EVIDENT_SIGNING_KEY_FILE: '' },
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
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

describe('evident evidence add + verify', () => {
  it('logs signed evidence; verify prints a verdict per check and exits 0 / 1 / 2', async () => {
    const repo = tempDir();
    const keys = join(tempDir(), 'k');
    assert.equal((await evident(repo, 'keygen', '--out', keys)).code, 0);
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
    assert.match(add.out, /evidence for IR-1: ir\.md sha256:[0-9a-f]{64} logged as entry #0 .*\(signed\)/);
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
    writeFileSync(join(repo, 'ir.md'), '# plan\n');
    const add = await evident(repo, 'evidence', 'add', '--control', 'IR-1', 'ir.md');
    assert.match(add.out, /UNSIGNED/);
    const keys = join(tempDir(), 'k');
    await evident(repo, 'keygen', '--out', keys);
    const strict = await evident(repo, 'verify', '--key', join(keys, 'evident.pub'));
    assert.equal(strict.code, 1);
    assert.match(strict.out, /✗ signature: entry 0 .* is unsigned/);
    const lax = await evident(repo, 'verify', '--allow-unsigned');
    assert.equal(lax.code, 0, lax.out);
    assert.match(lax.out, /1 unsigned/);
  });
});

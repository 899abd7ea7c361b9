import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EvidentError } from '../../core/errors.js';
import { lazySalt, loadSalt, SALT_ENV } from './salt.js';

const base = mkdtempSync(join(tmpdir(), 'evident-salt-'));
after(() => rmSync(base, { recursive: true, force: true }));

test("a repository's .evident/salt is created once, mode 0600, git-ignored, and gives stable fingerprints", () => {
  const dir = join(base, 'repo', '.evident');
  const first = loadSalt(dir, {});
  assert.equal(first.origin, 'created');
  const file = join(dir, 'salt');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
  assert.ok(
    readFileSync(join(dir, '.gitignore'), 'utf8').split('\n').includes('/salt'),
    '.gitignore lists the salt',
  );
  const again = loadSalt(dir, {});
  assert.equal(again.origin, 'file');
  assert.equal(again.hash('hunter2-but-longer'), first.hash('hunter2-but-longer'));
  assert.notEqual(first.hash('a'), first.hash('b'));
});

test('a team .gitignore is kept, and a directory other than .evident gets none', () => {
  const dir = join(base, 'team', '.evident');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '# ours\n');
  loadSalt(dir, {});
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '# ours\n');
  const other = join(base, 'ci-state');
  loadSalt(other, {});
  assert.ok(existsSync(join(other, 'salt')));
  assert.ok(!existsSync(join(other, '.gitignore')));
});

test('EVIDENT_SECRETS_SALT wins over the file, changes every fingerprint, and must be long enough', () => {
  const dir = join(base, 'env', '.evident');
  const fromFile = loadSalt(dir, {});
  const fromEnv = loadSalt(dir, { [SALT_ENV]: 'a-ci-secret-of-32-characters-00' });
  assert.equal(fromEnv.origin, 'env');
  assert.notEqual(fromEnv.hash('same secret value'), fromFile.hash('same secret value'));
  assert.throws(
    () => loadSalt(dir, { [SALT_ENV]: 'tiny-salt' }),
    (err: unknown) =>
      err instanceof EvidentError && err.code === 'E_CONFIG' && !err.message.includes('tiny-salt'),
  );
});

test('a lazy salt is read or created only when a secret is hashed', () => {
  const dir = join(base, 'lazy', '.evident');
  const salt = lazySalt(dir, {});
  assert.ok(!existsSync(join(dir, 'salt')), 'nothing is created before a secret is found');
  const h = salt.hash('found-secret-value');
  assert.ok(existsSync(join(dir, 'salt')));
  assert.equal(loadSalt(dir, {}).hash('found-secret-value'), h);
});

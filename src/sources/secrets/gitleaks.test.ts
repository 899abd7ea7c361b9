import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EvidentError } from '../../core/errors.js';
import { SecretDetector } from './detect.js';
import { parseGitleaksConfig } from './gitleaks.js';

const CORPUS = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../shared/corpora/gitleaks-rules/gitleaks.toml',
);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number) => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');

test('the gitleaks default configuration loads and every one of its rules compiles with RE2 semantics', () => {
  const text = readFileSync(CORPUS, 'utf8');
  const declared = (text.match(/^\[\[rules\]\]$/gm) ?? []).length;
  const cfg = parseGitleaksConfig(text, CORPUS);
  assert.ok(declared > 200, `the corpus declares ${declared} rules`);
  assert.equal(cfg.rules.length, declared, 'every [[rules]] table compiled');
  assert.equal(cfg.allowlists.length, 1, 'the global [allowlist] compiled');
  assert.ok(
    cfg.rules.some((r) => r.allowlists.length > 0),
    'rule allowlists compiled',
  );
  assert.ok(
    cfg.rules.some((r) => r.path && !r.regex),
    'path-only rules are kept',
  );
  // the rules work: a GitHub token made at run time is found by the gitleaks rule set
  const token = `ghp_${rand(36)}`;
  const found = new SecretDetector(cfg).detect({ text: `GITHUB_TOKEN=${token}\n`, path: 'ci.env' });
  assert.ok(found.matches.some((m) => m.secret === token && m.rule.id === 'github-pat'));
  // and its global allowlist applies (lock files)
  assert.deepEqual(
    new SecretDetector(cfg).detect({ text: `GITHUB_TOKEN=${token}\n`, path: 'yarn.lock' }).matches,
    [],
  );
});

test('a hostile pattern cannot backtrack: (a+)+$ against a long near-miss finishes at once', () => {
  const cfg = parseGitleaksConfig(
    `[[rules]]\nid = "hostile"\ndescription = "catastrophic for a backtracking engine"\nregex = '''(a+)+$'''\nkeywords = ["aaa"]\n`,
    'hostile.toml',
  );
  const started = Date.now();
  const { matches } = new SecretDetector(cfg).detect({ text: `${'a'.repeat(200_000)}!\n`, path: 'x' });
  assert.deepEqual(matches, []);
  assert.ok(Date.now() - started < 10_000);
});

test('patterns RE2 rejects are configuration errors naming the rule; TOML errors name the line', () => {
  assert.throws(
    () =>
      parseGitleaksConfig(
        `[[rules]]\nid = "backref"\nregex = '''(a)\\1'''\n[[rules]]\nid = "look"\nregex = '''x(?=y)'''\n`,
        'r.toml',
      ),
    (e: unknown) =>
      e instanceof EvidentError &&
      e.code === 'E_CONFIG' &&
      /rule backref/.test(e.message) &&
      /rule look/.test(e.message),
  );
  assert.throws(
    () => parseGitleaksConfig(`[[rules]]\nid = "x"\nregex = 'unterminated\n`, 'bad.toml'),
    (e: unknown) => e instanceof EvidentError && e.code === 'E_CONFIG' && e.line === 3,
  );
  assert.throws(
    () => parseGitleaksConfig(`[[rules]]\nid = "g"\nregex = '''a(b)'''\nsecretGroup = 3\n`, 'g.toml'),
    /secretGroup 3/,
  );
});

test('[extend] useDefault keeps the built-in rules after those of the file; a stopword allowlist applies', () => {
  const cfg = parseGitleaksConfig(
    `[extend]\nuseDefault = true\n[[rules]]\nid = "internal-token"\nregex = '''itk_[a-z0-9]{20}'''\nkeywords = ["itk_"]\n[[rules.allowlists]]\nstopwords = ["itk_test"]\n`,
    'custom.toml',
  );
  assert.equal(cfg.extendDefault, true);
  const d = new SecretDetector(cfg);
  assert.equal(d.detect({ text: 'k=itk_abcdefghij0123456789\n', path: 'a' }).matches.length, 1);
  assert.equal(d.detect({ text: 'k=itk_testabcdefghij012345\n', path: 'a' }).matches.length, 0);
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { check as noSecrets } from '../../checks/secrets/no-secrets-in-code/check.js';
import type { CheckContext } from '../../core/check.js';
import { emptyFacts } from '../registry.js';
import { type AddedLines, streamHistory } from './history.js';
import { builtinRuleSet } from './rule-set.js';
import { saltOf } from './salt.js';
import { scanHistory } from './scan.js';

const dir = mkdtempSync(join(tmpdir(), 'evident-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let clock = 0;
const git = (...args: string[]) => {
  clock++;
  const date = `2026-02-0${Math.min(9, clock)}T10:00:00Z`;
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'A',
      GIT_AUTHOR_EMAIL: 'a@example.invalid',
      GIT_COMMITTER_NAME: 'A',
      GIT_COMMITTER_EMAIL: 'a@example.invalid',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
};
const put = (name: string, text: string) => writeFileSync(join(dir, name), text);
const secret = (tag: string) => `password = "Hx${tag}-Zk9qP2vLm7wXr4"`;

git('init', '-q', '-b', 'main');
put('app.cfg', 'a = 1\n');
git('add', '.');
git('commit', '-qm', 'base');
put('app.cfg', `a = 1\n${secret('main')}\n`);
git('commit', '-qam', 'add a secret on main');
put('app.cfg', 'a = 1\n');
git('commit', '-qam', 'remove it');
git('checkout', '-qb', 'feature');
put('feature.cfg', `x\ny\n${secret('branch')}\n`);
git('add', '.');
git('commit', '-qm', 'secret on an unmerged branch');
git('checkout', '-q', 'main');
git('checkout', '-qb', 'topic');
put('topic.cfg', 'topic\n');
git('add', '.');
git('commit', '-qm', 'topic');
git('checkout', '-q', 'main');
put('main.cfg', 'main\n');
git('add', '.');
git('commit', '-qm', 'main work');
git('merge', '-q', '--no-ff', '--no-commit', 'topic');
put('merge-only.cfg', `${secret('evilmerge')}\n`);
git('add', '.');
git('commit', '-qm', 'merge with a line of its own');

test('streams the added lines of every commit on every branch, with file line numbers and author dates', async () => {
  const changes: AddedLines[] = [];
  const stats = await streamHistory(dir, 1024 * 1024, (c) => changes.push(c));
  assert.equal(stats.commits, 7);
  const branch = changes.find((c) => c.path === 'feature.cfg');
  assert.ok(branch, 'a commit only on an unmerged branch is read');
  assert.deepEqual(branch.lineNumbers, [1, 2, 3]);
  assert.match(branch.authorDate, /^2026-02-0\dT10:00:00\+00:00$/);
  const merge = changes.filter((c) => c.path === 'merge-only.cfg');
  assert.equal(merge.length, 1, "a merge's own added lines are read once");
  assert.ok(
    !changes.some((c) => c.text.includes('a = 1') && c.path === 'app.cfg' && c.lineNumbers?.[0] === 2),
    'context lines are not read',
  );
  const topicFromMerge = changes.filter((c) => c.path === 'topic.cfg');
  assert.equal(topicFromMerge.length, 1, 'lines a merge took from a parent are not scanned twice');
});

test('finds secrets removed since, on other branches and in merges; one fact per secret and file, oldest commit', async () => {
  const out = await scanHistory(dir, {
    ruleSet: builtinRuleSet(),
    ruleSource: 'builtin',
    salt: saltOf(Buffer.from('history-test-salt'), 'env'),
    maxFileBytes: 1024 * 1024,
  });
  assert.deepEqual(out.diagnostics, []);
  const secrets = out.facts.filter((f) => f.kind === 'secret');
  const byFile = Object.fromEntries(secrets.map((f) => [f.location.file, f]));
  assert.deepEqual(Object.keys(byFile).sort(), ['app.cfg', 'feature.cfg', 'merge-only.cfg']);
  assert.equal(byFile['app.cfg']!.location.line, 2);
  assert.equal(byFile['feature.cfg']!.location.line, 3);
  assert.match(byFile['app.cfg']!.commit ?? '', /^[0-9a-f]{40}$/);
  assert.ok(
    secrets.every((f) => f.where === 'history' && !JSON.stringify(f).includes('Zk9qP2vLm7wXr4')),
    'facts hold no plaintext',
  );
  const cov = out.facts.find((f) => f.kind === 'secret-scan');
  assert.equal(cov?.kind === 'secret-scan' && cov.commits, 7);
});

test('a directory outside any git work tree gives an error diagnostic, not a silent pass', async () => {
  const plain = mkdtempSync(join(tmpdir(), 'evident-nogit-'));
  try {
    const out = await scanHistory(plain, {
      ruleSet: builtinRuleSet(),
      ruleSource: 'builtin',
      salt: saltOf(Buffer.from('s'), 'env'),
      maxFileBytes: 1000,
    });
    assert.equal(out.diagnostics[0]?.severity, 'error');
    assert.ok(!out.facts.some((f) => f.kind === 'secret-scan'));
  } finally {
    rmSync(plain, { recursive: true, force: true });
  }
});

test('a scan of a subdirectory reads only the changes under it, merges included', async () => {
  execFileSync('mkdir', ['-p', join(dir, 'sub')]);
  put('sub/inside.cfg', 'nothing secret\n');
  git('add', '.');
  git('commit', '-qm', 'a subdirectory');
  const changes: AddedLines[] = [];
  await streamHistory(join(dir, 'sub'), 1024 * 1024, (c) => changes.push(c));
  assert.deepEqual([...new Set(changes.map((c) => c.path))], ['inside.cfg']);
});

test('a shallow clone is reported: the history result is unknown, never a pass over the commits it lacks', async () => {
  const clone = mkdtempSync(join(tmpdir(), 'evident-shallow-'));
  try {
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'main', `file://${dir}`, clone]);
    const settings = {
      ruleSet: builtinRuleSet(),
      ruleSource: 'builtin',
      salt: saltOf(Buffer.from('shallow-test-salt'), 'env' as const),
      maxFileBytes: 1024 * 1024,
    };
    const judge = async (root: string) => {
      const out = await scanHistory(root, settings);
      const facts = { ...emptyFacts(), secrets: out.facts };
      return { out, results: noSecrets.evaluate(facts, { now: new Date() } as CheckContext) };
    };
    const shallow = await judge(clone);
    const cov = shallow.out.facts.find((f) => f.kind === 'secret-scan');
    assert.equal(cov?.kind === 'secret-scan' && cov.shallow, true);
    const history = shallow.results.find((r) => r.subject.address === 'git-history');
    assert.equal(history?.outcome, 'unknown');
    assert.match(history?.message ?? '', /shallow clone.*fetch-depth: 0/);
    // the reason: the secret on the other branch is not in the clone at all
    assert.ok(!shallow.results.some((r) => r.message.includes('feature.cfg')));

    const full = await judge(dir);
    const fullCov = full.out.facts.find((f) => f.kind === 'secret-scan');
    assert.equal(fullCov?.kind === 'secret-scan' && fullCov.shallow, undefined);
    assert.ok(!full.results.some((r) => r.outcome === 'unknown'));
    assert.ok(full.results.some((r) => r.outcome === 'fail' && r.subject.location?.file === 'feature.cfg'));
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
});

// Team policies end to end through the built CLI: `evident policy new` → `policy test` → `scan`, the
// bundled example's team rule, and every way a team rule can be invalid (exit 2 before any scan).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { evident, outcomeOf, scanJson } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'evident-e2e-team-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A repo with one bucket, an evident.yaml naming policy/, and whatever `files` add. */
function repo(name: string, files: Record<string, string> = {}): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'infra'), { recursive: true });
  writeFileSync(
    join(dir, 'infra/main.tf'),
    'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n  tags = { team = "x" }\n}\n',
  );
  writeFileSync(
    join(dir, 'evident.yaml'),
    'frameworks: [soc2]\ncontrols:\n  - id: OWN-1\n    title: Every resource has an owner\n    satisfies: { soc2: [CC6.1] }\n    checks: [acme.buckets-have-owner]\n',
  );
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('team policy workflow', () => {
  const dir = repo('workflow');
  test('policy new writes a rule whose fixtures pass policy test at once', () => {
    const made = evident(
      ['policy', 'new', 'acme.buckets-have-owner', '--input', 'terraform', '--type', 'aws_s3_bucket'],
      { cwd: dir },
    );
    assert.equal(made.status, 0, made.stderr);
    const t = evident(['policy', 'test'], { cwd: dir });
    assert.equal(t.status, 0, t.stdout + t.stderr);
    assert.match(t.stdout, /✓ acme\.buckets-have-owner/);
    assert.match(t.stdout, /^1 passed, 0 failed$/m);
  });
  test('scan runs the team rule (default policy/), maps it in a control, and never scans its fixtures', () => {
    const run = scanJson(['.', '--no-evidence'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(outcomeOf(run.result, 'acme.buckets-have-owner', 'aws_s3_bucket.data'), 'fail');
    assert.equal(run.result.findings.filter((f) => f.checkId === 'acme.buckets-have-owner').length, 1);
    assert.deepEqual(
      run.result.inputs.filter((i) => i.file.startsWith('policy/')).map((i) => [i.file, i.kind]),
      [['policy/acme.buckets-have-owner.yaml', 'policy']],
      'the rule file is an evidence input; its fixtures are not scanned',
    );
    assert.equal(run.result.controls.find((c) => c.id === 'OWN-1')?.status, 'fail');
    const sarif = JSON.parse(
      evident(['scan', '.', '--no-evidence', '-q', '--format', 'sarif'], { cwd: dir }).stdout,
    );
    assert.ok(
      sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'acme.buckets-have-owner'),
    );
    const checks = evident(['checks'], { cwd: dir });
    assert.match(checks.stdout, /acme\.buckets-have-owner \(team\)/);
  });
  test('a fixture that disagrees fails policy test with the resource and outcome (exit 1)', () => {
    writeFileSync(
      join(dir, 'policy/acme.buckets-have-owner/fail-also-owned.tf'),
      'resource "aws_s3_bucket" "b" {\n  tags = { owner = "y" }\n}\n',
    );
    const t = evident(['policy', 'test'], { cwd: dir });
    assert.equal(t.status, 1);
    assert.match(t.stdout, /✗ fail-also-owned\.tf: aws_s3_bucket\.b: expected fail, got pass/);
    assert.match(t.stdout, /^0 passed, 1 failed$/m);
  });
});

describe('invalid team rules are configuration errors (exit 2, nothing scanned)', () => {
  const rule = (id: string, extra = '') =>
    `id: ${id}\ntitle: Buckets carry an owner tag\nseverity: low\ninput: terraform\nresourceTypes: [aws_s3_bucket]\nassert: '"owner" in default(resource.tags, {})'\nmessage: no owner\nrationale: Owners make findings reach a person.\nremediation: Add an owner tag to the bucket.\n${extra}`;
  const cases: [string, Record<string, string>, RegExp][] = [
    ['reserved domain', { 'policy/r.yaml': rule('aws.buckets-have-owner') }, /'aws\.' prefix is reserved/],
    [
      'duplicate ids',
      { 'policy/a.yaml': rule('acme.buckets-have-owner'), 'policy/b.yaml': rule('acme.buckets-have-owner') },
      /also defined in policy\/a\.yaml/,
    ],
    [
      'built-in id as alias',
      { 'policy/a.yaml': rule('acme.buckets-have-owner', 'aliases: [aws.kms-key-rotation-enabled]\n') },
      /already the built-in check/,
    ],
    [
      'CEL error',
      { 'policy/a.yaml': rule('acme.buckets-have-owner').replace('in default', 'in defualt') },
      /policy\/a\.yaml:6:\d+: .*unknown function 'defualt'\. Did you mean 'default'\?/,
    ],
    [
      'unknown field',
      { 'policy/a.yaml': rule('acme.buckets-have-owner', 'severty: low\n') },
      /policy\/a\.yaml:10:1: unknown field 'severty'\. Did you mean 'severity'\?/,
    ],
    [
      'attribute no fixture has',
      {
        'policy/a.yaml': rule('acme.buckets-have-owner').replace('resource.tags', 'resource.tag'),
        'policy/a/pass-x.tf': 'resource "aws_s3_bucket" "b" {\n  tags = { owner = "y" }\n}\n',
      },
      /no fixture of aws_s3_bucket has attribute 'tag'\. Did you mean 'tags'\?/,
    ],
  ];
  for (const [name, files, pattern] of cases) {
    test(name, () => {
      const dir = repo(name.replace(/\W+/g, '-'), files);
      for (const args of [
        ['scan', '.', '--no-evidence', '-q'],
        ['policy', 'test'],
      ]) {
        const r = evident(args, { cwd: dir });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, pattern);
        assert.equal(r.stdout, '', 'nothing was scanned or tested');
      }
    });
  }
  test('a policies directory that does not exist', () => {
    const dir = repo('missing-dir');
    writeFileSync(
      join(dir, 'evident.yaml'),
      `policies: [rules/]\n${readFileSync(join(dir, 'evident.yaml'), 'utf8')}`,
    );
    const r = evident(['scan', '.', '--no-evidence', '-q'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /policies directory rules does not exist/);
  });
});

describe('the bundled example', () => {
  test('policy test passes the example team rule', () => {
    const r = evident(['policy', 'test', 'examples/platform/.evident/policies']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ acme\.s3-buckets-versioned .*5 fixtures/);
  });
  test('a copy of the example scans its team rule from policies: and skips .evident', () => {
    const copy = join(work, 'platform');
    cpSync('examples/platform', copy, { recursive: true });
    const run = scanJson([copy, '--no-evidence', '--now', '2026-11-21T12:00:00Z']);
    assert.equal(
      outcomeOf(run.result, 'acme.s3-buckets-versioned', 'aws_s3_bucket.customer_uploads'),
      'pass',
    );
    assert.equal(
      outcomeOf(run.result, 'acme.s3-buckets-versioned', 'aws_s3_bucket.marketing_assets'),
      undefined,
    );
    assert.ok(
      run.result.controls
        .find((c) => c.id === 'BAK-1')
        ?.checks.some((c) => c.id === 'acme.s3-buckets-versioned'),
    );
    assert.deepEqual(
      run.result.inputs.filter((i) => i.file.includes('.evident')).map((i) => i.kind),
      ['policy'],
    );
  });
});

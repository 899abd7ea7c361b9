// The evidence journey from a directory other than the repository: `evident scan ../acme`, `evidence add
// ../acme/docs/…`, a scan from a subdirectory, verify and export all use the one log of the repository
// (acme/.evident/ledger), say where it is, and put no absolute path into results or signed records.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ScanResult } from '../../src/core/scan-result.js';
import { evident, REPO } from './helpers.js';

const T = mkdtempSync(join(tmpdir(), 'evident-journey-'));
const ACME = join(T, 'acme');
const ELSEWHERE = join(T, 'elsewhere');
const KEYS = join(T, 'keys');

after(() => rmSync(T, { recursive: true, force: true }));

function git(...args: string[]): void {
  const r = spawnSync(
    'git',
    ['-C', ACME, '-c', 'user.name=Acme', '-c', 'user.email=dev@acme.example', ...args],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
}

/** Decoded statements of the log, as text (to look for leaked paths). */
function statements(ledger: string): string[] {
  return readFileSync(join(ledger, 'entries.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => Buffer.from((JSON.parse(l) as { payload: string }).payload, 'base64').toString('utf8'));
}

describe('evidence journey from outside the repository', () => {
  cpSync(join(REPO, 'examples', 'platform'), ACME, {
    recursive: true,
    filter: (src) => !/[\\/]\.evident[\\/](ledger|exports)/.test(src),
  });
  mkdirSync(ELSEWHERE);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'platform');
  const keygen = evident(['keygen', '--out', KEYS], { cwd: T });
  const signing = { EVIDENT_SIGNING_KEY_FILE: join(KEYS, 'evident.key') };
  const pub = join(KEYS, 'evident.pub');
  const ledger = join(ACME, '.evident', 'ledger');

  test('scan ../acme records into acme/.evident/ledger and says so; paths in the result are relative to the scan root', () => {
    assert.equal(keygen.status, 0, keygen.stderr);
    const r = evident(['scan', '../acme', '-f', 'json', '-o', 'result.json'], {
      cwd: ELSEWHERE,
      env: signing,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /evidence recorded and signed by SHA256:\S+: \.\.\/acme\/\.evident\/ledger entry #0/,
    );
    assert.ok(existsSync(join(ledger, 'checkpoint')));
    assert.equal(existsSync(join(ELSEWHERE, '.evident')), false, 'no second log in the current directory');
    const result = JSON.parse(readFileSync(join(ELSEWHERE, 'result.json'), 'utf8')) as ScanResult;
    assert.equal(result.root, '../acme');
    assert.equal(result.controlMap.file, 'evident.yaml');
    assert.ok(
      result.controls.length > 0 && result.controls.every((c) => c.location?.file === 'evident.yaml'),
    );
    const waived = result.findings.filter((f) => f.waiver);
    assert.ok(waived.length > 0 && waived.every((f) => f.waiver?.location?.file === 'evident.yaml'));
    assert.equal(result.controls.find((c) => c.id === 'IR-1')?.status, 'manual');
    assert.ok(
      !readFileSync(join(ELSEWHERE, 'result.json'), 'utf8').includes(T),
      'no absolute path in the result',
    );
  });

  test('evidence add ../acme/docs/… goes to the same log, and a scan (even --no-evidence) counts it', () => {
    const add = evident(['evidence', 'add', '../acme/docs/incident-response.md', '--control', 'IR-1'], {
      cwd: ELSEWHERE,
      env: signing,
    });
    assert.equal(add.status, 0, add.stderr);
    assert.match(
      add.stdout,
      /evidence for IR-1: docs\/incident-response\.md .* logged as entry #1 in \.\.\/acme\/\.evident\/ledger/,
    );
    const r = evident(['scan', '../acme', '--no-evidence', '-q', '-f', 'json'], { cwd: ELSEWHERE });
    const result = JSON.parse(r.stdout) as ScanResult;
    assert.equal(result.controls.find((c) => c.id === 'IR-1')?.status, 'pass');
  });

  test('a scan of a subdirectory uses the repository map and log; SARIF has no absolute path', () => {
    const sub = join(ACME, 'terraform');
    const json = evident(['scan', '.', '--no-evidence', '-q', '-f', 'json'], { cwd: sub });
    const result = JSON.parse(json.stdout) as ScanResult;
    assert.equal(result.controlMap.file, '../evident.yaml');
    assert.equal(
      result.controls.find((c) => c.id === 'IR-1')?.status,
      'pass',
      'manual evidence found in the repository log',
    );
    assert.ok(result.controls.every((c) => c.location?.file === '../evident.yaml'));
    const sarif = evident(['scan', '.', '--no-evidence', '-q', '-f', 'sarif'], { cwd: sub });
    assert.ok(!sarif.stdout.includes(T), 'no absolute path in SARIF');
    const suppressed = (
      JSON.parse(sarif.stdout) as { runs: { results: { suppressions?: { location?: unknown }[] }[] }[] }
    ).runs[0]!.results.filter((x) => x.suppressions?.length);
    assert.ok(suppressed.length > 0, 'waived findings are suppressed');
    const signed = evident(['scan', '.', '-q'], { cwd: sub, env: signing });
    assert.match(signed.stderr, /^$/, 'quiet: a signed run says nothing more');
    assert.equal(statements(ledger).length, 3, 'recorded in the repository log');
  });

  test('verify and export from inside the repository default to its log; no signed record holds an absolute path', () => {
    const v = evident(['verify', '--key', pub], { cwd: join(ACME, 'kubernetes') });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /verdict: OK: \.\.\/\.evident\/ledger: 3 entries verified/);
    const day = new Date().toISOString().slice(0, 10);
    const x = evident(['export', '--from', day, '--to', day], { cwd: ACME, env: signing });
    assert.equal(x.status, 0, x.stderr);
    const bundle = join('.evident', 'exports', `evident-bundle-${day}_${day}.tar.gz`);
    assert.match(x.stdout, new RegExp(`^wrote ${bundle.replaceAll('.', '\\.')}$`, 'm'));
    const vb = evident(['verify', bundle, '--key', pub, '-f', 'json', '-o', 'verify.json'], { cwd: ACME });
    assert.equal(vb.status, 0, vb.stderr);
    assert.equal(JSON.parse(readFileSync(join(ACME, 'verify.json'), 'utf8')).ok, true);
    for (const st of statements(ledger)) assert.ok(!st.includes(T), `a signed statement holds ${T}`);
  });
});

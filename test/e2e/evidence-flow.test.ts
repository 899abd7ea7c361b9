import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { evident, scanJson } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'evident-e2e-evidence-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = join(work, 'keys');
const ledger = join(work, 'ledger');
const bundle = join(work, 'bundle.tar.gz');

describe('signed evidence: keygen → evidence add → scan → verify → export → verify bundle', () => {
  test('keygen writes a key pair and never prints the private key', () => {
    const k = evident(['keygen', '--out', keys]);
    assert.equal(k.status, 0, k.stderr);
    const priv = readFileSync(join(keys, 'evident.key'), 'utf8');
    assert.match(priv, /BEGIN PRIVATE KEY/);
    const body = priv.split('\n')[1]!;
    assert.ok(!k.stdout.includes(body) && !k.stderr.includes(body), 'private key material printed');
    assert.notEqual(evident(['keygen', '--out', keys]).status, 0, 'refuses to overwrite');
  });

  test('manual evidence counts toward its control until older than maxAgeDays', () => {
    const add = evident([
      'evidence',
      'add',
      '--control',
      'IR-1',
      '--ledger',
      ledger,
      '--key-file',
      join(keys, 'evident.key'),
      'examples/platform/docs/incident-response.md',
    ]);
    assert.equal(add.status, 0, add.stderr + add.stdout);
    const fresh = scanJson([
      'examples/platform',
      '--ledger',
      ledger,
      '--key-file',
      join(keys, 'evident.key'),
    ]);
    assert.equal(fresh.result.controls.find((c) => c.id === 'IR-1')?.status, 'pass');
    const later = new Date(Date.now() + 400 * 86_400_000).toISOString();
    const stale = scanJson(['examples/platform', '--ledger', ledger, '--no-evidence', '--now', later]);
    // --no-evidence only stops recording: logged evidence is still read
    const noRecord = scanJson(['examples/platform', '--ledger', ledger, '--no-evidence']);
    assert.equal(noRecord.result.controls.find((c) => c.id === 'IR-1')?.status, 'pass');
    assert.equal(stale.result.controls.find((c) => c.id === 'IR-1')?.status, 'manual');
  });

  test('verify checks the log against the pinned key and rejects another key', () => {
    const ok = evident(['verify', ledger, '--key', join(keys, 'evident.pub')]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /verdict: OK/);
    const other = join(work, 'other');
    evident(['keygen', '--out', other]);
    const bad = evident(['verify', ledger, '--key', join(other, 'evident.pub')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /✗ signature/);
  });

  test('export writes a bundle that verifies offline, and a tampered copy fails', () => {
    const today = new Date().toISOString().slice(0, 10);
    const ex = evident([
      'export',
      '--from',
      today,
      '--to',
      today,
      '--ledger',
      ledger,
      '--key',
      join(keys, 'evident.pub'),
      '--key-file',
      join(keys, 'evident.key'),
      '--output',
      bundle,
    ]);
    assert.match(ex.stdout, /manifest: signed/);
    assert.equal(ex.status, 0, ex.stderr + ex.stdout);
    const v = evident(['verify', bundle, '--key', join(keys, 'evident.pub')]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const bytes = readFileSync(bundle);
    const mid = Math.floor(bytes.length / 2);
    bytes[mid] = (bytes[mid] ?? 0) ^ 0x01;
    const tampered = join(work, 'tampered.tar.gz');
    writeFileSync(tampered, bytes);
    const t = evident(['verify', tampered, '--key', join(keys, 'evident.pub')]);
    assert.notEqual(t.status, 0);
  });
});

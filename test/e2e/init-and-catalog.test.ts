import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { evident, scanJson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'evident-e2e-init-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('evident init, checks, frameworks', () => {
  test('init writes a starter map that covers every built-in check and scans cleanly', () => {
    const r = evident(['init', dir]);
    assert.equal(r.status, 0, r.stderr);
    const yaml = readFileSync(join(dir, 'evident.yaml'), 'utf8');
    const checks = JSON.parse(evident(['checks', '--json']).stdout) as { id: string }[];
    assert.ok(checks.length >= 36);
    for (const c of checks) assert.ok(yaml.includes(c.id), `starter map misses ${c.id}`);
    writeFileSync(join(dir, 'main.tf'), 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n');
    const scan = scanJson([dir, '--no-evidence']);
    assert.equal(scan.status, 0, scan.stderr);
    assert.equal(scan.result.controlMap.builtIn, false);
    assert.equal(scan.result.frameworks.length, 4);
  });

  test('init refuses to overwrite without --force', () => {
    const again = evident(['init', dir]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal(evident(['init', dir, '--force']).status, 0);
  });

  test('checks lists every check with its framework mappings', () => {
    const out = evident(['checks']).stdout;
    assert.match(out, /aws\.s3-bucket-encrypted/);
    assert.match(out, /iso27001-2022 +A\.8\.24/);
  });

  test('frameworks lists catalogs and the checks mapped to each requirement', () => {
    const all = evident(['frameworks']).stdout;
    assert.match(all, /soc2 .*61 requirements/);
    assert.match(all, /iso27001-2022 .*93 requirements/);
    const soc2 = JSON.parse(evident(['frameworks', 'soc2', '--json']).stdout) as {
      requirements: { id: string; checks: string[] }[];
    }[];
    const cc61 = soc2[0]?.requirements.find((r) => r.id === 'CC6.1');
    assert.ok(cc61?.checks.includes('aws.s3-bucket-encrypted'));
    assert.equal(evident(['frameworks', 'pci']).status, 2);
  });
});

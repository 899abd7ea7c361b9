import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Source } from '../core/source.js';
import { capClaimedBytes } from './input-budget.js';
import type { SourceClaim } from './registry.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'evident-budget-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function file(rel: string, bytes: number, withSize = true) {
  const abs = path.join(tmp, rel.replace(/\//g, '_'));
  writeFileSync(abs, Buffer.alloc(bytes, 0x20));
  return { abs, rel, name: path.basename(rel), ...(withSize ? { size: bytes } : {}) };
}

describe('the bytes limit over every claimed input (issue 7 case 6)', () => {
  it('keeps every file under the limit and reports nothing', async () => {
    const claims: SourceClaim[] = [{ source: {} as Source, files: [file('a.tf', 10), file('b.tf', 10)] }];
    assert.deepEqual(await capClaimedBytes(claims, 20), []);
    assert.equal(claims[0]!.files.length, 2);
  });

  it('drops the file that crosses the limit and every one after it in path order, across sources, with one error naming it', async () => {
    const tf: SourceClaim = { source: {} as Source, files: [file('a/main.tf', 40), file('c/main.tf', 40)] };
    // no size from the walk: stat'ed
    const k8s: SourceClaim = {
      source: {} as Source,
      files: [file('b/pod.yaml', 40, false), file('d/pod.yaml', 1)],
    };
    const diags = await capClaimedBytes([tf, k8s], 100);
    assert.deepEqual(
      tf.files.map((f) => f.rel),
      ['a/main.tf'],
    );
    assert.deepEqual(
      k8s.files.map((f) => f.rel),
      ['b/pod.yaml'],
    );
    assert.equal(diags.length, 1);
    const d = diags[0]!;
    assert.equal(d.severity, 'error');
    assert.equal(d.code, 'E_INPUT_TOO_LARGE');
    assert.equal(d.file, 'c/main.tf');
    assert.match(
      d.message,
      /more than 100 bytes: c\/main\.tf and 1 input file\(s\) after it.*incomplete.*--limit bytes=N/,
    );
  });
});

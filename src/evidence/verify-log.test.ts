import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createEnvelope, decodeStatement } from './dsse.js';
import { appendToLedger } from './ledger.js';
import { addManualEvidence } from './manual-evidence.js';
import { recordScan } from './record-scan.js';
import { fakeScanResult, tempDir, testEnvelope, testKey } from './test-support/fixtures.js';
import type { DsseEnvelope, VerifyReport } from './types.js';
import { verifyLog } from './verify-log.js';

type Key = ReturnType<typeof testKey>;

/** A 12-entry signed log with scan runs (input blobs), manual evidence and plain entries. */
async function buildLog(
  key: Key,
): Promise<{ root: string; dir: string; blobDir: string; checkpoints: string[] }> {
  const root = tempDir();
  const dir = join(root, '.evident', 'ledger');
  const blobDir = join(root, '.evident', 'ledger', 'blobs');
  const checkpoints: string[] = [];
  const env = {};
  for (let i = 0; i < 12; i++) {
    let cp: string;
    if (i % 4 === 0) {
      const result = fakeScanResult(root, { [`main${i}.tf`]: `resource "x" "y${i}" {}\n` });
      cp = (await recordScan({ result, root, ledgerDir: dir, signer: key.signer, env })).checkpoint;
    } else if (i % 4 === 1) {
      writeFileSync(join(root, `doc${i}.md`), `# evidence ${i}\n`);
      await addManualEvidence({
        file: join(root, `doc${i}.md`),
        controlId: 'IR-1',
        root,
        ledgerDir: dir,
        signer: key.signer,
        env,
      });
      cp = readFileSync(join(dir, 'checkpoint'), 'utf8');
    } else {
      cp = (await appendToLedger(dir, [await testEnvelope(i, key.signer)], { signer: key.signer }))
        .checkpoint;
    }
    checkpoints.push(cp);
  }
  return { root, dir, blobDir, checkpoints };
}

const failures = (r: VerifyReport): string =>
  r.checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name}: ${c.detail}`)
    .join('\n');

function readLines(dir: string): string[] {
  return readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n').slice(0, -1);
}
function writeLines(dir: string, lines: string[]): void {
  writeFileSync(join(dir, 'entries.jsonl'), `${lines.join('\n')}\n`);
}

describe('verifyLog: tamper detection', async () => {
  const key = testKey();
  const base = await buildLog(key);
  let n = 0;
  /** A fresh copy of the pristine log (and its blobs) to tamper with. */
  const copy = (): { dir: string; blobDir: string } => {
    const to = join(tempDir(), `copy${n++}`);
    cpSync(join(base.root, '.evident'), to, { recursive: true });
    return { dir: join(to, 'ledger'), blobDir: join(to, 'ledger', 'blobs') };
  };
  const verify = (c: { dir: string; blobDir: string }, extra = {}) =>
    verifyLog(c.dir, { publicKeyPem: key.publicKeyPem, blobDir: c.blobDir, ...extra });

  it('the pristine log verifies, blobs included', async () => {
    const r = await verify(copy());
    assert.ok(r.ok, failures(r));
    assert.equal(r.entries, 12);
    assert.equal(r.unsigned, 0);
    const blobs = r.checks.find((c) => c.name === 'blob-digest')!;
    assert.match(blobs.detail, /^[1-9]\d* referenced blobs re-hashed/);
  });

  it('flipping any single byte of any log file or blob is detected, naming what and where', async () => {
    const probe = copy();
    const files = [
      'entries.jsonl',
      'index.bin',
      'checkpoint',
      ...readdirSync(join(probe.dir, 'tree')).map((f) => join('tree', f)),
    ].map((f) => ({ rel: f, abs: (c: { dir: string; blobDir: string }) => join(c.dir, f) }));
    for (const b of readdirSync(join(probe.blobDir, 'sha256'))) {
      files.push({
        rel: `blob ${b.slice(0, 8)}`,
        abs: (c) => join(c.blobDir, 'sha256', b),
      });
    }
    assert.ok(files.length >= 8, `files to tamper: ${files.map((f) => f.rel)}`);
    let probes = 0;
    for (const f of files) {
      const size = readFileSync(f.abs(probe)).length;
      const positions = [
        ...new Set([0, 1, Math.floor(size / 3), Math.floor(size / 2), size - 2, size - 1]),
      ].filter((p) => p >= 0 && p < size);
      for (const pos of positions) {
        for (const mask of [0x01, 0x80]) {
          const c = copy();
          const bytes = readFileSync(f.abs(c));
          bytes.writeUInt8(bytes.readUInt8(pos) ^ mask, pos);
          writeFileSync(f.abs(c), bytes);
          const r = await verify(c);
          assert.equal(r.ok, false, `flip ${f.rel} byte ${pos} ^${mask} went undetected`);
          const detail = failures(r);
          assert.match(
            detail,
            /entry \d+|index\.bin|level-\d+|checkpoint|blob /,
            `${f.rel}@${pos}: ${detail}`,
          );
          probes++;
        }
      }
    }
    assert.ok(probes >= 60, `probes: ${probes}`);
  });

  it('deleting an entry is detected', async () => {
    const c = copy();
    const lines = readLines(c.dir);
    lines.splice(5, 1);
    writeLines(c.dir, lines);
    const r = await verify(c);
    assert.equal(r.ok, false);
    assert.match(
      failures(r),
      /log truncated: entries\.jsonl holds 11 complete entries but the checkpoint commits to 12/,
    );
    assert.match(failures(r), /index\.bin record 5/);
  });

  it('reordering two entries is detected', async () => {
    const c = copy();
    const lines = readLines(c.dir);
    [lines[6], lines[7]] = [lines[7]!, lines[6]!];
    writeLines(c.dir, lines);
    const r = await verify(c);
    assert.equal(r.ok, false);
    assert.match(failures(r), /merkle-root: .*does not match the checkpoint root.*first differing entry: 6/);
  });

  it('duplicating an entry is detected', async () => {
    const c = copy();
    const lines = readLines(c.dir);
    lines[8] = lines[7]!;
    writeLines(c.dir, lines);
    const r = await verify(c);
    assert.equal(r.ok, false);
    assert.match(failures(r), /entry 8 .* is a byte-identical duplicate of entry 7/);
  });

  it('a log re-signed with another key fails, naming both key ids', async () => {
    const other = testKey();
    const c = copy();
    // attacker rebuilds the whole log, re-signing every statement with their own key
    const forged = join(tempDir(), 'forged');
    for (const line of readLines(c.dir)) {
      const st = decodeStatement(JSON.parse(line) as DsseEnvelope)!;
      await appendToLedger(forged, [await createEnvelope(st, other.signer)], {
        signer: other.signer,
        origin: 'evident.local/x',
      });
    }
    const r = await verifyLog(forged, { publicKeyPem: key.publicKeyPem, blobDir: c.blobDir });
    assert.equal(r.ok, false);
    const d = failures(r);
    assert.ok(d.includes(`signed by key ${other.keyId}, but the pinned key is ${key.keyId}`), d);
    assert.match(d, /checkpoint-signature: checkpoint: checkpoint \(size 12\) is signed only by other keys/);
    assert.ok(d.includes(key.keyId));
  });

  it('truncating the log is detected; a consistent rollback is caught by --since', async () => {
    const c = copy();
    const lines = readLines(c.dir);
    truncateSync(join(c.dir, 'entries.jsonl'), Buffer.byteLength(lines.slice(0, 9).join('\n')) + 1);
    const r = await verify(c);
    assert.equal(r.ok, false);
    assert.match(
      failures(r),
      /log truncated: entries\.jsonl holds 9 complete entries but the checkpoint commits to 12/,
    );

    // roll everything back consistently to the signed checkpoint at size 9 (no key needed)
    const d = copy();
    truncateSync(join(d.dir, 'entries.jsonl'), Buffer.byteLength(lines.slice(0, 9).join('\n')) + 1);
    truncateSync(join(d.dir, 'index.bin'), 9 * 48);
    writeFileSync(join(d.dir, 'checkpoint'), base.checkpoints[8]!);
    const plain = await verify(d);
    assert.ok(plain.ok, `a rollback to a genuine earlier state verifies on its own: ${failures(plain)}`);
    const since = await verify(d, { sinceCheckpoint: base.checkpoints[11] });
    assert.equal(since.ok, false);
    assert.match(
      failures(since),
      /consistency: --since checkpoint has size 12 but the log has only 9 entries/,
    );
  });

  it('--since proves consistency with every earlier checkpoint; a foreign checkpoint fails', async () => {
    const c = copy();
    for (const cp of base.checkpoints) {
      const r = await verify(c, { sinceCheckpoint: cp });
      assert.ok(r.ok, failures(r));
      assert.match(
        r.checks.find((k) => k.name === 'consistency')!.detail,
        /extends the checkpoint|nothing to prove/,
      );
    }
    const other = await buildLog(key);
    const r = await verify(c, { sinceCheckpoint: other.checkpoints[5] });
    assert.equal(r.ok, false);
    assert.match(failures(r), /consistency: .*(not an extension|is for log)/);
  });

  it('a missing blob is reported with the subject that references it', async () => {
    const c = copy();
    const blob = readdirSync(join(c.blobDir, 'sha256'))[0]!;
    const { rmSync } = await import('node:fs');
    rmSync(join(c.blobDir, 'sha256', blob));
    const r = await verify(c);
    assert.equal(r.ok, false);
    assert.match(
      failures(r),
      new RegExp(`blob-digest: blob sha256:${blob.slice(0, 12)}… \\((subject|scan result).* is missing`),
    );
  });
});

describe('verifyLog: unsigned evidence', () => {
  it('unsigned entries and checkpoint fail unless allowed, and are counted either way', async () => {
    const key = testKey();
    const dir = join(tempDir(), 'ledger');
    await appendToLedger(dir, [await testEnvelope(0, key.signer)], { signer: key.signer });
    await appendToLedger(dir, [await testEnvelope(1)], {});
    const strict = await verifyLog(dir, { publicKeyPem: key.publicKeyPem });
    assert.equal(strict.ok, false);
    assert.equal(strict.unsigned, 1);
    assert.match(failures(strict), /entry 1 .* is unsigned/);
    assert.match(failures(strict), /checkpoint \(size 2\) is unsigned/);
    const lax = await verifyLog(dir, { publicKeyPem: key.publicKeyPem, allowUnsigned: true });
    assert.ok(lax.ok, failures(lax));
    assert.equal(lax.unsigned, 1);
    assert.match(
      lax.checks.find((c) => c.name === 'signature')!.detail,
      /1 entries signed by pinned key .*, 1 UNSIGNED/,
    );
  });

  it('a missing directory is one failing check, not an exception', async () => {
    const r = await verifyLog(join(tempDir(), 'none'), {});
    assert.equal(r.ok, false);
    assert.match(r.checks[0]!.detail, /no evidence log/);
  });
});

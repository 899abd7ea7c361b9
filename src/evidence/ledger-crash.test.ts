import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openLedger } from './ledger.js';
import { childArgs, tempDir, testKey } from './test-support/fixtures.js';
import { verifyLog } from './verify-log.js';

const worker = childArgs(fileURLToPath(new URL('./test-support/append-worker.ts', import.meta.url)));

/** Spawns an append worker; resolves with its acknowledged indices once it exits (or is killed). */
function runWorker(
  dir: string,
  keyFile: string,
  count: number,
  label: string,
  killAfter?: { acks: number; delayMs: number },
): Promise<{ acked: number[]; signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return worker.then(
    (args) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...args, dir, keyFile, String(count), label], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const acked: number[] = [];
        let buf = '';
        let stderr = '';
        let armed = false;
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            const m = /^ok (\d+)$/.exec(buf.slice(0, nl));
            if (m) acked.push(Number(m[1]));
            buf = buf.slice(nl + 1);
            nl = buf.indexOf('\n');
          }
          if (killAfter && !armed && acked.length >= killAfter.acks) {
            armed = true;
            setTimeout(() => child.kill('SIGKILL'), killAfter.delayMs);
          }
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.on('error', reject);
        child.on('exit', (code, signal) => resolve({ acked, signal, code, stderr }));
      }),
  );
}

describe('crash safety and exclusivity', () => {
  it('kill -9 at random points, 24 times: the log always verifies and keeps every acknowledged entry', async () => {
    const tmp = tempDir();
    const dir = join(tmp, 'ledger');
    const key = testKey(tmp);
    let previousCheckpoint: string | undefined;
    let previousSize = 0;
    let kills = 0;
    for (let round = 0; round < 24; round++) {
      const r = await runWorker(dir, key.keyFile!, 100_000, `r${round}`, {
        acks: 1 + (round % 3),
        delayMs: Math.floor(Math.random() * 25),
      });
      assert.equal(
        r.signal,
        'SIGKILL',
        `round ${round}: worker was not killed (code ${r.code}): ${r.stderr}`,
      );
      kills++;
      const lastAck = r.acked.at(-1)!;
      const report = await verifyLog(dir, {
        publicKeyPem: key.publicKeyPem,
        sinceCheckpoint: previousCheckpoint,
        blobDir: false,
      });
      assert.ok(report.ok, `round ${round}: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);
      // every acknowledged append is committed; at most the one in flight beyond it
      assert.ok(
        report.entries >= lastAck + 1,
        `round ${round}: ${report.entries} entries, last ack ${lastAck}`,
      );
      assert.ok(
        report.entries <= lastAck + 2,
        `round ${round}: ${report.entries} entries, last ack ${lastAck}`,
      );
      assert.ok(report.entries > previousSize);
      const ledger = await openLedger(dir);
      const last = await ledger.get(lastAck);
      assert.equal((last.statement.predicate as { writer: string }).writer, `r${round}`);
      await ledger.close();
      previousSize = report.entries;
      previousCheckpoint = readFileSync(join(dir, 'checkpoint'), 'utf8');
    }
    assert.equal(kills, 24);
  });

  it('two concurrent writers appending N each leave exactly 2N entries, none lost or interleaved', async () => {
    const tmp = tempDir();
    const dir = join(tmp, 'ledger');
    const key = testKey(tmp);
    const N = 100;
    const [a, b] = await Promise.all([
      runWorker(dir, key.keyFile!, N, 'A'),
      runWorker(dir, key.keyFile!, N, 'B'),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(new Set([...a.acked, ...b.acked]).size, 2 * N, 'every acknowledged index is distinct');
    const report = await verifyLog(dir, { publicKeyPem: key.publicKeyPem, blobDir: false });
    assert.ok(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok)));
    assert.equal(report.entries, 2 * N);
    const ledger = await openLedger(dir);
    const seen = { A: [] as number[], B: [] as number[] };
    for await (const e of ledger.entries()) {
      const p = e.statement.predicate as { writer: 'A' | 'B'; seq: number };
      seen[p.writer].push(p.seq);
    }
    await ledger.close();
    const all = Array.from({ length: N }, (_, i) => i);
    assert.deepEqual(seen.A, all, 'writer A entries in order, none lost');
    assert.deepEqual(seen.B, all, 'writer B entries in order, none lost');
  });
});

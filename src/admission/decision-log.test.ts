import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLedger } from '../evidence/ledger.js';
import type { AdmissionDecision } from './decide.js';
import { type AdmissionDecisionsPredicate, openDecisionLog, readWal } from './decision-log.js';

function decision(uid: string): AdmissionDecision {
  return {
    uid,
    decidedAt: '2026-12-07T23:00:00.000Z',
    operation: 'CREATE',
    namespace: 'payments',
    kind: 'Deployment',
    name: 'web',
    allowed: false,
    disposition: 'judged',
    objectSha256: 'a'.repeat(64),
    results: [
      {
        rule: 'k8s.no-privileged-containers',
        outcome: 'fail',
        mode: 'enforce',
        effect: 'deny',
        message: 'x',
        controls: ['K8S-1'],
      },
    ],
  };
}

async function loggedUids(ledgerDir: string): Promise<string[][]> {
  const ledger = await openLedger(ledgerDir);
  const out: string[][] = [];
  for await (const e of ledger.entries())
    out.push((e.statement.predicate as AdmissionDecisionsPredicate).decisions.map((d) => d.uid));
  await ledger.close();
  return out;
}

test('acknowledged decisions survive a crash: the next start signs them first; a torn last line is dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-decisions-'));
  try {
    const ledgerDir = join(dir, 'ledger');
    const first = await openDecisionLog({ ledgerDir, batchSize: 100, flushMs: 60_000 });
    for (const uid of ['a', 'b', 'c']) await first.record(decision(uid));
    // crash: the process dies before any batch is signed (no close, no flush)
    const wal = join(dir, 'admission-wal.jsonl');
    assert.deepEqual(
      readWal(wal).map((d) => d.uid),
      ['a', 'b', 'c'],
    );
    appendFileSync(wal, '{"uid":"torn","decid');
    const second = await openDecisionLog({ ledgerDir, batchSize: 100, flushMs: 60_000 });
    assert.deepEqual(await loggedUids(ledgerDir), [['a', 'b', 'c']]);
    assert.equal(second.pending(), 0);
    assert.equal(readFileSync(wal, 'utf8'), '');
    await second.record(decision('d'));
    await second.close();
    assert.deepEqual(await loggedUids(ledgerDir), [['a', 'b', 'c'], ['d']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decisions are signed at most batchSize per envelope, in order, including concurrent ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-decisions-'));
  try {
    const ledgerDir = join(dir, 'ledger');
    const log = await openDecisionLog({ ledgerDir, batchSize: 2, flushMs: 60_000 });
    await Promise.all(['1', '2', '3', '4', '5'].map((uid) => log.record(decision(uid))));
    await log.close();
    const batches = await loggedUids(ledgerDir);
    assert.ok(
      batches.every((b) => b.length <= 2),
      JSON.stringify(batches),
    );
    assert.deepEqual(batches.flat(), ['1', '2', '3', '4', '5']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch that cannot be appended stays in the write-ahead file and is reported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-decisions-'));
  try {
    const ledgerDir = join(dir, 'not-a-dir');
    writeFileSync(ledgerDir, 'a file where the log should be');
    const errors: unknown[] = [];
    const log = await openDecisionLog({
      ledgerDir,
      batchSize: 1,
      flushMs: 60_000,
      onError: (e) => errors.push(e),
    });
    await log.record(decision('kept'));
    await log.close();
    assert.ok(errors.length >= 1);
    assert.deepEqual(
      readWal(join(dir, 'admission-wal.jsonl')).map((d) => d.uid),
      ['kept'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

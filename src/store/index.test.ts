import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendToLedger } from '../evidence/ledger.js';
import { tempDir } from '../evidence/test-support/fixtures.js';
import { reindex, syncFileLog } from '../indexer/sync.js';
import type { Store } from './open-store.js';
import {
  dailyRows,
  findingDetail,
  latestManualEvidence,
  latestRuns,
  listFindings,
  listRuns,
  listWaivers,
  runFrameworkRows,
} from './queries.js';
import { forEachBackend } from './testing/backends.js';
import { manualEnvelope, scanEnvelope, syntheticScan } from './testing/synthetic.js';

const fp = (i: number): string => {
  const checks = [
    'aws.s3-bucket-encrypted',
    'aws.s3-no-public-acl',
    'aws.rds-storage-encrypted',
    'k8s.no-privileged',
    'aws.cloudtrail-enabled',
  ];
  return createHash('sha256')
    .update(`${checks[i % 5]}|res_${i}`)
    .digest('hex');
};

const T = ['2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z'];
const LATE = '2026-03-02T18:00:00.000Z';

async function run(at: string, failing: (i: number) => boolean, id: string, waived?: (i: number) => boolean) {
  return scanEnvelope(syntheticScan({ recordedAt: at, findings: 30, failing, waived }), id);
}

/** Every answer the dashboard reads, with run ids replaced by run UUIDs (ids are not stable across reindex). */
async function answers(store: Store): Promise<unknown> {
  const db = store.db;
  const runs = await listRuns(db, { sort: 'recordedAt', order: 'asc', limit: 100, offset: 0 });
  const uuid = new Map(runs.items.map((r) => [r.id, r.runUuid]));
  const u = (id: number | null) => (id === null ? null : uuid.get(id));
  const findings = await listFindings(db, {
    status: 'all',
    sort: 'firstSeen',
    order: 'asc',
    limit: 1000,
    offset: 0,
    now: '2026-04-01T00:00:00.000Z',
  });
  const latest = await latestRuns(db);
  return {
    runs: runs.items.map(({ id, entryId, ...r }) => r),
    findings: findings.items.map((f) => ({
      ...f,
      lastSeenRunId: u(f.lastSeenRunId),
      resolvedRunId: u(f.resolvedRunId),
    })),
    latest: latest.map((l) => ({ ...l, runId: u(l.runId) })),
    frameworks: (
      await runFrameworkRows(
        db,
        latest.map((l) => l.runId),
        { withRequirements: true },
      )
    ).map((f) => ({
      ...f,
      runId: u(f.runId),
    })),
    waivers: (await listWaivers(db, { today: '2026-04-01' })).map((w) => ({ ...w, runId: u(w.runId) })),
    daily: await dailyRows(db, 'soc2', '2026-12-31'),
    manual: (await latestManualEvidence(db)).map(({ entryId, ...m }) => m),
  };
}

forEachBackend('index', (b) => {
  const dir = tempDir('evident-store-');
  const main = join(dir, 'main', 'ledger');
  const late = join(dir, 'late', 'ledger');

  test('a file log is indexed: runs, findings lifecycle, waivers, manual evidence', async () => {
    await appendToLedger(main, [
      await run(T[0]!, (i) => i % 7 === 0, 'run-0'),
      await manualEnvelope('IR-1', 'docs/ir.md', Buffer.from('plan'), '2026-03-01T09:00:00.000Z'),
      await run(
        T[1]!,
        (i) => i % 5 === 0,
        'run-1',
        (i) => i === 10,
      ),
      await run(T[2]!, (i) => i % 7 === 0, 'run-2'),
    ]);
    assert.equal(await syncFileLog(b.store(), { dir: main, repo: 'payments' }), 4);
    assert.equal(
      await syncFileLog(b.store(), { dir: main, repo: 'payments' }),
      0,
      'a second sync reads nothing',
    );
    const db = b.store().db;
    const runs = await listRuns(db, { sort: 'recordedAt', order: 'desc', limit: 10, offset: 0 });
    assert.deepEqual(
      runs.items.map((r) => [r.runUuid, r.repo, r.logIndex]),
      [
        ['run-2', 'payments', 3],
        ['run-1', 'payments', 2],
        ['run-0', 'payments', 0],
      ],
    );
    const d0 = await findingDetail(db, 'payments', fp(0));
    assert.equal(d0?.finding.firstSeenAt, T[0]);
    assert.equal(d0?.finding.lastSeenAt, T[2]);
    assert.equal(d0?.finding.resolvedAt, null);
    assert.deepEqual(
      d0?.history.map((h) => h.outcome),
      ['fail', 'fail', 'fail'],
    );
    const d7 = await findingDetail(db, 'payments', fp(7));
    assert.equal(d7?.finding.firstSeenAt, T[0], 'reopened keeps its first-seen');
    assert.equal(d7?.finding.resolvedAt, null);
    const d5 = await findingDetail(db, 'payments', fp(5));
    assert.equal(d5?.finding.firstSeenAt, T[1]);
    assert.equal(d5?.finding.resolvedAt, T[2]);
    assert.equal(
      await findingDetail(db, 'payments', fp(1)),
      undefined,
      'a finding never open has no lifecycle',
    );
    const open = await listFindings(db, {
      status: 'open',
      sort: 'severity',
      order: 'asc',
      limit: 100,
      offset: 0,
      now: T[2]!,
    });
    assert.deepEqual(open.items.map((f) => f.fingerprint).sort(), [0, 7, 14, 21, 28].map(fp).sort());
    const crit = await listFindings(db, {
      status: 'all',
      severity: ['critical'],
      framework: 'soc2',
      sort: 'firstSeen',
      order: 'asc',
      limit: 100,
      offset: 0,
      now: T[2]!,
    });
    assert.ok(crit.items.every((f) => f.severity === 'critical' && f.checkId === 'aws.s3-no-public-acl'));
    assert.equal(crit.total, crit.items.length);
    assert.deepEqual(await listWaivers(db, { today: '2026-03-05' }), [], 'the latest run applies no waiver');
    const manual = await latestManualEvidence(db);
    assert.deepEqual(
      manual.map((m) => [m.repo, m.controlId, m.path]),
      [['payments', 'IR-1', 'docs/ir.md']],
    );
  });

  test('a run arriving late is placed by its time, and reindex gives identical answers', async () => {
    await appendToLedger(late, [
      await run(
        LATE,
        (i) => i === 5 || i === 14,
        'run-late',
        (i) => i === 14,
      ),
    ]);
    await syncFileLog(b.store(), { dir: late, repo: 'payments' });
    const db = b.store().db;
    const d5 = await findingDetail(db, 'payments', fp(5));
    assert.equal(d5?.finding.lastSeenAt, LATE, 'the late run is the last one where it was open');
    assert.equal(d5?.finding.resolvedAt, T[2]);
    const before = await answers(b.store());
    const r = await reindex(b.store(), [
      { dir: main, repo: 'payments' },
      { dir: late, repo: 'payments' },
    ]);
    assert.deepEqual(r, { entries: 5, runs: 4 });
    assert.deepEqual(await answers(b.store()), before);
  });
});

/**
 * Writes projected log entries (src/indexer/project.ts) into the index tables, and maintains the derived
 * per-repository tables (`findings` lifecycle, `waivers`, `repo_daily`).
 *
 * The derived tables are a function of the set of runs, never of the order they arrived in (so `reindex` gives
 * the same answers as incremental ingest): runs of a repository are ordered by `order_key`; see the `findings`
 * table doc for the lifecycle. Each run updates them incrementally, wherever it falls in that order (a run that
 * arrives late included): O(findings of the run + open findings of its repository).
 */
import { eq, sql } from 'drizzle-orm';
import type { Projection, RunRecord } from '../indexer/project.js';
import { OPEN_OUTCOMES } from '../indexer/project.js';
import { type Db, rows } from './open-store.js';
import {
  findings,
  indexedEntries,
  manualEvidence,
  repoDaily,
  runControls,
  runFindings,
  runFrameworks,
  runs,
  waivers,
} from './schema.js';

/** Where an entry sits: `source` is `server` or `file:<dir>`; `logIdx` its 0-based index there. */
export interface EntryRef {
  source: string;
  logIdx: number;
  envelopeSha256: string;
  leafHash: string;
  predicateType: string;
  repoId: number;
  keyId: string | null;
}

/** Outcome of {@link writeEntry}: the index id, or `duplicate` when the envelope was already indexed. */
export type WriteResult = { status: 'indexed'; entryId: number; runId?: number } | { status: 'duplicate' };

const OPEN_LIST = sql.raw(OPEN_OUTCOMES.map((o) => `'${o}'`).join(','));

/**
 * Indexes one entry inside the caller's transaction. `deferDerived` skips the derived tables (bulk reindex calls
 * {@link rebuildDerived} once per repository afterwards).
 */
export async function writeEntry(
  tx: Db,
  ref: EntryRef,
  projection: Projection,
  opts: { deferDerived?: boolean } = {},
): Promise<WriteResult> {
  const inserted = await tx
    .insert(indexedEntries)
    .values({
      source: ref.source,
      logIdx: ref.logIdx,
      envelopeSha256: ref.envelopeSha256,
      leafHash: ref.leafHash,
      predicateType: ref.predicateType,
      repoId: ref.repoId,
      keyId: ref.keyId,
      recordedAt: projection.recordedAt,
    })
    .onConflictDoNothing()
    .returning({ id: indexedEntries.id });
  const entryId = inserted[0]?.id;
  if (entryId === undefined) return { status: 'duplicate' };
  if (projection.kind === 'manual') {
    await tx.insert(manualEvidence).values({ entryId, repoId: ref.repoId, ...projection.evidence });
    return { status: 'indexed', entryId };
  }
  if (projection.kind !== 'scan') return { status: 'indexed', entryId };
  const runId = await insertRun(tx, entryId, ref.repoId, projection.run);
  if (!opts.deferDerived) await updateDerived(tx, ref.repoId, runId, projection.run);
  return { status: 'indexed', entryId, runId };
}

async function insertRun(tx: Db, entryId: number, repoId: number, run: RunRecord): Promise<number> {
  const [row] = await tx
    .insert(runs)
    .values({
      entryId,
      repoId,
      runUuid: run.runUuid,
      recordedAt: run.recordedAt,
      orderKey: run.orderKey,
      commit: run.commit,
      ref: run.ref,
      ciUrl: run.ciUrl,
      exitCode: run.exitCode,
      failing: run.failing,
      findingsTotal: run.findings.length,
      counts: run.counts,
      diagnostics: run.diagnostics,
      builtInMap: run.builtInMap,
    })
    .returning({ id: runs.id });
  const runId = row!.id;
  if (run.frameworks.length > 0) {
    await tx.insert(runFrameworks).values(run.frameworks.map((f) => ({ runId, ...f })));
  }
  if (run.controls.length > 0) {
    await tx.insert(runControls).values(run.controls.map((c) => ({ runId, ...c })));
  }
  for (let i = 0; i < run.findings.length; i += 2000) {
    await tx.insert(runFindings).values(run.findings.slice(i, i + 2000).map((f) => ({ runId, ...f })));
  }
  return runId;
}

/**
 * Incremental update after inserting run R = `runId` (order key k), valid wherever R falls in the repository's
 * order (a late run included), so it gives what {@link rebuildDerived} gives:
 * - a fingerprint open in R: first seen moves to R if k is earlier; if k is later than its last seen, R becomes
 *   the last seen (with R's attributes) and it is resolved by the run after R (none when R is the newest);
 * - a fingerprint not open in R, last seen before k and resolved after k (or not resolved): R resolves it;
 * - waivers follow the newest run; the daily standing keeps the last run of each day.
 */
async function updateDerived(tx: Db, repoId: number, runId: number, run: RunRecord): Promise<void> {
  const k = run.orderKey;
  const next = await rows<{ id: string | number; recorded_at: string; order_key: string }>(
    tx,
    sql`select id, recorded_at, order_key from runs where repo_id = ${repoId} and order_key > ${k}
        order by order_key limit 1`,
  );
  const nx = next[0];
  const nxAt = nx ? nx.recorded_at : null;
  const nxId = nx ? Number(nx.id) : null;
  const nxKey = nx ? nx.order_key : null;
  await tx.execute(sql`
    insert into findings (repo_id, fingerprint, check_id, severity, outcome, waived, resource, file, line, message,
      first_seen_at, first_seen_run_id, first_seen_key, last_seen_at, last_seen_run_id, last_seen_key,
      resolved_at, resolved_run_id, resolved_key)
    select ${repoId}::int, f.fingerprint, f.check_id, f.severity, f.outcome, f.waived, f.resource, f.file, f.line,
      f.message, ${run.recordedAt}::timestamptz, ${runId}::bigint, ${k}::text, ${run.recordedAt}::timestamptz,
      ${runId}::bigint, ${k}::text, ${nxAt}::timestamptz, ${nxId}::bigint, ${nxKey}::text
    from run_findings f where f.run_id = ${runId} and f.outcome in (${OPEN_LIST})
    on conflict (repo_id, fingerprint) do update set
      first_seen_at = case when excluded.first_seen_key < findings.first_seen_key then excluded.first_seen_at else findings.first_seen_at end,
      first_seen_run_id = case when excluded.first_seen_key < findings.first_seen_key then excluded.first_seen_run_id else findings.first_seen_run_id end,
      first_seen_key = least(excluded.first_seen_key, findings.first_seen_key),
      check_id = case when excluded.last_seen_key > findings.last_seen_key then excluded.check_id else findings.check_id end,
      severity = case when excluded.last_seen_key > findings.last_seen_key then excluded.severity else findings.severity end,
      outcome = case when excluded.last_seen_key > findings.last_seen_key then excluded.outcome else findings.outcome end,
      waived = case when excluded.last_seen_key > findings.last_seen_key then excluded.waived else findings.waived end,
      resource = case when excluded.last_seen_key > findings.last_seen_key then excluded.resource else findings.resource end,
      file = case when excluded.last_seen_key > findings.last_seen_key then excluded.file else findings.file end,
      line = case when excluded.last_seen_key > findings.last_seen_key then excluded.line else findings.line end,
      message = case when excluded.last_seen_key > findings.last_seen_key then excluded.message else findings.message end,
      resolved_at = case when excluded.last_seen_key > findings.last_seen_key then excluded.resolved_at else findings.resolved_at end,
      resolved_run_id = case when excluded.last_seen_key > findings.last_seen_key then excluded.resolved_run_id else findings.resolved_run_id end,
      resolved_key = case when excluded.last_seen_key > findings.last_seen_key then excluded.resolved_key else findings.resolved_key end,
      last_seen_at = case when excluded.last_seen_key > findings.last_seen_key then excluded.last_seen_at else findings.last_seen_at end,
      last_seen_run_id = case when excluded.last_seen_key > findings.last_seen_key then excluded.last_seen_run_id else findings.last_seen_run_id end,
      last_seen_key = greatest(excluded.last_seen_key, findings.last_seen_key)`);
  await tx.execute(sql`
    update findings set resolved_at = ${run.recordedAt}::timestamptz, resolved_run_id = ${runId}::bigint,
      resolved_key = ${k}::text
    where repo_id = ${repoId} and last_seen_key < ${k} and (resolved_key is null or resolved_key > ${k})`);
  if (!nx) {
    await tx.delete(waivers).where(eq(waivers.repoId, repoId));
    if (run.waivers.length > 0) {
      await tx.insert(waivers).values(run.waivers.map((w) => ({ repoId, runId, ...w })));
    }
  }
  const day = run.recordedAt.slice(0, 10);
  for (const f of run.frameworks) {
    await tx
      .insert(repoDaily)
      .values({
        repoId,
        day,
        framework: f.framework,
        runId,
        orderKey: run.orderKey,
        passing: f.passing,
        inScope: f.inScope,
      })
      .onConflictDoUpdate({
        target: [repoDaily.repoId, repoDaily.day, repoDaily.framework],
        set: { runId, orderKey: run.orderKey, passing: f.passing, inScope: f.inScope },
        setWhere: sql`${repoDaily.orderKey} < ${run.orderKey}`,
      });
  }
}

/**
 * Recomputes the derived tables of one repository from its runs (set-based SQL). Used for late runs and by
 * reindex; gives exactly what in-order incremental updates give.
 */
export async function rebuildDerived(tx: Db, repoId: number): Promise<void> {
  await tx.delete(findings).where(eq(findings.repoId, repoId));
  await tx.execute(sql`
    with open as (
      select r.recorded_at, r.order_key, f.*
      from runs r join run_findings f on f.run_id = r.id
      where r.repo_id = ${repoId} and f.outcome in (${OPEN_LIST})
    ),
    firsts as (
      select distinct on (fingerprint) fingerprint, run_id, recorded_at, order_key from open order by fingerprint, order_key
    ),
    lasts as (
      select distinct on (fingerprint) * from open order by fingerprint, order_key desc
    )
    insert into findings (repo_id, fingerprint, check_id, severity, outcome, waived, resource, file, line, message,
      first_seen_at, first_seen_run_id, first_seen_key, last_seen_at, last_seen_run_id, last_seen_key,
      resolved_at, resolved_run_id, resolved_key)
    select ${repoId}::int, l.fingerprint, l.check_id, l.severity, l.outcome, l.waived, l.resource, l.file, l.line,
      l.message, fi.recorded_at, fi.run_id, fi.order_key, l.recorded_at, l.run_id, l.order_key,
      nx.recorded_at, nx.id, nx.order_key
    from lasts l join firsts fi on fi.fingerprint = l.fingerprint
    left join lateral (
      select r2.id, r2.recorded_at, r2.order_key from runs r2
      where r2.repo_id = ${repoId} and r2.order_key > l.order_key order by r2.order_key limit 1
    ) nx on true`);
  await tx.delete(waivers).where(eq(waivers.repoId, repoId));
  await tx.execute(sql`
    insert into waivers (repo_id, check_id, resource, reason, owner, expires, run_id)
    select distinct on (f.check_id, f.resource) ${repoId}::int, f.check_id, f.resource,
      f.waiver->>'reason', f.waiver->>'owner', f.waiver->>'expires', f.run_id
    from run_findings f
    where f.run_id = (select id from runs where repo_id = ${repoId} order by order_key desc limit 1)
      and f.waiver is not null
    order by f.check_id, f.resource, f.fingerprint`);
  await tx.delete(repoDaily).where(eq(repoDaily.repoId, repoId));
  await tx.execute(sql`
    insert into repo_daily (repo_id, day, framework, run_id, order_key, passing, in_scope)
    select distinct on (substr(r.order_key, 1, 10), rf.framework) ${repoId}::int, substr(r.order_key, 1, 10),
      rf.framework, r.id, r.order_key, rf.passing, rf.in_scope
    from runs r join run_frameworks rf on rf.run_id = r.id
    where r.repo_id = ${repoId}
    order by substr(r.order_key, 1, 10), rf.framework, r.order_key desc`);
}

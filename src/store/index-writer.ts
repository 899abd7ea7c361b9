/**
 * Writes projected log entries (src/indexer/project.ts) into the index tables, and maintains the derived
 * per-repository tables (`findings` lifecycle, `waivers`, `repo_daily`).
 *
 * The derived tables are a function of the set of runs, never of the order they arrived in (so `reindex` gives
 * the same answers as incremental ingest): runs of a repository are ordered by `order_key`; see the `findings`
 * table doc for the lifecycle. A run newer than every indexed run of its repository updates them incrementally
 * (the common case: O(findings of the run)); an older run (arriving late) recomputes them for its repository.
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

/** Incremental update after inserting `runId`, or a full recompute when it is not the newest run. */
async function updateDerived(tx: Db, repoId: number, runId: number, run: RunRecord): Promise<void> {
  const newer = await rows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from runs where repo_id = ${repoId} and order_key > ${run.orderKey}`,
  );
  if ((newer[0]?.n ?? 0) > 0) {
    await rebuildDerived(tx, repoId);
    return;
  }
  // findings open in this run: insert or refresh (they are now last seen here, and not resolved)
  await tx.execute(sql`
    insert into findings (repo_id, fingerprint, check_id, severity, outcome, waived, resource, file, line, message,
      first_seen_at, first_seen_run_id, last_seen_at, last_seen_run_id, last_seen_key, resolved_at, resolved_run_id)
    select ${repoId}::int, f.fingerprint, f.check_id, f.severity, f.outcome, f.waived, f.resource, f.file, f.line,
      f.message, ${run.recordedAt}::timestamptz, ${runId}::bigint, ${run.recordedAt}::timestamptz, ${runId}::bigint,
      ${run.orderKey}::text, null, null
    from run_findings f where f.run_id = ${runId} and f.outcome in (${OPEN_LIST})
    on conflict (repo_id, fingerprint) do update set
      check_id = excluded.check_id, severity = excluded.severity, outcome = excluded.outcome,
      waived = excluded.waived, resource = excluded.resource, file = excluded.file, line = excluded.line,
      message = excluded.message, last_seen_at = excluded.last_seen_at, last_seen_run_id = excluded.last_seen_run_id,
      last_seen_key = excluded.last_seen_key, resolved_at = null, resolved_run_id = null`);
  // open findings this run no longer has open: resolved by this run
  await tx.execute(sql`
    update findings set resolved_at = ${run.recordedAt}::timestamptz, resolved_run_id = ${runId}::bigint
    where repo_id = ${repoId} and resolved_at is null and last_seen_run_id <> ${runId}`);
  await tx.delete(waivers).where(eq(waivers.repoId, repoId));
  if (run.waivers.length > 0) {
    await tx.insert(waivers).values(run.waivers.map((w) => ({ repoId, runId, ...w })));
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
      select distinct on (fingerprint) fingerprint, run_id, recorded_at from open order by fingerprint, order_key
    ),
    lasts as (
      select distinct on (fingerprint) * from open order by fingerprint, order_key desc
    )
    insert into findings (repo_id, fingerprint, check_id, severity, outcome, waived, resource, file, line, message,
      first_seen_at, first_seen_run_id, last_seen_at, last_seen_run_id, last_seen_key, resolved_at, resolved_run_id)
    select ${repoId}::int, l.fingerprint, l.check_id, l.severity, l.outcome, l.waived, l.resource, l.file, l.line,
      l.message, fi.recorded_at, fi.run_id, l.recorded_at, l.run_id, l.order_key, nx.recorded_at, nx.id
    from lasts l join firsts fi on fi.fingerprint = l.fingerprint
    left join lateral (
      select r2.id, r2.recorded_at from runs r2
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

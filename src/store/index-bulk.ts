/**
 * Batched writes of projected log entries into the index tables: one statement per table for a whole batch of
 * entries, each batch passed as a single JSON parameter expanded by `jsonb_to_recordset` (PostgreSQL 15 and
 * PGlite alike). A run with 100 findings costs the same five statements as a batch of 200 such runs, which is what
 * makes `reindex` and push ingest fast (one round trip per table instead of one per row group and entry).
 *
 * Only the index rows are written here; the derived per-repository tables (`findings`, `waivers`, `repo_daily`)
 * are maintained by src/store/index-writer.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Projection, RunRecord } from '../indexer/project.js';
import type { EntryRef, WriteResult } from './index-writer.js';
import { type Db, rows } from './open-store.js';

/** One entry to index: where it sits and what it projects to. */
export interface BulkItem {
  ref: EntryRef;
  projection: Projection;
}

/** Largest number of finding rows sent in one statement (keeps one JSON parameter at a few MiB). */
const FINDING_CHUNK = 20_000;

const json = (v: unknown): SQL => sql`${JSON.stringify(v)}::jsonb`;

/**
 * Indexes `items` inside the caller's transaction, in their order: an envelope already indexed (or appearing
 * twice in `items`) is `duplicate`, the first occurrence wins. Returns one result per item, and the run records
 * written (with their new ids) so the caller can maintain the derived tables.
 */
export async function writeEntriesBulk(
  tx: Db,
  items: readonly BulkItem[],
): Promise<{ results: WriteResult[]; runs: { repoId: number; runId: number; run: RunRecord }[] }> {
  const results: WriteResult[] = items.map(() => ({ status: 'duplicate' }));
  if (items.length === 0) return { results, runs: [] };
  const entryRows = items.map((it, ord) => ({
    ord,
    source: it.ref.source,
    log_idx: it.ref.logIdx,
    envelope_sha256: it.ref.envelopeSha256,
    leaf_hash: it.ref.leafHash,
    predicate_type: it.ref.predicateType,
    repo_id: it.ref.repoId,
    key_id: it.ref.keyId,
    recorded_at: it.projection.recordedAt,
  }));
  const inserted = await rows<{ id: string | number; ord: number }>(
    tx,
    sql`with x as (
          select * from jsonb_to_recordset(${json(entryRows)}) as x(ord int, source text, log_idx bigint,
            envelope_sha256 text, leaf_hash text, predicate_type text, repo_id int, key_id text, recorded_at timestamptz)
        ), ins as (
          insert into indexed_entries (source, log_idx, envelope_sha256, leaf_hash, predicate_type, repo_id, key_id, recorded_at)
          select source, log_idx, envelope_sha256, leaf_hash, predicate_type, repo_id, key_id, recorded_at
          from x order by ord
          on conflict do nothing
          returning id, source, log_idx
        )
        select ins.id, x.ord from ins join x on x.source = ins.source and x.log_idx = ins.log_idx`,
  );
  const entryIdOf = new Map<number, number>();
  for (const r of inserted) entryIdOf.set(r.ord, Number(r.id));

  const scans: { ord: number; entryId: number; repoId: number; run: RunRecord }[] = [];
  const manual: Record<string, unknown>[] = [];
  items.forEach((it, ord) => {
    const entryId = entryIdOf.get(ord);
    if (entryId === undefined) return;
    results[ord] = { status: 'indexed', entryId };
    const p = it.projection;
    if (p.kind === 'scan') scans.push({ ord, entryId, repoId: it.ref.repoId, run: p.run });
    else if (p.kind === 'manual') {
      manual.push({
        entry_id: entryId,
        repo_id: it.ref.repoId,
        control_id: p.evidence.controlId,
        path: p.evidence.path,
        sha256: p.evidence.sha256,
        collected_at: p.evidence.collectedAt,
        added_by: p.evidence.addedBy,
      });
    }
  });
  if (manual.length > 0) {
    await tx.execute(sql`
      insert into manual_evidence (entry_id, repo_id, control_id, path, sha256, collected_at, added_by)
      select * from jsonb_to_recordset(${json(manual)}) as x(entry_id bigint, repo_id int, control_id text, path text,
        sha256 text, collected_at timestamptz, added_by text)`);
  }
  if (scans.length === 0) return { results, runs: [] };

  const runRows = scans.map((s) => ({
    entry_id: s.entryId,
    repo_id: s.repoId,
    run_uuid: s.run.runUuid,
    recorded_at: s.run.recordedAt,
    order_key: s.run.orderKey,
    commit: s.run.commit,
    ref: s.run.ref,
    ci_url: s.run.ciUrl,
    exit_code: s.run.exitCode,
    failing: s.run.failing,
    findings_total: s.run.findings.length,
    counts: s.run.counts,
    diagnostics: s.run.diagnostics,
    built_in_map: s.run.builtInMap,
  }));
  const runIds = await rows<{ id: string | number; entry_id: string | number }>(
    tx,
    sql`insert into runs (entry_id, repo_id, run_uuid, recorded_at, order_key, commit, ref, ci_url, exit_code, failing,
          findings_total, counts, diagnostics, built_in_map)
        select * from jsonb_to_recordset(${json(runRows)}) as x(entry_id bigint, repo_id int, run_uuid text,
          recorded_at timestamptz, order_key text, commit text, ref text, ci_url text, exit_code int, failing int,
          findings_total int, counts jsonb, diagnostics jsonb, built_in_map boolean)
        returning id, entry_id`,
  );
  const runIdOfEntry = new Map(runIds.map((r) => [Number(r.entry_id), Number(r.id)]));
  const written = scans.map((s) => {
    const runId = runIdOfEntry.get(s.entryId)!;
    results[s.ord] = { status: 'indexed', entryId: s.entryId, runId };
    return { repoId: s.repoId, runId, run: s.run };
  });

  const frameworks = written.flatMap((w) =>
    w.run.frameworks.map((f) => ({
      run_id: w.runId,
      framework: f.framework,
      passing: f.passing,
      in_scope: f.inScope,
      percent: f.percent,
      counts: f.counts,
      requirements: f.requirements,
    })),
  );
  if (frameworks.length > 0) {
    await tx.execute(sql`
      insert into run_frameworks (run_id, framework, passing, in_scope, percent, counts, requirements)
      select * from jsonb_to_recordset(${json(frameworks)}) as x(run_id bigint, framework text, passing int,
        in_scope int, percent float8, counts jsonb, requirements jsonb)`);
  }
  const controls = written.flatMap((w) =>
    w.run.controls.map((c) => ({
      run_id: w.runId,
      control_id: c.controlId,
      title: c.title,
      status: c.status,
      reason: c.reason,
      checks: c.checks,
      satisfies: c.satisfies,
      evidence: c.evidence,
    })),
  );
  if (controls.length > 0) {
    await tx.execute(sql`
      insert into run_controls (run_id, control_id, title, status, reason, checks, satisfies, evidence)
      select run_id, control_id, title, status, reason, checks, satisfies, nullif(evidence, 'null'::jsonb)
      from jsonb_to_recordset(${json(controls)}) as x(run_id bigint, control_id text, title text, status text,
        reason text, checks jsonb, satisfies jsonb, evidence jsonb)`);
  }
  let chunk: Record<string, unknown>[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    await tx.execute(sql`
      insert into run_findings (run_id, fingerprint, check_id, severity, outcome, waived, resource, file, line,
        message, waiver)
      select run_id, fingerprint, check_id, severity, outcome, waived, resource, file, line, message,
        nullif(waiver, 'null'::jsonb)
      from jsonb_to_recordset(${json(chunk)}) as x(run_id bigint, fingerprint text, check_id text, severity text,
        outcome text, waived boolean, resource text, file text, line int, message text, waiver jsonb)`);
    chunk = [];
  };
  for (const w of written) {
    for (const f of w.run.findings) {
      chunk.push({
        run_id: w.runId,
        fingerprint: f.fingerprint,
        check_id: f.checkId,
        severity: f.severity,
        outcome: f.outcome,
        waived: f.waived,
        resource: f.resource,
        file: f.file,
        line: f.line,
        message: f.message,
        waiver: f.waiver,
      });
    }
    if (chunk.length >= FINDING_CHUNK) await flush();
  }
  await flush();
  return { results, runs: written };
}

/**
 * Dashboard views composed from store queries: the overview per framework (now, per repository, and what
 * changed in the last 7 days), the chart over time, requirements by status, the drill-down requirement → control →
 * check → finding, manual-evidence freshness, waiver expiry, and the inclusion check of one entry. Aggregation
 * rules across repositories: src/frameworks/aggregate.ts.
 */
import { verifyCheckpoint } from '../evidence/checkpoint.js';
import { openLedger } from '../evidence/ledger.js';
import { leafHashBytes, verifyInclusion } from '../evidence/merkle.js';
import { pooledPercent, worstStatus } from '../frameworks/aggregate.js';
import type { Db } from '../store/open-store.js';
import {
  dailyRows,
  entryById,
  findingChanges,
  latestManualEvidence,
  latestRuns,
  latestRunsAt,
  runControlRows,
  runFindingRows,
  runFrameworkRows,
  type StoredRequirement,
} from '../store/queries.js';
import { latestCheckpoint, serverInclusionProof, serverLogEntries } from '../store/server-log.js';
import { HttpError } from './route.js';

const DAY = 86_400_000;

/** Overview of every framework across repositories (or one repository). */
export async function overview(db: Db, now: Date, repo?: string) {
  const latest = await latestRuns(db, repo);
  const weekAgo = new Date(now.getTime() - 7 * DAY).toISOString();
  const before = await latestRunsAt(db, weekAgo, repo);
  const rowsNow = await runFrameworkRows(
    db,
    latest.map((l) => l.runId),
    { withRequirements: true },
  );
  const rowsBefore = await runFrameworkRows(
    db,
    before.map((l) => l.runId),
  );
  const repoOf = new Map(latest.map((l) => [l.runId, l]));
  const frameworks = [...new Set(rowsNow.map((r) => r.framework))].sort().map((fw) => {
    const parts = rowsNow.filter((r) => r.framework === fw);
    const prev = rowsBefore.filter((r) => r.framework === fw);
    const reqs = aggregateRequirements(
      parts.map((p) => ({ repo: repoOf.get(p.runId)!.repo, reqs: p.requirements ?? [] })),
    );
    const byStatus: Record<string, number> = {};
    for (const r of reqs) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    return {
      id: fw,
      percent: pooledPercent(parts),
      passing: parts.reduce((a, p) => a + p.passing, 0),
      inScope: parts.reduce((a, p) => a + p.inScope, 0),
      requirementsByStatus: byStatus,
      percentWeekAgo: prev.length > 0 ? pooledPercent(prev) : null,
      repositories: parts.map((p) => ({
        repo: repoOf.get(p.runId)!.repo,
        runId: p.runId,
        recordedAt: repoOf.get(p.runId)!.recordedAt,
        percent: p.percent,
        passing: p.passing,
        inScope: p.inScope,
        counts: p.counts,
      })),
    };
  });
  const changes = await findingChanges(db, weekAgo, repo);
  const controlsNow = await runControlRows(
    db,
    latest.map((l) => l.runId),
  );
  const controlsBefore = await runControlRows(
    db,
    before.map((l) => l.runId),
  );
  const beforeStatus = new Map(
    controlsBefore.map((c) => [
      `${before.find((b) => b.runId === c.runId)!.repo}\u0000${c.controlId}`,
      c.status,
    ]),
  );
  const controlChanges = controlsNow.flatMap((c) => {
    const r = repoOf.get(c.runId)!.repo;
    const was = beforeStatus.get(`${r}\u0000${c.controlId}`);
    return was !== undefined && was !== c.status
      ? [{ repo: r, controlId: c.controlId, from: was, to: c.status }]
      : [];
  });
  return {
    generatedAt: now.toISOString(),
    repositories: latest.map((l) => ({ repo: l.repo, runId: l.runId, recordedAt: l.recordedAt })),
    frameworks,
    sinceLastWeek: {
      since: weekAgo,
      findingsOpened: changes.opened,
      findingsResolved: changes.resolved,
      controlChanges,
    },
  };
}

/** Requirements of one framework aggregated over repositories: worst-of status, each repository's own status. */
function aggregateRequirements(parts: { repo: string; reqs: StoredRequirement[] }[]) {
  const byId = new Map<
    string,
    { req: StoredRequirement; repos: { repo: string; status: string; reason: string; controls: string[] }[] }
  >();
  for (const p of parts) {
    for (const r of p.reqs) {
      const e = byId.get(r.id) ?? { req: r, repos: [] };
      e.repos.push({ repo: p.repo, status: r.status, reason: r.reason, controls: r.controls });
      byId.set(r.id, e);
    }
  }
  return [...byId.values()].map((e) => ({
    id: e.req.id,
    title: e.req.title,
    family: e.req.family,
    status: worstStatus(e.repos.map((r) => r.status)),
    repositories: e.repos,
  }));
}

/** Requirements of `framework` with aggregated status, optionally only those with `status`. */
export async function requirements(db: Db, framework: string, opts: { repo?: string; status?: string }) {
  const latest = await latestRuns(db, opts.repo);
  const rows = await runFrameworkRows(
    db,
    latest.map((l) => l.runId),
    { framework, withRequirements: true },
  );
  if (rows.length === 0) throw new HttpError(404, 'E_NOT_FOUND', `no run reports framework ${framework}`);
  const repoOf = new Map(latest.map((l) => [l.runId, l.repo]));
  const reqs = aggregateRequirements(
    rows.map((r) => ({ repo: repoOf.get(r.runId)!, reqs: r.requirements ?? [] })),
  );
  return { framework, items: opts.status ? reqs.filter((r) => r.status === opts.status) : reqs };
}

/**
 * One requirement drilled down: per repository its status and controls; per control its checks; per failing or
 * unknown check the open findings of that run (resource, file:line, message) and the run they come from.
 */
export async function requirementDetail(db: Db, framework: string, requirementId: string, repo?: string) {
  const { items } = await requirements(db, framework, { repo });
  const req = items.find((r) => r.id === requirementId);
  if (!req) throw new HttpError(404, 'E_NOT_FOUND', `requirement ${requirementId} is not in ${framework}`);
  const latest = await latestRuns(db, repo);
  const repos = [];
  for (const r of req.repositories) {
    const run = latest.find((l) => l.repo === r.repo)!;
    repos.push({
      ...r,
      runId: run.runId,
      recordedAt: run.recordedAt,
      controls: await controlsOfRun(db, run.runId, r.controls),
    });
  }
  return {
    framework,
    requirement: { id: req.id, title: req.title, family: req.family, status: req.status },
    repositories: repos,
  };
}

async function controlsOfRun(db: Db, runId: number, controlIds: string[]) {
  if (controlIds.length === 0) return [];
  const controls = await runControlRows(db, [runId], { controlIds });
  const checkIds = [
    ...new Set(
      controls.flatMap((c) =>
        c.checks.filter((k) => k.outcome !== 'pass' && k.outcome !== 'not-applicable').map((k) => k.id),
      ),
    ),
  ];
  const findings = await runFindingRows(db, [runId], checkIds, { limit: 1000 });
  return controls.map((c) => ({
    id: c.controlId,
    title: c.title,
    status: c.status,
    reason: c.reason,
    evidence: c.evidence,
    checks: c.checks.map((k) => ({
      id: k.id,
      outcome: k.outcome,
      findings: findings.filter((f) => f.checkId === k.id),
    })),
  }));
}

/** One control across repositories (or one): status, checks and the open findings behind them. */
export async function controlDetail(db: Db, controlId: string, repo?: string) {
  const latest = await latestRuns(db, repo);
  const out = [];
  for (const l of latest) {
    const c = await controlsOfRun(db, l.runId, [controlId]);
    if (c[0]) out.push({ repo: l.repo, runId: l.runId, recordedAt: l.recordedAt, control: c[0] });
  }
  if (out.length === 0) throw new HttpError(404, 'E_NOT_FOUND', `no repository has control ${controlId}`);
  return { controlId, repositories: out };
}

/** Daily series of one framework between `from` and `to` (YYYY-MM-DD): each repository's last standing carried forward. */
export async function history(db: Db, framework: string, from: string, to: string, repo?: string) {
  const rows = await dailyRows(db, framework, to, repo);
  const current = new Map<number, { passing: number; inScope: number }>();
  const series: {
    day: string;
    percent: number | null;
    passing: number;
    inScope: number;
    repositories: number;
  }[] = [];
  let i = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    while (i < rows.length && rows[i]!.day <= day) {
      current.set(rows[i]!.repoId, rows[i]!);
      i++;
    }
    const parts = [...current.values()];
    series.push({
      day,
      percent: parts.length > 0 ? pooledPercent(parts) : null,
      passing: parts.reduce((a, p) => a + p.passing, 0),
      inScope: parts.reduce((a, p) => a + p.inScope, 0),
      repositories: parts.length,
    });
  }
  return { framework, from, to, series };
}

/**
 * Manual evidence per repository and control from each latest run's control map, with the newest recorded
 * document: `fresh` when collected within maxAgeDays of `now`, `stale` when older, `missing` when none recorded.
 */
export async function manualEvidenceView(db: Db, now: Date, opts: { repo?: string; status?: string }) {
  const latest = await latestRuns(db, opts.repo);
  const controls = await runControlRows(
    db,
    latest.map((l) => l.runId),
  );
  const recorded = await latestManualEvidence(db, opts.repo);
  const repoOf = new Map(latest.map((l) => [l.runId, l.repo]));
  const items = controls
    .filter((c) => c.evidence)
    .map((c) => {
      const r = repoOf.get(c.runId)!;
      const ev = c.evidence!;
      const rec = recorded.find((m) => m.repo === r && m.controlId === c.controlId && m.path === ev.path);
      const collectedAt = rec?.collectedAt ?? ev.collectedAt ?? null;
      const dueAt = collectedAt
        ? new Date(Date.parse(collectedAt) + ev.maxAgeDays * DAY).toISOString()
        : null;
      const status = !collectedAt ? 'missing' : Date.parse(dueAt!) >= now.getTime() ? 'fresh' : 'stale';
      return {
        repo: r,
        controlId: c.controlId,
        path: ev.path,
        maxAgeDays: ev.maxAgeDays,
        sha256: rec?.sha256 ?? ev.sha256 ?? null,
        collectedAt,
        dueAt,
        daysLeft: dueAt ? Math.floor((Date.parse(dueAt) - now.getTime()) / DAY) : null,
        status,
        entryId: rec?.entryId ?? null,
      };
    });
  return { items: opts.status ? items.filter((i) => i.status === opts.status) : items };
}

/** Days from `today` (YYYY-MM-DD) to `expires` (YYYY-MM-DD); null when unparseable. */
export function daysUntil(expires: string, today: Date): number | null {
  const t = Date.parse(`${expires}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  return Math.floor((t - Date.parse(`${today.toISOString().slice(0, 10)}T00:00:00Z`)) / DAY);
}

/**
 * Re-checks the inclusion of indexed entry `entryId` in its log against that log's latest checkpoint: recomputes
 * the leaf hash from the stored entry bytes, fetches the RFC 9162 audit path, verifies it against the checkpoint
 * root, and checks the checkpoint signature when `publicKeyPem` (the log's key) is given.
 */
export async function verifyEntryInclusion(db: Db, entryId: number, keys: { server?: string }) {
  const e = await entryById(db, entryId);
  if (!e) throw new HttpError(404, 'E_NOT_FOUND', `no indexed entry ${entryId}`);
  let leaf: Buffer;
  let proof: string[];
  let cp: { size: number; rootHash: string; text: string };
  if (e.source === 'server') {
    cp = await latestCheckpoint(db);
    let body: Buffer | undefined;
    for await (const x of serverLogEntries(db, e.logIdx, e.logIdx + 1)) body = x.body;
    if (!body) throw new HttpError(409, 'E_EVIDENCE', `entry ${e.logIdx} is missing from the server log`);
    leaf = leafHashBytes(body);
    proof = await serverInclusionProof(db, e.logIdx, cp.size);
  } else {
    const ledger = await openLedger(e.source.slice('file:'.length));
    try {
      const c = await ledger.checkpoint();
      cp = { size: c.size, rootHash: c.rootHash, text: c.text };
      leaf = leafHashBytes(await ledger.rawEntry(e.logIdx));
      proof = await ledger.inclusionProof(e.logIdx, c.size);
    } finally {
      await ledger.close();
    }
  }
  const included = verifyInclusion(leaf.toString('hex'), e.logIdx, cp.size, proof, cp.rootHash);
  const signature =
    e.source === 'server' && keys.server
      ? verifyCheckpoint(cp.text, keys.server)
      : {
          name: 'checkpoint-signature',
          ok: false,
          detail:
            e.source === 'server'
              ? 'the server log is unsigned'
              : 'file log: verify its checkpoint with `evident verify` and the repository key',
        };
  return {
    entryId,
    source: e.source === 'server' ? 'server' : 'file',
    index: e.logIdx,
    envelopeSha256: e.envelopeSha256,
    leafHash: leaf.toString('hex'),
    leafMatchesIndex: leaf.toString('hex') === e.leafHash,
    treeSize: cp.size,
    rootHash: cp.rootHash,
    proof,
    checkpoint: cp.text,
    included: included && leaf.toString('hex') === e.leafHash,
    checkpointSignature: signature,
  };
}

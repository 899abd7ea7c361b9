/**
 * Read queries behind the dashboard API. Every query is parameterised (drizzle `sql` placeholders); sort columns
 * come from fixed whitelists. Rows are returned as stored: judging them (worst-of, percentages, freshness against
 * a clock) is left to the caller (src/server/views.ts), so the store holds no business rules.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from './open-store.js';

/** ISO 8601 of a timestamp value from either driver ('2026-03-01 10:00:00+00', Date), or null. */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v)
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00');
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** A repository's latest run. */
export interface LatestRun {
  runId: number;
  repoId: number;
  repo: string;
  recordedAt: string;
}

/** The latest run of each repository (or of `repo` only). */
export async function latestRuns(db: Db, repo?: string): Promise<LatestRun[]> {
  const r = await rows<{ id: string | number; repo_id: number; name: string; recorded_at: string }>(
    db,
    sql`select l.id, p.id as repo_id, p.name, l.recorded_at from repositories p
        cross join lateral (select id, recorded_at from runs where repo_id = p.id order by order_key desc limit 1) l
        where ${repo ?? null}::text is null or p.name = ${repo ?? null}::text order by p.name`,
  );
  return r.map((x) => ({
    runId: Number(x.id),
    repoId: x.repo_id,
    repo: x.name,
    recordedAt: iso(x.recorded_at)!,
  }));
}

/** The latest run of each repository as of `at` (ISO): the standing a week ago. */
export async function latestRunsAt(db: Db, at: string, repo?: string): Promise<LatestRun[]> {
  const r = await rows<{ id: string | number; repo_id: number; name: string; recorded_at: string }>(
    db,
    sql`select l.id, p.id as repo_id, p.name, l.recorded_at from repositories p
        cross join lateral (select id, recorded_at from runs where repo_id = p.id and recorded_at <= ${at}::timestamptz
                            order by order_key desc limit 1) l
        where ${repo ?? null}::text is null or p.name = ${repo ?? null}::text order by p.name`,
  );
  return r.map((x) => ({
    runId: Number(x.id),
    repoId: x.repo_id,
    repo: x.name,
    recordedAt: iso(x.recorded_at)!,
  }));
}

const idList = (ids: readonly number[]): SQL =>
  ids.length === 0
    ? sql`null::bigint`
    : sql.join(
        ids.map((i) => sql`${i}::bigint`),
        sql`, `,
      );

/** A requirement as recorded in a run (RequirementStatus). */
export interface StoredRequirement {
  id: string;
  title: string;
  family: string;
  status: string;
  reason: string;
  controls: string[];
}

/** Framework rows of the given runs; `requirements` only when `withRequirements`. */
export async function runFrameworkRows(
  db: Db,
  runIds: readonly number[],
  opts: { framework?: string; withRequirements?: boolean } = {},
): Promise<
  {
    runId: number;
    framework: string;
    passing: number;
    inScope: number;
    percent: number;
    counts: Record<string, number>;
    requirements?: StoredRequirement[];
  }[]
> {
  if (runIds.length === 0) return [];
  const req = opts.withRequirements ? sql`requirements` : sql`null::jsonb as requirements`;
  const r = await rows<{
    run_id: string | number;
    framework: string;
    passing: number;
    in_scope: number;
    percent: number;
    counts: Record<string, number>;
    requirements: StoredRequirement[] | null;
  }>(
    db,
    sql`select run_id, framework, passing, in_scope, percent, counts, ${req} from run_frameworks
        where run_id in (${idList(runIds)}) and (${opts.framework ?? null}::text is null or framework = ${opts.framework ?? null}::text)
        order by framework, run_id`,
  );
  return r.map((x) => ({
    runId: Number(x.run_id),
    framework: x.framework,
    passing: x.passing,
    inScope: x.in_scope,
    percent: x.percent,
    counts: x.counts,
    ...(x.requirements ? { requirements: x.requirements } : {}),
  }));
}

/** A control as recorded in a run. */
export interface StoredControl {
  runId: number;
  controlId: string;
  title: string;
  status: string;
  reason: string;
  checks: { id: string; outcome: string }[];
  satisfies: Record<string, string[]>;
  evidence: {
    path: string;
    maxAgeDays: number;
    sha256?: string;
    collectedAt?: string;
    fresh: boolean;
    reason: string;
  } | null;
}

/** Controls of the given runs, optionally only `controlIds` or those satisfying `framework`. */
export async function runControlRows(
  db: Db,
  runIds: readonly number[],
  opts: { controlIds?: string[]; framework?: string } = {},
): Promise<StoredControl[]> {
  if (runIds.length === 0) return [];
  const ids = opts.controlIds ?? null;
  const r = await rows<{
    run_id: string | number;
    control_id: string;
    title: string;
    status: string;
    reason: string;
    checks: StoredControl['checks'];
    satisfies: StoredControl['satisfies'];
    evidence: StoredControl['evidence'];
  }>(
    db,
    sql`select run_id, control_id, title, status, reason, checks, satisfies, evidence from run_controls
        where run_id in (${idList(runIds)})
          and (${ids === null} or control_id in (${
            ids && ids.length > 0
              ? sql.join(
                  ids.map((i) => sql`${i}`),
                  sql`, `,
                )
              : sql`null`
          }))
          and (${opts.framework ?? null}::text is null or satisfies -> ${opts.framework ?? null}::text is not null)
        order by control_id, run_id`,
  );
  return r.map((x) => ({
    runId: Number(x.run_id),
    controlId: x.control_id,
    title: x.title,
    status: x.status,
    reason: x.reason,
    checks: x.checks,
    satisfies: x.satisfies,
    evidence: x.evidence,
  }));
}

/** A finding of one run. */
export interface RunFinding {
  runId: number;
  fingerprint: string;
  checkId: string;
  severity: string;
  outcome: string;
  waived: boolean;
  resource: string;
  file: string;
  line: number | null;
  message: string;
}

/** Findings of the given runs whose check is in `checkIds`; only open outcomes unless `all`. At most `limit`. */
export async function runFindingRows(
  db: Db,
  runIds: readonly number[],
  checkIds: readonly string[],
  opts: { all?: boolean; limit?: number } = {},
): Promise<RunFinding[]> {
  if (runIds.length === 0 || checkIds.length === 0) return [];
  const r = await rows<{
    run_id: string | number;
    fingerprint: string;
    check_id: string;
    severity: string;
    outcome: string;
    waived: boolean;
    resource: string;
    file: string;
    line: number | null;
    message: string;
  }>(
    db,
    sql`select run_id, fingerprint, check_id, severity, outcome, waived, resource, file, line, message
        from run_findings where run_id in (${idList(runIds)})
          and check_id in (${sql.join(
            checkIds.map((c) => sql`${c}`),
            sql`, `,
          )})
          and (${opts.all === true} or outcome in ('fail', 'error', 'unknown'))
        order by check_id, file, line, fingerprint limit ${opts.limit ?? 500}`,
  );
  return r.map((x) => ({
    runId: Number(x.run_id),
    fingerprint: x.fingerprint,
    checkId: x.check_id,
    severity: x.severity,
    outcome: x.outcome,
    waived: x.waived,
    resource: x.resource,
    file: x.file,
    line: x.line,
    message: x.message,
  }));
}

/** Per-day standing rows of one framework (for the chart), days up to `to` inclusive. */
export async function dailyRows(
  db: Db,
  framework: string,
  to: string,
  repo?: string,
): Promise<{ repoId: number; day: string; passing: number; inScope: number }[]> {
  const r = await rows<{ repo_id: number; day: string; passing: number; in_scope: number }>(
    db,
    sql`select d.repo_id, d.day, d.passing, d.in_scope from repo_daily d join repositories p on p.id = d.repo_id
        where d.framework = ${framework} and d.day <= ${to}
          and (${repo ?? null}::text is null or p.name = ${repo ?? null}::text)
        order by d.day, d.repo_id`,
  );
  return r.map((x) => ({ repoId: x.repo_id, day: x.day, passing: x.passing, inScope: x.in_scope }));
}

/** Sortable columns of the findings list. */
export const FINDING_SORTS = {
  firstSeen: sql`f.first_seen_at`,
  lastSeen: sql`f.last_seen_at`,
  severity: sql`case f.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`,
  repository: sql`p.name`,
  check: sql`f.check_id`,
  resource: sql`f.resource`,
} as const;

/** Filters of {@link listFindings}. `status`: open (not resolved), resolved, or all. Ages in days at `now`. */
export interface FindingFilter {
  repo?: string;
  framework?: string;
  control?: string;
  severity?: string[];
  check?: string;
  status: 'open' | 'resolved' | 'all';
  minAgeDays?: number;
  maxAgeDays?: number;
  sort: keyof typeof FINDING_SORTS;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  now: string;
}

/** A finding's lifecycle row. */
export interface FindingRow {
  repo: string;
  fingerprint: string;
  checkId: string;
  severity: string;
  outcome: string;
  waived: boolean;
  resource: string;
  file: string;
  line: number | null;
  message: string;
  firstSeenAt: string;
  lastSeenAt: string;
  lastSeenRunId: number;
  resolvedAt: string | null;
  resolvedRunId: number | null;
}

const findingRow = (x: Record<string, unknown>): FindingRow => ({
  repo: String(x.name),
  fingerprint: String(x.fingerprint),
  checkId: String(x.check_id),
  severity: String(x.severity),
  outcome: String(x.outcome),
  waived: x.waived === true,
  resource: String(x.resource),
  file: String(x.file),
  line: x.line === null ? null : Number(x.line),
  message: String(x.message),
  firstSeenAt: iso(x.first_seen_at)!,
  lastSeenAt: iso(x.last_seen_at)!,
  lastSeenRunId: Number(x.last_seen_run_id),
  resolvedAt: iso(x.resolved_at),
  resolvedRunId: x.resolved_run_id === null ? null : Number(x.resolved_run_id),
});

/**
 * Findings (lifecycle rows) matching `f`, with the total count. `framework`/`control` keep findings whose check is
 * mapped, in the latest run of the finding's repository, to a control satisfying that framework / that control.
 */
export async function listFindings(
  db: Db,
  f: FindingFilter,
): Promise<{ total: number; items: FindingRow[] }> {
  const scoped = f.framework !== undefined || f.control !== undefined;
  const scope = scoped
    ? sql`join (
        select distinct l.repo_id, c->>'id' as check_id
        from (select p2.id as repo_id, (select id from runs where repo_id = p2.id order by order_key desc limit 1) as run_id
              from repositories p2) l
        join run_controls rc on rc.run_id = l.run_id
        cross join lateral jsonb_array_elements(rc.checks) c
        where (${f.framework ?? null}::text is null or rc.satisfies -> ${f.framework ?? null}::text is not null)
          and (${f.control ?? null}::text is null or rc.control_id = ${f.control ?? null}::text)
      ) s on s.repo_id = f.repo_id and s.check_id = f.check_id`
    : sql``;
  const sev = f.severity && f.severity.length > 0 ? f.severity : null;
  const where = sql`
    (${f.repo ?? null}::text is null or p.name = ${f.repo ?? null}::text)
    and (${f.check ?? null}::text is null or f.check_id = ${f.check ?? null}::text)
    and (${sev === null} or f.severity in (${
      sev
        ? sql.join(
            sev.map((s) => sql`${s}`),
            sql`, `,
          )
        : sql`null`
    }))
    and (${f.status} = 'all' or (${f.status} = 'open') = (f.resolved_at is null))
    and (${f.minAgeDays ?? null}::float8 is null or f.first_seen_at <= ${f.now}::timestamptz - make_interval(days => ${f.minAgeDays ?? 0}::int))
    and (${f.maxAgeDays ?? null}::float8 is null or f.first_seen_at >= ${f.now}::timestamptz - make_interval(days => ${f.maxAgeDays ?? 0}::int))`;
  const order = f.order === 'asc' ? sql`asc` : sql`desc`;
  const [count] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from findings f join repositories p on p.id = f.repo_id ${scope} where ${where}`,
  );
  const items = await rows<Record<string, unknown>>(
    db,
    sql`select f.*, p.name from findings f join repositories p on p.id = f.repo_id ${scope} where ${where}
        order by ${FINDING_SORTS[f.sort]} ${order}, f.repo_id, f.fingerprint limit ${f.limit} offset ${f.offset}`,
  );
  return { total: count?.n ?? 0, items: items.map(findingRow) };
}

/** One finding's lifecycle row and its last `limit` occurrences (runs where it was reported, any outcome). */
export async function findingDetail(
  db: Db,
  repo: string,
  fingerprint: string,
  limit = 50,
): Promise<
  | {
      finding: FindingRow;
      history: { runId: number; recordedAt: string; outcome: string; waived: boolean; line: number | null }[];
    }
  | undefined
> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select f.*, p.name from findings f join repositories p on p.id = f.repo_id
        where p.name = ${repo} and f.fingerprint = ${fingerprint}`,
  );
  if (!r[0]) return undefined;
  const h = await rows<{
    id: string | number;
    recorded_at: string;
    outcome: string;
    waived: boolean;
    line: number | null;
  }>(
    db,
    sql`select r.id, r.recorded_at, rf.outcome, rf.waived, rf.line from run_findings rf join runs r on r.id = rf.run_id
        where r.repo_id = ${Number(r[0].repo_id)} and rf.fingerprint = ${fingerprint}
        order by r.order_key desc limit ${limit}`,
  );
  return {
    finding: findingRow(r[0]),
    history: h.map((x) => ({
      runId: Number(x.id),
      recordedAt: iso(x.recorded_at)!,
      outcome: x.outcome,
      waived: x.waived,
      line: x.line,
    })),
  };
}

/** Sortable columns of the runs list. */
export const RUN_SORTS = {
  recordedAt: sql`r.order_key`,
  failing: sql`r.failing`,
  repository: sql`p.name`,
} as const;

/** A run with the log position of its envelope. */
export interface RunRow {
  id: number;
  repo: string;
  runUuid: string;
  recordedAt: string;
  commit: string | null;
  ref: string | null;
  ciUrl: string | null;
  exitCode: number;
  failing: number;
  findingsTotal: number;
  entryId: number;
  source: string;
  logIndex: number;
  envelopeSha256: string;
  keyId: string | null;
}

const runRow = (x: Record<string, unknown>): RunRow => ({
  id: Number(x.id),
  repo: String(x.name),
  runUuid: String(x.run_uuid),
  recordedAt: iso(x.recorded_at)!,
  commit: (x.commit as string | null) ?? null,
  ref: (x.ref as string | null) ?? null,
  ciUrl: (x.ci_url as string | null) ?? null,
  exitCode: Number(x.exit_code),
  failing: Number(x.failing),
  findingsTotal: Number(x.findings_total),
  entryId: Number(x.entry_id),
  source: x.source === 'server' ? 'server' : 'file',
  logIndex: Number(x.log_idx),
  envelopeSha256: String(x.envelope_sha256),
  keyId: (x.key_id as string | null) ?? null,
});

const RUN_COLUMNS = sql`r.id, p.name, r.run_uuid, r.recorded_at, r.commit, r.ref, r.ci_url, r.exit_code, r.failing,
  r.findings_total, r.entry_id, e.source, e.log_idx, e.envelope_sha256, e.key_id`;

/** Runs, newest first by default, filtered by repository and time range (ISO, inclusive). */
export async function listRuns(
  db: Db,
  f: {
    repo?: string;
    from?: string;
    to?: string;
    sort: keyof typeof RUN_SORTS;
    order: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ total: number; items: RunRow[] }> {
  const where = sql`(${f.repo ?? null}::text is null or p.name = ${f.repo ?? null}::text)
    and (${f.from ?? null}::timestamptz is null or r.recorded_at >= ${f.from ?? null}::timestamptz)
    and (${f.to ?? null}::timestamptz is null or r.recorded_at <= ${f.to ?? null}::timestamptz)`;
  const [count] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from runs r join repositories p on p.id = r.repo_id where ${where}`,
  );
  const order = f.order === 'asc' ? sql`asc` : sql`desc`;
  const items = await rows<Record<string, unknown>>(
    db,
    sql`select ${RUN_COLUMNS} from runs r join repositories p on p.id = r.repo_id
        join indexed_entries e on e.id = r.entry_id where ${where}
        order by ${RUN_SORTS[f.sort]} ${order}, r.id ${order} limit ${f.limit} offset ${f.offset}`,
  );
  return { total: count?.n ?? 0, items: items.map(runRow) };
}

/** One run by id, or undefined. */
export async function runById(
  db: Db,
  id: number,
): Promise<(RunRow & { diagnostics: unknown[] }) | undefined> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select ${RUN_COLUMNS}, r.diagnostics from runs r join repositories p on p.id = r.repo_id
        join indexed_entries e on e.id = r.entry_id where r.id = ${id}`,
  );
  return r[0] ? { ...runRow(r[0]), diagnostics: r[0].diagnostics as unknown[] } : undefined;
}

/** An indexed entry's position: `source` (`server` or `file:<dir>`), index, digests. */
export async function entryById(
  db: Db,
  id: number,
): Promise<
  { id: number; source: string; logIdx: number; envelopeSha256: string; leafHash: string } | undefined
> {
  const r = await rows<{
    id: string | number;
    source: string;
    log_idx: string | number;
    envelope_sha256: string;
    leaf_hash: string;
  }>(db, sql`select id, source, log_idx, envelope_sha256, leaf_hash from indexed_entries where id = ${id}`);
  const x = r[0];
  return x
    ? {
        id: Number(x.id),
        source: x.source,
        logIdx: Number(x.log_idx),
        envelopeSha256: x.envelope_sha256,
        leafHash: x.leaf_hash,
      }
    : undefined;
}

/** Waivers applied by each repository's latest run, with days until expiry at `today` (YYYY-MM-DD). */
export async function listWaivers(
  db: Db,
  f: { repo?: string; today: string },
): Promise<
  {
    repo: string;
    checkId: string;
    resource: string;
    reason: string;
    owner: string;
    expires: string;
    runId: number;
  }[]
> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select w.*, p.name from waivers w join repositories p on p.id = w.repo_id
        where (${f.repo ?? null}::text is null or p.name = ${f.repo ?? null}::text)
        order by w.expires, p.name, w.check_id, w.resource`,
  );
  return r.map((x) => ({
    repo: String(x.name),
    checkId: String(x.check_id),
    resource: String(x.resource),
    reason: String(x.reason),
    owner: String(x.owner),
    expires: String(x.expires),
    runId: Number(x.run_id),
  }));
}

/** The latest manual evidence recorded for each (repository, control, path). */
export async function latestManualEvidence(
  db: Db,
  repo?: string,
): Promise<
  {
    repo: string;
    repoId: number;
    controlId: string;
    path: string;
    sha256: string;
    collectedAt: string;
    entryId: number;
  }[]
> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select distinct on (m.repo_id, m.control_id, m.path) m.*, p.name from manual_evidence m
        join repositories p on p.id = m.repo_id
        where (${repo ?? null}::text is null or p.name = ${repo ?? null}::text)
        order by m.repo_id, m.control_id, m.path, m.collected_at desc`,
  );
  return r.map((x) => ({
    repo: String(x.name),
    repoId: Number(x.repo_id),
    controlId: String(x.control_id),
    path: String(x.path),
    sha256: String(x.sha256),
    collectedAt: iso(x.collected_at)!,
    entryId: Number(x.entry_id),
  }));
}

/** Counts of findings that became open / were resolved since `since` (ISO), per repository filter. */
export async function findingChanges(
  db: Db,
  since: string,
  repo?: string,
): Promise<{ opened: number; resolved: number }> {
  const [r] = await rows<{ opened: number; resolved: number }>(
    db,
    sql`select count(*) filter (where f.first_seen_at >= ${since}::timestamptz)::int as opened,
               count(*) filter (where f.resolved_at >= ${since}::timestamptz)::int as resolved
        from findings f join repositories p on p.id = f.repo_id
        where (${repo ?? null}::text is null or p.name = ${repo ?? null}::text)`,
  );
  return { opened: r?.opened ?? 0, resolved: r?.resolved ?? 0 };
}

/** Alerts, newest first, with their delivery states. */
export async function listAlerts(
  db: Db,
  f: { kind?: string; limit: number; offset: number },
): Promise<
  {
    id: number;
    kind: string;
    subject: string;
    message: string;
    details: unknown;
    createdAt: string;
    deliveries: { webhook: string; status: string; attempts: number; lastError: string | null }[];
  }[]
> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select a.*, coalesce((select jsonb_agg(jsonb_build_object('webhook', d.webhook, 'status', d.status,
          'attempts', d.attempts, 'lastError', d.last_error) order by d.webhook)
          from alert_deliveries d where d.alert_id = a.id), '[]'::jsonb) as deliveries
        from alerts a where (${f.kind ?? null}::text is null or a.kind = ${f.kind ?? null}::text)
        order by a.created_at desc, a.id desc limit ${f.limit} offset ${f.offset}`,
  );
  return r.map((x) => ({
    id: Number(x.id),
    kind: String(x.kind),
    subject: String(x.subject),
    message: String(x.message),
    details: x.details,
    createdAt: iso(x.created_at)!,
    deliveries: x.deliveries as never,
  }));
}

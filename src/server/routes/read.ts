/** Read-only dashboard API: overview, history, drill-down, lists, inclusion checks. */
import { z } from 'zod';
import {
  FINDING_SORTS,
  findingDetail,
  listAlerts,
  listFindings,
  listRuns,
  listWaivers,
  RUN_SORTS,
  runById,
  runControlRows,
  runFrameworkRows,
} from '../../store/queries.js';
import { listRepositories } from '../../store/repos.js';
import { latestCheckpoint } from '../../store/server-log.js';
import { READERS, STAFF } from '../roles.js';
import { HttpError, type RouteDef, route } from '../route.js';
import {
  controlDetail,
  daysUntil,
  history,
  manualEvidenceView,
  overview,
  requirementDetail,
  requirements,
  verifyEntryInclusion,
} from '../views.js';
import { day, frameworkId, idParam, order, page, repoName } from './common.js';

const repoQuery = z.object({ repo: repoName.optional() });
const STATUS = z.enum(['pass', 'fail', 'unknown', 'manual', 'waived', 'not-applicable']);
const SEVERITY = z.enum(['critical', 'high', 'medium', 'low', 'info']);

/** Comma-separated list of enum values: `severity=critical,high`. */
const csv = <T extends string>(e: z.ZodEnum<Record<T, T>>) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(e));

/** Read routes (auditors included unless noted). */
export const readRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/api/overview',
    summary:
      'Compliance % per framework now, per repository, requirements by status, and what changed in 7 days',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    query: repoQuery,
    handler: ({ query, ctx }) => overview(ctx.store.db, ctx.now(), query.repo),
  }),
  route({
    method: 'GET',
    url: '/api/frameworks/:framework/history',
    summary: 'Daily compliance % of a framework over a period (each repository carried forward)',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    params: z.object({ framework: frameworkId }),
    query: z.object({ repo: repoName.optional(), from: day.optional(), to: day.optional() }),
    async handler({ params, query, ctx }) {
      const to = query.to ?? ctx.now().toISOString().slice(0, 10);
      const from =
        query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
      if (from > to) throw new HttpError(400, 'E_VALIDATION', '`from` is after `to`');
      if (Date.parse(to) - Date.parse(from) > 3 * 366 * 86_400_000) {
        throw new HttpError(400, 'E_VALIDATION', 'the period is longer than three years');
      }
      return history(ctx.store.db, params.framework, from, to, query.repo);
    },
  }),
  route({
    method: 'GET',
    url: '/api/frameworks/:framework/requirements',
    summary: 'Requirements of a framework with their status across repositories (filter by status)',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    params: z.object({ framework: frameworkId }),
    query: z.object({ repo: repoName.optional(), status: STATUS.optional() }),
    handler: ({ params, query, ctx }) => requirements(ctx.store.db, params.framework, query),
  }),
  route({
    method: 'GET',
    url: '/api/frameworks/:framework/requirements/:requirement',
    summary: 'Drill-down: a requirement → its controls → checks → open findings, per repository',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    params: z.object({ framework: frameworkId, requirement: z.string().min(1).max(100) }),
    query: repoQuery,
    handler: ({ params, query, ctx }) =>
      requirementDetail(ctx.store.db, params.framework, params.requirement, query.repo),
  }),
  route({
    method: 'GET',
    url: '/api/controls/:control',
    summary: 'A control in each repository: status, checks and the open findings behind them',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    params: z.object({ control: z.string().min(1).max(100) }),
    query: repoQuery,
    handler: ({ params, query, ctx }) => controlDetail(ctx.store.db, params.control, query.repo),
  }),
  route({
    method: 'GET',
    url: '/api/findings',
    summary: 'Findings with first-seen / last-seen / resolved-at, filtered and sorted',
    tag: 'lists',
    access: { kind: 'session', roles: READERS },
    query: z.object({
      repo: repoName.optional(),
      framework: frameworkId.optional(),
      control: z.string().max(100).optional(),
      check: z.string().max(200).optional(),
      severity: csv(SEVERITY).optional(),
      status: z.enum(['open', 'resolved', 'all']).default('open'),
      minAgeDays: z.coerce.number().int().min(0).max(100_000).optional(),
      maxAgeDays: z.coerce.number().int().min(0).max(100_000).optional(),
      sort: z.enum(Object.keys(FINDING_SORTS) as [keyof typeof FINDING_SORTS]).default('severity'),
      order: order,
      ...page,
    }),
    async handler({ query, ctx }) {
      const now = ctx.now();
      const r = await listFindings(ctx.store.db, { ...query, now: now.toISOString() });
      return {
        ...r,
        items: r.items.map((f) => ({
          ...f,
          ageDays: Math.floor((now.getTime() - Date.parse(f.firstSeenAt)) / 86_400_000),
        })),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/findings/:repo/:fingerprint',
    summary: 'One finding: lifecycle and the runs that reported it',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    params: z.object({ repo: repoName, fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }),
    async handler({ params, ctx }) {
      const d = await findingDetail(ctx.store.db, params.repo, params.fingerprint);
      if (!d) throw new HttpError(404, 'E_NOT_FOUND', 'no such finding');
      const run = await runById(ctx.store.db, d.finding.lastSeenRunId);
      return { ...d, lastSeenRun: run };
    },
  }),
  route({
    method: 'GET',
    url: '/api/runs',
    summary: 'Runs with their envelope digest and log position, filtered and sorted',
    tag: 'lists',
    access: { kind: 'session', roles: READERS },
    query: z.object({
      repo: repoName.optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      sort: z.enum(Object.keys(RUN_SORTS) as [keyof typeof RUN_SORTS]).default('recordedAt'),
      order: order,
      ...page,
    }),
    handler: ({ query, ctx }) => listRuns(ctx.store.db, query),
  }),
  route({
    method: 'GET',
    url: '/api/runs/:id',
    summary: 'One run: frameworks, controls, diagnostics, envelope digest and log position',
    tag: 'dashboard',
    access: { kind: 'session', roles: READERS },
    params: z.object({ id: idParam }),
    async handler({ params, ctx }) {
      const run = await runById(ctx.store.db, params.id);
      if (!run) throw new HttpError(404, 'E_NOT_FOUND', `no run ${params.id}`);
      return {
        run,
        frameworks: await runFrameworkRows(ctx.store.db, [run.id]),
        controls: await runControlRows(ctx.store.db, [run.id]),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/entries/:id/inclusion',
    summary: "Verify: re-check an entry's inclusion proof against its log's latest checkpoint",
    tag: 'evidence',
    access: { kind: 'session', roles: READERS },
    params: z.object({ id: idParam }),
    handler: ({ params, ctx }) =>
      verifyEntryInclusion(ctx.store.db, params.id, { server: ctx.signer?.publicKeyPem() }),
  }),
  route({
    method: 'GET',
    url: '/api/log/checkpoint',
    summary: "The server log's latest signed checkpoint and its public key",
    tag: 'evidence',
    access: { kind: 'session', roles: READERS },
    async handler({ ctx }) {
      return { ...(await latestCheckpoint(ctx.store.db)), publicKeyPem: ctx.signer?.publicKeyPem() ?? null };
    },
  }),
  route({
    method: 'GET',
    url: '/api/repositories',
    summary: 'Repositories and the key ids their pushes are verified with',
    tag: 'evidence',
    access: { kind: 'session', roles: READERS },
    async handler({ ctx }) {
      return { items: await listRepositories(ctx.store.db) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/waivers',
    summary: 'Waivers applied by each repository, soonest expiry first (expiringWithinDays filters)',
    tag: 'lists',
    access: { kind: 'session', roles: READERS },
    query: z.object({
      repo: repoName.optional(),
      expiringWithinDays: z.coerce.number().int().min(0).max(100_000).optional(),
    }),
    async handler({ query, ctx }) {
      const now = ctx.now();
      const items = (
        await listWaivers(ctx.store.db, { repo: query.repo, today: now.toISOString().slice(0, 10) })
      ).map((w) => ({ ...w, daysLeft: daysUntil(w.expires, now) }));
      const within = query.expiringWithinDays;
      return {
        items:
          within === undefined ? items : items.filter((w) => w.daysLeft !== null && w.daysLeft <= within),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/evidence',
    summary: 'Manual evidence per control: fresh, stale or missing, with its due date',
    tag: 'lists',
    access: { kind: 'session', roles: READERS },
    query: z.object({ repo: repoName.optional(), status: z.enum(['fresh', 'stale', 'missing']).optional() }),
    handler: ({ query, ctx }) => manualEvidenceView(ctx.store.db, ctx.now(), query),
  }),
  route({
    method: 'GET',
    url: '/api/alerts',
    summary: 'Alerts raised by monitoring and their webhook deliveries',
    tag: 'lists',
    access: { kind: 'session', roles: STAFF },
    query: z.object({ kind: z.string().max(64).optional(), ...page }),
    async handler({ query, ctx }) {
      return { items: await listAlerts(ctx.store.db, query) };
    },
  }),
];

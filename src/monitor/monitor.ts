/**
 * Continuous monitoring on pg-boss (queues in the store's `pgboss` schema; SKIP LOCKED fetches, so with several
 * workers each job runs once):
 * - `run-indexed` (sent after each pushed run): drift between the repository's two latest runs; a control moving
 *   from pass to fail raises an alert;
 * - `rescan.<repo>` (cron per configured repository, or `rescan` on demand): scan the checkout, sign the run with
 *   the server key, append it to the server log;
 * - `expiry` (hourly, and at start): waivers and manual evidence within `expiryWarningDays` of expiry, open
 *   findings within `slaWarningDays` of their SLA deadline;
 * - `deliver` (one job per alert × webhook): POST the alert; a failure is retried by pg-boss with exponential
 *   backoff (`retryLimit` 8) and recorded, and never blocks ingest (pushes only enqueue).
 * Alerts are recorded in `alerts` with a dedupe key, so re-running a check never raises one twice.
 */

import type { KeyStore } from '../evidence/keys.js';
import { daysUntil, manualEvidenceView } from '../server/views.js';
import { alertById, lastTwoRuns, recordAlert, recordDelivery, slaDue } from '../store/alerts.js';
import type { Store } from '../store/open-store.js';
import { listWaivers, runControlRows } from '../store/queries.js';
import { listRepositories, repositoryByName } from '../store/repos.js';
import { type MonitorConfig, monitorConfigSchema, type ResolvedMonitorConfig } from './config.js';
import { controlDrift, regressions } from './drift.js';
import { PgBoss } from './pg-boss.js';
import { rescanRepository } from './rescan.js';
import { webhookRequest } from './webhook-body.js';

/** Delivery retry policy: 8 retries, exponential backoff from 2 s (pg-boss retryBackoff). */
export const DELIVERY_RETRY = { retryLimit: 8, retryDelay: 2, retryBackoff: true } as const;

/** A running monitor. */
export interface Monitor {
  enqueue(job: string, data: Record<string, unknown>): Promise<void>;
  /** Runs the expiry/SLA check now (also scheduled hourly). */
  checkExpiry(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

/** Options of {@link startMonitor}: `work` = process jobs here (false: only enqueue, e.g. a server replica). */
export interface MonitorOptions {
  config: MonitorConfig;
  signer?: KeyStore;
  origin: string;
  work: boolean;
  /** Clock for tests. */
  now?: () => Date;
  /** Seconds between polls of each queue (default 2). */
  pollingIntervalSeconds?: number;
  /** Fetch for webhook delivery (tests). */
  fetch?: typeof fetch;
  /** Delivery retry policy (default {@link DELIVERY_RETRY}). */
  retry?: { retryLimit: number; retryDelay: number; retryBackoff: boolean };
}

/** Starts pg-boss on the store and, when `work`, the workers and schedules. */
export async function startMonitor(store: Store, opts: MonitorOptions): Promise<Monitor> {
  const config: ResolvedMonitorConfig = monitorConfigSchema.parse(opts.config);
  const now = opts.now ?? (() => new Date());
  const doFetch = opts.fetch ?? fetch;
  const retry = opts.retry ?? DELIVERY_RETRY;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => store.executeSql(text, values) },
    schedule: opts.work,
    supervise: opts.work,
  });
  boss.on('error', () => undefined); // pg-boss reports maintenance errors here; jobs carry their own errors
  await boss.start();
  const queues = [
    'run-indexed',
    'rescan',
    'expiry',
    'deliver',
    ...config.repositories.map((r) => `rescan.${r.name}`),
  ];
  for (const q of queues) await boss.createQueue(q);
  const webhookNames = config.webhooks.map((w) => w.name);

  const raise = async (a: Parameters<typeof recordAlert>[1]): Promise<boolean> => {
    const id = await recordAlert(store.db, a, webhookNames);
    if (id === undefined) return false;
    for (const w of webhookNames) {
      await boss.send('deliver', { alertId: id, webhook: w }, retry);
    }
    return true;
  };

  const drift = async (repoId: number): Promise<void> => {
    const [next, prev] = await lastTwoRuns(store.db, repoId);
    if (!next || !prev) return;
    const controls = await runControlRows(store.db, [prev.id, next.id]);
    const changes = controlDrift(
      controls.filter((c) => c.runId === prev.id),
      controls.filter((c) => c.runId === next.id),
    );
    const repos = await listRepositories(store.db);
    const repo = repos.find((r) => r.id === repoId)?.name ?? String(repoId);
    for (const c of regressions(changes)) {
      await raise({
        kind: 'control-regressed',
        repoId,
        subject: `${repo}: control ${c.controlId} now fails`,
        message: `${c.controlId} (${c.title}) passed in the run of ${prev.recordedAt} and fails in the run of ${next.recordedAt}.`,
        details: { repo, controlId: c.controlId, fromRunId: prev.id, toRunId: next.id, changes },
        dedupeKey: `control-regressed:${repoId}:${c.controlId}:${next.id}`,
      });
    }
  };

  const checkExpiry = async (at = now()): Promise<number> => {
    let raised = 0;
    const within = config.alerts.expiryWarningDays;
    for (const w of await listWaivers(store.db, { today: at.toISOString().slice(0, 10) })) {
      const left = daysUntil(w.expires, at);
      if (left === null || left > within) continue;
      if (
        await raise({
          kind: 'waiver-expiring',
          repoId: null,
          subject: `${w.repo}: waiver for ${w.checkId} on ${w.resource} ${left < 0 ? 'has expired' : `expires in ${left} days`}`,
          message: `Waiver owned by ${w.owner} (${w.reason}) expires ${w.expires}. Renew it with a new review, or fix the finding.`,
          details: { ...w, daysLeft: left },
          dedupeKey: `waiver-expiring:${w.repo}:${w.checkId}:${w.resource}:${w.expires}`,
        })
      )
        raised++;
    }
    for (const e of (await manualEvidenceView(store.db, at, {})).items) {
      if (e.daysLeft === null || e.daysLeft > within) continue;
      if (
        await raise({
          kind: 'evidence-expiring',
          repoId: null,
          subject: `${e.repo}: evidence ${e.path} for ${e.controlId} ${e.daysLeft < 0 ? 'is stale' : `goes stale in ${e.daysLeft} days`}`,
          message: `Collected ${e.collectedAt}, valid ${e.maxAgeDays} days (due ${e.dueAt}). Record a fresh copy with \`evident evidence add\`.`,
          details: e,
          dedupeKey: `evidence-expiring:${e.repo}:${e.controlId}:${e.path}:${e.dueAt}`,
        })
      )
        raised++;
    }
    for (const s of await slaDue(
      store.db,
      config.alerts.sla,
      at.toISOString(),
      config.alerts.slaWarningDays,
    )) {
      if (
        await raise({
          kind: 'sla-due',
          repoId: s.repoId,
          subject: `${s.repo}: ${s.count} ${s.severity} finding(s) reach their SLA on ${s.deadline}`,
          message: `${s.count} open ${s.severity} finding(s) first seen ${config.alerts.sla[s.severity as keyof typeof config.alerts.sla]} days before ${s.deadline} are still open.`,
          details: s,
          dedupeKey: `sla-due:${s.repoId}:${s.severity}:${s.deadline}`,
        })
      )
        raised++;
    }
    return raised;
  };

  const deliver = async (alertId: number, webhook: string, retryCount: number): Promise<void> => {
    const hook = config.webhooks.find((w) => w.name === webhook);
    const alert = await alertById(store.db, alertId);
    if (!hook || !alert) return; // webhook removed from the configuration, or alert gone: nothing to do
    const secret = hook.secretEnv ? process.env[hook.secretEnv] : undefined;
    try {
      if (hook.format === 'generic' && !secret)
        throw new Error(`environment variable ${hook.secretEnv} is not set`);
      const req = webhookRequest(hook.format, alert, {
        secret,
        timestamp: Math.floor(now().getTime() / 1000),
      });
      const res = await doFetch(hook.url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(10_000),
        redirect: 'error',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await recordDelivery(store.db, alertId, webhook, 'delivered');
    } catch (err) {
      const last = retryCount >= retry.retryLimit;
      await recordDelivery(store.db, alertId, webhook, last ? 'failed' : 'retrying', (err as Error).message);
      throw err; // pg-boss retries with backoff
    }
  };

  if (opts.work) {
    const poll = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, includeMetadata: true as const };
    await boss.work<{ repoId: number }>('run-indexed', poll, async ([job]) => drift(job!.data.repoId));
    await boss.work<{ alertId: number; webhook: string }>('deliver', poll, async ([job]) =>
      deliver(job!.data.alertId, job!.data.webhook, job!.retryCount),
    );
    await boss.work('expiry', poll, async () => {
      await checkExpiry();
    });
    const rescan = async (name: string): Promise<void> => {
      const conf = config.repositories.find((r) => r.name === name);
      const repo = await repositoryByName(store.db, name);
      if (!conf || !repo) return;
      await rescanRepository(store, {
        repo,
        path: conf.path,
        signer: opts.signer,
        origin: opts.origin,
        now: now(),
      });
      await drift(repo.id);
    };
    await boss.work<{ repo: string }>('rescan', poll, async ([job]) => rescan(job!.data.repo));
    for (const r of config.repositories) {
      await boss.work(`rescan.${r.name}`, poll, async () => rescan(r.name));
      await boss.schedule(`rescan.${r.name}`, r.schedule, {});
    }
    await boss.schedule('expiry', '0 * * * *', {});
  }

  return {
    async enqueue(job, data) {
      await boss.send(job, data);
    },
    checkExpiry,
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}

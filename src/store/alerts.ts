/** Persistence of alerts and their webhook deliveries. */
import { and, eq, sql } from 'drizzle-orm';
import { type Db, rows } from './open-store.js';
import { iso } from './queries.js';
import { alertDeliveries, alerts } from './schema.js';

/** An alert to record. `dedupeKey` identifies it: recording the same key again is a no-op. */
export interface NewAlert {
  kind: string;
  repoId: number | null;
  subject: string;
  message: string;
  details: Record<string, unknown>;
  dedupeKey: string;
}

/** Records an alert and one pending delivery per webhook name; returns its id, or undefined when already raised. */
export async function recordAlert(
  db: Db,
  alert: NewAlert,
  webhooks: readonly string[],
): Promise<number | undefined> {
  const r = await db.insert(alerts).values(alert).onConflictDoNothing().returning({ id: alerts.id });
  const id = r[0]?.id;
  if (id === undefined) return undefined;
  if (webhooks.length > 0) {
    await db
      .insert(alertDeliveries)
      .values(webhooks.map((webhook) => ({ alertId: id, webhook, status: 'pending' })));
  }
  return id;
}

/** One alert by id. */
export async function alertById(
  db: Db,
  id: number,
): Promise<
  | { id: number; kind: string; subject: string; message: string; details: unknown; createdAt: string }
  | undefined
> {
  const r = await db.select().from(alerts).where(eq(alerts.id, id));
  const a = r[0];
  return a
    ? {
        id: a.id,
        kind: a.kind,
        subject: a.subject,
        message: a.message,
        details: a.details,
        createdAt: iso(a.createdAt)!,
      }
    : undefined;
}

/** Records a delivery attempt: `delivered`, `retrying` or `failed` (with the error text, truncated). */
export async function recordDelivery(
  db: Db,
  alertId: number,
  webhook: string,
  status: 'delivered' | 'retrying' | 'failed',
  error?: string,
): Promise<number> {
  const r = await db
    .update(alertDeliveries)
    .set({
      status,
      attempts: sql`${alertDeliveries.attempts} + 1`,
      lastError: error ? error.slice(0, 500) : null,
      updatedAt: sql`now()`,
      ...(status === 'delivered' ? { deliveredAt: sql`now()` } : {}),
    })
    .where(and(eq(alertDeliveries.alertId, alertId), eq(alertDeliveries.webhook, webhook)))
    .returning({ attempts: alertDeliveries.attempts });
  return r[0]?.attempts ?? 0;
}

/** The two latest runs of a repository (newest first). */
export async function lastTwoRuns(db: Db, repoId: number): Promise<{ id: number; recordedAt: string }[]> {
  const r = await rows<{ id: string | number; recorded_at: string }>(
    db,
    sql`select id, recorded_at from runs where repo_id = ${repoId} order by order_key desc limit 2`,
  );
  return r.map((x) => ({ id: Number(x.id), recordedAt: iso(x.recorded_at)! }));
}

/**
 * Open findings whose SLA deadline (first seen + `slaDays[severity]` days) falls between `now` and `now + withinDays`,
 * grouped by repository, severity and deadline day.
 */
export async function slaDue(
  db: Db,
  slaDays: Record<string, number>,
  now: string,
  withinDays: number,
): Promise<{ repoId: number; repo: string; severity: string; deadline: string; count: number }[]> {
  const sev = Object.entries(slaDays);
  if (sev.length === 0) return [];
  const values = sql.join(
    sev.map(([s, d]) => sql`(${s}::text, ${d}::int)`),
    sql`, `,
  );
  const r = await rows<{ repo_id: number; name: string; severity: string; deadline: string; n: number }>(
    db,
    sql`select f.repo_id, p.name, f.severity, to_char(date(f.first_seen_at at time zone 'UTC') + s.days, 'YYYY-MM-DD') as deadline,
               count(*)::int as n
        from findings f join repositories p on p.id = f.repo_id
        join (values ${values}) as s(severity, days) on s.severity = f.severity
        where f.resolved_at is null and not f.waived
          and date(f.first_seen_at at time zone 'UTC') + s.days between date(${now}::timestamptz at time zone 'UTC')
              and date(${now}::timestamptz at time zone 'UTC') + ${withinDays}::int
        group by 1, 2, 3, 4 order by 4, 2, 3`,
  );
  return r.map((x) => ({
    repoId: x.repo_id,
    repo: x.name,
    severity: x.severity,
    deadline: x.deadline,
    count: x.n,
  }));
}

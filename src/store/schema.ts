/**
 * The store's tables (drizzle-orm, PostgreSQL 15 subset: also runs on PGlite, which is PostgreSQL 18).
 * Migrations are generated from this file by drizzle-kit (`npm run db:generate`) into src/store/migrations.
 *
 * Three groups:
 * - **the server log** (`log_entries`, `log_nodes`, `log_checkpoints`, `blobs`): the evidence pushed to this
 *   server, append-only, the source of truth for pushed runs (exported to the file format of FORMAT.md);
 * - **configuration** (`repositories`, `api_tokens`, `users`, `sessions`, `alerts`, `alert_deliveries`): state of
 *   the server itself, not derived from any log;
 * - **the index** (`indexed_entries`, `runs`, `run_frameworks`, `run_controls`, `run_findings`, `findings`,
 *   `waivers`, `manual_evidence`, `repo_daily`): a view of the logs, dropped and rebuilt by `evident reindex`.
 *   A new kind of record (change populations, vulnerability clocks, access reviews) adds a table here keyed by
 *   the entry it came from (`entry_id`), a migration, and an indexer for its predicate type.
 */
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** bytea as a Node Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

// ---------------------------------------------------------------- configuration

/** A repository whose CI pushes runs: its registered Ed25519 public key verifies every pushed envelope. */
export const repositories = pgTable('repositories', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** PEM SPKI Ed25519 key; null for a repository only known from an indexed file log. */
  publicKeyPem: text('public_key_pem'),
  keyId: text('key_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Per-repository push tokens: only sha256(token) is stored; `prefix` (first 8 chars) identifies it in lists. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    repoId: integer('repo_id')
      .notNull()
      .references(() => repositories.id),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [index('api_tokens_repo').on(t.repoId)],
);

/** Local accounts. `passwordHash` is `scrypt$N$r$p$salt$hash` (base64). */
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  disabledAt: ts('disabled_at'),
});

/** Sessions: `idHash` = sha256 of the cookie value; `csrfToken` must accompany state-changing requests. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Alerts raised by monitoring; `dedupeKey` makes raising the same alert twice a no-op. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    repoId: integer('repo_id'),
    subject: text('subject').notNull(),
    message: text('message').notNull(),
    details: jsonb('details').notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('alerts_created').on(t.createdAt)],
);

/** One delivery of an alert to one webhook (by its configured name). */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    alertId: bigint('alert_id', { mode: 'number' })
      .notNull()
      .references(() => alerts.id),
    webhook: text('webhook').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.webhook] })],
);

// ---------------------------------------------------------------- the server log

/** Entries of the server's log (FORMAT.md semantics: `idx` 0-based, `leafHash` RFC 9162). */
export const logEntries = pgTable(
  'log_entries',
  {
    idx: bigint('idx', { mode: 'number' }).primaryKey(),
    /** Canonical envelope bytes, exactly the line of entries.jsonl. */
    body: bytea('body').notNull(),
    leafHash: bytea('leaf_hash').notNull(),
    envelopeSha256: text('envelope_sha256').notNull().unique(),
    /** The statement's runId, when it has one: a second envelope with the same runId is a replay. */
    runUuid: text('run_uuid').unique(),
    repoId: integer('repo_id').references(() => repositories.id),
    appendedAt: ts('appended_at').notNull().defaultNow(),
  },
  (t) => [index('log_entries_repo').on(t.repoId)],
);

/** Complete subtree hashes (level >= 1) of the server log: node `idx` covers leaves [idx·2^level, (idx+1)·2^level). */
export const logNodes = pgTable(
  'log_nodes',
  {
    level: integer('level').notNull(),
    idx: bigint('idx', { mode: 'number' }).notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** Every checkpoint the server log signed (one per append); the largest `size` is the latest. */
export const logCheckpoints = pgTable('log_checkpoints', {
  size: bigint('size', { mode: 'number' }).primaryKey(),
  rootHash: text('root_hash').notNull(),
  text: text('text').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Content-addressed blobs pushed with runs (shared by every replica). */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes').notNull(),
  size: integer('size').notNull(),
});

// ---------------------------------------------------------------- the index (rebuilt by reindex)

/**
 * Every log entry the index has read: `source` is `server` (the server log) or `file:<absolute dir>`. One entry
 * (by envelope digest) is indexed once even when it sits in several logs; the first source wins.
 */
export const indexedEntries = pgTable(
  'indexed_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    logIdx: bigint('log_idx', { mode: 'number' }).notNull(),
    envelopeSha256: text('envelope_sha256').notNull().unique(),
    leafHash: text('leaf_hash').notNull(),
    predicateType: text('predicate_type').notNull(),
    repoId: integer('repo_id'),
    keyId: text('key_id'),
    recordedAt: ts('recorded_at'),
  },
  (t) => [uniqueIndex('indexed_entries_pos').on(t.source, t.logIdx)],
);

/** One scan run. `orderKey` = recordedAt ISO + envelope digest: the total order runs of a repository follow. */
export const runs = pgTable(
  'runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: bigint('entry_id', { mode: 'number' })
      .notNull()
      .references(() => indexedEntries.id),
    repoId: integer('repo_id')
      .notNull()
      .references(() => repositories.id),
    runUuid: text('run_uuid').notNull(),
    recordedAt: ts('recorded_at').notNull(),
    orderKey: text('order_key').notNull(),
    commit: text('commit'),
    ref: text('ref'),
    ciUrl: text('ci_url'),
    exitCode: integer('exit_code').notNull(),
    failing: integer('failing').notNull(),
    findingsTotal: integer('findings_total').notNull(),
    counts: jsonb('counts').notNull(),
    diagnostics: jsonb('diagnostics').notNull(),
    builtInMap: boolean('built_in_map').notNull(),
  },
  (t) => [
    uniqueIndex('runs_entry').on(t.entryId),
    index('runs_repo_order').on(t.repoId, t.orderKey),
    index('runs_recorded').on(t.recordedAt),
  ],
);

/** A run's standing in one framework; `requirements` is the RequirementStatus[] of the ScanResult. */
export const runFrameworks = pgTable(
  'run_frameworks',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => runs.id),
    framework: text('framework').notNull(),
    passing: integer('passing').notNull(),
    inScope: integer('in_scope').notNull(),
    percent: doublePrecision('percent').notNull(),
    counts: jsonb('counts').notNull(),
    requirements: jsonb('requirements').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.framework] })],
);

/** A run's control statuses (ControlStatus of the ScanResult). */
export const runControls = pgTable(
  'run_controls',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => runs.id),
    controlId: text('control_id').notNull(),
    title: text('title').notNull(),
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    checks: jsonb('checks').notNull(),
    satisfies: jsonb('satisfies').notNull(),
    evidence: jsonb('evidence'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.controlId] })],
);

/** Every finding of a run (all outcomes). `waiver` is the AppliedWaiver when one matched. */
export const runFindings = pgTable(
  'run_findings',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => runs.id),
    fingerprint: text('fingerprint').notNull(),
    checkId: text('check_id').notNull(),
    severity: text('severity').notNull(),
    outcome: text('outcome').notNull(),
    waived: boolean('waived').notNull(),
    resource: text('resource').notNull(),
    file: text('file').notNull(),
    line: integer('line'),
    message: text('message').notNull(),
    waiver: jsonb('waiver'),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.fingerprint] }),
    index('run_findings_check').on(t.runId, t.checkId),
    index('run_findings_fingerprint').on(t.fingerprint),
  ],
);

/**
 * Finding lifecycle per repository and fingerprint over the repository's runs in `orderKey` order. A finding is
 * *open* in a run when its outcome there is fail, error or unknown. first/last seen = first/last run where it was
 * open; resolved = the next run after the last one where it was open (null while the latest run has it open).
 */
export const findings = pgTable(
  'findings',
  {
    repoId: integer('repo_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    checkId: text('check_id').notNull(),
    severity: text('severity').notNull(),
    outcome: text('outcome').notNull(),
    waived: boolean('waived').notNull(),
    resource: text('resource').notNull(),
    file: text('file').notNull(),
    line: integer('line'),
    message: text('message').notNull(),
    firstSeenAt: ts('first_seen_at').notNull(),
    firstSeenRunId: bigint('first_seen_run_id', { mode: 'number' }).notNull(),
    firstSeenKey: text('first_seen_key').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    lastSeenRunId: bigint('last_seen_run_id', { mode: 'number' }).notNull(),
    lastSeenKey: text('last_seen_key').notNull(),
    resolvedAt: ts('resolved_at'),
    resolvedRunId: bigint('resolved_run_id', { mode: 'number' }),
    resolvedKey: text('resolved_key'),
  },
  (t) => [
    primaryKey({ columns: [t.repoId, t.fingerprint] }),
    index('findings_open').on(t.resolvedAt, t.severity),
    index('findings_first_seen').on(t.firstSeenAt),
    index('findings_repo_last').on(t.repoId, t.lastSeenKey),
  ],
);

/** Waivers as the latest run of each repository applied them (one row per waived finding). */
export const waivers = pgTable(
  'waivers',
  {
    repoId: integer('repo_id').notNull(),
    checkId: text('check_id').notNull(),
    resource: text('resource').notNull(),
    reason: text('reason').notNull(),
    owner: text('owner').notNull(),
    expires: text('expires').notNull(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.checkId, t.resource] })],
);

/** Manual evidence entries (`evident evidence add`), one per entry. */
export const manualEvidence = pgTable(
  'manual_evidence',
  {
    entryId: bigint('entry_id', { mode: 'number' })
      .primaryKey()
      .references(() => indexedEntries.id),
    repoId: integer('repo_id').notNull(),
    controlId: text('control_id').notNull(),
    path: text('path').notNull(),
    sha256: text('sha256').notNull(),
    collectedAt: ts('collected_at').notNull(),
    addedBy: text('added_by'),
  },
  (t) => [index('manual_evidence_control').on(t.repoId, t.controlId, t.collectedAt)],
);

/** Per repository, day (UTC) and framework: the standing of the last run of that day (for charts over time). */
export const repoDaily = pgTable(
  'repo_daily',
  {
    repoId: integer('repo_id').notNull(),
    day: text('day').notNull(),
    framework: text('framework').notNull(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    orderKey: text('order_key').notNull(),
    passing: integer('passing').notNull(),
    inScope: integer('in_scope').notNull(),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.day, t.framework] })],
);

/** Names of the index tables, in the order `reindex` empties them (children first). */
export const INDEX_TABLES = [
  'repo_daily',
  'manual_evidence',
  'waivers',
  'findings',
  'run_findings',
  'run_controls',
  'run_frameworks',
  'runs',
  'indexed_entries',
] as const;

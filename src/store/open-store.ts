/**
 * Opens the store: PGlite embedded in a data directory (default `.evident/db`), or PostgreSQL through a
 * connection URL (`DATABASE_URL`). Both run the same drizzle-kit migrations (src/store/migrations) on open.
 *
 * PGlite has no lock between processes (two writers corrupt its files silently), so the embedded store holds
 * `<dataDir>.lock` (src/evidence/lock.ts: O_EXCL file with the owner pid, stale locks of dead processes are
 * broken) for as long as it is open. PostgreSQL needs no such lock; migrations there run under an advisory lock
 * so N replicas starting at once migrate once.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { EvidentError } from '../core/errors.js';
import { acquireLock, type HeldLock } from '../evidence/lock.js';
import type * as schema from './schema.js';

/** A drizzle database (PGlite or node-postgres) or a transaction on one. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open store. `kind` says which engine; `url` is set for PostgreSQL (never printed: it may hold a password). */
export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Raw parameterised SQL for libraries that bring their own queries (pg-boss). */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** PostgreSQL connection URL (postgres kind only). */
  readonly url?: string;
  close(): Promise<void>;
}

/** Options of {@link openStore}: `url` (PostgreSQL) wins over `dataDir` (PGlite); `memory` opens an in-memory PGlite. */
export interface OpenStoreOptions {
  url?: string;
  dataDir?: string;
  memory?: boolean;
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
  /** How long to wait for the embedded store's lock (default 2 s). */
  lockTimeoutMs?: number;
}

/** The migrations folder, next to this module in src/ and dist/. */
export function migrationsFolder(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'migrations');
}

/** The store a CLI command uses: `DATABASE_URL` when set, else PGlite in `<root>/.evident/db`. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv, root = '.'): OpenStoreOptions {
  const url = env.DATABASE_URL?.trim();
  return url ? { url } : { dataDir: resolve(root, '.evident', 'db') };
}

/** Selects rows with a parameterised drizzle `sql` query. Works on both drivers (both return `{ rows }`). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** Key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x65766d31; // 'evm1'

/**
 * Opens and migrates the store. Throws EvidentError(E_CONFIG) when PostgreSQL cannot be reached (the message
 * names the host, never the password), E_IO when the embedded store is locked by another process.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  return openPglite(opts);
}

async function openPglite(opts: OpenStoreOptions): Promise<Store> {
  let lock: HeldLock | undefined;
  let dataDir: string | undefined;
  if (!opts.memory) {
    dataDir = resolve(opts.dataDir ?? join('.evident', 'db'));
    mkdirSync(dirname(dataDir), { recursive: true });
    try {
      lock = await acquireLock(`${dataDir}.lock`, opts.lockTimeoutMs ?? 2_000);
    } catch (err) {
      throw new EvidentError('E_IO', `the embedded store ${dataDir} is in use by another process`, {
        hint: 'stop the other `evident serve`/`reindex`, or use PostgreSQL (DATABASE_URL) to share one store',
        cause: err,
      });
    }
  }
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client: PGlite = dataDir ? new PGlite(dataDir) : new PGlite();
    await client.waitReady;
    const db = drizzle({ client }) as unknown as Db;
    await migrate(db as never, { migrationsFolder: migrationsFolder() });
    return {
      kind: 'pglite',
      db,
      transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
      executeSql: async (text, values) => {
        if (!values || values.length === 0) {
          // simple protocol: pg-boss sends multi-statement scripts without parameters
          const all = await client.exec(text);
          return { rows: (all[all.length - 1]?.rows ?? []) as unknown[] };
        }
        const r = await client.query(text, values as unknown[]);
        return { rows: r.rows as unknown[] };
      },
      async close() {
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Store> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const host = safeHost(url);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new EvidentError('E_CONFIG', `cannot connect to PostgreSQL at ${host}: ${(err as Error).message}`, {
      hint: 'check DATABASE_URL (postgres://user:password@host:port/database) and that the server is running',
    });
  }
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle({ client }) as never, { migrationsFolder: migrationsFolder() });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => undefined); // an idle client lost its connection: the pool replaces it
  const db = drizzle({ client: pool }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    url,
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    executeSql: async (text, values) => {
      const r = await pool.query(text, values as unknown[]);
      return { rows: r.rows };
    },
    close: () => pool.end(),
  };
}

/** `host:port/db` of a connection URL, without credentials (for messages). */
export function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** `sql` re-exported so store modules import one thing. */
export { sql };

/**
 * Store backends for tests: an in-memory PGlite, and PostgreSQL (a fresh database per test file, dropped at the
 * end) when DATABASE_URL is set. Without DATABASE_URL the PostgreSQL variant is skipped with a notice, except
 * under CI (CI=true), where it fails: `.ci/run` always provides PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../open-store.js';

/** One backend a test suite runs on. `store()` is valid inside tests (opened once per suite). */
export interface Backend {
  name: 'pglite' | 'postgres';
  store(): Store;
}

/** Creates a scratch database on the server of `url`; returns its URL and a function dropping it. */
export async function scratchDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `evident_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Runs `suite` once per backend inside a `describe` named after it. The store is opened before the suite and
 * closed after it; PostgreSQL gets a scratch database.
 */
export function forEachBackend(title: string, suite: (b: Backend) => void): void {
  const url = process.env.DATABASE_URL;
  for (const name of ['pglite', 'postgres'] as const) {
    if (name === 'postgres' && !url) {
      if (process.env.CI) {
        describe(`${title} [postgres]`, () => {
          before(() => {
            throw new Error('DATABASE_URL is not set: .ci/run must start PostgreSQL and export it');
          });
          suite({ name, store: () => undefined as never });
        });
      } else {
        describe(`${title} [postgres]`, {
          skip: 'DATABASE_URL not set: PostgreSQL store tests skipped',
        }, () => {});
      }
      continue;
    }
    describe(`${title} [${name}]`, () => {
      let store: Store | undefined;
      let drop: (() => Promise<void>) | undefined;
      before(async () => {
        if (name === 'pglite') store = await openStore({ memory: true });
        else {
          const db = await scratchDatabase(url!);
          drop = db.drop;
          store = await openStore({ url: db.url, poolSize: 4 });
        }
      });
      // registered after the suite's own hooks, so they run first (a suite stops its workers before the store closes)
      suite({ name, store: () => store! });
      after(async () => {
        await store?.close();
        await drop?.();
      });
    });
  }
}

/**
 * Starting the server process (`evident serve`): open the store, build the app, follow the local file logs
 * (re-read every `syncIntervalMs`), start monitoring (in-process on the embedded store, or when asked to on
 * PostgreSQL), listen. Returns a handle that stops everything in order.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyStore } from '../evidence/keys.js';
import { readCheckpointFile } from '../evidence/ledger.js';
import { type FileLogSource, repoNameFromOrigin, syncFileLog } from '../indexer/sync.js';
import type { MonitorConfig } from '../monitor/config.js';
import { type Monitor, startMonitor } from '../monitor/monitor.js';
import { type OpenStoreOptions, openStore, type Store } from '../store/open-store.js';
import { buildApp } from './app.js';
import type { ServerContext } from './route.js';
import { ROUTES } from './routes/index.js';

/** Options of {@link startServer}. */
export interface StartOptions {
  host: string;
  port: number;
  store: OpenStoreOptions;
  signer?: KeyStore;
  origin: string;
  /** File logs to index (e.g. `.evident/ledger`); the repository defaults to the log origin's last segment. */
  ledgers: { dir: string; repo?: string }[];
  secureCookies: boolean;
  /** Run the job queue in this process (always on the embedded store). */
  monitor: boolean;
  monitorConfig?: MonitorConfig;
  syncIntervalMs?: number;
  webDir?: string;
}

/** A running server. */
export interface RunningServer {
  url: string;
  store: Store;
  close(): Promise<void>;
}

/** `dist/web` of this package, when built. */
export function defaultWebDir(): string | undefined {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** Resolves file-log sources: the repository of a log without `repo` is named after its origin. */
export function fileLogSources(ledgers: { dir: string; repo?: string }[]): FileLogSource[] {
  return ledgers
    .filter((l) => existsSync(l.dir))
    .map((l) => ({
      dir: resolve(l.dir),
      repo: l.repo ?? repoNameFromOrigin(readCheckpointFile(l.dir)?.origin ?? resolve(l.dir, '..', '..')),
    }));
}

/** Starts the server (see module doc). Throws EvidentError when the store cannot be opened. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const store = await openStore(opts.store);
  const fileLogs = fileLogSources(opts.ledgers);
  let monitor: Monitor | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const sync = async (): Promise<void> => {
      for (const src of fileLogs) await syncFileLog(store, src);
    };
    await sync();
    if (opts.monitor || store.kind === 'pglite') {
      monitor = await startMonitor(store, {
        config: opts.monitorConfig ?? { repositories: [], webhooks: [] },
        signer: opts.signer,
        origin: opts.origin,
        work: true,
      });
    }
    const ctx: ServerContext = {
      store,
      signer: opts.signer,
      origin: opts.origin,
      fileLogs,
      now: () => new Date(),
      secureCookies: opts.secureCookies,
      webDir: opts.webDir,
      ...(monitor ? { enqueue: monitor.enqueue } : {}),
    };
    const app = await buildApp(ctx, ROUTES);
    await app.listen({ host: opts.host, port: opts.port });
    if (fileLogs.length > 0) {
      let busy = false;
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        sync()
          .catch((err) => app.log.error({ err }, 'file log sync failed'))
          .finally(() => {
            busy = false;
          });
      }, opts.syncIntervalMs ?? 15_000);
      timer.unref();
    }
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    return {
      url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
      store,
      async close() {
        if (timer) clearInterval(timer);
        await app.close();
        await monitor?.stop();
        await store.close();
      },
    };
  } catch (err) {
    await monitor?.stop().catch(() => undefined);
    await store.close();
    throw err;
  }
}

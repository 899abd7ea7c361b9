/**
 * Server commands: `serve`, `worker`, `push`, `reindex`, `user add`, `repo add|token|revoke`, `log export`.
 * Parsing and rendering only: the work is in src/server, src/indexer, src/store and src/monitor.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { EvidentError } from '../../core/errors.js';
import { defaultBlobDir, keyIdOf, loadSigner, readPublicKeyFile } from '../../evidence/index.js';
import { reindex } from '../../indexer/sync.js';
import { readMonitorConfig } from '../../monitor/config.js';
import { startMonitor } from '../../monitor/monitor.js';
import { hashPassword, oneTimePassword } from '../../server/passwords.js';
import { pushEntries } from '../../server/push-client.js';
import { isRole, ROLES } from '../../server/roles.js';
import { defaultWebDir, fileLogSources, startServer } from '../../server/start.js';
import { openStore, type Store, safeHost, storeOptionsFromEnv } from '../../store/open-store.js';
import { createToken, repositoryByName, revokeToken, upsertRepository } from '../../store/repos.js';
import { exportServerLog } from '../../store/server-log.js';
import { upsertUser } from '../../store/users.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0-65535');
  return n;
}

function storeLabel(s: Store, dataDir?: string): string {
  return s.kind === 'postgres' ? `PostgreSQL ${safeHost(s.url!)}` : `embedded ${dataDir}`;
}

/** Origin of the server log (same on every replica): EVIDENT_SERVER_ORIGIN or `evident.server/default`. */
function serverOrigin(): string {
  return process.env.EVIDENT_SERVER_ORIGIN?.trim() || 'evident.server/default';
}

async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(storeOptionsFromEnv(process.env));
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Registers the server commands on `program`. */
export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve the dashboard API over the evidence logs (embedded store, or PostgreSQL via DATABASE_URL)',
    )
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', port, 8080)
    .option('--ledger <dir>', 'local evidence log to index (repeatable)', (v: string, p: string[] = []) => [
      ...p,
      v,
    ])
    .option('--repo <name>', 'repository name for the local log (default: from the log origin)')
    .option('--config <file>', 'monitoring configuration (evident-server.yaml)')
    .option('--worker', 'also process monitoring jobs here (always on with the embedded store)')
    .option('--insecure-cookies', 'omit the Secure cookie attribute (plain-HTTP development only)')
    .action(
      async (o: {
        host: string;
        port: number;
        ledger?: string[];
        repo?: string;
        config?: string;
        worker?: boolean;
        insecureCookies?: boolean;
      }) => {
        const ledgers = (o.ledger ?? (existsSync('.evident/ledger') ? ['.evident/ledger'] : [])).map(
          (dir) => ({
            dir,
            ...(o.repo ? { repo: o.repo } : {}),
          }),
        );
        const signer = loadSigner({ env: process.env });
        const storeOpts = storeOptionsFromEnv(process.env);
        const server = await startServer({
          host: o.host,
          port: o.port,
          store: storeOpts,
          signer,
          origin: serverOrigin(),
          ledgers,
          secureCookies: !o.insecureCookies,
          monitor: o.worker === true,
          ...(o.config ? { monitorConfig: readMonitorConfig(o.config) } : {}),
          webDir: defaultWebDir(),
        });
        say(`evident: serving on ${server.url} (store: ${storeLabel(server.store, storeOpts.dataDir)})`);
        for (const l of fileLogSources(ledgers)) say(`evident: indexing ${l.dir} as repository ${l.repo}`);
        if (!signer) {
          say(
            'evident: WARNING: no signing key (EVIDENT_SIGNING_KEY_FILE): pushed runs go to an UNSIGNED server log',
          );
        }
        await new Promise<void>((done) => {
          const stop = () => {
            server.close().finally(done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );

  program
    .command('worker')
    .description(
      'Process monitoring jobs (re-scans, drift, expiry, webhooks) against PostgreSQL (DATABASE_URL)',
    )
    .requiredOption('--config <file>', 'monitoring configuration (evident-server.yaml)')
    .action(async (o: { config: string }) => {
      if (!process.env.DATABASE_URL) {
        throw new EvidentError('E_USAGE', '`evident worker` needs PostgreSQL: set DATABASE_URL', {
          hint: 'with the embedded store, `evident serve` runs the jobs itself',
        });
      }
      const config = readMonitorConfig(o.config);
      const store = await openStore(storeOptionsFromEnv(process.env));
      const monitor = await startMonitor(store, {
        config,
        signer: loadSigner({ env: process.env }),
        origin: serverOrigin(),
        work: true,
      });
      say(
        `evident: worker running (${config.repositories.length} repositories, ${config.webhooks.length} webhooks)`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          monitor
            .stop()
            .then(() => store.close())
            .finally(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('push')
    .description("Send a run's signed envelope and blobs to an Evident server (token: EVIDENT_PUSH_TOKEN)")
    .option('--server <url>', 'server URL (default $EVIDENT_SERVER)')
    .option('--ledger <dir>', 'local evidence log', '.evident/ledger')
    .option('--blobs <dir>', 'local blob store (default: beside the log)')
    .option(
      '--entry <n>',
      'log entry to push (repeatable; default: the latest scan run)',
      (v: string, p: number[] = []) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('an entry index');
        return [...p, n];
      },
    )
    .option('--retries <n>', 'retries on connection errors and 5xx', (v: string) => Number(v), 8)
    .action(
      async (o: { server?: string; ledger: string; blobs?: string; entry?: number[]; retries: number }) => {
        const server = o.server ?? process.env.EVIDENT_SERVER;
        const token = process.env.EVIDENT_PUSH_TOKEN?.trim();
        if (!server) throw new EvidentError('E_USAGE', 'no server: pass --server URL or set EVIDENT_SERVER');
        if (!token) {
          throw new EvidentError('E_USAGE', 'no push token: set EVIDENT_PUSH_TOKEN', {
            hint: 'an admin creates one with `evident repo token NAME` (store it as a CI secret)',
          });
        }
        const out = await pushEntries({
          server,
          token,
          ledgerDir: resolve(o.ledger),
          blobDir: o.blobs ? resolve(o.blobs) : defaultBlobDir(resolve(o.ledger)),
          ...(o.entry ? { entries: o.entry } : {}),
          retries: o.retries,
        });
        for (const r of out) {
          say(
            `evident: entry #${r.localIndex} ${r.status === 'appended' ? 'recorded' : 'was already recorded'} as server entry #${r.serverIndex} (server log size ${r.treeSize})`,
          );
        }
      },
    );

  program
    .command('reindex')
    .description('Rebuild the store index from the server log and local evidence logs')
    .option(
      '--ledger <dir>',
      'local evidence log to index (repeatable; default .evident/ledger when present)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--repo <name>', 'repository name for the local log (default: from the log origin)')
    .action(async (o: { ledger?: string[]; repo?: string }) => {
      const ledgers = (o.ledger ?? (existsSync('.evident/ledger') ? ['.evident/ledger'] : [])).map((dir) => ({
        dir,
        ...(o.repo ? { repo: o.repo } : {}),
      }));
      const t = Date.now();
      const r = await withStore((s) => reindex(s, fileLogSources(ledgers)));
      say(
        `evident: reindexed ${r.entries} entries (${r.runs} runs) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
    });

  const user = program.command('user').description('Server accounts');
  user
    .command('add')
    .description('Create (or reset) a user; prints a one-time password unless --password-stdin')
    .argument('<email>', 'login email')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input')
    .action(async (email: string, o: { role: string; passwordStdin?: boolean }) => {
      if (!isRole(o.role))
        throw new EvidentError('E_USAGE', `unknown role ${o.role}`, {
          hint: `use one of ${ROLES.join(', ')}`,
        });
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        throw new EvidentError('E_USAGE', `${email} is not an email address`);
      const password = o.passwordStdin ? await readStdin() : oneTimePassword();
      if (o.passwordStdin && password.length < 12) {
        throw new EvidentError('E_USAGE', 'the password is shorter than 12 characters');
      }
      const hash = await hashPassword(password);
      const u = await withStore((s) => upsertUser(s.db, email.toLowerCase(), o.role, hash));
      say(`evident: user ${u.email} (${u.role}) saved`);
      if (!o.passwordStdin) say(`one-time password (shown once): ${password}`);
    });

  const repo = program.command('repo').description('Repositories that push runs, and their tokens');
  repo
    .command('add')
    .description('Register a repository and the public key its CI signs runs with')
    .argument('<name>', 'repository name, e.g. acme/payments')
    .requiredOption('--key <file>', 'its evident.pub (Ed25519 PEM)')
    .action(async (name: string, o: { key: string }) => {
      const pub = readPublicKeyFile(o.key);
      const r = await withStore((s) =>
        upsertRepository(s.db, name, { publicKeyPem: pub.pem, keyId: keyIdOf(pub.key) }),
      );
      say(`evident: repository ${r.name} registered with key ${r.keyId}`);
    });
  repo
    .command('token')
    .description('Create a push token for a repository (printed once; stored hashed)')
    .argument('<name>', 'repository name')
    .action(async (name: string) => {
      const t = await withStore(async (s) => {
        const r = await repositoryByName(s.db, name);
        if (!r)
          throw new EvidentError('E_USAGE', `no repository ${name}`, {
            hint: 'register it with `evident repo add`',
          });
        return createToken(s.db, r.id);
      });
      say(
        `token ${t.id} for ${name} (shown once, store it as the CI secret EVIDENT_PUSH_TOKEN):\n${t.token}`,
      );
    });
  repo
    .command('revoke')
    .description('Revoke a push token')
    .argument('<name>', 'repository name')
    .argument('<id>', 'token id')
    .action(async (name: string, id: string) => {
      const ok = await withStore(async (s) => {
        const r = await repositoryByName(s.db, name);
        return r ? revokeToken(s.db, r.id, Number(id)) : false;
      });
      if (!ok) throw new EvidentError('E_USAGE', `no live token ${id} for ${name}`);
      say(`evident: token ${id} of ${name} revoked`);
    });

  const log = program.command('log').description('The server evidence log');
  log
    .command('export')
    .description('Write the server log in the file format (for `evident verify`) with its blobs')
    .argument('<dir>', 'new directory for the log')
    .option('--blobs <dir>', 'blob directory (default: beside the log)')
    .action(async (dir: string, o: { blobs?: string }) => {
      const r = await withStore((s) =>
        exportServerLog(s, resolve(dir), o.blobs ? resolve(o.blobs) : defaultBlobDir(resolve(dir))),
      );
      say(
        `evident: exported ${r.size} entries and ${r.blobs} blobs to ${dir} (root ${r.rootHash || 'empty'})`,
      );
      say(`verify with: evident verify ${dir} --key server.pub --entry-key <each repository's evident.pub>`);
    });
}

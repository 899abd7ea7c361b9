/** Test harness for the HTTP layer: an app over a store, users of every role and their sessions. Not product code. */
import type { FastifyInstance } from 'fastify';
import type { KeyStore } from '../../evidence/keys.js';
import type { Store } from '../../store/open-store.js';
import { createSession, upsertUser } from '../../store/users.js';
import { buildApp, CSRF_HEADER, SESSION_COOKIE } from '../app.js';
import { hashPassword } from '../passwords.js';
import type { Role } from '../roles.js';
import type { ServerContext } from '../route.js';
import { ROUTES } from '../routes/index.js';

/** An app and helpers to act as a user of a role. */
export interface Harness {
  app: FastifyInstance;
  ctx: ServerContext;
  /** A fresh session of a user with `role`: headers to send (cookie and CSRF token). */
  as(role: Role): Promise<Record<string, string>>;
}

/** Builds an app over `store` (the clock is fixed to `now` when given). */
export async function harness(
  store: Store,
  opts: { signer?: KeyStore; now?: Date; enqueue?: ServerContext['enqueue'] } = {},
): Promise<Harness> {
  const ctx: ServerContext = {
    store,
    signer: opts.signer,
    origin: 'evident.test/server',
    fileLogs: [],
    now: () => opts.now ?? new Date(),
    secureCookies: true,
    ...(opts.enqueue ? { enqueue: opts.enqueue } : {}),
  };
  process.env.EVIDENT_LOG ??= 'silent';
  const app = await buildApp(ctx, ROUTES);
  const ids = new Map<Role, number>();
  const hash = await hashPassword('correct horse battery staple');
  return {
    app,
    ctx,
    async as(role) {
      let id = ids.get(role);
      if (id === undefined) {
        id = (await upsertUser(store.db, `${role}@example.com`, role, hash)).id;
        ids.set(role, id);
      }
      const s = await createSession(store.db, id, 3_600_000);
      return { cookie: `${SESSION_COOKIE}=${s.id}`, [CSRF_HEADER]: s.csrfToken };
    },
  };
}

/** Administration: users, repositories and push tokens, reindexing, re-scans; and the push endpoint itself. */
import { z } from 'zod';
import { keyIdOf, parsePublicKey } from '../../evidence/keys.js';
import { reindex } from '../../indexer/sync.js';
import {
  createToken,
  listTokens,
  repositoryByName,
  revokeToken,
  upsertRepository,
} from '../../store/repos.js';
import { disableUser, listUsers, upsertUser } from '../../store/users.js';
import { exportServerBundle } from '../export.js';
import { hashPassword, oneTimePassword } from '../passwords.js';
import { acceptPush, MAX_PUSH_BYTES, pushBody, pushResponse } from '../push.js';
import { ADMINS, OPERATORS, READERS, ROLES } from '../roles.js';
import { HttpError, type RouteDef, route } from '../route.js';
import { day, frameworkId, idParam, repoName } from './common.js';

async function repoOr404(ctx: Parameters<RouteDef['handler']>[0]['ctx'], name: string) {
  const r = await repositoryByName(ctx.store.db, name);
  if (!r) throw new HttpError(404, 'E_NOT_FOUND', `no repository ${name}`);
  return r;
}

/** Admin, operator, export and push routes. */
export const adminRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/api/push',
    summary: "Push a run's signed envelope and blobs (repository token); idempotent",
    tag: 'ingest',
    access: { kind: 'token' },
    body: pushBody,
    response: pushResponse,
    bodyLimit: MAX_PUSH_BYTES,
    async handler({ body, repo, ctx, reply }) {
      const r = await acceptPush(ctx, repo!, body);
      if (r.status === 'appended' && ctx.enqueue) {
        // monitoring never blocks ingest: a queue failure is logged, the push still succeeds
        await ctx.enqueue('run-indexed', { repoId: repo!.id }).catch(() => undefined);
      }
      reply.status(r.status === 'appended' ? 201 : 200);
      return {
        status: r.status,
        index: r.index,
        checkpoint: { size: r.checkpoint.size, rootHash: r.checkpoint.rootHash, text: r.checkpoint.text },
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/export',
    summary: 'Auditor bundle (tar.gz) of the server log for a period, optionally one framework',
    tag: 'evidence',
    access: { kind: 'session', roles: READERS },
    query: z.object({ from: day, to: day, framework: frameworkId.optional() }),
    async handler({ query, ctx, reply }) {
      const b = await exportServerBundle(ctx, query);
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${b.name}"`)
        .send(b.bytes);
    },
  }),
  route({
    method: 'GET',
    url: '/api/users',
    summary: 'Users and roles',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    async handler({ ctx }) {
      return { items: await listUsers(ctx.store.db) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/users',
    summary: 'Create a user (or reset one); returns a one-time password shown once',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    body: z.object({ email: z.email().max(320), role: z.enum(ROLES) }),
    async handler({ body, ctx, reply }) {
      const password = oneTimePassword();
      const u = await upsertUser(
        ctx.store.db,
        body.email.toLowerCase(),
        body.role,
        await hashPassword(password),
      );
      reply.status(201);
      return { user: u, oneTimePassword: password };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/users/:id',
    summary: 'Disable a user and end their sessions',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    params: z.object({ id: idParam }),
    async handler({ params, ctx, user }) {
      if (user!.id === params.id) throw new HttpError(400, 'E_VALIDATION', 'you cannot disable yourself');
      if (!(await disableUser(ctx.store.db, params.id)))
        throw new HttpError(404, 'E_NOT_FOUND', `no user ${params.id}`);
      return { status: 'disabled' };
    },
  }),
  route({
    method: 'POST',
    url: '/api/repositories',
    summary: 'Register a repository and the Ed25519 public key its CI signs with (or replace the key)',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    body: z.object({ name: repoName, publicKeyPem: z.string().min(40).max(4096) }),
    async handler({ body, ctx, reply }) {
      const key = parsePublicKey(body.publicKeyPem, 'publicKeyPem');
      const pem = key.export({ type: 'spki', format: 'pem' }).toString();
      const r = await upsertRepository(ctx.store.db, body.name, { publicKeyPem: pem, keyId: keyIdOf(key) });
      reply.status(201);
      return r;
    },
  }),
  route({
    method: 'GET',
    url: '/api/repositories/:name/tokens',
    summary: 'Push tokens of a repository (prefixes only)',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    params: z.object({ name: repoName }),
    async handler({ params, ctx }) {
      const r = await repoOr404(ctx, params.name);
      return { items: await listTokens(ctx.store.db, r.id) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/repositories/:name/tokens',
    summary: 'Create a push token; the token is returned once and stored hashed',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    params: z.object({ name: repoName }),
    async handler({ params, ctx, reply }) {
      const r = await repoOr404(ctx, params.name);
      reply.status(201);
      return await createToken(ctx.store.db, r.id);
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/repositories/:name/tokens/:id',
    summary: 'Revoke a push token',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    params: z.object({ name: repoName, id: idParam }),
    async handler({ params, ctx }) {
      const r = await repoOr404(ctx, params.name);
      if (!(await revokeToken(ctx.store.db, r.id, params.id)))
        throw new HttpError(404, 'E_NOT_FOUND', 'no such live token');
      return { status: 'revoked' };
    },
  }),
  route({
    method: 'POST',
    url: '/api/reindex',
    summary: 'Rebuild the index from the server log and the local file logs',
    tag: 'admin',
    access: { kind: 'session', roles: ADMINS },
    async handler({ ctx }) {
      return reindex(ctx.store, ctx.fileLogs);
    },
  }),
  route({
    method: 'POST',
    url: '/api/repositories/:name/rescan',
    summary: 'Queue a re-scan of a configured repository now',
    tag: 'monitoring',
    access: { kind: 'session', roles: OPERATORS },
    params: z.object({ name: repoName }),
    async handler({ params, ctx, reply }) {
      if (!ctx.enqueue) throw new HttpError(409, 'E_NO_QUEUE', 'monitoring is not running on this server');
      await ctx.enqueue('rescan', { repo: params.name });
      reply.status(202);
      return { status: 'queued' };
    },
  }),
];

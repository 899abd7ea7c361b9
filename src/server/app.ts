/**
 * The fastify application: security headers (helmet), cookies, login rate limiting, the route table with
 * authentication, role checks, CSRF checks and zod validation, the OpenAPI document, probes, and the dashboard's
 * static files (`dist/web` when built, else a minimal page).
 *
 * Error bodies are `{ error: CODE, message, hint?, issues? }`; unexpected errors answer 500 `E_INTERNAL` with no
 * detail (stack traces, SQL and paths go to the server log only).
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EvidentError } from '../core/errors.js';
import { repositoryByToken } from '../store/repos.js';
import { sessionUser } from '../store/users.js';
import { buildOpenApi } from './openapi.js';
import { HttpError, type RouteDef, type ServerContext } from './route.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'evident_session';
/** Header carrying the CSRF token on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token';

const MINIMAL_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evident</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<main><h1>Evident server</h1><p>The dashboard is not built on this server. The JSON API is documented at
<a href="/api/openapi.json">/api/openapi.json</a>; probes: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>.</p></main>
</body></html>`;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw Object.assign(new HttpError(400, 'E_VALIDATION', `invalid ${where}`), { issues });
}

/** Builds the application over `routes`. Call `.listen()` or `.inject()` on the result. */
export async function buildApp(ctx: ServerContext, routes: readonly RouteDef[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: process.env.EVIDENT_LOG === 'silent' ? false : { level: process.env.EVIDENT_LOG ?? 'warn' },
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.EVIDENT_TRUST_PROXY === '1',
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) {
      const issues = (err as HttpError & { issues?: unknown }).issues;
      return reply.status(err.status).send({
        error: err.code,
        message: err.message,
        ...(err.hint ? { hint: err.hint } : {}),
        ...(issues ? { issues } : {}),
      });
    }
    if (err instanceof EvidentError) {
      const status = err.code === 'E_INTERNAL' ? 500 : 400;
      return reply
        .status(status)
        .send({ error: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
    }
    const e = err as { statusCode?: number; code?: string };
    if (e.statusCode === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({
        error: 'E_INPUT_TOO_LARGE',
        message: 'request body is over the size limit of this route',
        hint: 'push one run at a time; large inputs are referenced by digest, not inlined',
      });
    }
    if (e.statusCode === 429) {
      return reply
        .status(429)
        .send({ error: 'E_RATE_LIMIT', message: 'too many attempts; wait a minute and retry' });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({
        error: 'E_BAD_REQUEST',
        message:
          e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported content type: send application/json'
            : 'malformed request (the body is not valid JSON, or the request is not well formed)',
      });
    }
    request.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: 'E_INTERNAL', message: 'internal error; the server log has the details' });
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.status(404).send({ error: 'E_NOT_FOUND', message: 'no such API route' });
    }
    if (ctx.webDir && request.method === 'GET') return reply.sendFile('index.html');
    return reply.status(404).type('text/html').send(MINIMAL_PAGE);
  });

  const openapi = buildOpenApi(routes);
  app.get('/api/openapi.json', async () => openapi);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await ctx.store.executeSql('select 1');
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable', message: 'the store does not answer' });
    }
  });

  for (const def of routes) {
    const isLogin = def.url === '/api/login';
    app.route({
      method: def.method,
      url: def.url,
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
      ...(isLogin ? { config: { rateLimit: { max: 10, timeWindow: 60_000 } } } : {}),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const input = await authorise(def, request, ctx);
        const out = await def.handler({
          ...input,
          query: parse(def.query, request.query, 'query parameters'),
          params: parse(def.params, request.params, 'path parameters'),
          body: parse(def.body, request.body, 'request body'),
          request,
          reply,
          ctx,
        });
        if (out === reply) return reply;
        return out;
      },
    });
  }

  if (ctx.webDir && existsSync(ctx.webDir)) {
    await app.register(fastifyStatic, { root: ctx.webDir, prefix: '/', wildcard: false });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/html').send(MINIMAL_PAGE));
  }
  return app;
}

/** Authenticates the request as the route's access demands; throws 401/403 HttpError. */
async function authorise(
  def: RouteDef,
  request: FastifyRequest,
  ctx: ServerContext,
): Promise<Pick<Parameters<RouteDef['handler']>[0], 'user' | 'repo'>> {
  if (def.access.kind === 'public') return {};
  if (def.access.kind === 'token') {
    const h = request.headers.authorization ?? '';
    const m = /^Bearer (evt_[A-Za-z0-9_-]{20,100})$/.exec(h);
    const repo = m ? await repositoryByToken(ctx.store.db, m[1]!) : undefined;
    if (!repo) {
      throw new HttpError(
        401,
        'E_UNAUTHENTICATED',
        'a valid repository push token is required',
        'send Authorization: Bearer <token from `evident repo token`>',
      );
    }
    return { repo };
  }
  const sid = request.cookies[SESSION_COOKIE];
  const user = sid ? await sessionUser(ctx.store.db, sid) : undefined;
  if (!user)
    throw new HttpError(401, 'E_UNAUTHENTICATED', 'log in first', 'POST /api/login with email and password');
  if (!(def.access.roles as readonly string[]).includes(user.role)) {
    throw new HttpError(403, 'E_FORBIDDEN', `the ${user.role} role may not ${def.method} ${def.url}`);
  }
  if (def.method !== 'GET') {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameToken(sent, user.csrfToken)) {
      throw new HttpError(
        403,
        'E_CSRF',
        'missing or wrong CSRF token',
        `send the token from /api/session in ${CSRF_HEADER}`,
      );
    }
  }
  return { user: { id: user.id, email: user.email, role: user.role } };
}

export { z };

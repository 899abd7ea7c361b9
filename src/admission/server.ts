/**
 * The admission webhook's HTTPS server (fastify): `POST /validate` answers AdmissionReview v1
 * (k8s.io/api/admission/v1), `GET /healthz` (alive) and `GET /readyz` (rules loaded, decision log recovered).
 * Certificates are read from files and reloaded when they change, without a restart
 * (`https.Server.setSecureContext`); a half-rotated pair (new certificate, old key) is ignored until both match.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Server } from 'node:https';
import { createSecureContext } from 'node:tls';
import Fastify, { type FastifyInstance } from 'fastify';
import { type DecideContext, decide } from './decide.js';
import type { DecisionLog } from './decision-log.js';
import { MAX_REVIEW_BYTES, parseAdmissionReview, ReviewError, reviewResponse } from './review.js';

/** Options of {@link startAdmissionServer}. */
export interface AdmissionServerOptions {
  ctx: DecideContext;
  log: DecisionLog;
  tlsCert: string;
  tlsKey: string;
  port: number;
  host?: string;
  /** How often the certificate files are polled for changes, in milliseconds (default 2000). */
  certPollMs?: number;
  /** Clock override for tests. */
  now?: () => Date;
  /** Operational messages (certificate reloaded, failures); never request bodies. */
  onEvent?: (message: string) => void;
}

/** A running webhook. */
export interface AdmissionServer {
  app: FastifyInstance;
  /** The bound port (useful with port 0). */
  port: number;
  /** Stops accepting requests, flushes the decision log and stops watching the certificates. */
  close(): Promise<void>;
}

function readPair(certFile: string, keyFile: string): { cert: Buffer; key: Buffer } {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  createSecureContext({ cert, key }); // throws when they do not match or do not parse
  return { cert, key };
}

/**
 * Starts the webhook. Throws when the certificate or key cannot be read or do not match (at start only; later
 * changes that do not load keep the previous pair) or the port cannot be bound.
 */
export async function startAdmissionServer(opts: AdmissionServerOptions): Promise<AdmissionServer> {
  const event = opts.onEvent ?? (() => {});
  const now = opts.now ?? (() => new Date());
  const pair = readPair(opts.tlsCert, opts.tlsKey);
  const app = Fastify({
    https: { ...pair, minVersion: 'TLSv1.2' },
    bodyLimit: MAX_REVIEW_BYTES,
    logger: false,
  });
  let ready = true;

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      event(`internal error: ${err.message}`);
      return reply.code(500).send({ error: 'internal error' });
    }
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `the body is larger than ${MAX_REVIEW_BYTES} bytes: not an AdmissionReview the API server sends`
        : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Content-Type must be application/json (an AdmissionReview)'
          : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'the body is empty: expected an AdmissionReview'
            : `the body is not valid JSON: ${err.message}`;
    return reply.code(400).send({ error: message });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) =>
    ready ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' }),
  );

  app.post('/validate', async (req, reply) => {
    let request: ReturnType<typeof parseAdmissionReview>;
    try {
      request = parseAdmissionReview(req.body);
    } catch (e) {
      if (e instanceof ReviewError) return reply.code(400).send({ error: e.message });
      throw e;
    }
    const failurePolicy = opts.ctx.policy.failurePolicy;
    let result: ReturnType<typeof decide>;
    try {
      result = decide(opts.ctx, request, now());
    } catch (e) {
      event(`decision failed for ${request.uid}: ${(e as Error).message}`);
      return reviewResponse(failed(request.uid, failurePolicy, 'the webhook could not judge the object'));
    }
    try {
      await opts.log.record(result.decision);
    } catch (e) {
      event(`decision ${request.uid} could not be recorded: ${(e as Error).message}`);
      return reviewResponse(
        failed(request.uid, failurePolicy, 'the decision could not be recorded as evidence'),
      );
    }
    return reviewResponse(result.response);
  });

  await app.listen({ port: opts.port, host: opts.host ?? '0.0.0.0' });
  const server = app.server as Server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  const reload = (): void => {
    try {
      server.setSecureContext({ ...readPair(opts.tlsCert, opts.tlsKey), minVersion: 'TLSv1.2' });
      event('TLS certificate reloaded');
    } catch (e) {
      event(`TLS certificate not reloaded (keeping the previous one): ${(e as Error).message}`);
    }
  };
  const interval = opts.certPollMs ?? 2000;
  watchFile(opts.tlsCert, { interval, persistent: false }, reload);
  watchFile(opts.tlsKey, { interval, persistent: false }, reload);

  return {
    app,
    port,
    async close() {
      ready = false;
      unwatchFile(opts.tlsCert, reload);
      unwatchFile(opts.tlsKey, reload);
      await app.close();
      await opts.log.close();
    },
  };
}

function failed(uid: string, policy: 'Fail' | 'Ignore', why: string) {
  return policy === 'Fail'
    ? {
        uid,
        allowed: false,
        status: { code: 500, reason: 'InternalError', message: `evident: ${why} (failurePolicy Fail)` },
      }
    : { uid, allowed: true, warnings: [`evident: ${why}; allowed (failurePolicy Ignore)`] };
}

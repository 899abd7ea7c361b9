/**
 * The route contract: every HTTP route is one {@link RouteDef} in the route table (routes/index.ts) declaring its
 * access (public, repository push token, or the session roles allowed), and zod schemas for its query, path
 * parameters and body. app.ts validates requests with those schemas; openapi.ts documents them from the same
 * schemas; routes.test.ts walks the table × every role.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { KeyStore } from '../evidence/keys.js';
import type { FileLogSource } from '../indexer/sync.js';
import type { Store } from '../store/open-store.js';
import type { Repository } from '../store/repos.js';
import type { User } from '../store/users.js';
import type { Role } from './roles.js';

/** Who may call a route. */
export type Access =
  | { kind: 'public' }
  /** A repository's push token (`Authorization: Bearer evt_…`). */
  | { kind: 'token' }
  | { kind: 'session'; roles: readonly Role[] };

/** What handlers get besides the request: the store, the server log's signer and origin, the clock. */
export interface ServerContext {
  store: Store;
  /** Signs the server log's checkpoints (unsigned when absent). */
  signer?: KeyStore;
  /** Origin of the server log when it is created. */
  origin: string;
  /** Local file logs indexed beside the server log. */
  fileLogs: FileLogSource[];
  now(): Date;
  /** Queues background work (monitoring); absent when no job queue runs. */
  enqueue?(job: string, data: Record<string, unknown>): Promise<void>;
  /** Directory of the built dashboard (`dist/web`), when present. */
  webDir?: string;
  /** Set the `Secure` attribute on cookies (default true; false only for plain-HTTP development). */
  secureCookies: boolean;
}

/** A validated request as a handler sees it. */
export interface HandlerInput<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  user?: User;
  repo?: Repository;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: ServerContext;
}

/** One route. `response` documents the 200 body in OpenAPI; `bodyLimit` overrides the default 1 MiB. */
export interface RouteDef<Q = unknown, P = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  access: Access;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  response?: z.ZodType;
  bodyLimit?: number;
  /** Returns the JSON body, or the reply itself when it sent something else (a file). */
  handler(input: HandlerInput<Q, P, B>): Promise<unknown>;
}

/** Typed identity for route definitions (keeps Q/P/B inferred from the schemas). */
export function route<Q = undefined, P = undefined, B = undefined>(def: RouteDef<Q, P, B>): RouteDef {
  return def as unknown as RouteDef;
}

/** An HTTP error with a stable code, a message safe to show, and an optional hint. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

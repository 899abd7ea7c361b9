/**
 * The dashboard's API client: one function per endpoint of {@link ENDPOINTS}, each typed with the server's
 * response schema (src/server/api-schemas.ts, type-only imports). Sends the session cookie (same origin) and, on
 * state-changing requests, the session's CSRF token in `x-csrf-token`. Errors become {@link ApiError} carrying the
 * server's `{ error, message, hint }`.
 */
import type * as T from '../../server/api-schemas.js';
import { ENDPOINTS, type EndpointName, endpointUrl, type ParamsOf, type QueryOf } from './endpoints.js';

/** An error answer of the API (or a network failure: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

/** Remembers the session's CSRF token (from login or `/api/session`). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Listeners told when the server answers 401 (the session ended). */
const unauthenticated = new Set<() => void>();

/** Calls `fn` whenever a request is refused with 401; returns the unsubscribe function. */
export function onUnauthenticated(fn: () => void): () => void {
  unauthenticated.add(fn);
  return () => unauthenticated.delete(fn);
}

async function send(name: EndpointName, url: string, body?: unknown): Promise<Response> {
  const method = ENDPOINTS[name].method;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'E_NETWORK', 'the server cannot be reached');
  }
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { error?: string; message?: string; hint?: string };
    if (res.status === 401 && name !== 'login') for (const fn of unauthenticated) fn();
    throw new ApiError(res.status, e.error ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.hint);
  }
  return res;
}

async function call<R, N extends EndpointName>(
  name: N,
  opts: { params?: ParamsOf<N>; query?: QueryOf<N>; body?: unknown } = {},
): Promise<R> {
  const url = endpointUrl(name, opts.params ?? {}, opts.query ?? {});
  return (await (await send(name, url, opts.body)).json()) as R;
}

/** A downloaded file. */
export interface Download {
  blob: Blob;
  fileName: string;
}

/** The API, one function per endpoint. */
export const api = {
  session: () => call<T.Session, 'session'>('session'),
  login: (email: string, password: string) =>
    call<T.Session, 'login'>('login', { body: { email, password } }),
  logout: () => call<T.StatusBody, 'logout'>('logout'),
  overview: (query: QueryOf<'overview'>) => call<T.Overview, 'overview'>('overview', { query }),
  history: (framework: string, query: QueryOf<'history'>) =>
    call<T.History, 'history'>('history', { params: { framework }, query }),
  requirements: (framework: string, query: QueryOf<'requirements'>) =>
    call<T.Requirements, 'requirements'>('requirements', { params: { framework }, query }),
  requirement: (framework: string, requirement: string, query: QueryOf<'requirement'>) =>
    call<T.RequirementDetail, 'requirement'>('requirement', { params: { framework, requirement }, query }),
  control: (control: string, query: QueryOf<'control'>) =>
    call<T.ControlDetail, 'control'>('control', { params: { control }, query }),
  findings: (query: QueryOf<'findings'>) => call<T.Findings, 'findings'>('findings', { query }),
  finding: (repo: string, fingerprint: string) =>
    call<T.FindingDetail, 'finding'>('finding', { params: { repo, fingerprint } }),
  runs: (query: QueryOf<'runs'>) => call<T.Runs, 'runs'>('runs', { query }),
  run: (id: number) => call<T.RunDetail, 'run'>('run', { params: { id } }),
  inclusion: (entryId: number) => call<T.Inclusion, 'inclusion'>('inclusion', { params: { id: entryId } }),
  checkpoint: () => call<T.Checkpoint, 'checkpoint'>('checkpoint'),
  repositories: () => call<T.Repositories, 'repositories'>('repositories'),
  waivers: (query: QueryOf<'waivers'>) => call<T.Waivers, 'waivers'>('waivers', { query }),
  evidence: (query: QueryOf<'evidence'>) => call<T.ManualEvidence, 'evidence'>('evidence', { query }),
  alerts: (query: QueryOf<'alerts'>) => call<T.Alerts, 'alerts'>('alerts', { query }),
  users: () => call<T.Users, 'users'>('users'),
  addUser: (email: string, role: string) =>
    call<T.UserCreated, 'addUser'>('addUser', { body: { email, role } }),
  disableUser: (id: number) => call<T.StatusBody, 'disableUser'>('disableUser', { params: { id } }),
  addRepository: (name: string, publicKeyPem: string) =>
    call<T.Repositories['items'][number], 'addRepository'>('addRepository', { body: { name, publicKeyPem } }),
  tokens: (name: string) => call<T.Tokens, 'tokens'>('tokens', { params: { name } }),
  createToken: (name: string) => call<T.TokenCreated, 'createToken'>('createToken', { params: { name } }),
  revokeToken: (name: string, id: number) =>
    call<T.StatusBody, 'revokeToken'>('revokeToken', { params: { name, id } }),
  /** The auditor bundle (tar.gz) of `from`..`to` (YYYY-MM-DD), optionally one framework. */
  async exportBundle(query: QueryOf<'exportBundle'>): Promise<Download> {
    const res = await send('exportBundle', endpointUrl('exportBundle', {}, query));
    const cd = res.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(cd)?.[1] ?? 'evident-bundle.tar.gz';
    return { blob: await res.blob(), fileName };
  },
};

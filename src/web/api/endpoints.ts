/**
 * Every server endpoint the dashboard calls: method, path template (`{name}` path parameters, as in
 * `/api/openapi.json`) and the query parameters it may send. test/web/api-contract.test.ts checks this table
 * against the OpenAPI document generated from the server's route table, so a renamed or removed route or query
 * parameter fails a test; response bodies are typed from the server's zod schemas (src/server/api-schemas.ts), so a
 * changed response shape fails typecheck. No DOM here: node tests import this module.
 */

/** One endpoint the dashboard calls. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query: readonly string[];
}

export const ENDPOINTS = {
  session: { method: 'GET', path: '/api/session', query: [] },
  login: { method: 'POST', path: '/api/login', query: [] },
  logout: { method: 'POST', path: '/api/logout', query: [] },
  overview: { method: 'GET', path: '/api/overview', query: ['repo'] },
  history: { method: 'GET', path: '/api/frameworks/{framework}/history', query: ['repo', 'from', 'to'] },
  requirements: {
    method: 'GET',
    path: '/api/frameworks/{framework}/requirements',
    query: ['repo', 'status'],
  },
  requirement: {
    method: 'GET',
    path: '/api/frameworks/{framework}/requirements/{requirement}',
    query: ['repo'],
  },
  control: { method: 'GET', path: '/api/controls/{control}', query: ['repo'] },
  findings: {
    method: 'GET',
    path: '/api/findings',
    query: [
      'repo',
      'framework',
      'control',
      'check',
      'severity',
      'status',
      'minAgeDays',
      'maxAgeDays',
      'sort',
      'order',
      'limit',
      'offset',
    ],
  },
  finding: { method: 'GET', path: '/api/findings/{repo}/{fingerprint}', query: [] },
  runs: {
    method: 'GET',
    path: '/api/runs',
    query: ['repo', 'from', 'to', 'sort', 'order', 'limit', 'offset'],
  },
  run: { method: 'GET', path: '/api/runs/{id}', query: [] },
  inclusion: { method: 'GET', path: '/api/entries/{id}/inclusion', query: [] },
  checkpoint: { method: 'GET', path: '/api/log/checkpoint', query: [] },
  repositories: { method: 'GET', path: '/api/repositories', query: [] },
  waivers: { method: 'GET', path: '/api/waivers', query: ['repo', 'expiringWithinDays'] },
  evidence: { method: 'GET', path: '/api/evidence', query: ['repo', 'status'] },
  alerts: { method: 'GET', path: '/api/alerts', query: ['kind', 'limit', 'offset'] },
  exportBundle: { method: 'GET', path: '/api/export', query: ['from', 'to', 'framework'] },
  users: { method: 'GET', path: '/api/users', query: [] },
  addUser: { method: 'POST', path: '/api/users', query: [] },
  disableUser: { method: 'DELETE', path: '/api/users/{id}', query: [] },
  addRepository: { method: 'POST', path: '/api/repositories', query: [] },
  tokens: { method: 'GET', path: '/api/repositories/{name}/tokens', query: [] },
  createToken: { method: 'POST', path: '/api/repositories/{name}/tokens', query: [] },
  revokeToken: { method: 'DELETE', path: '/api/repositories/{name}/tokens/{id}', query: [] },
} as const satisfies Record<string, Endpoint>;

/** Name of an endpoint in {@link ENDPOINTS}. */
export type EndpointName = keyof typeof ENDPOINTS;

/** Query parameters `name` may send. */
export type QueryOf<N extends EndpointName> = Partial<
  Record<(typeof ENDPOINTS)[N]['query'][number], string | number | undefined>
>;

/** Path parameter names of a template: `/a/{x}/b/{y}` → `'x' | 'y'`. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;

/** Path parameters `name` needs. */
export type ParamsOf<N extends EndpointName> = Record<
  ParamNames<(typeof ENDPOINTS)[N]['path']>,
  string | number
>;

/**
 * The URL of endpoint `name`: path parameters substituted (URI-encoded), query parameters that are not undefined or
 * empty appended in the table's order. Throws when a path parameter is missing.
 */
export function endpointUrl<N extends EndpointName>(
  name: N,
  params: ParamsOf<N> | Record<string, never> = {},
  query: QueryOf<N> = {},
): string {
  const e: Endpoint = ENDPOINTS[name];
  const p = params as Record<string, string | number | undefined>;
  const path = e.path.replace(/\{([A-Za-z]+)\}/g, (_m, k: string) => {
    const v = p[k];
    if (v === undefined) throw new Error(`${name}: missing path parameter ${k}`);
    return encodeURIComponent(String(v));
  });
  const q = new URLSearchParams();
  const values = query as Record<string, string | number | undefined>;
  for (const k of e.query) {
    const v = values[k];
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

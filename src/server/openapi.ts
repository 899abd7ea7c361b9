/**
 * OpenAPI 3.1 document of the route table, generated from the same zod schemas that validate requests
 * (zod 4 `z.toJSONSchema`). Served publicly at `/api/openapi.json`.
 */
import { z } from 'zod';
import { VERSION } from '../core/version.js';
import type { RouteDef } from './route.js';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType): Json {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

function parametersOf(s: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!s) return [];
  const js = schemaOf(s);
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
  }));
}

/** Builds the document. Path templates `:name` become `{name}`. */
export function buildOpenApi(routes: readonly RouteDef[]): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const op: Json = {
      summary: r.summary,
      tags: [r.tag],
      'x-evident-access': r.access.kind === 'session' ? { roles: r.access.roles } : { kind: r.access.kind },
      security:
        r.access.kind === 'public' ? [] : r.access.kind === 'token' ? [{ pushToken: [] }] : [{ session: [] }],
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      responses: {
        '200': {
          description: 'OK',
          ...(r.response ? { content: { 'application/json': { schema: schemaOf(r.response) } } } : {}),
        },
        '400': {
          description: 'invalid input',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        ...(r.access.kind === 'public'
          ? {}
          : {
              '401': { description: 'not authenticated' },
              '403': { description: 'role not allowed, or CSRF token missing' },
            }),
      },
    };
    if (r.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } };
    }
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  paths['/healthz'] = {
    get: { summary: 'Liveness probe', security: [], responses: { '200': { description: 'alive' } } },
  };
  paths['/readyz'] = {
    get: {
      summary: 'Readiness probe (the store answers)',
      security: [],
      responses: { '200': { description: 'ready' }, '503': { description: 'store unavailable' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Evident server API', version: VERSION },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'evident_session' },
        pushToken: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string' },
            message: { type: 'string' },
            hint: { type: 'string' },
            issues: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  };
}

/**
 * The dashboard's API client against the server's OpenAPI document (generated from the route table's zod
 * schemas): every endpoint the UI calls exists with that method, every query parameter it sends is declared, its
 * path parameters match, and every JSON endpoint it reads documents a response schema (the UI's response types
 * are those schemas' `z.output`, so a changed shape fails typecheck).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOpenApi } from '../../src/server/openapi.js';
import { ROUTES } from '../../src/server/routes/index.js';
import { ENDPOINTS, endpointUrl } from '../../src/web/api/endpoints.js';

type Op = {
  parameters: { name: string; in: 'query' | 'path' }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
};
const doc = buildOpenApi(ROUTES) as { paths: Record<string, Record<string, Op>> };

test('every endpoint the dashboard calls is in /api/openapi.json with its method and parameters', () => {
  for (const [name, e] of Object.entries(ENDPOINTS)) {
    const op = doc.paths[e.path]?.[e.method.toLowerCase()];
    assert.ok(op, `${name}: ${e.method} ${e.path} is not in the OpenAPI document`);
    const query = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const q of e.query) assert.ok(query.has(q), `${name}: query parameter ${q} is not declared`);
    const path = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    const used = [...e.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]);
    assert.deepEqual(used.sort(), path.sort(), `${name}: path parameters`);
    if (name !== 'exportBundle') {
      assert.ok(
        op.responses['200']?.content?.['application/json'],
        `${name}: ${e.method} ${e.path} documents no response schema (the UI types its body from it)`,
      );
    }
  }
});

test('endpoint URLs encode path parameters and drop empty query values', () => {
  assert.equal(
    endpointUrl('finding', { repo: 'acme/payments', fingerprint: 'ab' }),
    '/api/findings/acme%2Fpayments/ab',
  );
  assert.equal(
    endpointUrl('findings', {}, { repo: '', severity: 'critical,high', offset: 0, status: undefined }),
    '/api/findings?severity=critical%2Chigh&offset=0',
  );
  assert.throws(() => endpointUrl('run', {} as never), /missing path parameter id/);
});

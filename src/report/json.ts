import type { ScanResult } from '../core/scan-result.js';

/** Top-level keys of ScanResult in documented order (docs/scan-result.md); nested keys are sorted. */
const TOP_LEVEL_ORDER: readonly (keyof ScanResult)[] = [
  'schemaVersion',
  'tool',
  'startedAt',
  'finishedAt',
  'evaluatedAt',
  'root',
  'controlMap',
  'inputs',
  'skipped',
  'diagnostics',
  'checks',
  'findings',
  'controls',
  'frameworks',
  'summary',
];

/**
 * Renders the ScanResult itself as JSON (`--format json`, schema in docs/scan-result.md and
 * src/report/scan-result.schema.json): 2-space indent, trailing newline, deterministic bytes for
 * equal input. Top-level keys come in documented order (`schemaVersion` first); keys of nested
 * objects are sorted by UTF-16 code unit; array order is kept (the engine orders findings).
 * `undefined` members are dropped, objects with `toJSON` are serialised through it, non-finite
 * numbers become `null` (as JSON.stringify does).
 */
export function renderJson(result: ScanResult): string {
  const top = result as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const k of TOP_LEVEL_ORDER) if (top[k] !== undefined) ordered[k] = normalise(top[k]);
  for (const k of Object.keys(top).sort())
    if (!(k in ordered) && top[k] !== undefined) ordered[k] = normalise(top[k]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function normalise(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return normalise(withJson.toJSON());
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] !== undefined && typeof obj[k] !== 'function') out[k] = normalise(obj[k]);
  }
  return out;
}

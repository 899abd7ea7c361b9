// The rule view of a model object: the JSON-like value the CEL engine binds to `resource` for rules
// over the model, and what TypeScript checks may read when a plain value is all they need.
import type { Unresolved } from '../core/unresolved.js';
import type { ModelObjectBase } from './schema.js';
import { isValue } from './value.js';

/**
 * A view value: JSON values, with {@link Unresolved} (the marker class of src/core/unresolved.ts)
 * wherever the model value is unknown.
 */
export type ViewValue = string | number | boolean | null | Unresolved | ViewValue[] | ViewObject;

/** A record of the view; absent fields without a default are missing keys (`has()` is false). */
export type ViewObject = { [key: string]: ViewValue };

/** Keys of a model object that are not fields. */
const NOT_FIELDS = new Set(['subject', 'locate']);

const cache = new WeakMap<object, ViewObject>();

/**
 * The view of a model object, as agreed with the rule engine:
 * - known value → the value (records → objects, lists → arrays, recursively);
 * - unknown value → its {@link Unresolved} marker (the CEL engine's unknown: a rule depending on it
 *   gives `unknown`, located with `obj.locate(path)` at the path where the marker sits);
 * - absent value → its default when one applies, else the key is missing.
 * Paths in the view are model paths (`publicAccessBlocks.0.blockPublicAcls`), so `obj.locate(path)`
 * locates any view path. The result is computed once per object and must not be mutated.
 */
export function view(obj: ModelObjectBase): ViewObject {
  const hit = cache.get(obj);
  if (hit) return hit;
  const out: ViewObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (NOT_FIELDS.has(k)) continue;
    const x = viewOf(v);
    if (x !== undefined) out[k] = x;
  }
  cache.set(obj, out);
  return out;
}

/** The view of one model node (Value, record, list of Values); undefined for "missing". */
export function viewOf(node: unknown): ViewValue | undefined {
  if (isValue(node)) {
    if (node.state === 'unknown') return node.unresolved;
    if (node.state === 'absent') return node.default === undefined ? undefined : viewOf(node.default.value);
    return viewOf(node.value);
  }
  if (Array.isArray(node)) return node.map((x) => viewOf(x) ?? null);
  if (node === null || typeof node !== 'object') return node as ViewValue;
  if (node.constructor !== Object && node.constructor !== undefined) return node as unknown as ViewValue;
  const out: ViewObject = {};
  for (const [k, v] of Object.entries(node)) {
    const x = viewOf(v);
    if (x !== undefined) out[k] = x;
  }
  return out;
}

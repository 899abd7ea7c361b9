import type { Subject } from '../core/check.js';
import type { SourceLocation } from '../core/location.js';
import type { ModelObjectBase } from './schema.js';
import { isValue } from './value.js';

/** A model path as segments: record field names and list indexes. `a.0.b` is `['a', 0, 'b']`. */
export type ModelPath = readonly (string | number)[];

/** Splits a dotted model path (`ingress.0.cidrs`) into segments (numeric segments become numbers). */
export function parsePath(path: string | ModelPath): ModelPath {
  if (typeof path !== 'string') return path;
  if (path === '') return [];
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Where the value at `path` of a model object's fields is written: the location of the deepest Value
 * on the path (an unknown or absent Value stops the walk: its location is the answer), else
 * `fallback`. Paths into a known list go through its items (`list.0.field`).
 */
export function locateIn(fields: object, path: string | ModelPath, fallback: SourceLocation): SourceLocation {
  let node: unknown = fields;
  let best = fallback;
  for (const seg of parsePath(path)) {
    if (isValue(node)) {
      best = node.location;
      if (node.state !== 'known') return best;
      node = node.value;
    }
    if (node === null || typeof node !== 'object') return best;
    node = (node as Record<string | number, unknown>)[seg];
    if (node === undefined) return best;
  }
  return isValue(node) ? node.location : best;
}

/**
 * Makes a model object from its subject and fields: the fields plus `subject` and a `locate` that
 * resolves model paths with {@link locateIn}, falling back to the subject's location.
 */
export function modelObject<F extends object>(subject: Subject, fields: F): ModelObjectBase & F {
  const obj = { ...fields, subject } as ModelObjectBase & F;
  Object.defineProperty(obj, 'locate', {
    value: (path: string | ModelPath) => locateIn(fields, path, subject.location),
    enumerable: false,
  });
  return obj;
}

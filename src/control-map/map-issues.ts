// Problems of an evident.yaml in our own wording, located in the YAML document: zod issues turned into
// messages (unknown keys with suggestions, wrong types, missing keys) and paths turned into line and column.

import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { z } from 'zod';
import type { SourceLocation } from '../core/location.js';
import { didYouMean } from './suggest.js';

/** A problem before location: the path into the map, the message, and whether to point at the key. */
export type RawIssue = { path: (string | number)[]; message: string; atKey?: boolean };

/** Turns a zod issue into one or more located-ready raw issues with our own wording. */
export function fromZodIssue(issue: z.core.$ZodIssue, keysByShape: Record<string, string[]>): RawIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const named = path.filter((p) => typeof p === 'string');
  // namespaces are keys chosen by the user: `admission.namespaces.payments` has the shape `admission.namespaces.*`
  if (named[0] === 'admission' && named[1] === 'namespaces' && named.length > 2) named[2] = '*';
  const shape = named.join('.');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysByShape[shape] ?? [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: `unknown key '${key}'.${didYouMean(key, allowed) || ` Allowed keys here: ${allowed.join(', ')}.`}`,
      }));
    }
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        return [{ path, message: `missing required key '${String(path.at(-1))}'` }];
      }
      const expected =
        issue.expected === 'array'
          ? 'a list'
          : issue.expected === 'object'
            ? 'a mapping'
            : `a ${issue.expected}`;
      if (input === null) return [{ path, message: `has no value; expected ${expected}` }];
      return [{ path, message: `expected ${expected}, got ${describeValue(input)}` }];
    }
    case 'invalid_value':
      if (shape === 'version') {
        return [
          {
            path,
            message: `unsupported version ${JSON.stringify((issue as { input?: unknown }).input)}; this Evident reads version 1`,
          },
        ];
      }
      return [{ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'custom':
      return [
        { path, message: issue.message, atKey: (issue.params as { atKey?: boolean } | undefined)?.atKey },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Finds the YAML node for `path` (the key node when `atKey`), or the closest existing parent. */
export function locate(doc: Document, path: readonly (string | number)[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
      );
      if (!pair) return found;
      keyNode = pair.key;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else {
      return found;
    }
    const last = i === path.length - 1;
    if (last && atKey && keyNode) return keyNode as Node;
    const hasRange = (n: unknown): n is Node =>
      !!n && typeof n === 'object' && 'range' in n && !!(n as Node).range;
    if (hasRange(next)) found = next;
    else if (hasRange(keyNode)) found = keyNode;
    node = next;
  }
  return found;
}

export function positionOf(node: Node | undefined, lc: LineCounter): { line?: number; column?: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

/** The location of `path` in the map (its closest existing node; line 1 when none). */
export function locationOf(
  doc: Document,
  path: (string | number)[],
  lc: LineCounter,
  file: string,
): SourceLocation {
  const { line, column } = positionOf(locate(doc, path, false), lc);
  return { file, line: line ?? 1, ...(column ? { column } : {}) };
}

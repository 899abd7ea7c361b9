import type { SourceLocation } from '../../core/location.js';

/**
 * A parsed template value with its position, the same for YAML and JSON templates. Short-form tags
 * are already rewritten to their long form: `!Ref X` is a map with the one entry `Ref: X`,
 * `!GetAtt A.B` a map `Fn::GetAtt: A.B`, `!Rain::Embed f` a map `Rain::Embed: f`, so the evaluator
 * sees one shape. Mapping keys are strings as written (`Y`, `1`, `true` stay strings).
 */
export type CfnNode = CfnScalar | CfnSeq | CfnMap;

/** A scalar: YAML 1.1 core types (no timestamps: `2010-09-09` stays a string) or a JSON scalar. */
export interface CfnScalar {
  t: 'scalar';
  value: string | number | boolean | null;
  loc: SourceLocation;
}

/** A sequence (YAML block or flow sequence, JSON array). */
export interface CfnSeq {
  t: 'seq';
  items: CfnNode[];
  loc: SourceLocation;
}

/** One `key: value` pair; `keyLoc` is where the key is written (the line findings point at). */
export interface CfnEntry {
  key: string;
  keyLoc: SourceLocation;
  value: CfnNode;
}

/** A mapping (YAML map, JSON object), entries in source order; keys are unique (checked by the parser). */
export interface CfnMap {
  t: 'map';
  entries: CfnEntry[];
  loc: SourceLocation;
  /** True when this map was written as a short-form tag (`!Ref X`), for messages. */
  shortForm?: string;
}

/** The entry named `key`, or undefined. */
export function entryOf(map: CfnMap, key: string): CfnEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** The value of entry `key` of `node` when `node` is a map. */
export function get(node: CfnNode | undefined, key: string): CfnNode | undefined {
  return node?.t === 'map' ? entryOf(node, key)?.value : undefined;
}

/**
 * The function call a map spells (`{ "Ref": X }`, `{ "Fn::Join": [...] }`, `{ "Rain::Embed": f }`):
 * a map with exactly one entry whose key is `Ref` or starts with `Fn::` or `Rain::`. `Condition` is a
 * function only inside condition functions and is not recognised here.
 */
export function callOf(node: CfnNode): { name: string; arg: CfnNode; entry: CfnEntry } | undefined {
  if (node.t !== 'map' || node.entries.length !== 1) return undefined;
  const entry = node.entries[0]!;
  const k = entry.key;
  if (k === 'Ref' || k.startsWith('Fn::') || k.startsWith('Rain::'))
    return { name: k, arg: entry.value, entry };
  return undefined;
}

/** A short description of a node's kind for messages: `a string`, `a list`, `a map`. */
export function describeNode(node: CfnNode | undefined): string {
  if (!node) return 'nothing';
  if (node.t === 'seq') return 'a list';
  if (node.t === 'map') return callOf(node) ? `${callOf(node)!.name}` : 'a map';
  if (node.value === null) return 'null';
  return `a ${typeof node.value}`;
}

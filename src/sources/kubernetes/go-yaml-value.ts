// Converts a parsed YAML document to plain JSON values the way kubectl does. kubectl decodes
// manifests with sigs.k8s.io/yaml, a fork of go-yaml v2, whose merge keys (`<<`) do not follow the
// YAML 1.1 merge spec: a merge is applied where it appears in the mapping, so a later key (merged or
// explicit) overrides an earlier one, and in a merge sequence `<<: [a, b]` earlier maps win. The
// `yaml` package applies the spec (explicit keys always win), so `privileged: false` followed by
// `<<: {privileged: true}` would read as false while kubectl sends true.
//
// Ground truth (kubectl 1.32.4, `kubectl label --local -f X x=y -o json`, no cluster needed):
//   privileged: false, then <<: {privileged: true}  -> true
//   <<: {privileged: true}, then privileged: false  -> false
//   <<: [{privileged: true}, {privileged: false}]   -> true
//   "<<": {...} (quoted)                             -> a literal key "<<"
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, Scalar } from 'yaml';

/** Thrown when a document expands more aliases than allowed (billion-laughs guard) or has an alias cycle. */
export class AliasLimitError extends Error {}

/**
 * The JSON value of `node` in `doc` with go-yaml v2 merge semantics (see file comment). Keys become
 * strings as sigs.k8s.io/yaml writes them (`true`, `1`, `null` as text). Scalars keep the typed
 * values the `yaml` parser gave them. Throws {@link AliasLimitError} past `maxAliasCount` alias
 * expansions or on an alias cycle. The document must be parsed with `merge: false`.
 */
export function goYamlValue(doc: Document, node: unknown, maxAliasCount: number): unknown {
  let aliases = 0;
  const active = new Set<unknown>();
  const resolve = (n: unknown): unknown => {
    if (!isAlias(n)) return n;
    if (++aliases > maxAliasCount)
      throw new AliasLimitError(`more than ${maxAliasCount} aliases in one document`);
    const target = n.resolve(doc);
    if (target === undefined) throw new AliasLimitError(`unresolved alias *${n.source}`);
    return target;
  };
  const value = (raw: unknown): unknown => {
    const n = resolve(raw);
    if (n === null || n === undefined) return null;
    if (active.has(n)) throw new AliasLimitError('an alias refers to a node that contains it');
    if (isScalar(n)) return scalarValue(n);
    active.add(n);
    try {
      if (isSeq(n)) return n.items.map(value);
      if (isMap(n)) {
        const out: Record<string, unknown> = {};
        for (const item of n.items) {
          if (!isPair(item)) continue;
          if (isMergeKey(item.key)) {
            mergeInto(out, item.value);
            continue;
          }
          setKey(out, keyText(value(item.key)), value(item.value));
        }
        return out;
      }
      return null;
    } finally {
      active.delete(n);
    }
  };
  const mergeInto = (out: Record<string, unknown>, raw: unknown): void => {
    const n = resolve(raw);
    if (isSeq(n)) {
      // Step backwards: earlier maps of the sequence take precedence.
      for (let i = n.items.length - 1; i >= 0; i--) mergeInto(out, n.items[i]);
      return;
    }
    const v = value(n);
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new MergeValueError('map merge requires map or sequence of maps as the value');
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) setKey(out, k, x);
  };
  return value(node);
}

/** Thrown for `<<:` followed by something that is not a map (go-yaml: "map merge requires map ..."). */
export class MergeValueError extends Error {}

/** A plain (unquoted) `<<` key, as go-yaml v2's isMerge: a quoted `"<<"` is an ordinary key. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  // The `yaml` parser (YAML 1.1) gives a plain `<<` the value Symbol(<<) even with `merge: false`.
  const v = key.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && key.type === Scalar.PLAIN);
}

function scalarValue(s: Scalar): unknown {
  const v = s.value;
  if (typeof v === 'bigint') return Number(v);
  if (v === undefined) return null;
  return v;
}

/** A map key as sigs.k8s.io/yaml writes it into JSON. */
function keyText(k: unknown): string {
  if (k === null) return 'null';
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'boolean') return String(k);
  return JSON.stringify(k);
}

function setKey(out: Record<string, unknown>, k: string, v: unknown): void {
  // Define, do not assign: a "__proto__" key must stay an ordinary key.
  Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Re-exported node guard for callers that walk the same document. */
export type { Node };

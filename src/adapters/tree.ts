// Reading model Values out of a format's fact tree (Terraform attributes, a Kubernetes manifest, a
// CloudFormation resource's Properties): path walking, unknown propagation and type conversion, done
// once here for every adapter.
import type { SourceLocation } from '../core/location.js';
import { isUnresolved, type Unresolved } from '../core/unresolved.js';
import { type ModelPath, parsePath } from '../model/object.js';
import {
  absent,
  type DefaultValue,
  invalid,
  known,
  type ListValue,
  unknown,
  type Value,
} from '../model/value.js';

/**
 * How a format converts written values to the model's types:
 * - `terraform`: Terraform's type conversion (`"true"` is a bool, `"22"` a number, `22` a string);
 *   null is absent; nested blocks are lists of objects (plan JSON shape).
 * - `cloudformation`: the same conversions (CloudFormation accepts `"true"` and `"22"` for
 *   Boolean and Integer properties).
 * - `kubernetes`: JSON types as decoded from YAML, no conversion (the API server rejects the string
 *   `"true"` for a boolean field); null is absent.
 */
export type Dialect = 'terraform' | 'cloudformation' | 'kubernetes';

/**
 * One fact's tree as adapters read it: the raw root (plain JSON values with {@link Unresolved}
 * markers), where a path is written, and how to name a path in messages.
 */
export interface FactTree {
  readonly dialect: Dialect;
  readonly root: unknown;
  /** Location of `path` (closest located ancestor, else the fact's own location). */
  locate(path: ModelPath): SourceLocation;
  /** How the input writes `path`, for messages: `versioning.0.enabled`, `spec.containers.0.image`. */
  name(path: ModelPath): string;
}

/**
 * A raw node at a path: missing/null, not known statically, present, or `invalid`: a value on the way
 * is not a map or list where the path goes through it (`value` and `path` are that value and its path).
 */
export type RawNode =
  | { readonly state: 'absent'; readonly path: ModelPath }
  | { readonly state: 'unknown'; readonly unresolved: Unresolved; readonly path: ModelPath }
  | { readonly state: 'present'; readonly value: unknown; readonly path: ModelPath }
  | {
      readonly state: 'invalid';
      readonly value: unknown;
      readonly path: ModelPath;
      readonly expected: string;
    };

/**
 * The raw node at `path` (relative to `base`) of `tree`. Walking stops at the first missing/null
 * (absent) or {@link Unresolved} (unknown, with the path where the marker sits) node: an unknown
 * parent makes every value below it unknown. A scalar where the path needs a map, or a map where it
 * needs a list (and the reverse), is `invalid` at that value.
 */
export function rawAt(tree: FactTree, path: string | ModelPath, base: ModelPath = []): RawNode {
  const full = [...base, ...parsePath(path)];
  let node: unknown = tree.root;
  for (let i = 0; i < full.length; i++) {
    if (node === undefined || node === null) return { state: 'absent', path: full };
    if (isUnresolved(node)) return { state: 'unknown', unresolved: node, path: full.slice(0, i) };
    const seg = full[i]!;
    const wantList = typeof seg === 'number';
    if (typeof node !== 'object' || Array.isArray(node) !== wantList)
      return {
        state: 'invalid',
        value: node,
        path: full.slice(0, i),
        expected: wantList ? 'not a list' : 'not a map',
      };
    node = wantList ? (node as unknown[])[seg] : (node as Record<string, unknown>)[seg];
  }
  if (node === undefined || node === null) return { state: 'absent', path: full };
  if (isUnresolved(node)) return { state: 'unknown', unresolved: node, path: full };
  return { state: 'present', value: node, path: full };
}

/** Leaf kinds a tree converts to. */
export type LeafKind = 'bool' | 'string' | 'number';

type LeafType<K extends LeafKind> = K extends 'bool' ? boolean : K extends 'string' ? string : number;

const EXPECTED: Record<LeafKind, string> = {
  bool: 'not a boolean',
  string: 'not a string',
  number: 'not a number',
};

/** Converts a present raw value to `kind` by the dialect's rules; undefined when it does not convert. */
export function convertLeaf<K extends LeafKind>(
  dialect: Dialect,
  kind: K,
  raw: unknown,
): LeafType<K> | undefined {
  const lenient = dialect !== 'kubernetes';
  if (kind === 'bool') {
    if (typeof raw === 'boolean') return raw as LeafType<K>;
    if (lenient && (raw === 'true' || raw === 'false')) return (raw === 'true') as LeafType<K>;
    return undefined;
  }
  if (kind === 'number') {
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw as LeafType<K>;
    if (lenient && typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)))
      return Number(raw) as LeafType<K>;
    return undefined;
  }
  if (typeof raw === 'string') return raw as LeafType<K>;
  if (lenient && (typeof raw === 'number' || typeof raw === 'boolean')) return String(raw) as LeafType<K>;
  return undefined;
}

/**
 * The leaf Value at `path` (relative to `base`): known (converted by the dialect), unknown (not known
 * statically, or a value that does not convert to `kind`: `invalid`), or absent with `dflt`.
 */
export function leafAt<K extends LeafKind>(
  tree: FactTree,
  kind: K,
  path: string | ModelPath,
  base: ModelPath = [],
  dflt?: DefaultValue<LeafType<K>>,
): Value<LeafType<K>> {
  return leafOf(tree, kind, rawAt(tree, path, base), dflt);
}

/** {@link leafAt} for a raw node already read. */
export function leafOf<K extends LeafKind>(
  tree: FactTree,
  kind: K,
  node: RawNode,
  dflt?: DefaultValue<LeafType<K>>,
): Value<LeafType<K>> {
  const name = tree.name(node.path);
  if (node.state === 'absent') return absent(name, tree.locate(node.path), dflt);
  if (node.state === 'unknown') return unknown(node.unresolved, name, tree.locate(node.path));
  if (node.state === 'invalid') return invalid(node.value, node.expected, name, tree.locate(node.path));
  const v = convertLeaf(tree.dialect, kind, node.value);
  const location = tree.locate(node.path);
  return v === undefined ? invalid(node.value, EXPECTED[kind], name, location) : known(v, name, location);
}

/**
 * The list at `path` (relative to `base`) with each item made by `item(itemPath)`: absent lists are
 * empty (default `[]`), an unknown list is unknown, an unknown item is an unknown item. A present
 * value that is not a list counts as a one-item list in the lenient dialects (Terraform converts a
 * single value where a set is expected only in some places, CloudFormation lists of one) and is
 * invalid in Kubernetes.
 */
export function listAt<T>(
  tree: FactTree,
  path: string | ModelPath,
  base: ModelPath,
  item: (itemPath: ModelPath) => Value<T>,
): ListValue<T> {
  const node = rawAt(tree, path, base);
  const name = tree.name(node.path);
  if (node.state === 'absent') return absent(name, tree.locate(node.path), EMPTY_LIST);
  if (node.state === 'unknown') return unknown(node.unresolved, name, tree.locate(node.path));
  if (node.state === 'invalid') return invalid(node.value, node.expected, name, tree.locate(node.path));
  if (!Array.isArray(node.value)) {
    if (tree.dialect === 'kubernetes') return invalid(node.value, 'not a list', name, tree.locate(node.path));
    return known([item(node.path)], name, tree.locate(node.path));
  }
  const items = node.value.map((_, i) => item([...node.path, i]));
  return known(items, name, tree.locate(node.path));
}

/** The default of an absent list: no items. */
export const EMPTY_LIST: DefaultValue<readonly never[]> = {
  value: [],
  source: 'an unset list has no items',
};

/**
 * An item or record at `path` that must be a map: unknown when not known statically, invalid when
 * present but not a map, else `make(path)` builds it. Absent gives an absent Value.
 */
export function recordAt<T>(tree: FactTree, path: ModelPath, make: (path: ModelPath) => T): Value<T> {
  const node = rawAt(tree, path);
  const name = tree.name(node.path);
  if (node.state === 'unknown') return unknown(node.unresolved, name, tree.locate(node.path));
  if (node.state === 'invalid') return invalid(node.value, node.expected, name, tree.locate(node.path));
  if (node.state === 'absent') return absent(name, tree.locate(node.path));
  if (typeof node.value !== 'object' || Array.isArray(node.value))
    return invalid(node.value, 'not a map', name, tree.locate(node.path));
  return known(make(node.path), name, tree.locate(node.path));
}

/** Joins a base path and a relative one. */
export function join(base: ModelPath, path: string | ModelPath): ModelPath {
  return [...base, ...parsePath(path)];
}

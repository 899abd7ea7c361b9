// Reading model Values out of a format's fact tree (Terraform attributes, a Kubernetes manifest, a
// CloudFormation resource's Properties): path walking, unknown propagation and type conversion, done
// once here for every adapter.
import type { SourceLocation } from '../core/location.js';
import { isUnresolved, type Unresolved } from '../core/unresolved.js';
import { type ModelPath, parsePath } from '../model/object.js';
import { type DefaultValue, invalid, type ListValue, type Value, valueAt } from '../model/value.js';

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
  const rel = typeof path === 'string' ? cachedPath(path) : path;
  const total = base.length + rel.length;
  let node: unknown = tree.root;
  for (let i = 0; i < total; i++) {
    if (node === undefined || node === null) return new Raw('absent', base, rel, total, undefined) as RawNode;
    if (isUnresolved(node)) return new Raw('unknown', base, rel, i, node) as RawNode;
    const seg = i < base.length ? base[i]! : rel[i - base.length]!;
    const wantList = typeof seg === 'number';
    if (typeof node !== 'object' || Array.isArray(node) !== wantList)
      return new Raw('invalid', base, rel, i, node, wantList ? 'not a list' : 'not a map') as RawNode;
    node = wantList ? (node as unknown[])[seg] : (node as Record<string, unknown>)[seg];
  }
  if (node === undefined || node === null) return new Raw('absent', base, rel, total, undefined) as RawNode;
  if (isUnresolved(node)) return new Raw('unknown', base, rel, total, node) as RawNode;
  return new Raw('present', base, rel, total, node) as RawNode;
}

/**
 * A raw node whose `path` (`base` + `rel`, cut where the walk stopped) is only built when read: most
 * values are never named or located.
 */
class Raw {
  #path: ModelPath | undefined;
  declare readonly value?: unknown;
  declare readonly unresolved?: Unresolved;
  declare readonly expected?: string;

  constructor(
    readonly state: RawNode['state'],
    private readonly base: ModelPath,
    private readonly rel: ModelPath,
    private readonly cut: number,
    payload: unknown,
    expected?: string,
  ) {
    if (state === 'unknown') (this as { unresolved?: unknown }).unresolved = payload;
    else if (state !== 'absent') (this as { value?: unknown }).value = payload;
    if (expected !== undefined) (this as { expected?: string }).expected = expected;
  }

  get path(): ModelPath {
    if (this.#path === undefined) {
      const full =
        this.base.length === 0 ? this.rel : this.rel.length === 0 ? this.base : [...this.base, ...this.rel];
      this.#path = this.cut >= full.length ? full : full.slice(0, this.cut);
    }
    return this.#path;
  }
}

const pathCache = new Map<string, ModelPath>();

/** {@link parsePath} of a field map path, parsed once (field maps reuse a few hundred paths). */
function cachedPath(path: string): ModelPath {
  let p = pathCache.get(path);
  if (!p) {
    p = parsePath(path);
    pathCache.set(path, p);
  }
  return p;
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
  if (node.state === 'absent') return valueAt('absent', dflt ? { default: dflt } : NO_PROPS, tree, node);
  if (node.state === 'unknown') return valueAt('unknown', { unresolved: node.unresolved }, tree, node);
  if (node.state === 'invalid')
    return invalid(node.value, node.expected, tree.name(node.path), () => tree.locate(node.path));
  const v = convertLeaf(tree.dialect, kind, node.value);
  return v === undefined
    ? invalid(node.value, EXPECTED[kind], tree.name(node.path), () => tree.locate(node.path))
    : valueAt('known', { value: v }, tree, node);
}

const NO_PROPS = {};

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
  const p = node.path;
  if (node.state === 'absent') return valueAt('absent', { default: EMPTY_LIST }, tree, node);
  if (node.state === 'unknown') return valueAt('unknown', { unresolved: node.unresolved }, tree, node);
  if (node.state === 'invalid') return invalid(node.value, node.expected, tree.name(p), () => tree.locate(p));
  if (!Array.isArray(node.value)) {
    if (tree.dialect === 'kubernetes')
      return invalid(node.value, 'not a list', tree.name(p), () => tree.locate(p));
    return valueAt('known', { value: [item(p)] }, tree, node);
  }
  const items = node.value.map((_, i) => item([...p, i]));
  return valueAt('known', { value: items }, tree, node);
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
  const p = node.path;
  if (node.state === 'unknown') return valueAt('unknown', { unresolved: node.unresolved }, tree, node);
  if (node.state === 'invalid') return invalid(node.value, node.expected, tree.name(p), () => tree.locate(p));
  if (node.state === 'absent') return valueAt('absent', NO_PROPS, tree, node);
  if (typeof node.value !== 'object' || Array.isArray(node.value))
    return invalid(node.value, 'not a map', tree.name(p), () => tree.locate(p));
  return valueAt('known', { value: make(p) }, tree, node);
}

/** Joins a base path and a relative one. */
export function join(base: ModelPath, path: string | ModelPath): ModelPath {
  return [...base, ...parsePath(path)];
}

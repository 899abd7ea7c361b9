// Declarative adapters: a field map says, for each model field of a concern, which path of the fact
// tree it is read from and which default applies when it is absent. The engine here does the reading,
// the unknown propagation and the conversion (tree.ts); TypeScript is only needed for linking and
// analysis (`compute`).
import type { ModelPath } from '../model/object.js';
import type {
  BoolField,
  FieldSpec,
  Fields,
  FieldType,
  ListField,
  NumberField,
  RecordField,
  RecordOf,
  StringField,
} from '../model/schema.js';
import type { DefaultValue, Value } from '../model/value.js';
import { type FactTree, join, type LeafKind, leafAt, listAt, recordAt } from './tree.js';

type LeafOf<S> = S extends BoolField
  ? boolean
  : S extends StringField
    ? string
    : S extends NumberField
      ? number
      : never;

/** A field computed by TypeScript from the tree (linking, analysis); `base` is the enclosing record's path. */
export interface Computed<T> {
  readonly compute: (tree: FactTree, base: ModelPath) => T;
  /** How the value is derived, for docs/model.md: `linked aws_s3_bucket_logging (bucket)`. */
  readonly doc: string;
}

/** A leaf read from `path` (relative to the enclosing record), with the default that applies when absent. */
export interface LeafRule<T> {
  readonly path: string;
  readonly default?: DefaultValue<T>;
}

/** A record read from the subtree at `path` (default: the enclosing record itself). */
export interface RecordRule<F extends Fields> {
  readonly path?: string;
  readonly fields: FieldMap<F>;
}

/** A list read from `path`; record items are read with `item` (relative to each item). */
export interface ListRule<I extends FieldSpec> {
  readonly path: string;
  readonly item?: I extends RecordField<infer F> ? { readonly fields: FieldMap<F> } : never;
}

/** How one model field is read: a path (shorthand for `{ path }`), a rule, or a computation. */
export type FieldRule<S extends FieldSpec> =
  S extends RecordField<infer F>
    ? RecordRule<F> | Computed<RecordOf<F>>
    : S extends ListField<infer I>
      ? ListRule<I> | Computed<FieldType<S>>
      : string | LeafRule<LeafOf<S>> | Computed<FieldType<S>>;

/** A field map: one rule per field of the schema. */
export type FieldMap<F extends Fields> = { readonly [K in keyof F]: FieldRule<F[K]> };

function isComputed(rule: unknown): rule is Computed<unknown> {
  return typeof rule === 'object' && rule !== null && 'compute' in rule;
}

const LEAF_KIND: Record<string, LeafKind> = { bool: 'bool', string: 'string', number: 'number' };

/**
 * Reads the record described by `fields` (schema) and `map` (field map) from `tree` at `base`.
 * Absent records are records of absent fields (each with its default); an unknown record makes each
 * of its leaves unknown (see {@link rawAt}).
 */
export function mapRecord<F extends Fields>(
  tree: FactTree,
  fields: F,
  map: FieldMap<F>,
  base: ModelPath = [],
): RecordOf<F> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of entriesOf(fields)) {
    const rule = (map as Record<string, unknown>)[name];
    if (rule === undefined) throw new Error(`field map has no rule for '${name}'`);
    out[name] = mapField(tree, spec, rule, base);
  }
  return out as RecordOf<F>;
}

const entryCache = new WeakMap<Fields, [string, FieldSpec][]>();

/** `Object.entries(fields)`, computed once per schema record. */
function entriesOf(fields: Fields): [string, FieldSpec][] {
  let e = entryCache.get(fields);
  if (!e) {
    e = Object.entries(fields);
    entryCache.set(fields, e);
  }
  return e;
}

function mapField(tree: FactTree, spec: FieldSpec, rule: unknown, base: ModelPath): unknown {
  if (isComputed(rule)) return rule.compute(tree, base);
  if (spec.kind === 'record') {
    const r = rule as RecordRule<Fields>;
    return mapRecord(tree, spec.fields, r.fields, r.path ? join(base, r.path) : base);
  }
  if (spec.kind === 'list') {
    const r = rule as ListRule<FieldSpec>;
    const item = spec.item;
    return listAt(tree, r.path, base, (itemPath): Value<unknown> => {
      if (item.kind === 'record') {
        const fields = (r.item as { fields: FieldMap<Fields> } | undefined)?.fields;
        if (!fields) throw new Error(`list rule '${r.path}' of records has no item field map`);
        return recordAt(tree, itemPath, (p) => mapRecord(tree, item.fields, fields, p));
      }
      if (item.kind === 'list') throw new Error('lists of lists need a computed rule');
      return leafAt(tree, LEAF_KIND[item.kind]!, [], itemPath);
    });
  }
  if (typeof rule === 'string') return leafAt(tree, LEAF_KIND[spec.kind]!, rule, base);
  const r = rule as LeafRule<unknown>;
  return leafAt(tree, LEAF_KIND[spec.kind]!, r.path, base, r.default as DefaultValue<never>);
}

/** One documented field source of an adapter, for docs/model.md. */
export interface FieldSourceDoc {
  /** Model path of the field: `publicAccessBlocks.blockPublicAcls` (list items without an index). */
  field: string;
  /** Where it is read from: the input path, or how it is computed. */
  from: string;
  default?: DefaultValue<unknown>;
}

/** The documented sources of a field map (paths, computations and defaults), flattened. */
export function describeFieldMap(
  fields: Fields,
  map: FieldMap<Fields>,
  prefix = '',
  at = '',
): FieldSourceDoc[] {
  const out: FieldSourceDoc[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    const rule = (map as Record<string, unknown>)[name];
    const field = prefix ? `${prefix}.${name}` : name;
    if (isComputed(rule)) {
      out.push({ field, from: rule.doc });
      continue;
    }
    if (spec.kind === 'record') {
      const r = rule as RecordRule<Fields>;
      out.push(...describeFieldMap(spec.fields, r.fields, field, r.path ? `${at}${r.path}.` : at));
      continue;
    }
    if (spec.kind === 'list') {
      const r = rule as ListRule<FieldSpec>;
      out.push({ field, from: `${at}${r.path}` });
      const itemFields = (r.item as { fields?: FieldMap<Fields> } | undefined)?.fields;
      if (spec.item.kind === 'record' && itemFields)
        out.push(...describeFieldMap(spec.item.fields, itemFields, field, `${at}${r.path}.*.`));
      continue;
    }
    const r = typeof rule === 'string' ? { path: rule } : (rule as LeafRule<unknown>);
    out.push(
      r.default ? { field, from: `${at}${r.path}`, default: r.default } : { field, from: `${at}${r.path}` },
    );
  }
  return out;
}

// The schema of the concern-typed model: one declaration per concern gives the TypeScript type of its
// objects, the reference for rule authors (docs/model.md, generated) and the shape the rule view
// (view.ts) exposes. Leaves and lists are three-state Values (value.ts); records nest plainly.

import type { Subject } from '../core/check.js';
import type { SourceLocation } from '../core/location.js';
import type { ListValue, Value } from './value.js';

/** A boolean leaf. */
export interface BoolField {
  readonly kind: 'bool';
  readonly doc: string;
}

/** A string leaf; `values` lists the values the platform accepts, when it is an enumeration. */
export interface StringField {
  readonly kind: 'string';
  readonly doc: string;
  readonly values?: readonly string[];
}

/** A number leaf; `unit` names it (`days`, `port`). */
export interface NumberField {
  readonly kind: 'number';
  readonly doc: string;
  readonly unit?: string;
}

/** Fields of a record, by model name (camelCase). */
export type Fields = { readonly [name: string]: FieldSpec };

/** A nested record (not a Value itself: its fields are). */
export interface RecordField<F extends Fields = Fields> {
  readonly kind: 'record';
  readonly doc: string;
  readonly fields: F;
}

/** A list whose items are `item` (leaves or records); the list and each item are Values. */
export interface ListField<I extends FieldSpec = FieldSpec> {
  readonly kind: 'list';
  readonly doc: string;
  readonly item: I;
}

/** Any field of the model schema. */
export type FieldSpec = BoolField | StringField | NumberField | RecordField | ListField;

/** The model type of a field: Values for leaves, `ListValue` for lists, plain objects for records. */
export type FieldType<S> = S extends BoolField
  ? Value<boolean>
  : S extends StringField
    ? Value<string>
    : S extends NumberField
      ? Value<number>
      : S extends RecordField<infer F>
        ? RecordOf<F>
        : S extends ListField<infer I>
          ? ListValue<ItemType<I>>
          : never;

/** The type of one list item (inside its Value). */
export type ItemType<I> = I extends BoolField
  ? boolean
  : I extends StringField
    ? string
    : I extends NumberField
      ? number
      : I extends RecordField<infer F>
        ? RecordOf<F>
        : I extends ListField<infer J>
          ? readonly Value<ItemType<J>>[]
          : never;

/** The model type of a record's fields. */
export type RecordOf<F extends Fields> = { readonly [K in keyof F]: FieldType<F[K]> };

/** Field constructors: `field.bool('doc')`, `field.list('doc', field.record('doc', {...}))`. */
export const field = {
  bool: (doc: string): BoolField => ({ kind: 'bool', doc }),
  string: (doc: string, values?: readonly string[]): StringField =>
    values ? { kind: 'string', doc, values } : { kind: 'string', doc },
  number: (doc: string, unit?: string): NumberField =>
    unit ? { kind: 'number', doc, unit } : { kind: 'number', doc },
  record: <F extends Fields>(doc: string, fields: F): RecordField<F> => ({ kind: 'record', doc, fields }),
  list: <I extends FieldSpec>(doc: string, item: I): ListField<I> => ({ kind: 'list', doc, item }),
};

/**
 * What every model object carries besides its fields: the subject findings about it name (identical
 * to the subject a check built from the fact before the model, so finding fingerprints are stable),
 * and `locate`, which maps a model path (`publicAccessBlocks.0.blockPublicAcls`, or as segments) to
 * where that value is written, falling back to the closest located parent and then to the subject.
 */
export interface ModelObjectBase {
  readonly subject: Subject;
  locate(path: string | readonly (string | number)[]): SourceLocation;
}

/** A concern: an id (`aws.s3.buckets`), a title and description for docs, and the fields of its objects. */
export interface ConcernSchema<F extends Fields = Fields> {
  /** `<provider>.<service>.<plural>` in camelCase: `aws.ec2.securityGroups`, `k8s.workloads`. */
  readonly id: string;
  readonly title: string;
  /** What one object is, and which inputs' resources become one (for docs). */
  readonly description: string;
  readonly fields: F;
}

/** The object type of a concern: its fields plus subject and locate. */
export type ModelObjectOf<S extends ConcernSchema> = ModelObjectBase & RecordOf<S['fields']>;

/** Declares a concern (identity function that keeps the literal field types for inference). */
export function concern<const F extends Fields>(schema: ConcernSchema<F>): ConcernSchema<F> {
  return schema;
}

/** The item type of a model list: `ItemOf<S3Bucket['acls']>` is one ACL record. */
export type ItemOf<L> = KnownOf<KnownOf<L> extends readonly (infer V)[] ? V : never>;

/** The value type of the known state of a Value type. */
type KnownOf<V> = Extract<V, { state: 'known' }> extends { value: infer T } ? T : never;

import type { Subject } from '../core/check.js';
import type { Facts, FactsKey } from '../core/facts.js';
import type { ConcernId, Concerns } from '../model/concerns.js';
import { modelObject } from '../model/object.js';
import type { ConcernSchema, Fields } from '../model/schema.js';
import { type Adapter, adapter } from './adapter.js';
import { describeFieldMap, type FieldMap, mapRecord } from './field-map.js';
import type { FactTree } from './tree.js';

/**
 * What a declarative adapter needs from its input format: which facts become objects, the fact tree of
 * one fact (tree.ts), and its subject. Terraform's is in terraform/field-map-adapter.ts; a
 * CloudFormation one supplies `cloudformationTree` and the resource's subject the same way.
 */
export interface FieldMapInput<T> {
  facts: FactsKey;
  /** The facts of this input that become objects of the concern, in facts order. */
  select(facts: Facts): readonly T[];
  tree(fact: T): FactTree;
  subject(fact: T): Subject;
}

/**
 * A declarative adapter: one model object per selected fact, its fields read by `fields` (a field map:
 * model field ← path in the fact tree, default and its documented source). `fields` may be a function
 * of the fact, for defaults that depend on it (a provider version, another attribute); it is then
 * documented by calling it with `docFact` (computations are not run for documentation).
 */
export function fieldMapAdapter<C extends ConcernId, F extends Fields, T>(spec: {
  id: string;
  concern: C;
  schema: ConcernSchema<F>;
  reads: readonly string[];
  input: FieldMapInput<T>;
  fields: FieldMap<F> | ((fact: T) => FieldMap<F>);
  docFact?: T;
}): Adapter<C> {
  const docMap = typeof spec.fields === 'function' ? spec.fields(spec.docFact as T) : spec.fields;
  return adapter<C>({
    id: spec.id,
    concern: spec.concern,
    facts: spec.input.facts,
    reads: spec.reads,
    sources: describeFieldMap(spec.schema.fields, docMap as FieldMap<Fields>),
    adapt(facts) {
      return spec.input.select(facts).map((fact) => {
        const map = typeof spec.fields === 'function' ? spec.fields(fact) : spec.fields;
        return modelObject(
          spec.input.subject(fact),
          mapRecord(spec.input.tree(fact), spec.schema.fields, map),
        ) as Concerns[C];
      });
    },
  });
}

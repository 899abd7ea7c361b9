import { subjectOf } from '../../core/check.js';
import type { TerraformResource } from '../../core/facts.js';
import type { ConcernId, Concerns } from '../../model/concerns.js';
import { modelObject } from '../../model/object.js';
import type { ConcernSchema, Fields } from '../../model/schema.js';
import { type Adapter, adapter } from '../adapter.js';
import { describeFieldMap, type FieldMap, mapRecord } from '../field-map.js';
import { terraformTree } from './tree.js';

/** A placeholder resource for documenting field maps that depend on the resource. */
const DOC_ONLY = { type: '', attributes: {}, attributeLocations: {} } as unknown as TerraformResource;

/**
 * A declarative Terraform adapter: one model object per managed resource of `resourceTypes` (in facts
 * order), its fields read by `fields` (a field map: model field ← attribute path, default and its
 * source). `fields` may also be a function of the resource, for defaults that depend on it (the
 * provider version, another attribute).
 */
export function terraformFieldMapAdapter<C extends ConcernId, F extends Fields>(spec: {
  id: string;
  concern: C;
  schema: ConcernSchema<F>;
  resourceTypes: readonly string[];
  fields: FieldMap<F> | ((r: TerraformResource) => FieldMap<F>);
}): Adapter<C> {
  const types = new Set(spec.resourceTypes);
  // A function of the resource documents itself with a placeholder (computations are not run).
  const docMap = typeof spec.fields === 'function' ? spec.fields(DOC_ONLY) : spec.fields;
  return adapter<C>({
    id: spec.id,
    concern: spec.concern,
    facts: 'terraform',
    reads: spec.resourceTypes,
    sources: describeFieldMap(spec.schema.fields, docMap as FieldMap<Fields>),
    adapt(facts) {
      const out: Concerns[C][] = [];
      for (const r of facts.terraform) {
        if (r.mode !== 'managed' || !types.has(r.type)) continue;
        const map = typeof spec.fields === 'function' ? spec.fields(r) : spec.fields;
        out.push(
          modelObject(subjectOf(r), mapRecord(terraformTree(r), spec.schema.fields, map)) as Concerns[C],
        );
      }
      return out;
    },
  });
}

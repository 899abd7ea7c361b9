import { subjectOf } from '../../core/check.js';
import type { TerraformResource } from '../../core/facts.js';
import type { ConcernId } from '../../model/concerns.js';
import type { ConcernSchema, Fields } from '../../model/schema.js';
import type { Adapter } from '../adapter.js';
import type { FieldMap } from '../field-map.js';
import { fieldMapAdapter } from '../field-map-adapter.js';
import { terraformTree } from './tree.js';

/** A placeholder resource for documenting field maps that depend on the resource. */
const DOC_ONLY = { type: '', attributes: {}, attributeLocations: {} } as unknown as TerraformResource;

/**
 * A declarative Terraform adapter: one model object per managed resource of `resourceTypes` (in facts
 * order), its fields read by `fields` (model field ← attribute path in plan JSON shape, default and its
 * documented source), or by a function of the resource for defaults that depend on it (the provider
 * version, another attribute).
 */
export function terraformFieldMapAdapter<C extends ConcernId, F extends Fields>(spec: {
  id: string;
  concern: C;
  schema: ConcernSchema<F>;
  resourceTypes: readonly string[];
  fields: FieldMap<F> | ((r: TerraformResource) => FieldMap<F>);
}): Adapter<C> {
  const types = new Set(spec.resourceTypes);
  return fieldMapAdapter({
    id: spec.id,
    concern: spec.concern,
    schema: spec.schema,
    reads: spec.resourceTypes,
    fields: spec.fields,
    docFact: DOC_ONLY,
    input: {
      facts: 'terraform',
      select: (facts) => facts.terraform.filter((r) => r.mode === 'managed' && types.has(r.type)),
      tree: terraformTree,
      subject: subjectOf,
    },
  });
}

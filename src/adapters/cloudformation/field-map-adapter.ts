import { subjectOf } from '../../core/check.js';
import type { CloudFormationResource } from '../../core/facts.js';
import type { ConcernId } from '../../model/concerns.js';
import type { ConcernSchema, Fields } from '../../model/schema.js';
import type { Adapter } from '../adapter.js';
import type { FieldMap } from '../field-map.js';
import { fieldMapAdapter } from '../field-map-adapter.js';
import { cloudformationTree } from './tree.js';

/**
 * A declarative CloudFormation adapter: one model object per resource of `resourceTypes` (in facts
 * order), its fields read from the resource's evaluated `Properties` by `fields` (model field ←
 * property path such as `EnableKeyRotation`, with CloudFormation's default and its documented source).
 */
export function cloudformationFieldMapAdapter<C extends ConcernId, F extends Fields>(spec: {
  id: string;
  concern: C;
  schema: ConcernSchema<F>;
  resourceTypes: readonly string[];
  fields: FieldMap<F>;
}): Adapter<C> {
  const types = new Set(spec.resourceTypes);
  return fieldMapAdapter({
    id: spec.id,
    concern: spec.concern,
    schema: spec.schema,
    reads: spec.resourceTypes,
    fields: spec.fields,
    input: {
      facts: 'cloudformation',
      select: (facts) => facts.cloudformation.filter((r: CloudFormationResource) => types.has(r.type)),
      tree: cloudformationTree,
      subject: subjectOf,
    },
  });
}

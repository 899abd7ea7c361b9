import type { TerraformResource, TfObject } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import type { ModelPath } from '../../model/object.js';
import type { FactTree } from '../tree.js';

/**
 * The location of attribute `path` of a Terraform resource (`security_rule.1.source_address_prefix`),
 * falling back to its closest located parent and then to the resource block itself.
 */
export function locateAttribute(resource: TerraformResource, path: string | ModelPath): SourceLocation {
  const segs = typeof path === 'string' ? (path ? path.split('.') : []) : path.map(String);
  for (let n = segs.length; n > 0; n--) {
    const hit = resource.attributeLocations[segs.slice(0, n).join('.')];
    if (hit) return hit;
  }
  return resource.location;
}

const trees = new WeakMap<TerraformResource, FactTree>();

/**
 * The fact tree of a Terraform resource: its evaluated attributes (plan JSON shape, Unresolved
 * markers where not known statically), located with `attributeLocations`, named by dotted path
 * (`versioning.0.enabled`).
 */
export function terraformTree(resource: TerraformResource): FactTree {
  let t = trees.get(resource);
  if (!t) {
    t = {
      dialect: 'terraform',
      root: resource.attributes,
      locate: (path) => locateAttribute(resource, path),
      name: (path) => path.join('.'),
    };
    trees.set(resource, t);
  }
  return t;
}

/** A fact tree over a nested object of a resource (a block), its paths relative to `base`. */
export function subTree(resource: TerraformResource, obj: TfObject, base: ModelPath): FactTree {
  return {
    dialect: 'terraform',
    root: obj,
    locate: (path) => locateAttribute(resource, [...base, ...path]),
    name: (path) => [...base, ...path].join('.'),
  };
}

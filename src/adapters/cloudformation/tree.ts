import type { CloudFormationResource } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import type { ModelPath } from '../../model/object.js';
import type { FactTree } from '../tree.js';

/**
 * The location of property `path` of a CloudFormation resource (`SecurityGroupIngress.1.CidrIp`),
 * falling back to its closest located parent and then to the resource's logical id.
 */
export function locateProperty(resource: CloudFormationResource, path: string | ModelPath): SourceLocation {
  const segs = typeof path === 'string' ? (path ? path.split('.') : []) : path.map(String);
  for (let n = segs.length; n > 0; n--) {
    const hit = resource.propertyLocations[segs.slice(0, n).join('.')];
    if (hit) return hit;
  }
  return resource.location;
}

const trees = new WeakMap<CloudFormationResource, FactTree>();

/**
 * The fact tree of a CloudFormation resource: its evaluated `Properties` (Unresolved markers where
 * not known statically), located with `propertyLocations`, named by dotted property path
 * (`BucketEncryption.ServerSideEncryptionConfiguration.0`). When the whole `Properties` is not known
 * statically, the root is that Unresolved marker, so every value read from it is unknown.
 */
export function cloudformationTree(resource: CloudFormationResource): FactTree {
  let t = trees.get(resource);
  if (!t) {
    t = {
      dialect: 'cloudformation',
      root: resource.unresolvedProperties ?? resource.properties,
      locate: (path) => locateProperty(resource, path),
      name: (path) => path.join('.'),
    };
    trees.set(resource, t);
  }
  return t;
}

/** A fact tree over a value that is not the resource's own properties (a JSON policy string parsed), located at `base`. */
export function valueTree(resource: CloudFormationResource, root: unknown, base: ModelPath): FactTree {
  return {
    dialect: 'cloudformation',
    root,
    locate: () => locateProperty(resource, base),
    name: (path) => [...base, ...path].join('.'),
  };
}

import type { CheckContext } from '../../../core/check.js';
import type { Facts, TerraformResource, TfObject } from '../../../core/facts.js';
import { createCheckContext } from '../../../engine/check-context.js';

/**
 * TEST HELPER ONLY: a managed (or, with a `data.` prefix on `type`, data) Terraform resource in the
 * root module `.` with the given attributes (plan JSON shape) and expression references.
 */
export function tfResource(
  type: string,
  name: string,
  attributes: TfObject,
  references: Record<string, string[]> = {},
): TerraformResource {
  const data = type.startsWith('data.');
  const bare = data ? type.slice(5) : type;
  const address = `${data ? 'data.' : ''}${bare}.${name}`;
  return {
    kind: 'terraform',
    mode: data ? 'data' : 'managed',
    type: bare,
    name,
    address,
    baseAddress: address,
    modulePath: '',
    rootModule: '.',
    attributes,
    references,
    location: { file: 'main.tf', line: 1 },
    attributeLocations: {},
    origin: 'hcl',
  };
}

/** TEST HELPER ONLY: facts and a check context over `resources`. */
export function tfFacts(...resources: TerraformResource[]): { facts: Facts; ctx: CheckContext } {
  const facts: Facts = {
    terraform: resources,
    cloudformation: [],
    kubernetes: [],
    secrets: [],
    dependencies: [],
  };
  return { facts, ctx: createCheckContext(facts, new Date(0)) };
}

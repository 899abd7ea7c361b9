import { buildModel } from '../adapters/build-model.js';
import type { CheckContext } from '../core/check.js';
import type { Facts } from '../core/facts.js';
import { TerraformIndex } from '../core/terraform-index.js';

/**
 * The context every check of one scan shares: the injected clock, the Terraform index and the model
 * (built lazily per concern; see src/adapters/build-model.ts). Tests and the conformance runner use
 * this too, so checks see exactly what a scan gives them.
 */
export function createCheckContext(facts: Facts, now: Date): CheckContext {
  const terraform = new TerraformIndex(facts.terraform);
  return { now, terraform, model: buildModel(facts, { terraform }) };
}

export { parseResourceAddress, referencedResource } from './address.js';
export { KNOWN_AFTER_APPLY, loadTerraformPlans, MAX_PLAN_BYTES } from './load-plans.js';

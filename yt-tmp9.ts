import { loadTerraformPlans } from './src/sources/terraform-plan/load-plans.js';
const r = await loadTerraformPlans('/tmp/rb/h2', ['/tmp/rb/h2/plan.json']);
console.log(r.facts.length, r.diagnostics, r.inputs);

import type { Source } from '../../core/source.js';
import { loadTerraformPlans } from './index.js';

/** How many bytes of a `.json` file are read to decide whether it is Terraform plan JSON. */
export const PLAN_SNIFF_BYTES = 64 * 1024;

/**
 * True when `head` (the start of a JSON file) looks like Terraform's JSON output format
 * (`terraform show -json`): it starts with `{` and has a `"format_version"` key plus one of
 * `"terraform_version"`, `"resource_changes"`, `"planned_values"`.
 */
export function looksLikeTerraformPlan(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (!/^\s*\{/.test(text)) return false;
  if (!/"format_version"\s*:/.test(text)) return false;
  return /"(?:terraform_version|resource_changes|planned_values)"\s*:/.test(text);
}

/**
 * Terraform plan and state JSON (`terraform show -json plan.out`): `.json` files whose first
 * {@link PLAN_SNIFF_BYTES} look like {@link looksLikeTerraformPlan}. Facts: the same
 * TerraformResource shape as HCL, so every Terraform check reads both.
 */
export const terraformPlanSource: Source<'terraform'> = {
  id: 'terraform-plan',
  facts: 'terraform',
  title: 'Terraform plan JSON',
  reads: '`*.json` files holding `terraform show -json` output (plan or state), recognised by content',
  priority: 20,
  fixtureSuffixes: ['.plan.json'],
  async claim(files, ctx) {
    const out = [];
    for (const f of files) {
      if (!f.name.toLowerCase().endsWith('.json')) continue;
      const head = await ctx.head(f, PLAN_SNIFF_BYTES);
      if (head !== undefined && looksLikeTerraformPlan(head)) out.push(f);
    }
    return out;
  },
  async load(files, ctx) {
    const out = await loadTerraformPlans(
      ctx.root,
      files.map((f) => f.abs),
      { limits: ctx.options.limits },
    );
    if (files.length) ctx.progress(`read ${files.length} Terraform plan files`);
    return out;
  },
};

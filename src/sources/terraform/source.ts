import path from 'node:path';
import type { Source } from '../../core/source.js';
import { loadTerraform } from './index.js';

/**
 * Terraform HCL (`*.tf`): every directory holding a `.tf` file is a root module candidate, read with
 * its variables files (`terraform.tfvars`, `*.auto.tfvars`, `--var-file`, `--var`) and the local and
 * downloaded modules it calls. Facts: {@link import('../../core/facts.js').TerraformResource}.
 */
export const terraformSource: Source<'terraform'> = {
  id: 'terraform',
  facts: 'terraform',
  title: 'Terraform HCL',
  reads:
    '`*.tf` files, one root module per directory, with `terraform.tfvars`, `*.auto.tfvars`, `--var-file` and `--var`',
  priority: 10,
  fixtureSuffixes: ['.tf'],
  async claim(files) {
    return files.filter((f) => f.name.endsWith('.tf'));
  },
  async load(files, ctx) {
    const dirs = [...new Set(files.map((f) => path.dirname(f.abs)))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const out = await loadTerraform(ctx.root, dirs, {
      varFiles: ctx.options.varFiles,
      vars: ctx.options.vars,
      workspace: ctx.options.workspace,
    });
    ctx.progress(`parsed ${files.length} Terraform files in ${dirs.length} directories`);
    return out;
  },
};

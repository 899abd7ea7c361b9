import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadTerraform } from './index.js';

const parity = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/parity');

/**
 * The expected values were produced by the real terraform binary (`terraform plan` + `show -json`,
 * offline, `terraform_data` resources only; see expected.json `generatedBy`): the static evaluator must
 * agree with Terraform on every instance address and every evaluated input.
 */
async function compare(name: string, dirs: string[]) {
  const root = path.join(parity, name);
  const expected = JSON.parse(fs.readFileSync(path.join(root, 'expected.json'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  // The plans were made in the `default` workspace (terraform plan, no `terraform workspace select`).
  const r = await loadTerraform(
    root,
    dirs.map((d) => path.join(root, d)),
    { workspace: 'default' },
  );
  assert.deepEqual(r.diagnostics, []);
  const mine = Object.fromEntries(
    r.facts.map((f) => [f.address, JSON.parse(JSON.stringify(f.attributes.input))]),
  );
  assert.deepEqual(Object.keys(mine).sort(), Object.keys(expected.inputs).sort());
  for (const [address, input] of Object.entries(expected.inputs)) {
    if (input && typeof input === 'object' && !Array.isArray(input)) {
      for (const [k, v] of Object.entries(input))
        assert.deepEqual(mine[address][k], v, `${address} input.${k}`);
    }
    assert.deepEqual(mine[address], input, address);
  }
}

describe('parity with terraform plan', () => {
  it('expressions, templates, heredocs and functions', () => compare('exprs', ['.']));
  it('modules with count/for_each, nested modules, tfvars precedence, path.module', () =>
    compare('modules', ['.', 'mod', 'mod/inner']));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskExponentLiterals } from './exponent-literals.js';
import { parseHcl } from './hcl-parser.js';

test('masks exponent literals without a fraction, keeping every offset', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
  const src = 'a = 1e1\nb = [2E-3, 1.5e3, x1e1]\nc = "1e1 ${4e+2}"\n# 5e5\nd = <<EOT\n6e6 ${7e7}\nEOT\n';
  const { src: masked, literals } = maskExponentLiterals(src);
  assert.equal(masked.length, src.length);
  assert.deepEqual([...literals.values()], ['1e1', '2E-3', '4e+2', '7e7']);
  for (const [at, text] of literals) assert.equal(src.slice(at, at + text.length), text);
});

// Values recorded with `terraform console` (Terraform 1.11.4): `1e1` prints 10, `1E2` 100, `1e+2` 100.
test('1e1 is an HCL number, not a syntax error that drops the file', async () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
  const r = await parseHcl('locals {\n  a = 1e1\n  b = 1E2\n  c = 1e+2\n  d = "${1e1}"\n}\n');
  assert.equal(r.error, undefined);
  const locals = r.body.blocks[0]?.body.attributes ?? [];
  assert.deepEqual(
    locals.slice(0, 3).map((a) => (a.expr.k === 'lit' ? a.expr.v : a.expr.k)),
    [10, 100, 100],
  );
});

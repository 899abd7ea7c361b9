// Copies non-TypeScript runtime assets (catalog.yaml, schemas, templates) from src/ to dist/,
// keeping their relative paths, so code can load them relative to import.meta.url; and the Terraform
// grammar (tree-sitter-terraform.wasm, with its licence) from the build-time grammar package, so an
// installed evident needs neither that package nor its native install step.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const ASSET = /\.(ya?ml|json|html|md|css|txt|sql)$/;

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures') walk(p);
    } else if (ASSET.test(entry.name)) {
      const out = join('dist', relative('src', p));
      mkdirSync(dirname(out), { recursive: true });
      copyFileSync(p, out);
    }
  }
}

walk('src');

const grammar = dirname(
  createRequire(import.meta.url).resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json'),
);
mkdirSync('dist/sources/terraform', { recursive: true });
copyFileSync(
  join(grammar, 'tree-sitter-terraform.wasm'),
  'dist/sources/terraform/tree-sitter-terraform.wasm',
);
copyFileSync(join(grammar, 'LICENSE'), 'dist/sources/terraform/tree-sitter-terraform.LICENSE');

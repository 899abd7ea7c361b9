// Copies non-TypeScript runtime assets (catalog.yaml, schemas, templates) from src/ to dist/,
// keeping their relative paths, so code can load them relative to import.meta.url.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
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

// The adapter registry matches the adapter files, and every concern of the model is fed.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONCERNS } from '../model/concerns.js';
import { SOURCES } from '../sources/registry.js';
import type { Adapter } from './adapter.js';
import { ADAPTERS } from './registry.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

function isAdapter(v: unknown): v is Adapter {
  return typeof v === 'object' && v !== null && 'concern' in v && typeof (v as Adapter).adapt === 'function';
}

it('every exported adapter under src/adapters/<facts>/ is registered, once', async () => {
  const families = new Set(SOURCES.map((s) => s.facts));
  const found: string[] = [];
  for (const family of readdirSync(HERE, { withFileTypes: true })) {
    if (!family.isDirectory() || !families.has(family.name as never)) continue;
    for (const file of tsFiles(join(HERE, family.name))) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod)) {
        if (!isAdapter(v)) continue;
        found.push(v.id);
        assert.ok(
          ADAPTERS.includes(v),
          `${relative(HERE, file)} exports adapter ${name} (${v.id}), not in ADAPTERS`,
        );
        assert.equal(
          v.facts,
          family.name,
          `${v.id} lives under src/adapters/${family.name}/ but reads ${v.facts}`,
        );
      }
    }
  }
  assert.deepEqual(found.sort(), ADAPTERS.map((a) => a.id).sort(), 'ADAPTERS lists only adapter files');
  assert.equal(new Set(found).size, found.length, 'adapter ids are unique');
});

it('every concern has an adapter and every adapter a concern and a registered facts family', () => {
  const ids = new Set(CONCERNS.map((c) => c.id));
  assert.equal(ids.size, CONCERNS.length, 'concern ids are unique');
  for (const c of CONCERNS) {
    assert.match(
      c.id,
      /^[a-z0-9]+(\.[a-z][A-Za-z0-9]*)+$/,
      `${c.id}: <provider>.<service>.<plural>, camelCase`,
    );
    assert.ok(
      ADAPTERS.some((a) => a.concern === c.id),
      `no adapter feeds ${c.id}`,
    );
  }
  for (const a of ADAPTERS) {
    assert.ok(ids.has(a.concern), `${a.id} feeds unknown concern ${a.concern}`);
    assert.ok(
      SOURCES.some((s) => s.facts === a.facts),
      `${a.id} reads unregistered facts ${a.facts}`,
    );
    assert.ok(a.reads.length > 0, `${a.id} names what it reads`);
  }
});

// Provider versions a root module fixes: `required_providers` constraints of its modules and the
// version `.terraform.lock.hcl` selects (https://developer.hashicorp.com/terraform/language/files/dependency-lock).
import fs from 'node:fs';
import path from 'node:path';
import type { ProviderVersion } from '../../core/facts.js';
import type { LoadContext, ModuleDef } from './module-def.js';

/** Provider versions of one root module, by normalised source address (`hashicorp/aws`). */
export type ProviderTable = ReadonlyMap<string, ProviderVersion>;

/**
 * A provider source address without the default registry host, lower case: `hashicorp/aws` for
 * `registry.terraform.io/hashicorp/aws`, `HashiCorp/AWS` or (a bare local name) `aws`.
 */
export function normalizeSource(source: string): string {
  const s = source
    .trim()
    .toLowerCase()
    .replace(/^registry\.terraform\.io\//, '');
  return s.includes('/') ? s : `hashicorp/${s}`;
}

/** The source address a module gives provider local name `local` (implied `hashicorp/<local>`). */
export function sourceOf(def: ModuleDef, local: string): string {
  return normalizeSource(def.requiredProviders.get(local)?.source ?? local);
}

/** Provider versions selected by the lock file in `rootDir`, by normalised source; empty without one. */
function lockedVersions(ctx: LoadContext, rootDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = path.join(rootDir, '.terraform.lock.hcl');
  if (!fs.existsSync(file)) return out;
  const parsed = ctx.parseFile(file, 'terraform');
  for (const b of parsed?.body.blocks ?? []) {
    const address = b.labels[0];
    const version = b.body.attributes.find((a) => a.name === 'version')?.expr;
    if (b.type === 'provider' && address && version?.k === 'lit' && typeof version.v === 'string')
      out.set(normalizeSource(address), version.v);
  }
  return out;
}

/**
 * The provider table of a root module in `rootDir` whose module tree is `defs` (the root module
 * first): every `required_providers` version constraint by provider source, and the lock file's
 * selected versions.
 */
export function providerTable(ctx: LoadContext, rootDir: string, defs: readonly ModuleDef[]): ProviderTable {
  const constraints = new Map<string, string[]>();
  for (const def of defs) {
    for (const [local, req] of def.requiredProviders) {
      const source = normalizeSource(req.source ?? local);
      const list = constraints.get(source) ?? [];
      if (req.version !== undefined && req.version.trim() !== '') list.push(req.version);
      constraints.set(source, list);
    }
  }
  const locked = lockedVersions(ctx, rootDir);
  const table = new Map<string, ProviderVersion>();
  for (const source of new Set([...constraints.keys(), ...locked.keys()])) {
    const lock = locked.get(source);
    table.set(source, {
      source,
      constraints: constraints.get(source) ?? [],
      ...(lock ? { locked: lock } : {}),
    });
  }
  return table;
}

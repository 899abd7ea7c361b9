import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { EvidentError } from '../core/errors.js';
import { FRAMEWORK_IDS, type FrameworkId } from '../core/framework-id.js';

/** One requirement of a framework: `id` as used in evident.yaml and check mappings, our own short title. */
export interface CatalogRequirement {
  /** e.g. `CC6.1`, `A.8.24`, `164.312(a)(2)(iv)`, `Art.32(1)(a)`. */
  id: string;
  /** Grouping shown in reports, e.g. `CC6 Logical and Physical Access Controls`, `8 Technological`. */
  family: string;
  /** Evident's own paraphrase (never the copyrighted standard text). */
  title: string;
}

/**
 * A framework catalog, the data in `src/frameworks/<id>/catalog.yaml`: requirement IDs in the
 * standard's order with family and paraphrased title. `source` cites the standard.
 */
export interface Catalog {
  id: FrameworkId;
  name: string;
  version: string;
  source: string;
  requirements: CatalogRequirement[];
  /** Requirement by id, for O(1) lookups (non-enumerable: not in JSON or spreads). */
  byId: ReadonlyMap<string, CatalogRequirement>;
}

const catalogSchema = z.strictObject({
  id: z.enum(FRAMEWORK_IDS as [FrameworkId, ...FrameworkId[]]),
  name: z.string().min(1),
  version: z.string().min(1),
  source: z.string().min(1),
  requirements: z
    .array(z.strictObject({ id: z.string().min(1), family: z.string().min(1), title: z.string().min(1) }))
    .min(1),
});

const cache = new Map<FrameworkId, Catalog>();

/** Absolute path of a built-in catalog file (works from src/ under tsx and from dist/ after the build). */
export function catalogPath(id: FrameworkId): string {
  return fileURLToPath(new URL(`./${id}/catalog.yaml`, import.meta.url));
}

/**
 * Loads (once, then cached) the built-in catalog of framework `id`. Throws EvidentError(E_INTERNAL)
 * when the packaged file is missing or malformed, or holds duplicate requirement IDs: that is a
 * packaging bug, not a user error.
 */
export function loadCatalog(id: FrameworkId): Catalog {
  const hit = cache.get(id);
  if (hit) return hit;
  const file = catalogPath(id);
  let raw: unknown;
  try {
    // the build writes catalog.json (the parsed YAML) beside it: JSON parses ten times faster
    const json = file.replace(/\.ya?ml$/, '.json');
    raw = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new EvidentError('E_INTERNAL', `cannot read framework catalog '${id}': ${(e as Error).message}`, {
      file,
      hint: 'reinstall Evident; the packaged catalog is missing or corrupt',
      cause: e,
    });
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EvidentError(
      'E_INTERNAL',
      `framework catalog '${id}' is invalid: ${z.prettifyError(parsed.error)}`,
      {
        file,
      },
    );
  }
  if (parsed.data.id !== id) {
    throw new EvidentError('E_INTERNAL', `framework catalog at ${file} declares id '${parsed.data.id}'`, {
      file,
    });
  }
  const byId = new Map<string, CatalogRequirement>();
  for (const r of parsed.data.requirements) {
    if (byId.has(r.id)) {
      throw new EvidentError('E_INTERNAL', `framework catalog '${id}' lists requirement '${r.id}' twice`, {
        file,
      });
    }
    byId.set(r.id, r);
  }
  // byId is non-enumerable so that JSON output and spreads of a catalog stay plain data.
  const catalog = Object.defineProperty({ ...parsed.data }, 'byId', {
    value: byId,
    enumerable: false,
  }) as Catalog;
  cache.set(id, catalog);
  return catalog;
}

/** All built-in catalogs, in {@link FRAMEWORK_IDS} order (or only `ids`, in the order given). */
export function loadCatalogs(ids: readonly FrameworkId[] = FRAMEWORK_IDS): Catalog[] {
  return ids.map((id) => loadCatalog(id));
}

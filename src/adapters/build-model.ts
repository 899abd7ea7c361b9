import type { Diagnostic } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import { TerraformIndex } from '../core/terraform-index.js';
import type { ConcernId, Concerns } from '../model/concerns.js';
import type { Model } from '../model/model.js';
import type { Adapter, AdapterContext } from './adapter.js';
import { ADAPTERS } from './registry.js';

/** Options of {@link buildModel}. */
export interface BuildModelOptions {
  /** The scan's Terraform index, when the caller already built one (shared with CheckContext). */
  terraform?: TerraformIndex;
  /** Adapters to use (default: every registered adapter). */
  adapters?: readonly Adapter[];
}

/**
 * The model of one scan over `facts`. Nothing is adapted up front: `get(concern)` runs the concern's
 * adapters the first time it is asked for and keeps the objects for every later rule. Throws (a
 * programming error) when adapters ask for each other's concerns in a cycle.
 */
export function buildModel(facts: Facts, options: BuildModelOptions = {}): Model {
  const adapters = options.adapters ?? ADAPTERS;
  const cache = new Map<ConcernId, readonly unknown[]>();
  const building = new Set<ConcernId>();
  const diagnostics: Diagnostic[] = [];
  let index = options.terraform;
  const model: Model = {
    get<C extends ConcernId>(id: C): readonly Concerns[C][] {
      const hit = cache.get(id);
      if (hit) return hit as readonly Concerns[C][];
      if (building.has(id)) throw new Error(`model concern ${id} depends on itself through its adapters`);
      building.add(id);
      try {
        const out: Concerns[C][] = [];
        for (const a of adapters) if (a.concern === id) out.push(...(a as Adapter<C>).adapt(facts, ctx));
        cache.set(id, out);
        return out;
      } finally {
        building.delete(id);
      }
    },
    diagnostics,
  };
  const ctx: AdapterContext = {
    get terraform() {
      index ??= new TerraformIndex(facts.terraform);
      return index;
    },
    model,
    report(d) {
      diagnostics.push(d);
    },
  };
  return model;
}

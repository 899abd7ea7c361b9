import type { TerraformResource, TfValue } from './facts.js';
import { isUnresolved } from './unresolved.js';

/** How a companion resource points at its target: which attribute, matched against which target attributes. */
export interface LinkSpec {
  /** Attribute on the companion that names the target, e.g. `bucket`. */
  attribute: string;
  /** Target attributes whose known value may equal the companion's attribute value, e.g. `['bucket', 'id']`. */
  targetAttributes?: string[];
}

/**
 * Lookup over a scan's Terraform resources. Resources only link within the same root module.
 * Linking uses expression references first (`bucket = aws_s3_bucket.b.id` references
 * `aws_s3_bucket.b`), then equal known values (`bucket = "my-bucket"` and the bucket's
 * `bucket = "my-bucket"`).
 */
export class TerraformIndex {
  private readonly byTypeMap = new Map<string, TerraformResource[]>();

  constructor(readonly resources: readonly TerraformResource[]) {
    for (const r of resources) {
      const key = r.mode === 'data' ? `data.${r.type}` : r.type;
      let list = this.byTypeMap.get(key);
      if (!list) {
        list = [];
        this.byTypeMap.set(key, list);
      }
      list.push(r);
    }
  }

  /** Managed resources of `type`; pass `data.<type>` for data sources. */
  ofType(type: string): TerraformResource[] {
    return this.byTypeMap.get(type) ?? [];
  }

  /** Companion resources of `companionType` in the same root module that point at `target`. */
  linked(target: TerraformResource, companionType: string, spec: LinkSpec): TerraformResource[] {
    return this.ofType(companionType).filter((c) => this.points(c, target, spec));
  }

  /** True when `companion.attributes[spec.attribute]` points at `target` (see class doc). */
  points(companion: TerraformResource, target: TerraformResource, spec: LinkSpec): boolean {
    if (companion.rootModule !== target.rootModule) return false;
    const refs = companion.references[spec.attribute] ?? [];
    const v = companion.attributes[spec.attribute];
    const valueRefs = isUnresolved(v) ? v.refs : [];
    const all = [...refs, ...valueRefs];
    // A reference that names an instance (`aws_s3_bucket.b["logs"]`) links that instance only; a
    // reference without an instance key may mean any instance of the resource.
    const keyed = all.filter((ref) => ref.startsWith(`${target.baseAddress}[`));
    if (keyed.length > 0) {
      if (keyed.includes(target.address)) return true;
    } else if (all.includes(target.baseAddress) || all.includes(target.address)) {
      return true;
    }
    if (typeof v === 'string' || typeof v === 'number') {
      for (const ta of spec.targetAttributes ?? []) {
        const tv: TfValue | undefined = target.attributes[ta];
        if ((typeof tv === 'string' || typeof tv === 'number') && tv === v) return true;
      }
    }
    return false;
  }
}

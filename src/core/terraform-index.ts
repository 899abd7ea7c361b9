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
 * A companion links to a target when its attribute's value identifies the target: exactly a
 * reference to it (`bucket = aws_s3_bucket.b.id`), or a known value equal to the target's
 * (`bucket = "my-bucket"` and the bucket's `bucket = "my-bucket"`). An expression that only
 * mentions the target may configure it ({@link TerraformIndex.mayPoint}), which checks answer `unknown`.
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

  /**
   * True when `companion.attributes[spec.attribute]` certainly names `target` (see class doc): its
   * value is exactly a computed attribute of `target` (Unresolved.computed: `aws_s3_bucket.b.id`,
   * also passed on through locals, variables or module outputs), or a known value equal to one of
   * `spec.targetAttributes` of `target`; for plan JSON (no expressions), an unknown value whose only
   * references are to `target`. An expression merely mentioning `target` (`var.x ? a.id : b.id`,
   * `"${b.id}-archive"`) does not name it: see {@link mayPoint}.
   */
  points(companion: TerraformResource, target: TerraformResource, spec: LinkSpec): boolean {
    if (companion.rootModule !== target.rootModule) return false;
    const v = companion.attributes[spec.attribute];
    if (isUnresolved(v) && v.computed) {
      const a = v.computed.address;
      // A reference without an instance key (single-instance resource) may mean any instance.
      return a === target.address || (a === target.baseAddress && !a.endsWith(']'));
    }
    if (companion.origin === 'plan') {
      // Plan JSON has no expressions: references that all name the target stand for "exactly it".
      const refs = [...(companion.references[spec.attribute] ?? []), ...(isUnresolved(v) ? v.refs : [])];
      if (
        refs.length > 0 &&
        refs.every((r) => r === target.baseAddress || r.startsWith(`${target.baseAddress}[`))
      ) {
        // A reference that names an instance (`aws_s3_bucket.b["logs"]`) links that instance only.
        const keyed = refs.filter((ref) => ref.startsWith(`${target.baseAddress}[`));
        if (keyed.length > 0 ? keyed.includes(target.address) : true) return true;
      }
    }
    if (typeof v === 'string' || typeof v === 'number') {
      for (const ta of spec.targetAttributes ?? []) {
        const tv: TfValue | undefined = target.attributes[ta];
        if ((typeof tv === 'string' || typeof tv === 'number') && tv === v) return true;
      }
    }
    return false;
  }

  /**
   * True when `companion` may configure `target` without certainly naming it: its attribute is not
   * known statically and either references `target` in a larger expression (a conditional, a
   * template), or references no resource at all (a variable), so it could be any target.
   */
  mayPoint(companion: TerraformResource, target: TerraformResource, spec: LinkSpec): boolean {
    if (companion.rootModule !== target.rootModule) return false;
    if (this.points(companion, target, spec)) return false;
    const v = companion.attributes[spec.attribute];
    // A known value, or exactly a reference to another resource or instance, names something else.
    if (!isUnresolved(v) || v.computed) return false;
    const refs = [...(companion.references[spec.attribute] ?? []), ...v.refs];
    if (refs.length === 0) return true;
    const keyed = refs.filter((r) => r.startsWith(`${target.baseAddress}[`));
    if (
      keyed.length > 0 &&
      companion.origin === 'plan' &&
      !refs.some((r) => r !== target.baseAddress && !r.startsWith(`${target.baseAddress}[`))
    )
      return keyed.includes(target.address);
    return refs.some((r) => r === target.baseAddress || r === target.address);
  }
}

// Linking S3 companion resources (`aws_s3_bucket_acl`, `aws_s3_bucket_public_access_block`, ...) to
// their bucket, once for every rule (issue 6: links follow references first; a value links only when it
// identifies the bucket).
import type { TerraformResource } from '../../../core/facts.js';
import type { TerraformIndex } from '../../../core/terraform-index.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { known, unknown, type Value } from '../../../model/value.js';
import { locateAttribute } from '../tree.js';

/** A companion that may configure a bucket, and how sure the link is. */
export interface CompanionLink {
  companion: TerraformResource;
  /** Known true for a certain link; unknown (with the doubt as reason) otherwise. Located at the companion's `bucket`. */
  applies: Value<boolean>;
}

/** The instance key part of an address (`["logs"]`, `[0]`, `[*]`, or `''`). */
export function instanceKey(r: TerraformResource): string {
  return r.address.slice(r.baseAddress.length);
}

function knownName(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * Links companions to the managed `aws_s3_bucket` instances of their root module. For a companion whose
 * `attribute` (default `bucket`) is:
 * - a known value: the buckets it names (their `bucket` or `id` equals it), among the buckets its
 *   expression references when it references any that match (a reference names one resource, never
 *   another that shares its name); certain;
 * - not known statically and a single reference (`aws_s3_bucket.b.id`): the referenced instances,
 *   certain unless the reference may mean another instance of a multi-instance bucket;
 * - not known statically and a composite expression mentioning buckets (a conditional, a template):
 *   each mentioned bucket, doubtful;
 * - not known statically and mentioning no bucket (a variable without a default): every bucket of the
 *   root module, doubtful (it may configure any of them).
 * A companion whose count/for_each is not known statically (`[*]`) may not exist: its certain links
 * become doubtful. Two buckets of one root module declaring the same literal name are an input error
 * the Terraform source reports (platform-constraints.ts); a companion naming that name by value configures both.
 */
export class BucketLinker {
  private readonly byRoot = new Map<string, TerraformResource[]>();
  private readonly cache = new Map<string, Map<TerraformResource, CompanionLink[]>>();

  constructor(private readonly index: TerraformIndex) {
    for (const b of index.ofType('aws_s3_bucket')) {
      if (b.mode !== 'managed') continue;
      const list = this.byRoot.get(b.rootModule) ?? [];
      list.push(b);
      this.byRoot.set(b.rootModule, list);
    }
  }

  /**
   * The managed companions of `type` that certainly configure no bucket of the configuration: the
   * bucket they name is elsewhere, or which bucket they name is not known statically (doubtful links
   * only). Checks judge their settings on their own.
   */
  detached(type: string, attribute = 'bucket'): TerraformResource[] {
    const certain = new Set<TerraformResource>();
    for (const b of this.buckets())
      for (const l of this.linksOf(b, type, attribute))
        if (l.applies.state === 'known') certain.add(l.companion);
    return this.index.ofType(type).filter((c) => c.mode === 'managed' && !certain.has(c));
  }

  /** The managed buckets of `rootModule`. */
  bucketsOf(rootModule: string): readonly TerraformResource[] {
    return this.byRoot.get(rootModule) ?? [];
  }

  /** Every managed bucket, in facts order. */
  buckets(): TerraformResource[] {
    return this.index.ofType('aws_s3_bucket').filter((b) => b.mode === 'managed');
  }

  /** The companions of `type` that may configure `bucket`, in facts order. */
  linksOf(bucket: TerraformResource, type: string, attribute = 'bucket'): readonly CompanionLink[] {
    const key = `${type}|${attribute}`;
    let map = this.cache.get(key);
    if (!map) {
      map = this.link(type, attribute);
      this.cache.set(key, map);
    }
    return map.get(bucket) ?? [];
  }

  private link(type: string, attribute: string): Map<TerraformResource, CompanionLink[]> {
    const out = new Map<TerraformResource, CompanionLink[]>();
    for (const c of this.index.ofType(type)) {
      if (c.mode !== 'managed') continue;
      for (const [b, doubt] of this.targets(c, attribute)) {
        const maybeAbsent =
          instanceKey(c) === '[*]'
            ? `${c.address} has a count/for_each that is not known statically, so it may not exist`
            : undefined;
        const why = doubt ?? maybeAbsent;
        const at = locateAttribute(c, [attribute]);
        const applies = why === undefined ? known(true, attribute, at) : unknown(why, attribute, at);
        out.set(b, [...(out.get(b) ?? []), { companion: c, applies }]);
      }
    }
    return out;
  }

  /** The buckets companion `c` may configure, each with a doubt (undefined: certain). */
  private targets(c: TerraformResource, attribute: string): [TerraformResource, string | undefined][] {
    const buckets = this.bucketsOf(c.rootModule);
    const v = c.attributes[attribute];
    const refs = new Set([...(c.references[attribute] ?? []), ...(isUnresolved(v) ? v.refs : [])]);
    const referenced = buckets.filter((b) => this.isReferenced(b, refs));
    const name = knownName(v);
    if (name !== undefined) {
      const names = (b: TerraformResource) =>
        knownName(b.attributes.bucket) === name || knownName(b.attributes.id) === name;
      const byRef = referenced.filter(names);
      return (byRef.length ? byRef : buckets.filter(names)).map((b) => [b, undefined]);
    }
    if (!isUnresolved(v)) return [];
    if (referenced.length === 0)
      return buckets.map((b) => [
        b,
        `${c.address} names a bucket that is not known statically (${v.reason}), so it may configure this one`,
      ]);
    const bases = new Set(referenced.map((b) => b.baseAddress));
    const single = (c.singleReference ?? []).includes(attribute) && bases.size === 1;
    return referenced.map((b) => [
      b,
      single
        ? this.instanceDoubt(c, b, refs)
        : `${c.address}.${attribute} is not a plain reference to ${b.baseAddress} (it may name another bucket), so it may not configure this one`,
    ]);
  }

  /** True when `refs` name `b`: its instance address, or its base address without a keyed reference to another instance. */
  private isReferenced(b: TerraformResource, refs: ReadonlySet<string>): boolean {
    if (refs.has(b.address)) return true;
    if (!refs.has(b.baseAddress)) return false;
    for (const r of refs) if (r.startsWith(`${b.baseAddress}[`)) return false;
    return true;
  }

  /**
   * Why a single reference from `c` to multi-instance bucket resource `b` may mean another instance:
   * undefined when `b` has no instance key, shares `c`'s key (`for_each` over the same keys), is named
   * by its literal key, or is the only instance.
   */
  private instanceDoubt(
    c: TerraformResource,
    b: TerraformResource,
    refs: ReadonlySet<string>,
  ): string | undefined {
    const key = instanceKey(b);
    if (key === '' || key === instanceKey(c) || refs.has(b.address)) return undefined;
    const siblings = this.bucketsOf(b.rootModule).filter((x) => x.baseAddress === b.baseAddress);
    if (siblings.length === 1 && key !== '[*]') return undefined;
    return `${c.address} references ${b.baseAddress} without a known instance key, so it may configure another instance than ${b.address}`;
  }
}

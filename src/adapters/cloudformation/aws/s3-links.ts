// Linking CloudFormation resources that configure an S3 bucket from outside it (an
// `AWS::S3::BucketPolicy`) to the `AWS::S3::Bucket` of the same template: references first, a
// value links only when it names the bucket (the rule the Terraform linker follows).
import type { Diagnostic } from '../../../core/errors.js';
import type { CloudFormationResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { known, unknown, type Value } from '../../../model/value.js';
import { locateProperty } from '../tree.js';

/** A resource that may configure a bucket, and how sure the link is. */
export interface CfnLink {
  companion: CloudFormationResource;
  /** Known true for a certain link; unknown (with the doubt) otherwise. Located at the companion's property. */
  applies: Value<boolean>;
}

/** The bucket name a `BucketName` or `Bucket` value states, when it is a literal. */
export function literalName(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * Links companions (by type and property naming the bucket) to the buckets of their template. For a
 * companion whose property is:
 * - a literal: the buckets whose `BucketName` is that name (among the referenced ones when the value
 *   also references some), certain;
 * - exactly `!Ref Bucket` (or `!GetAtt`): that bucket, certain;
 * - a composite expression mentioning buckets (`!If`, `!Sub`): each mentioned bucket, doubtful;
 * - not known statically and mentioning no bucket (a parameter without a default, an import): every
 *   bucket of the template, doubtful (it may configure any of them).
 * A companion whose `Condition` is not known statically may not be created: certain links become
 * doubtful. Two buckets of one template with the same literal `BucketName` are reported once.
 */
export class CfnBucketLinker {
  private readonly byTemplate = new Map<string, CloudFormationResource[]>();
  private readonly cache = new Map<string, Map<CloudFormationResource, CfnLink[]>>();

  constructor(
    private readonly resources: readonly CloudFormationResource[],
    report: (d: Diagnostic) => void,
  ) {
    for (const b of resources) {
      if (b.type !== 'AWS::S3::Bucket') continue;
      this.byTemplate.set(b.template, [...(this.byTemplate.get(b.template) ?? []), b]);
    }
    for (const buckets of this.byTemplate.values()) {
      const byName = new Map<string, CloudFormationResource[]>();
      for (const b of buckets) {
        const n = literalName(b.properties.BucketName);
        if (n !== undefined) byName.set(n, [...(byName.get(n) ?? []), b]);
      }
      for (const [n, claim] of byName) {
        if (claim.length < 2) continue;
        const second = claim[1]!;
        report({
          severity: 'warning',
          code: 'E_INPUT_AMBIGUOUS',
          file: second.location.file,
          line: second.location.line,
          message: `${claim.map((b) => b.logicalId).join(' and ')} declare the same BucketName "${n}": S3 bucket names are global, so the stack cannot create both; a setting that names "${n}" is judged on each of them. Give each bucket its own name.`,
        });
      }
    }
  }

  /** Every `AWS::S3::Bucket`, in facts order. */
  buckets(): CloudFormationResource[] {
    return this.resources.filter((r) => r.type === 'AWS::S3::Bucket');
  }

  /** The buckets of `template`. */
  bucketsOf(template: string): readonly CloudFormationResource[] {
    return this.byTemplate.get(template) ?? [];
  }

  /** The companions of `type` whose `property` may name `bucket`, in facts order. */
  linksOf(bucket: CloudFormationResource, type: string, property = 'Bucket'): readonly CfnLink[] {
    const key = `${type}|${property}`;
    let map = this.cache.get(key);
    if (!map) {
      map = this.link(type, property);
      this.cache.set(key, map);
    }
    return map.get(bucket) ?? [];
  }

  private link(type: string, property: string): Map<CloudFormationResource, CfnLink[]> {
    const out = new Map<CloudFormationResource, CfnLink[]>();
    for (const c of this.resources) {
      if (c.type !== type) continue;
      const maybeAbsent = isUnresolved(c.condition?.value)
        ? `${c.logicalId} has Condition ${c.condition!.name}, which is not known statically, so it may not be created`
        : undefined;
      for (const [b, doubt] of this.targets(c, property)) {
        const why = doubt ?? maybeAbsent;
        const at = locateProperty(c, [property]);
        const applies = why === undefined ? known(true, property, at) : unknown(why, property, at);
        out.set(b, [...(out.get(b) ?? []), { companion: c, applies }]);
      }
    }
    return out;
  }

  private targets(
    c: CloudFormationResource,
    property: string,
  ): [CloudFormationResource, string | undefined][] {
    const buckets = this.bucketsOf(c.template);
    const v = c.unresolvedProperties ?? c.properties[property];
    const refs = new Set([...(c.references[property] ?? []), ...(isUnresolved(v) ? v.refs : [])]);
    const referenced = buckets.filter((b) => refs.has(b.logicalId));
    const name = literalName(v);
    if (name !== undefined) {
      const names = (b: CloudFormationResource) => literalName(b.properties.BucketName) === name;
      const byRef = referenced.filter(names);
      return (byRef.length ? byRef : buckets.filter(names)).map((b) => [b, undefined]);
    }
    if (!isUnresolved(v)) return [];
    if (referenced.length === 0)
      return buckets.map((b) => [
        b,
        `${c.logicalId}.${property} names a bucket that is not known statically (${v.reason}), so it may configure this one`,
      ]);
    const single = c.singleReference.includes(property) && referenced.length === 1;
    return referenced.map((b) => [
      b,
      single
        ? undefined
        : `${c.logicalId}.${property} is not a plain !Ref of ${b.logicalId} (it may name another bucket), so it may not configure this one`,
    ]);
  }
}

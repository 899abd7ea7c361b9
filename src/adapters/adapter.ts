import type { Diagnostic } from '../core/errors.js';
import type { Facts, FactsKey } from '../core/facts.js';
import type { TerraformIndex } from '../core/terraform-index.js';
import type { ConcernId, Concerns } from '../model/concerns.js';
import type { Model } from '../model/model.js';
import type { FieldSourceDoc } from './field-map.js';

/** What an adapter may use besides its facts. Adapters are pure: no I/O, no clock, no env. */
export interface AdapterContext {
  /** Index over the scan's Terraform resources (by type; companion lookup). */
  readonly terraform: TerraformIndex;
  /** The model being built: an adapter may read another concern (never its own). */
  readonly model: Model;
  /** Reports a problem found while linking (two resources claiming one name, ...). */
  report(diagnostic: Diagnostic): void;
}

/**
 * An adapter (DESIGN.md layer 2): turns one facts family into the objects of one concern. Companion
 * linking, provider defaults and unknown propagation happen here, once, so rules only read the model.
 * Registered in src/adapters/registry.ts; several adapters may feed one concern (Terraform and
 * CloudFormation both feed `aws.s3.buckets`), and the model concatenates their objects in registry order.
 *
 * Contract: `adapt` returns one object per subject it models, each with the Subject a finding about
 * it names (for Terraform resources and Kubernetes objects: `subjectOf(fact)`, so fingerprints are
 * stable), every field of the concern's schema set (absent fields are `absent` Values, with the
 * default that applies and its documented source), and `locate`. It reads only `facts[adapter.facts]`.
 */
export interface Adapter<C extends ConcernId = ConcernId> {
  /** `<facts>/<concern path>`: `terraform/aws/s3`, `kubernetes/workloads`. */
  readonly id: string;
  readonly concern: C;
  readonly facts: FactsKey;
  /** The resource types or kinds it reads (`aws_s3_bucket`, `aws_s3_bucket_acl`, `Deployment`), for docs. */
  readonly reads: readonly string[];
  adapt(facts: Facts, ctx: AdapterContext): Concerns[C][];
  /** Where each field comes from, for docs/model.md (declarative adapters derive it from their field map). */
  readonly sources?: readonly FieldSourceDoc[];
}

/** Declares an adapter (identity; keeps the concern type). */
export function adapter<C extends ConcernId>(a: Adapter<C>): Adapter<C> {
  return a;
}

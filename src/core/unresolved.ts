/**
 * A value a source could not determine statically: a variable without a default, a resource
 * attribute computed at apply time (`aws_s3_bucket.b.id`, plan `after_unknown`), an unsupported
 * function, a `file()` outside the scan root. Checks must answer `unknown` (never `pass`) when the
 * value they need is Unresolved.
 *
 * `refs` lists the Terraform resource addresses the expression referenced, with the module prefix
 * (e.g. `module.logs.aws_s3_bucket.this`) and, where the expression names an instance by a literal
 * key, that instance address too (`aws_s3_bucket.b["logs"]`), so that checks can still link
 * companion resources to the resource they configure. For CloudFormation values, `refs` are the logical
 * ids of the resources the expression referenced (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`).
 */
export class Unresolved {
  readonly reason: string;
  readonly refs: readonly string[];
  /**
   * Set when the value is exactly one attribute of one resource instance computed at apply time
   * (`aws_s3_bucket.b.id`, also when passed on unchanged through locals, variables or module outputs),
   * not an expression built from it: the value then identifies that resource. `address` is the
   * instance or resource address as referenced (with module prefix), `attribute` the attribute name.
   */
  computed?: { address: string; attribute: string };
  /**
   * For a string built from a template or `format`/`join` whose only unknown parts are identifiers
   * (computed ids/ARNs, partition, region, account): the text with those parts written as
   * `${address.attr}` placeholders, e.g. `arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess`.
   */
  template?: string;

  constructor(reason: string, refs: readonly string[] = []) {
    this.reason = reason;
    this.refs = refs;
  }

  toJSON(): { unresolved: string; refs?: readonly string[] } {
    return this.refs.length ? { unresolved: this.reason, refs: this.refs } : { unresolved: this.reason };
  }
}

/** True when `v` is an {@link Unresolved} marker. */
export function isUnresolved(v: unknown): v is Unresolved {
  return v instanceof Unresolved;
}

import type { SourceLocation } from './location.js';
import type { Unresolved } from './unresolved.js';

/**
 * An evaluated Terraform value. Nested blocks are arrays of objects, exactly the shape of
 * `terraform show -json` (`resource_changes[].change.after`): `versioning { enabled = true }`
 * becomes `versioning: [{ enabled: true }]`. Anything not statically known is {@link Unresolved}.
 */
export type TfValue = string | number | boolean | null | Unresolved | TfValue[] | { [key: string]: TfValue };

/** An object of Terraform attributes and nested blocks. */
export type TfObject = { [key: string]: TfValue };

/**
 * One Terraform resource or data source instance, from HCL or from plan JSON.
 * Both sources must produce the same shape for the same infrastructure.
 */
export interface TerraformResource {
  kind: 'terraform';
  mode: 'managed' | 'data';
  /** Provider resource type, e.g. `aws_s3_bucket`. */
  type: string;
  /** Local name, e.g. `logs`. */
  name: string;
  /**
   * Full instance address inside its root module, Terraform syntax:
   * `module.net.aws_security_group.web["a"]`, `aws_instance.x[0]`, `data.aws_iam_policy_document.p`.
   */
  address: string;
  /** Address without the instance key of the resource itself: `module.net.aws_security_group.web`. */
  baseAddress: string;
  /** Module path prefix, `''` for the root module, e.g. `module.net` or `module.a.module.b`. */
  modulePath: string;
  /**
   * Directory of the root module this instance belongs to, relative to the scan root, POSIX, `.` for
   * the scan root itself. For plan JSON: the plan file's path. Addresses are unique within one root module.
   */
  rootModule: string;
  /** Evaluated attributes and nested blocks (plan JSON shape). */
  attributes: TfObject;
  /**
   * For each top-level attribute, the resource base addresses its expression referenced
   * (with module prefix), e.g. `{ bucket: ['aws_s3_bucket.logs'] }`; when the expression names an
   * instance with a literal key (`aws_s3_bucket.b["logs"].id`), the instance address too
   * (`aws_s3_bucket.b["logs"]`), and then links go to that instance only.
   * Used to link companion resources (aws_s3_bucket_* to their aws_s3_bucket).
   */
  references: Record<string, string[]>;
  /**
   * Top-level attributes whose expression is a single reference (a traversal such as
   * `aws_s3_bucket.b.id`, `aws_s3_bucket.b["logs"].bucket`, `each.value.id`), not a template,
   * conditional, function call or literal. Linking reads such an attribute as naming exactly what it
   * references; a composite expression that mentions a resource (`"${aws_s3_bucket.c.id}-archive"`,
   * `var.a ? aws_s3_bucket.a.id : aws_s3_bucket.b.id`) only may name it. Plan JSON does not record
   * expression shapes: there, an expression whose `references` all belong to one resource (or one
   * variable, local, `each`/`count` value) counts as a single reference.
   */
  singleReference?: readonly string[];
  /**
   * The provider configuration the resource uses, named as in the root module, e.g. `aws.usw2`
   * (HCL: the `provider` meta-argument or the type prefix, resolved through module calls'
   * `providers` maps; plan JSON: `provider_config_key`). Undefined means the root module's default
   * configuration; `module.x:aws` is a configuration declared inside module x. Region-wide settings
   * (e.g. EBS encryption by default) apply only to resources under the same configuration.
   */
  provider?: string;
  /**
   * What the configuration fixes about the version of the resource's provider (for defaults that
   * changed between provider major versions). Undefined when nothing is known.
   */
  providerVersion?: ProviderVersion;
  /** Where the resource block starts (for modules: the block inside the module's file). */
  location: SourceLocation;
  /**
   * Locations of attributes and nested blocks, keyed by path with numeric indexes for blocks:
   * `versioning`, `versioning.0.enabled`, `ingress.1.cidr_blocks`. May be empty (plan JSON).
   */
  attributeLocations: Record<string, SourceLocation>;
  origin: 'hcl' | 'plan';
}

/**
 * The version of one provider as a root module fixes it: `terraform init` installs the version in
 * `.terraform.lock.hcl` when the lock file lists the provider, else the newest version that every
 * `required_providers` constraint of the root module and its modules allows.
 */
export interface ProviderVersion {
  /** Provider source address without the registry host: `hashicorp/kubernetes`. */
  source: string;
  /**
   * Version constraints as written (`~> 2.0`, `>= 1.13, < 3`): every module's `required_providers`
   * entry for this provider (HCL), or the plan's `provider_config[].version_constraint`.
   */
  constraints: readonly string[];
  /** The version `.terraform.lock.hcl` of the root module selects, when it lists the provider. */
  locked?: string;
}

/** A path into a parsed document: object keys and array indexes. */
export type DocPath = readonly (string | number)[];

/**
 * One Kubernetes object from a manifest file (one YAML document, or one item of a `List`).
 */
export interface KubernetesObject {
  kind: 'kubernetes';
  apiVersion: string;
  /** Object kind, e.g. `Deployment`. */
  objectKind: string;
  name: string;
  /** `metadata.namespace` as written; undefined when absent (the object lands in the namespace of the kubectl context, usually `default`). */
  namespace?: string;
  /** `Kind/namespace/name`, with `~` for an absent namespace: `Deployment/~/web`. Unique per file set. */
  address: string;
  /** The parsed document (plain JSON values). */
  manifest: Record<string, unknown>;
  /**
   * The pod spec for workload kinds (Pod: `spec`; Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * Job: `spec.template.spec`; CronJob: `spec.jobTemplate.spec.template.spec`) and its path in `manifest`.
   */
  podSpec?: { spec: Record<string, unknown>; path: DocPath };
  /** Where the document (or List item) starts. */
  location: SourceLocation;
  /** Location of a path inside `manifest`; falls back to the object's location. */
  locate(path: DocPath): SourceLocation;
}

/**
 * Every fact the sources produced for one scan, by facts family. Each registered source
 * (`src/sources/registry.ts`) fills one family; a new family is one line here plus its source folder.
 * Checks declare the family they read in `CheckDefinition.input`.
 */
export interface Facts {
  /** Terraform resources and data sources, from HCL and from plan JSON alike. */
  terraform: TerraformResource[];
  /** Kubernetes objects from manifest files. */
  kubernetes: KubernetesObject[];
}

/** A facts family: `terraform`, `kubernetes`, ... */
export type FactsKey = keyof Facts;

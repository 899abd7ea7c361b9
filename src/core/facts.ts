import type { SourceLocation } from './location.js';
import type { Severity } from './outcome.js';
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
 * A secret found by the secrets source (src/sources/secrets): in the working tree or in an added
 * line of a commit. It never holds the secret: `hash` is an HMAC under the repository's salt, and
 * `preview` is masked. `span` (UTF-16 offsets in the file) lets evidence blobs be stored redacted.
 */
export interface SecretFact {
  kind: 'secret';
  /** Rule id (built-in or from the rules file) and its description. */
  rule: string;
  description: string;
  severity: Severity;
  /** HMAC-SHA-256 of the secret under the salt, hex: equal values hash alike, across files and commits. */
  hash: string;
  /** `tree`: in the working tree now; `history`: in a commit's added lines. */
  where: 'tree' | 'history';
  location: SourceLocation;
  /** History: the commit that added it (the oldest one when several did), its author date (ISO) and how many commits added it. */
  commit?: string;
  authorDate?: string;
  commits?: number;
  /** Tree: `[start, end)` of the secret in the file text, for redaction. */
  span?: [number, number];
  preview: string;
  entropy: number;
  /** An inline `evident:allow secret reason="..."` that covers it. */
  allowed?: { reason: string; line: number };
}

/**
 * What the secrets source looked at (one per scope), so a clean scan is a pass and not "nothing
 * found to judge". `skipped` lists files it could not scan (over the size limit) with the reason.
 */
export interface SecretScanFact {
  kind: 'secret-scan';
  scope: 'tree' | 'history';
  /** Files (tree) or file changes (history) scanned, and their bytes. */
  files: number;
  bytes: number;
  /** History: commits walked. */
  commits?: number;
  /** History: the clone is shallow, so commits before its boundary were not walked. */
  shallow?: boolean;
  rules: number;
  /** `builtin` or the rules file. */
  ruleSource: string;
  skipped: { file: string; reason: string }[];
  location: SourceLocation;
}

/** OSV ecosystem names of the lockfiles Evident reads (https://ossf.github.io/osv-schema/#affectedpackage-field). */
export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'crates.io' | 'RubyGems' | 'Packagist';

/** One package a lockfile pins (src/sources/dependencies). */
export interface PackageFact {
  kind: 'package';
  ecosystem: Ecosystem;
  /** Name as the ecosystem writes it (`@scope/name`, Go module path, PEP 503-normalised for PyPI). */
  name: string;
  /** Exact version; absent when the file does not pin one (an unpinned requirements.txt line). */
  version?: string;
  /** Package URL (purl spec), with the version when known. */
  purl: string;
  /** True: a direct dependency of the project; false: transitive; absent: the lockfile does not say. */
  direct?: boolean;
  /** A development-only dependency, when the lockfile says. */
  dev?: boolean;
  /** Lockfile path relative to the scan root. */
  lockfile: string;
  location: SourceLocation;
}

/** One lockfile read: its format and how many packages it pins. */
export interface LockfileFact {
  kind: 'lockfile';
  file: string;
  /** `package-lock.json v3`, `yarn.lock (berry)`, `poetry.lock`, ... */
  format: string;
  ecosystem: Ecosystem;
  packages: number;
  location: SourceLocation;
}

/** The OSV database the scan matched against (absent: none configured). */
export interface OsvDatabaseFact {
  kind: 'osv-database';
  /** As configured (`--osv`, evident.yaml `dependencies.osv`). */
  path: string;
  /** Records read and kept (those naming a package of the scanned lockfiles). */
  records: number;
  kept: number;
  /** sha256 of the zip file, or of the sorted `sha256  path` lines of a directory's JSON files. */
  sha256: string;
  /** Latest `modified` among kept records (ISO), a freshness hint. */
  modified?: string;
  location: SourceLocation;
}

/**
 * A package version an OSV advisory affects (aliases merged into one), or one whose affectedness
 * could not be decided (`undetermined` says why: a version the ecosystem's ordering cannot parse).
 */
export interface VulnerabilityFact {
  kind: 'vulnerability';
  /** Canonical advisory id (the smallest record id of the merged group, e.g. `GHSA-...`). */
  id: string;
  /** Every other id of the group: record ids and their `aliases` (CVE-..., PYSEC-...). */
  aliases: string[];
  summary: string;
  severity: Severity;
  /** `database` (database_specific.severity), `cvss-v3`, `cvss-v4`, or `unrated`. */
  severitySource: string;
  /** Versions that fix it, from the matching ranges. */
  fixed: string[];
  ecosystem: Ecosystem;
  package: string;
  version: string;
  purl: string;
  direct?: boolean;
  lockfile: string;
  location: SourceLocation;
  undetermined?: string;
}

/** Facts of the dependencies source. */
export type DependencyFact = PackageFact | LockfileFact | OsvDatabaseFact | VulnerabilityFact;

/**
 * An evaluated CloudFormation value: JSON values as the template gives them once intrinsic functions
 * are resolved (`!Sub`, `!If`, `!FindInMap`, parameter defaults, ...). `Ref AWS::NoValue` removes the
 * property or list element. Anything not statically known (a resource attribute, a parameter without
 * a default, `AWS::Region` unless given, an imported value) is {@link Unresolved}, whose `refs` are the
 * logical ids of the resources it referenced.
 */
export type CfnValue =
  | string
  | number
  | boolean
  | null
  | Unresolved
  | CfnValue[]
  | { [key: string]: CfnValue };

/** An object of evaluated CloudFormation properties. */
export type CfnObject = { [key: string]: CfnValue };

/**
 * One resource of a CloudFormation template (JSON or YAML, SAM included), after intrinsic functions
 * are resolved where static (src/sources/cloudformation). Resources whose `Condition` is statically
 * false are not facts (CloudFormation does not create them).
 */
export interface CloudFormationResource {
  kind: 'cloudformation';
  /** Resource type as written: `AWS::S3::Bucket`, `AWS::Serverless::Function`, `Custom::Thing`. */
  type: string;
  /**
   * Logical id, unique within its template: `LogsBucket`. Resources of an `Fn::ForEach` loop get the
   * expanded ids (`BucketA`); a loop whose collection is not known statically gives one resource with
   * `*` for the loop value (`Bucket*`), its identifier Unresolved.
   */
  logicalId: string;
  /** Same as `logicalId` (the subject address); `template` disambiguates across templates. */
  address: string;
  /** The template file, POSIX, relative to the scan root. */
  template: string;
  /** Evaluated `Properties` (an empty object when the resource has none). */
  properties: CfnObject;
  /**
   * Locations of properties by path, keys and list indexes joined with `.`:
   * `BucketEncryption`, `SecurityGroupIngress.0.CidrIp`. For a value chosen by `Fn::If` or read from a
   * mapping, the location of the expression in the resource. Every evaluated property path has one.
   */
  propertyLocations: Record<string, SourceLocation>;
  /**
   * For each top-level property, the logical ids its expression referenced (`Ref`, `Fn::GetAtt`,
   * `${X}` in `Fn::Sub`), e.g. `{ Bucket: ['LogsBucket'] }`. Used to link companion resources (a
   * bucket policy to its bucket).
   */
  references: Record<string, string[]>;
  /**
   * Top-level properties whose value is exactly one `Ref` or `Fn::GetAtt` of a resource
   * (`Bucket: !Ref Logs`), as opposed to a composite expression that mentions resources (`!If`,
   * `!Sub`, `!Join`): only these name their referenced resource for certain.
   */
  singleReference: string[];
  /** `DependsOn` logical ids. */
  dependsOn: string[];
  /**
   * The resource's `Condition`: its name and value. `true` when it holds statically; Unresolved when it
   * depends on something not known (the resource may or may not be created). Absent: unconditional.
   */
  condition?: { name: string; value: true | Unresolved };
  /**
   * Set when the whole `Properties` is an expression not known statically (an `Fn::If` on an unknown
   * condition): `properties` is then empty and every property is unknown.
   */
  unresolvedProperties?: Unresolved;
  /** `DeletionPolicy` and `UpdateReplacePolicy` when written (evaluated). */
  deletionPolicy?: CfnValue;
  updateReplacePolicy?: CfnValue;
  /**
   * For nested stacks (`AWS::CloudFormation::Stack`, `AWS::Serverless::Application`): where the
   * child template is. `local` is the path relative to the scan root when `TemplateURL`/`Location`
   * is a relative file path (as before `aws cloudformation package`), `exists` whether it was found;
   * `url` is an S3/HTTPS location that is not evaluated. The child template, when it is a file under
   * the scan root, is read as a template of its own (without the parent's parameters).
   */
  nestedStack?: { local?: string; exists?: boolean; url?: string; unresolved?: Unresolved };
  /**
   * Template-level `Transform` names (`AWS::Serverless-2016-10-31`, `AWS::LanguageExtensions`, macro
   * names). Macros other than SAM and language extensions rewrite the template before deployment; the
   * resource is read as written.
   */
  transforms: string[];
  /** Where the resource's logical id is written. */
  location: SourceLocation;
  origin: 'yaml' | 'json';
}

/**
 * Every fact the sources produced for one scan, by facts family. Each registered source
 * (`src/sources/registry.ts`) fills one family; a new family is one line here plus its source folder.
 * Checks declare the family they read in `CheckDefinition.input`.
 */
export interface Facts {
  /** Terraform resources and data sources, from HCL and from plan JSON alike. */
  terraform: TerraformResource[];
  /** CloudFormation resources from templates (YAML and JSON, SAM included). */
  cloudformation: CloudFormationResource[];
  /** Kubernetes objects from manifest files. */
  kubernetes: KubernetesObject[];
  /** Secrets in the working tree and git history, and what was scanned. */
  secrets: (SecretFact | SecretScanFact)[];
  /** Packages from lockfiles, the OSV database used, and the advisories that affect them. */
  dependencies: DependencyFact[];
}

/** A facts family: `terraform`, `kubernetes`, ... */
export type FactsKey = keyof Facts;

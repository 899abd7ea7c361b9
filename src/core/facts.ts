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
   * The provider configuration the resource uses, named as in the root module, e.g. `aws.usw2`
   * (HCL: the `provider` meta-argument or the type prefix, resolved through module calls'
   * `providers` maps; plan JSON: `provider_config_key`). Undefined means the root module's default
   * configuration; `module.x:aws` is a configuration declared inside module x. Region-wide settings
   * (e.g. EBS encryption by default) apply only to resources under the same configuration.
   */
  provider?: string;
  /** Where the resource block starts (for modules: the block inside the module's file). */
  location: SourceLocation;
  /**
   * Locations of attributes and nested blocks, keyed by path with numeric indexes for blocks:
   * `versioning`, `versioning.0.enabled`, `ingress.1.cidr_blocks`. May be empty (plan JSON).
   */
  attributeLocations: Record<string, SourceLocation>;
  origin: 'hcl' | 'plan';
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
 * Every fact the sources produced for one scan, by facts family. Each registered source
 * (`src/sources/registry.ts`) fills one family; a new family is one line here plus its source folder.
 * Checks declare the family they read in `CheckDefinition.input`.
 */
export interface Facts {
  /** Terraform resources and data sources, from HCL and from plan JSON alike. */
  terraform: TerraformResource[];
  /** Kubernetes objects from manifest files. */
  kubernetes: KubernetesObject[];
  /** Secrets in the working tree and git history, and what was scanned. */
  secrets: (SecretFact | SecretScanFact)[];
  /** Packages from lockfiles, the OSV database used, and the advisories that affect them. */
  dependencies: DependencyFact[];
}

/** A facts family: `terraform`, `kubernetes`, ... */
export type FactsKey = keyof Facts;

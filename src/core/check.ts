import type { ConcernId } from '../model/concerns.js';
import type { Model } from '../model/model.js';
import type {
  CloudFormationResource,
  Facts,
  FactsKey,
  KubernetesObject,
  TerraformResource,
} from './facts.js';
import type { AppliedWaiver, SecretSighting, SlaClock } from './finding.js';
import type { FrameworkMappings } from './framework-id.js';
import type { SourceLocation } from './location.js';
import type { Outcome, Severity } from './outcome.js';
import type { TerraformIndex } from './terraform-index.js';

/**
 * What a finding is about. `address` is the Terraform instance address, the CloudFormation logical
 * id or the Kubernetes `Kind/namespace/name`; `scope` disambiguates equal addresses across root
 * modules / files (Terraform: the root module dir; CloudFormation: the template; Kubernetes: the
 * manifest file).
 */
export interface Subject {
  /**
   * The facts family the subject comes from (`terraform`, `kubernetes`, ...: a {@link FactsKey}), or,
   * for a subject that is not a file fact (a repository, a change, a process record), the rule domain.
   * Part of the fingerprint: never rename a kind.
   */
  kind: FactsKey | (string & {});
  /** Terraform resource type or Kubernetes kind. */
  type: string;
  address: string;
  scope: string;
  location: SourceLocation;
}

/**
 * The subject of a Terraform resource, CloudFormation resource (address: the logical id; scope: the
 * template file) or Kubernetes object.
 */
export function subjectOf(fact: TerraformResource | CloudFormationResource | KubernetesObject): Subject {
  if (fact.kind === 'cloudformation') {
    return {
      kind: 'cloudformation',
      type: fact.type,
      address: fact.address,
      scope: fact.template,
      location: fact.location,
    };
  }
  if (fact.kind === 'terraform') {
    return {
      kind: 'terraform',
      type: fact.type,
      address: fact.address,
      scope: fact.rootModule,
      location: fact.location,
    };
  }
  return {
    kind: 'kubernetes',
    type: fact.objectKind,
    address: fact.address,
    scope: fact.location.file,
    location: fact.location,
  };
}

/**
 * One verdict a check returns for one subject. `location` narrows to the offending attribute when known.
 * `error` means the check could not evaluate this subject (a rule expression that failed on it, e.g.
 * reading an attribute it did not test with has()); it counts as failing, never as a pass.
 */
export interface CheckResult {
  subject: Subject;
  outcome: Outcome;
  /** Human sentence: what was observed, e.g. `ingress rule 0 allows 0.0.0.0/0 to port 22`. For unknown: why it could not be observed. */
  message: string;
  /** Which of the check's message templates produced `message` (ESLint style; see src/core/verdict.ts). */
  messageId?: string;
  location?: SourceLocation;
  /** This finding's own severity when it differs from the check's (a vulnerability's advisory severity). */
  severity?: Severity;
  /** An in-code allowance the check observed (an inline `evident:allow` comment with its reason). */
  waiver?: AppliedWaiver;
  /** The remediation clock of a clocked finding. */
  sla?: SlaClock;
  /** A secret's details (secrets checks). */
  secret?: SecretSighting;
}

/**
 * What earlier runs in the evidence log saw, as of the evaluation instant (built by the engine from
 * the log with src/evidence/first-seen.ts; pure data for the checks).
 */
export interface ClockHistory {
  /** Real time of this run: the first sighting of a fingerprint no earlier run saw. */
  runAt: Date;
  /** True when an earlier recorded run (at or before the evaluation instant) evaluated `checkId`. */
  hasEarlierRun(checkId: string): boolean;
  /** When an earlier run first saw `fingerprint` (finding fingerprint), or undefined. */
  firstSeen(fingerprint: string): Date | undefined;
}

/**
 * Remediation budgets in hours by severity (`unrated`: an advisory without severity) and for secrets
 * (rotate after first sight): evident.yaml `sla:`; defaults {@link DEFAULT_SLA}.
 */
export interface SlaPolicy {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unrated: number;
  secrets: number;
}

/** Default budgets: critical 48 h, high 7 days, medium and low 30 days, unrated as high, secrets 24 h. */
export const DEFAULT_SLA: SlaPolicy = {
  critical: 48,
  high: 7 * 24,
  medium: 30 * 24,
  low: 30 * 24,
  unrated: 7 * 24,
  secrets: 24,
};

/** What a check may use besides facts. Checks never read the clock, env or files: they get `now` here. */
export interface CheckContext {
  now: Date;
  terraform: TerraformIndex;
  /** Earlier runs' sightings; absent: no evidence log was read, so clocks are `unknown`. */
  history?: ClockHistory;
  /** Remediation budgets; absent: {@link DEFAULT_SLA}. */
  sla?: SlaPolicy;
  /**
   * The concern-typed model of the scan (src/model): built once per scan, lazily per concern, and
   * shared by every check. Checks over the model read `ctx.model.get('aws.s3.buckets')`.
   */
  model: Model;
}

/**
 * Classes of inputs an attacker of a rule writes to get a wrong verdict (docs/adversarial-review.md):
 * `spelling` (another spelling of the same value: `"true"`, `yes`, `S3:**`, `LATEST`), `equivalent-values`
 * (a different value with the same effect: `0.0.0.0/1` + `128.0.0.0/1`, `arn:aws:*:*:*:*`, a limit of
 * `0`), `indirection` (through locals, variables with defaults, functions, documents, attachments,
 * anchors), `ordering` (merge keys, rule priority, Sid overrides, pod vs container settings),
 * `unresolvable` (values not known statically: variables, data sources, workspaces), `linking`
 * (companion resources and what they name), `provider-default` (what an unset value means, and which
 * defaults count), `invalid-input` (configurations the platform rejects), `coverage` (other resource
 * types, kinds or attachment paths that reach the same state).
 */
export type AdversarialClass =
  | 'spelling'
  | 'equivalent-values'
  | 'indirection'
  | 'ordering'
  | 'unresolvable'
  | 'linking'
  | 'provider-default'
  | 'invalid-input'
  | 'coverage';

/**
 * A built-in check (DESIGN.md "A check is one folder"). Lives in
 * `src/checks/<domain>/<slug>/check.ts` as `export const check: CheckDefinition`.
 * `evaluate` is pure and synchronous; it returns one result per applicable subject and nothing for
 * subjects it does not apply to. Throwing is allowed: the engine turns it into an `error` finding.
 */
export interface CheckDefinition {
  /** `<domain>.<slug>`, named for the good state, permanent. e.g. `aws.s3-bucket-encrypted`. */
  id: string;
  /** Former IDs still accepted in evident.yaml and baselines. */
  aliases?: string[];
  title: string;
  severity: Severity;
  /** Why it matters, one or two sentences. */
  rationale: string;
  /** What to change, concretely (attribute names, example). */
  remediation: string;
  /** The facts family the check reads (a registered source fills it). */
  input: FactsKey;
  /** Default framework mappings; evident.yaml may override. */
  mappings: FrameworkMappings;
  /**
   * Paths under ../shared/corpora/trivy-checks/checks (without `.yaml`) whose good/bad snippets this
   * check must agree with, e.g. `['cloud/aws/s3/enable_bucket_encryption']`.
   */
  trivyEquivalents?: string[];
  /** Reference links (provider docs, CIS benchmark section). */
  references?: string[];
  /**
   * True when its findings carry a remediation clock (`CheckResult.sla`): the engine then reads the
   * evidence log for earlier sightings (`CheckContext.history`).
   */
  clocked?: boolean;
  /**
   * Model concerns the check reads (`aws.s3.buckets`, `k8s.workloads`). A check over the model judges
   * every input whose adapters feed these concerns (e.g. Kubernetes manifests and Terraform
   * `kubernetes_*` resources for `k8s.workloads`), so its fixtures may be of any of those inputs.
   */
  concerns?: readonly ConcernId[];
  /** Message templates by messageId (`{{name}}` placeholders), rendered by src/core/verdict.ts. */
  messages?: Readonly<Record<string, string>>;
  /**
   * The adversarial classes this check's fixtures cover, each with the fixture file names that
   * cover it (the conformance test asserts they exist; docs/checks.md lists them).
   */
  adversarial?: Partial<Record<AdversarialClass, string[]>>;
  evaluate(facts: Facts, ctx: CheckContext): CheckResult[];
}

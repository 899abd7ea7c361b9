/**
 * The admission decision: the object under review becomes a KubernetesObject fact through the scan's own
 * construction (buildKubernetesObject), is judged by the scan's own rule set and waivers (evaluateFacts), and
 * each failing verdict is turned into deny / warn / ignore by the `admission:` policy of evident.yaml
 * (docs/admission.md "Modes").
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { AdmissionMode, AdmissionPolicy } from '../control-map/admission-config.js';
import type { CheckDefinition } from '../core/check.js';
import { EvidentError } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { Outcome } from '../core/outcome.js';
import { evaluateFacts, type RuleSet } from '../engine/rule-set.js';
import { canonicalize } from '../evidence/canonical-json.js';
import { buildKubernetesObject, isPlainObject } from '../sources/kubernetes/object.js';
import { imagesOf, ProvenanceIndex } from './image-provenance.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';

/** What one rule's verdict did to the request. */
export type Effect = 'deny' | 'warn' | 'waived' | 'off';

/** One rule's verdict on the object, with the mode that applied and its effect. */
export interface RuleDecision {
  rule: string;
  outcome: Outcome;
  mode: AdmissionMode;
  effect: Effect;
  message: string;
  /** Ids of the controls of evident.yaml that list the rule. */
  controls: string[];
}

/**
 * One admission decision, as recorded in the evidence log (predicate `admission-decisions/v1`). The object
 * itself is not recorded (it may hold secrets in env values): `objectSha256` is the sha256 of its canonical JSON.
 */
export interface AdmissionDecision {
  uid: string;
  /** ISO 8601 UTC time of the decision. */
  decidedAt: string;
  operation: AdmissionRequest['operation'];
  namespace?: string;
  kind: string;
  name: string;
  user?: string;
  dryRun?: boolean;
  allowed: boolean;
  /** `judged`: the rules ran; `excluded`: the namespace is excluded; `skipped`: DELETE/CONNECT or no object. */
  disposition: 'judged' | 'excluded' | 'skipped';
  objectSha256?: string;
  /** Verdicts that were not a pass (fail, error, unknown), and what each did. */
  results: RuleDecision[];
}

/** What the webhook needs to decide: the rule set, the policy and the namespace it runs in. */
export interface DecideContext {
  rules: RuleSet;
  policy: AdmissionPolicy;
  /** The webhook's own namespace: never judged (a broken rule must not lock the webhook out of its own updates). */
  ownNamespace?: string;
  /** The Kubernetes checks of `rules` (input `kubernetes`), precomputed once. */
  checks: readonly CheckDefinition[];
  /** Control ids per rule id, precomputed once. */
  controlsByRule: ReadonlyMap<string, string[]>;
  /** Attestations, when some namespace requires image provenance. */
  provenance?: ProvenanceIndex;
}

/** Rule id of the image provenance requirement in decisions and messages. */
export const IMAGE_PROVENANCE_RULE = 'evident.image-provenance';

/**
 * Precomputes what {@link decide} reuses on every request. When the policy requires image provenance
 * (`imageProvenance` other than `off`, anywhere), indexes the attestations of `provenance:`; throws
 * EvidentError(E_CONFIG) when evident.yaml has no `provenance:` section then, or a trusted key cannot be read.
 */
export function decideContext(rules: RuleSet, policy: AdmissionPolicy, ownNamespace?: string): DecideContext {
  const wanted = [
    ...(policy.imageProvenance !== 'off' ? ['admission.imageProvenance'] : []),
    ...Object.entries(policy.namespaces)
      .filter(([, n]) => n.imageProvenance !== undefined && n.imageProvenance !== 'off')
      .map(([ns]) => `admission.namespaces.${ns}.imageProvenance`),
  ];
  let provenance: ProvenanceIndex | undefined;
  if (wanted.length) {
    if (!rules.map.provenance) {
      throw new EvidentError(
        'E_CONFIG',
        `${wanted.join(', ')} requires build provenance, but evident.yaml has no provenance: section (trusted keys, builders, source repositories, attestations)`,
        { file: rules.configPath, hint: 'docs/admission.md "Requiring build provenance" shows one' },
      );
    }
    provenance = new ProvenanceIndex(rules.map.provenance, dirname(rules.configPath));
  }
  const controlsByRule = new Map<string, string[]>();
  for (const c of rules.map.controls) {
    for (const id of c.checks) controlsByRule.set(id, [...(controlsByRule.get(id) ?? []), c.id]);
  }
  return {
    rules,
    policy,
    ownNamespace,
    checks: rules.checks.filter((c) => c.input === 'kubernetes'),
    controlsByRule,
    ...(provenance ? { provenance } : {}),
  };
}

/**
 * The mode of `rule` in `namespace`, most specific first: `namespaces.N.rules.R`, `namespaces.N.mode`,
 * `rules.R`, then `mode` for a rule a control lists, and the milder of `mode` and `audit` for one no control lists.
 */
export function modeOf(
  policy: AdmissionPolicy,
  rule: string,
  namespace: string | undefined,
  controlled: boolean,
): AdmissionMode {
  const ns = namespace !== undefined ? policy.namespaces[namespace] : undefined;
  const explicit = ns?.rules[rule] ?? ns?.mode ?? policy.rules[rule];
  if (explicit) return explicit;
  if (controlled || policy.mode === 'off') return policy.mode;
  return 'audit';
}

/** Kubernetes prints warnings over 256 characters truncated; keep each line readable. */
const MAX_LINE = 400;

function clip(s: string): string {
  return s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s;
}

/**
 * Decides one AdmissionRequest at `now`. Never throws for a rule that throws (run-checks turns it into an `error`
 * verdict, which follows `failurePolicy`). The response's `status.message` lists one line per denying rule:
 * `rule [controls]: what was observed. Fix: remediation`.
 */
export function decide(
  ctx: DecideContext,
  req: AdmissionRequest,
  now: Date,
): { response: AdmissionResponse; decision: AdmissionDecision } {
  const policy = ctx.policy;
  const obj = isPlainObject(req.object) ? { ...req.object } : undefined;
  const meta = obj && isPlainObject(obj.metadata) ? obj.metadata : {};
  const kind = (typeof obj?.kind === 'string' && obj.kind) || req.kind.kind;
  const name =
    (typeof meta.name === 'string' && meta.name) ||
    req.name ||
    (typeof meta.generateName === 'string' && meta.generateName ? `${meta.generateName}*` : '(unnamed)');
  const base: AdmissionDecision = {
    uid: req.uid,
    decidedAt: now.toISOString(),
    operation: req.operation,
    ...(req.namespace ? { namespace: req.namespace } : {}),
    kind,
    name,
    ...(req.userInfo.username ? { user: req.userInfo.username } : {}),
    ...(req.dryRun ? { dryRun: true } : {}),
    allowed: true,
    disposition: 'judged',
    results: [],
  };
  const allow = (disposition: AdmissionDecision['disposition']) => ({
    response: { uid: req.uid, allowed: true },
    decision: { ...base, disposition },
  });
  if (!obj || req.operation === 'DELETE' || req.operation === 'CONNECT') return allow('skipped');
  const ns = req.namespace;
  if (ns !== undefined && (policy.excludeNamespaces.includes(ns) || ns === ctx.ownNamespace))
    return allow('excluded');

  // The API server has already set metadata.namespace to the request's namespace (EnsureObjectNamespaceMatchesRequestNamespace).
  if (ns && meta.namespace === undefined) obj.metadata = { ...meta, namespace: ns };
  if (typeof obj.apiVersion !== 'string')
    obj.apiVersion = [req.kind.group, req.kind.version].filter(Boolean).join('/');
  if (typeof obj.kind !== 'string') obj.kind = req.kind.kind;
  const location = { file: `admission:${req.uid}`, line: 1 };
  const { object, problem } = buildKubernetesObject(obj, location, () => location);
  const facts: Facts = { terraform: [], kubernetes: [object] };
  const { findings } = evaluateFacts(ctx.checks, facts, ctx.rules.map.waivers, now);
  if (problem?.severity === 'error') {
    findings.push(problemFinding(object.address, problem.message, location));
  }

  const denies: string[] = [];
  const warnings: string[] = [];
  const results: RuleDecision[] = [];
  const remediation = new Map(ctx.checks.map((c) => [c.id, c.remediation]));
  for (const f of findings) {
    if (f.outcome === 'pass' || f.outcome === 'not-applicable') continue;
    const controls = ctx.controlsByRule.get(f.checkId) ?? [];
    const mode = modeOf(policy, f.checkId, ns, controls.length > 0);
    const tag = `${f.checkId}${controls.length ? ` [${controls.join(', ')}]` : ''}`;
    let effect: Effect;
    if (mode === 'off') effect = 'off';
    else if (f.waiver && !f.waiver.expired) effect = 'waived';
    else if (mode === 'audit') effect = 'warn';
    else if (f.outcome === 'unknown') effect = policy.unknown === 'deny' ? 'deny' : 'warn';
    else if (f.outcome === 'error') effect = policy.failurePolicy === 'Fail' ? 'deny' : 'warn';
    else effect = 'deny';
    results.push({ rule: f.checkId, outcome: f.outcome, mode, effect, message: f.message, controls });
    if (effect === 'deny') {
      const fix = remediation.get(f.checkId);
      denies.push(clip(`${tag}: ${f.message}${fix ? `. Fix: ${fix}` : ''}`));
    } else if (effect === 'warn') {
      const why = f.outcome === 'fail' ? 'audit' : f.outcome;
      warnings.push(clip(`evident (${why}) ${tag}: ${f.message}`));
    } else if (effect === 'waived') {
      warnings.push(clip(`evident (waived until ${f.waiver?.expires}) ${tag}: ${f.message}`));
    }
  }
  const provenanceMode =
    (ns !== undefined ? policy.namespaces[ns]?.imageProvenance : undefined) ?? policy.imageProvenance;
  if (ctx.provenance && provenanceMode !== 'off' && object.podSpec) {
    for (const { container, image } of imagesOf(object.podSpec.spec)) {
      const v =
        typeof image === 'string'
          ? ctx.provenance.check(image)
          : { ok: false, message: `container ${container} names no image` };
      if (v.ok) continue;
      const effect: Effect = provenanceMode === 'enforce' ? 'deny' : 'warn';
      results.push({
        rule: IMAGE_PROVENANCE_RULE,
        outcome: 'fail',
        mode: provenanceMode,
        effect,
        message: v.message,
        controls: [],
      });
      if (effect === 'deny') {
        denies.push(
          clip(
            `${IMAGE_PROVENANCE_RULE}: container ${container}: ${v.message}. Fix: deploy images built by CI, by digest, attested with \`evident attest --image\``,
          ),
        );
      } else
        warnings.push(clip(`evident (audit) ${IMAGE_PROVENANCE_RULE}: container ${container}: ${v.message}`));
    }
  }
  const allowed = denies.length === 0;
  const response: AdmissionResponse = { uid: req.uid, allowed };
  if (!allowed) {
    response.status = {
      code: 403,
      reason: 'Forbidden',
      message: `evident denied ${kind} ${ns ? `${ns}/` : ''}${name}:\n${denies.join('\n')}`,
    };
  }
  if (warnings.length) response.warnings = warnings;
  return {
    response,
    decision: {
      ...base,
      allowed,
      objectSha256: createHash('sha256').update(canonicalize(req.object)).digest('hex'),
      results,
    },
  };
}

function problemFinding(address: string, message: string, location: { file: string; line: number }): Finding {
  return {
    checkId: 'k8s.pod-spec',
    title: 'The object is a valid workload',
    severity: 'high',
    outcome: 'error',
    subject: { kind: 'kubernetes', type: 'workload', address, scope: location.file, location },
    message,
    location,
    fingerprint: '',
  };
}

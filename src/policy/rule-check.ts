// Turns a parsed rule file into a CheckDefinition, so rule files and TypeScript checks share one
// registry, one conformance test, one docs generator and every output. Outcomes (docs/policies.md
// "Outcomes"): every assertion true → pass; one false → fail; otherwise an error → error; otherwise
// an unknown → unknown (never pass); `applies` false → no result (not applicable).

import { factsFeeding } from '../adapters/registry.js';
import { isAbsence } from '../cel/compile.js';
import type { Activation } from '../cel/function.js';
import { type PathSegment, staticPaths } from '../cel/paths.js';
import { CelError, formatValue, Unknown } from '../cel/value.js';
import type { CheckContext, CheckDefinition, CheckResult } from '../core/check.js';
import type { Facts, FactsKey } from '../core/facts.js';
import type { SourceLocation } from '../core/location.js';
import type { ConcernId } from '../model/concerns.js';
import type { MessageTemplate, RuleExpression, RuleSpec } from './rule-file.js';
import { expandTypes, RULE_INPUTS, type RuleSubject } from './rule-inputs.js';

/** A CheckDefinition made from a rule file; `rule` keeps the parsed file (expressions, file path). */
export interface RuleCheckDefinition extends CheckDefinition {
  rule: RuleSpec;
  /** The facts family types this rule judges (aliases expanded), for fixture expectations. */
  resourceTypes: string[];
}

/** True when `check` was made from a rule file. */
export function isRuleCheck(check: CheckDefinition): check is RuleCheckDefinition {
  return 'rule' in check && (check as RuleCheckDefinition).rule !== undefined;
}

function render(t: MessageTemplate, a: Activation): string {
  let out = '';
  for (const part of t) out += typeof part === 'string' ? part : formatValue(part.program(a));
  return out.trim();
}

/** `['versioning', 0, 'enabled']` from `resource.versioning[0].enabled`; undefined for another root. */
export function pathSegments(rendered: string): PathSegment[] | undefined {
  if (!rendered.startsWith('resource')) return undefined;
  const segs: PathSegment[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  re.lastIndex = 'resource'.length;
  for (let m = re.exec(rendered); m; m = re.exec(rendered)) {
    segs.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)));
  }
  return segs;
}

/** Where to point a fail: the first attribute the expression reads that the source located. */
function failLocation(expr: RuleExpression, s: RuleSubject): SourceLocation {
  for (const p of staticPaths(expr.ast)) {
    if (p.root.kind !== 'resource') continue;
    const segs = p.segments.map((x) => (x === '*' ? 0 : x));
    const loc = s.locate(segs);
    if (loc !== s.subject.location) return loc;
  }
  return s.subject.location;
}

function unknownLocation(u: Unknown, s: RuleSubject): SourceLocation {
  for (const c of u.causes) {
    const segs = pathSegments(c.path);
    if (segs) return s.locate(segs);
  }
  return s.subject.location;
}

function judge(rule: RuleSpec, s: RuleSubject): CheckResult | undefined {
  const a: Activation = {
    vars: { resource: s.resource, address: s.address, resourceType: s.resourceType, provider: s.provider },
    slots: [],
    host: s.host,
  };
  const result = (
    outcome: CheckResult['outcome'],
    message: string,
    location?: SourceLocation,
  ): CheckResult => ({
    subject: s.subject,
    outcome,
    message,
    ...(location && location !== s.subject.location ? { location } : {}),
  });
  let applies: unknown = true;
  if (rule.applies) {
    applies = rule.applies.program(a);
    if (applies === false) return undefined;
    if (isAbsence(applies)) return result('error', `rule error in applies: ${(applies as CelError).message}`);
    if (applies instanceof CelError)
      applies = new Unknown([{ path: 'the input (applies)', reason: applies.message }]);
    if (applies !== true && !(applies instanceof Unknown))
      return result('error', `rule error: applies returned ${formatValue(applies)}, not a bool`);
  }
  const failed: string[] = [];
  let failAt: SourceLocation | undefined;
  let error: string | undefined;
  let unknown: Unknown | undefined;
  for (const assertion of rule.asserts) {
    const v = assertion.expr.program(a);
    const label = assertion.name ? ` in assertion '${assertion.name}'` : '';
    if (v === true) continue;
    if (v === false) {
      failed.push(render(assertion.message ?? rule.message, a));
      failAt ??= failLocation(assertion.expr, s);
    } else if (v instanceof Unknown) unknown = Unknown.merge(unknown, v);
    else if (isAbsence(v)) error ??= `rule error${label}: ${(v as CelError).message}`;
    else if (v instanceof CelError)
      // The data does not have the shape the rule expects (a map where a list belongs, a string
      // where a bool belongs): the verdict cannot be observed, so unknown, never pass.
      unknown = Unknown.merge(unknown, new Unknown([{ path: `the input${label}`, reason: v.message }]));
    else error ??= `rule error${label}: the assertion returned ${formatValue(v)}, not a bool`;
  }
  if (failed.length) {
    const message = [...new Set(failed)].join('; ');
    if (applies instanceof Unknown)
      return result(
        'unknown',
        `${message}, if the rule applies: ${applies.describe()}`,
        unknownLocation(applies, s),
      );
    return result('fail', message, failAt);
  }
  if (error) return result('error', `${error}. Its verdict on this resource is missing; fix the rule`);
  if (unknown && applies instanceof Unknown) unknown = Unknown.merge(unknown, applies);
  if (unknown)
    return result(
      'unknown',
      `${unknown.describe()}: cannot tell whether ${lowerFirst(rule.title)}`,
      unknownLocation(unknown, s),
    );
  return result('pass', rule.passMessage ? render(rule.passMessage, a) : rule.title);
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/**
 * The CheckDefinition of a parsed rule. `evaluate` enumerates the subjects of the rule's input and
 * types, runs `applies` and the assertions once each per subject (the expressions were compiled
 * when the file was parsed: once per scan), and returns one result per applicable subject.
 */
export function ruleCheck(rule: RuleSpec): RuleCheckDefinition {
  const input = RULE_INPUTS[rule.input];
  if (!input) throw new Error(`rule ${rule.id}: input ${rule.input} is not registered`);
  const types = expandTypes(input, rule.resourceTypes);
  const check: RuleCheckDefinition = {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    rationale: rule.rationale,
    remediation: rule.remediation,
    // A rule over the model judges every input whose adapters feed its concerns.
    input: (rule.input === 'model'
      ? (factsFeeding([...types] as ConcernId[])[0] ?? 'terraform')
      : rule.input) as FactsKey,
    ...(rule.input === 'model' ? { concerns: [...types] as ConcernId[] } : {}),
    mappings: rule.mappings,
    rule,
    resourceTypes: [...types],
    evaluate(facts: Facts, ctx: CheckContext): CheckResult[] {
      const out: CheckResult[] = [];
      for (const s of input.subjects(facts, ctx, types)) {
        const r = judge(rule, s);
        if (r) out.push(r);
      }
      return out;
    },
  };
  if (rule.aliases) check.aliases = rule.aliases;
  if (rule.references) check.references = rule.references;
  if (rule.trivyEquivalents) check.trivyEquivalents = rule.trivyEquivalents;
  if (rule.adversarial) check.adversarial = rule.adversarial;
  return check;
}

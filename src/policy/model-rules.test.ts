// Rules over the concern-typed model (`input: model`): concerns and fields are checked against the
// model's schema when the rule is loaded, and one rule judges every input feeding its concern.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadInput } from '../../test/conformance/run-fixture.js';
import { createCheckContext } from '../engine/check-context.js';
import { ruleCheck } from './rule-check.js';
import { RuleFileError } from './rule-error.js';
import { parseRuleText } from './rule-file.js';

const RULE = `id: acme.no-privileged
title: Containers are not privileged
severity: high
input: model
resourceTypes: [k8s.workloads]
assert: "!resource.pod.containers.exists(c, c.securityContext.privileged)"
message: a container runs privileged
rationale: A privileged container is root on the node it runs on, with every device.
remediation: Remove privileged true from the container security context.
`;

function issuesOf(text: string): string[] {
  try {
    parseRuleText(text, 'policy/x.yaml');
  } catch (e) {
    assert.ok(e instanceof RuleFileError, String(e));
    return e.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
  }
  assert.fail('the rule should be rejected');
}

describe('rules over the model', () => {
  test('an unknown concern is a configuration error with a suggestion', () => {
    const [i] = issuesOf(RULE.replace('[k8s.workloads]', '[k8s.workload]'));
    assert.match(i!, /^5:\d+: unknown model type 'k8s\.workload'\. Did you mean 'k8s\.workloads'\?/);
  });

  test('a field the concern does not have is a configuration error at its position', () => {
    const [i] = issuesOf(RULE.replace('c.securityContext.privileged', 'c.securityContext.priviledged'));
    assert.match(
      i!,
      /^6:\d+: .*k8s\.workloads has no field 'priviledged' under 'pod\.containers\.\*\.securityContext'.*Did you mean 'privileged'\?/,
    );
  });

  test('one rule judges a manifest and a Terraform kubernetes resource', async () => {
    const check = ruleCheck(parseRuleText(RULE, 'policy/x.yaml'));
    assert.deepEqual(check.concerns, ['k8s.workloads']);
    const yaml = await loadInput(
      'kubernetes',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: a }\nspec:\n  containers:\n    - name: c\n      image: x:1\n      securityContext: { privileged: true }\n',
    );
    const tf = await loadInput(
      'terraform',
      'resource "kubernetes_pod_v1" "p" {\n  metadata { name = "p" }\n  spec {\n    container {\n      name  = "c"\n      image = "x:1"\n    }\n  }\n}\n',
    );
    const run = (f: typeof yaml.facts) =>
      check.evaluate(f, createCheckContext(f, new Date(0))).map((r) => [r.subject.address, r.outcome]);
    assert.deepEqual(run(yaml.facts), [['Pod/a/p', 'fail']]);
    assert.deepEqual(run(tf.facts), [['kubernetes_pod_v1.p', 'pass']]);
  });

  test('a value that is not known statically makes the rule unknown, located at the value', async () => {
    const check = ruleCheck(parseRuleText(RULE, 'policy/x.yaml'));
    const { facts } = await loadInput(
      'terraform',
      'variable "priv" { type = bool }\nresource "kubernetes_pod" "p" {\n  metadata { name = "p" }\n  spec {\n    container {\n      name  = "c"\n      image = "x:1"\n      security_context {\n        privileged = var.priv\n      }\n    }\n  }\n}\n',
    );
    const [r] = check.evaluate(facts, createCheckContext(facts, new Date(0)));
    assert.equal(r?.outcome, 'unknown');
    assert.match(r!.message, /variable priv has no value/);
    assert.equal(r!.location?.line, 9);
  });
});

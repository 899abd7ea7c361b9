// The rule format: validation errors located at file:line:column with suggestions, outcomes of a
// compiled rule (applies, named assertions, messages), and attribute paths checked against fixtures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tfResource } from '../cel/test-support.js';
import type { Facts } from '../core/facts.js';
import { Unresolved } from '../core/unresolved.js';
import { createCheckContext } from '../engine/check-context.js';
import { checkAttributePaths, knownPathsByType } from './attribute-paths.js';
import { ruleCheck } from './rule-check.js';
import { RuleFileError } from './rule-error.js';
import { parseRuleText } from './rule-file.js';

const BASE = `id: acme.buckets-versioned
title: S3 buckets keep object versions
severity: medium
input: terraform
resourceTypes: [aws_s3_bucket]
assert: default(resource.versioning, []).exists(v, bool(default(v.enabled, false)))
message: bucket {{ resource.bucket }} does not keep object versions
rationale: Versions let you recover objects that were overwritten or deleted by mistake or by ransomware.
remediation: Add a versioning block with enabled = true, or an aws_s3_bucket_versioning companion.
`;

function issuesOf(text: string): { line?: number; column?: number; message: string }[] {
  try {
    parseRuleText(text, 'policy/x.yaml');
  } catch (e) {
    assert.ok(e instanceof RuleFileError, String(e));
    assert.equal(e.code, 'E_CONFIG');
    return e.issues.map(({ line, column, message }) => ({ line, column, message }));
  }
  assert.fail('the rule should be rejected');
}

describe('rule file errors', () => {
  test('a valid rule parses', () => {
    const rule = parseRuleText(BASE, 'x.yaml');
    assert.equal(rule.id, 'acme.buckets-versioned');
    assert.equal(rule.asserts.length, 1);
  });
  test('YAML syntax error with its position', () => {
    const [i] = issuesOf(`${BASE}mappings: [unclosed\n`);
    assert.match(i!.message, /YAML syntax error/);
    assert.equal(i!.line, 11);
  });
  test('unknown field with a suggestion, at the key', () => {
    const [i] = issuesOf(BASE.replace('remediation:', 'remediaton:'));
    assert.deepEqual({ line: i!.line, column: i!.column }, { line: 9, column: 1 });
    assert.match(i!.message, /unknown field 'remediaton'\. Did you mean 'remediation'\?/);
  });
  test('CEL syntax error at the offending character of the expression', () => {
    const [i] = issuesOf(BASE.replace('assert: default', 'assert: resource.x &&& default'));
    assert.match(i!.message, /assert: CEL syntax error/);
    assert.deepEqual({ line: i!.line, column: i!.column }, { line: 6, column: 22 });
  });
  test('CEL errors inside a block scalar point into the block', () => {
    const text = BASE.replace(
      /assert: .*\n/,
      'assert: |\n  has(resource.versioning) &&\n    resource.versioning.exists(v, v.enabled.lowerAsci())\n',
    );
    const [i] = issuesOf(text);
    assert.match(i!.message, /unknown function 'lowerAsci'/);
    assert.equal(i!.line, 8);
  });
  test('an alias bomb and 10,000 levels of nesting are refused with their position, not expanded (issue 7 case 5)', () => {
    const bomb = `${BASE}x-big: &big "${'x'.repeat(64 * 1024)}"\nx-copies: [${Array.from({ length: 999 }, () => '*big').join(', ')}]\n`;
    const started = performance.now();
    const [expanded] = issuesOf(bomb);
    assert.ok(performance.now() - started < 2000, 'refused without expanding');
    assert.match(
      expanded!.message,
      /expand to more than \d+ bytes once aliases are replaced by their anchors; a rule is one short YAML file/,
    );
    // at the alias that takes the expanded size past 16 MiB: the rule text and anchor (about 66 kB)
    // plus 255 copies of 65,538 bytes; aliases start at column 12, 6 characters apart
    assert.deepEqual([expanded!.line, expanded!.column], [11, 12 + 254 * 6]);
    const [deep] = issuesOf(`${BASE}x-deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    assert.match(deep!.message, /nested more than 256 levels/);
    assert.equal(deep!.line, 10);
  });

  test('unknown function, variable, wrong severity, input and mapping', () => {
    const msgs = issuesOf(
      BASE.replace('severity: medium', 'severity: severe')
        .replace('input: terraform', 'input: terrafrom')
        .concat('mappings:\n  soc2: [CC6.99]\n  iso27001: [A.8.24]\n'),
    ).map((i) => i.message);
    assert.ok(
      msgs.some((m) => /severity must be one of/.test(m)),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => /unknown input 'terrafrom'\. Did you mean 'terraform'\?/.test(m)),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => /'CC6\.99' is not a soc2 requirement ID/.test(m)),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => /unknown framework 'iso27001'.*Did you mean 'iso27001-2022'/.test(m)),
      msgs.join('\n'),
    );
  });
  test('inputs no source reads yet are named', () => {
    const [i] = issuesOf(BASE.replace('input: terraform', 'input: cloudformation'));
    assert.match(i!.message, /No source reads cloudformation yet/);
  });
  test('a message interpolation is checked too', () => {
    const [i] = issuesOf(BASE.replace('{{ resource.bucket }}', '{{ resource.bucket + }}'));
    assert.match(i!.message, /message: in \{\{ \}\}: CEL syntax error/);
    assert.equal(i!.line, 7);
  });
  test('missing required fields', () => {
    const msgs = issuesOf(BASE.replace(/rationale: .*\n/, '')).map((i) => i.message);
    assert.deepEqual(msgs, ["missing required field 'rationale'"]);
  });
});

function facts(...resources: ReturnType<typeof tfResource>[]): Facts {
  return { terraform: resources, cloudformation: [], kubernetes: [], secrets: [], dependencies: [] } as Facts;
}

describe('rule outcomes', () => {
  const rule = ruleCheck(
    parseRuleText(
      `${BASE.replace(/assert: .*\n/, '').replace(/message: .*\n/, '')}applies: default(resource.acl, "private") != "public-read"
assert:
  versioned:
    expr: default(resource.versioning, []).exists(v, bool(default(v.enabled, false)))
    message: bucket {{ resource.bucket }} does not keep object versions
  named:
    expr: has(resource.bucket)
    message: the bucket has no name
`,
      'x.yaml',
    ),
  );
  const judge = (attrs: Record<string, unknown>) => {
    const r = tfResource('aws_s3_bucket', 'b', attrs as never);
    return rule.evaluate(facts(r), createCheckContext(facts(r), new Date(0)));
  };
  test('pass, fail with the failing assertions messages, not applicable', () => {
    assert.equal(judge({ bucket: 'a', versioning: [{ enabled: true }] })[0]?.outcome, 'pass');
    const [f] = judge({ versioning: [{ enabled: false }] });
    assert.equal(f?.outcome, 'fail');
    assert.equal(f?.message, 'bucket <error> does not keep object versions; the bucket has no name');
    assert.deepEqual(judge({ acl: 'public-read' }), []);
  });
  test('unknown is never a pass, and says which value and why', () => {
    const [u] = judge({ bucket: 'a', versioning: [{ enabled: new Unresolved('var.v has no value') }] });
    assert.equal(u?.outcome, 'unknown');
    assert.match(
      u!.message,
      /resource\.versioning\[0\]\.enabled is not known statically \(var\.v has no value\)/,
    );
  });
  test('unknown applies: pass when the assertions hold, unknown when they fail', () => {
    const acl = new Unresolved('var.acl has no value');
    assert.equal(judge({ acl, bucket: 'a', versioning: [{ enabled: true }] })[0]?.outcome, 'pass');
    const [u] = judge({ acl, bucket: 'a' });
    assert.equal(u?.outcome, 'unknown');
    assert.match(u!.message, /if the rule applies: resource\.acl is not known statically/);
  });
  test('data of the wrong shape is unknown, not a pass', () => {
    const [e] = judge({ bucket: 'a', versioning: 'oops' });
    assert.equal(e?.outcome, 'unknown');
    assert.match(
      e!.message,
      /the input in assertion 'versioned' is not known statically \(cannot iterate over string/,
    );
  });
  test('reading an absent attribute without a default is an error result (a rule bug), not a pass', () => {
    const bug = ruleCheck(
      parseRuleText(
        BASE.replace(/assert: .*\n/, 'assert: resource.versioning[0].enabled == true\n'),
        'x.yaml',
      ),
    );
    const r = tfResource('aws_s3_bucket', 'b', { bucket: 'a' });
    const [e] = bug.evaluate(facts(r), createCheckContext(facts(r), new Date(0)));
    assert.equal(e?.outcome, 'error');
    assert.match(e!.message, /rule error: resource\.versioning is absent: test it with has\(\)/);
  });
});

describe('attribute paths', () => {
  test('a path no fixture has is rejected with a suggestion, at its position', () => {
    const rule = parseRuleText(
      BASE.replace('default(resource.versioning, [])', 'default(resource.versoning, [])'),
      'x.yaml',
    );
    const known = knownPathsByType([
      facts(tfResource('aws_s3_bucket', 'b', { bucket: 'x', versioning: [{ enabled: true }] })),
    ]);
    const issues = checkAttributePaths(rule, ['aws_s3_bucket'], known);
    assert.equal(issues.length, 1);
    assert.match(
      issues[0]!.message,
      /no fixture of aws_s3_bucket has attribute 'versoning'\. Did you mean 'versioning'\?/,
    );
    assert.deepEqual({ line: issues[0]!.line, column: issues[0]!.column }, { line: 6, column: 17 });
  });
  test('paths inside comprehensions and below unresolved values', () => {
    const rule = parseRuleText(BASE.replace('v.enabled', 'v.enabeld'), 'x.yaml');
    const known = knownPathsByType([
      facts(tfResource('aws_s3_bucket', 'b', { bucket: 'x', versioning: [{ enabled: true }] })),
    ]);
    assert.match(
      checkAttributePaths(rule, ['aws_s3_bucket'], known)[0]!.message,
      /attribute 'enabeld' under 'versioning\.\*'\. Did you mean 'enabled'\?/,
    );
    const open = knownPathsByType([
      facts(tfResource('aws_s3_bucket', 'b', { bucket: 'x', versioning: new Unresolved('dynamic') })),
    ]);
    assert.deepEqual(checkAttributePaths(rule, ['aws_s3_bucket'], open), []);
  });
  test('a valid rule passes', () => {
    const rule = parseRuleText(BASE, 'x.yaml');
    const known = knownPathsByType([
      facts(tfResource('aws_s3_bucket', 'b', { bucket: 'x', versioning: [{ enabled: true }] })),
    ]);
    assert.deepEqual(checkAttributePaths(rule, ['aws_s3_bucket'], known), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAdmissionPolicy } from './admission-config.js';
import { ControlMapError, parseControlMap } from './parse.js';
import { fakeCheck } from './test-helpers.js';

const ctx = {
  checks: [fakeCheck('k8s.no-privileged-containers', {}, ['k8s.privileged']), fakeCheck('k8s.image-pinned')],
};
const HEAD = `version: 1
frameworks: [soc2]
controls:
  - id: K8S-1
    title: Unprivileged workloads
    satisfies: { soc2: [CC6.1] }
    checks: [k8s.no-privileged-containers]
`;

function problems(text: string): string[] {
  try {
    parseControlMap(text, 'evident.yaml', ctx);
  } catch (e) {
    assert.ok(e instanceof ControlMapError);
    return e.message.split('\n');
  }
  assert.fail('expected a ControlMapError');
}

describe('evident.yaml admission: and provenance:', () => {
  it('defaults every field when admission: is absent', () => {
    assert.equal(parseControlMap(HEAD, 'evident.yaml', ctx).admission, undefined);
    assert.deepEqual(defaultAdmissionPolicy().excludeNamespaces, [
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]);
  });

  it('reads modes per rule and namespace, canonicalising rule aliases', () => {
    const map = parseControlMap(
      `${HEAD}admission:
  mode: enforce
  unknown: deny
  failurePolicy: Ignore
  rules: { k8s.image-pinned: audit }
  namespaces:
    sandbox: { mode: audit, rules: { k8s.privileged: off } }
  excludeNamespaces: [kube-system, monitoring]
provenance:
  trustedKeys: [keys/ci.pub]
  builders: ["https://github.com/acme/*"]
`,
      'evident.yaml',
      ctx,
    );
    assert.deepEqual(map.admission, {
      mode: 'enforce',
      rules: { 'k8s.image-pinned': 'audit' },
      namespaces: { sandbox: { mode: 'audit', rules: { 'k8s.no-privileged-containers': 'off' } } },
      excludeNamespaces: ['kube-system', 'monitoring'],
      unknown: 'deny',
      failurePolicy: 'Ignore',
      imageProvenance: 'off',
    });
    assert.deepEqual(map.provenance, {
      trustedKeys: ['keys/ci.pub'],
      builders: ['https://github.com/acme/*'],
      sourceRepositories: [],
      attestations: [],
    });
  });

  it('rejects bad modes, unknown rules, misspelt keys and invalid namespace names, with their lines', () => {
    const lines = problems(`${HEAD}admission:
  mode: block
  rules: { k8s.nope: audit }
  namespaces:
    Payments_Prod: { mode: audit }
    ok: { mod: audit }
  unknwn: allow
`);
    const text = lines.join('\n');
    assert.match(text, /admission\.mode: must be one of "enforce", "audit", "off"/);
    assert.match(text, /evident\.yaml:10:\d+: admission\.rules\.k8s\.nope: unknown check/);
    assert.match(text, /'Payments_Prod' is not a namespace name/);
    assert.match(text, /mod.*did you mean.*mode/i);
    assert.match(text, /unknwn.*did you mean.*unknown/i);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckDefinition } from '../../core/check.js';
import type { TerraformResource, TfObject } from '../../core/facts.js';
import { Unresolved } from '../../core/unresolved.js';
import { tfFacts, tfResource } from '../azure/_lib/test-resources.js';
import { isPublicPrincipal } from './_lib/public-members.js';
import { check as firewall, parsePorts } from './firewall-no-internet-ssh-rdp/check.js';
import { check as notPublic } from './storage-bucket-not-public/check.js';
import { check as ubla } from './storage-bucket-uniform-access/check.js';

function results(check: CheckDefinition, ...resources: TerraformResource[]) {
  const { facts, ctx } = tfFacts(...resources);
  return check.evaluate(facts, ctx);
}

function outcome(check: CheckDefinition, r: TerraformResource): string {
  return results(check, r)[0]!.outcome;
}

const FW: TfObject = {
  name: 'fw',
  source_ranges: ['0.0.0.0/0'],
  allow: [{ protocol: 'tcp', ports: ['22'] }],
};
const fw = (over: TfObject) =>
  outcome(firewall, tfResource('google_compute_firewall', 'fw', { ...FW, ...over }));

describe('gcp.firewall-no-internet-ssh-rdp', () => {
  it('fails open SSH/RDP, including ranges, numeric ports, protocol all/6 and no ports', () => {
    assert.equal(fw({}), 'fail');
    assert.equal(fw({ allow: [{ protocol: 'tcp', ports: [3389] }] }), 'fail');
    assert.equal(fw({ allow: [{ protocol: 'TCP', ports: ['20-30'] }] }), 'fail');
    assert.equal(fw({ allow: [{ protocol: 'all' }] }), 'fail');
    assert.equal(fw({ allow: [{ protocol: '6', ports: [] }] }), 'fail');
    assert.equal(fw({ source_ranges: ['10.0.0.0/8', '::/0'] }), 'fail');
    assert.equal(fw({ source_ranges: null }), 'fail');
  });
  it('fails 0.0.0.0/0 even with source_tags: GCP ORs ranges and tags', () => {
    const [r] = results(
      firewall,
      tfResource('google_compute_firewall', 'fw', { ...FW, source_tags: ['vms'] }),
    );
    assert.equal(r!.outcome, 'fail');
    assert.match(r!.message, /do not restrict the range/);
  });
  it('passes restricted sources, other ports/protocols, egress, disabled and tag-only sources', () => {
    assert.equal(fw({ source_ranges: ['203.0.113.0/24'] }), 'pass');
    assert.equal(fw({ allow: [{ protocol: 'tcp', ports: ['80', '443'] }] }), 'pass');
    assert.equal(fw({ allow: [{ protocol: 'udp', ports: ['3389'] }] }), 'pass');
    assert.equal(fw({ direction: 'EGRESS' }), 'pass');
    assert.equal(fw({ disabled: true }), 'pass');
    assert.equal(fw({ source_ranges: [], source_tags: ['app'] }), 'pass');
    assert.equal(fw({ allow: [], deny: [{ protocol: 'tcp', ports: ['22'] }] }), 'pass');
  });
  it('is unknown only when an unresolved value decides, naming it', () => {
    const u = new Unresolved('var.ranges');
    const [r] = results(firewall, tfResource('google_compute_firewall', 'fw', { ...FW, source_ranges: u }));
    assert.equal(r!.outcome, 'unknown');
    assert.match(r!.message, /source_ranges is not known statically \(var\.ranges\)/);
    assert.equal(fw({ source_ranges: u, allow: [{ protocol: 'tcp', ports: ['443'] }] }), 'pass');
    assert.equal(fw({ allow: [{ protocol: 'tcp', ports: [new Unresolved('var.port')] }] }), 'unknown');
    assert.equal(fw({ allow: [{ protocol: 'tcp', ports: ['22', new Unresolved('var.port')] }] }), 'fail');
    assert.equal(fw({ allow: new Unresolved('dynamic allow') }), 'unknown');
    assert.equal(fw({ direction: new Unresolved('var.dir') }), 'unknown');
  });
  it('parses port entries', () => {
    assert.deepEqual(parsePorts('22'), { from: 22, to: 22 });
    assert.deepEqual(parsePorts('1000-2000'), { from: 1000, to: 2000 });
    assert.equal(parsePorts('ssh'), undefined);
  });
});

const RULE: TfObject = {
  priority: 1000,
  direction: 'INGRESS',
  action: 'allow',
  match: [{ src_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['22'] }] }],
};
const policyRule = (over: TfObject, match?: TfObject) =>
  results(
    firewall,
    tfResource('google_compute_network_firewall_policy_rule', 'r', {
      ...RULE,
      ...over,
      ...(match ? { match: [{ ...(RULE.match as TfObject[])[0]!, ...match }] } : {}),
    }),
  )[0]!;
const pr = (over: TfObject, match?: TfObject) => policyRule(over, match).outcome;

describe('gcp.firewall-no-internet-ssh-rdp on firewall policy rules', () => {
  it('fails allow + /0 + tcp/all 22 or 3389 in all three rule resources', () => {
    assert.equal(pr({}), 'fail');
    assert.equal(pr({ action: 'ALLOW' }, { src_ip_ranges: ['10.0.0.0/8', '::/0'] }), 'fail');
    assert.equal(pr({}, { layer4_configs: [{ ip_protocol: 'all' }] }), 'fail');
    assert.equal(pr({}, { layer4_configs: [{ ip_protocol: 'tcp', ports: ['3380-3390'] }] }), 'fail');
    assert.equal(pr({ direction: null }), 'fail');
    for (const type of [
      'google_compute_firewall_policy_rule',
      'google_compute_region_network_firewall_policy_rule',
    ])
      assert.equal(results(firewall, tfResource(type, 'r', RULE))[0]!.outcome, 'fail');
  });
  it('fails apply_security_profile_group (traffic is admitted after inspection) and a /0 next to FQDNs', () => {
    const r = policyRule({ action: 'apply_security_profile_group' });
    assert.equal(r.outcome, 'fail');
    assert.match(r.message, /security-profile inspection/);
    assert.equal(pr({}, { src_fqdns: ['example.com'] }), 'fail');
  });
  it('passes deny, goto_next, egress, disabled, restricted ranges, secure tags, other ports, non-internet scope', () => {
    assert.equal(pr({ action: 'deny' }), 'pass');
    assert.equal(pr({ action: 'goto_next' }), 'pass');
    assert.equal(pr({ direction: 'EGRESS' }), 'pass');
    assert.equal(pr({ disabled: true }), 'pass');
    assert.equal(pr({}, { src_ip_ranges: ['35.235.240.0/20'] }), 'pass');
    assert.equal(pr({}, { src_ip_ranges: null, src_secure_tags: [{ name: 'tagValues/1' }] }), 'pass');
    assert.equal(pr({}, { layer4_configs: [{ ip_protocol: 'udp', ports: ['22'] }] }), 'pass');
    assert.equal(pr({}, { src_network_scope: 'VPC_NETWORKS' }), 'pass');
  });
  it('is unknown when unresolvable sources or unresolved values decide, naming them', () => {
    const group = policyRule({}, { src_ip_ranges: null, src_address_groups: ['addressGroups/admins'] });
    assert.equal(group.outcome, 'unknown');
    assert.match(group.message, /src_address_groups .* cannot be resolved/);
    assert.equal(
      pr({}, { src_ip_ranges: ['10.0.0.0/8'], src_threat_intelligences: ['iplist-tor-exit-nodes'] }),
      'unknown',
    );
    assert.equal(pr({}, { src_ip_ranges: null, src_region_codes: ['US'] }), 'unknown');
    assert.equal(pr({}, { src_ip_ranges: null }), 'unknown');
    const u = policyRule({ action: new Unresolved('var.action') });
    assert.equal(u.outcome, 'unknown');
    assert.match(u.message, /action is not known statically \(var\.action\)/);
    assert.equal(pr({}, { src_ip_ranges: new Unresolved('var.ranges') }), 'unknown');
    assert.equal(pr({}, { layer4_configs: new Unresolved('dynamic layer4_configs') }), 'unknown');
    assert.equal(pr({ match: new Unresolved('var.match') }), 'unknown');
    // An unresolved value that cannot change the verdict does not make it unknown.
    assert.equal(pr({ action: new Unresolved('var.action') }, { src_ip_ranges: ['10.0.0.0/8'] }), 'pass');
  });
  it('judges the inline rule blocks of *_with_rules policies (singular layer4_config, INGRESS default)', () => {
    const rule = (over: TfObject): TfObject => ({
      priority: 1000,
      action: 'allow',
      match: [{ src_ip_ranges: ['0.0.0.0/0'], layer4_config: [{ ip_protocol: 'tcp', ports: ['22'] }] }],
      ...over,
    });
    const policy = (...rules: TfObject[]) =>
      results(firewall, tfResource('google_compute_firewall_policy_with_rules', 'p', { rule: rules }))[0]!;
    const open = policy(rule({ action: 'deny' }), rule({}));
    assert.equal(open.outcome, 'fail');
    assert.match(open.message, /rule\.1 allows SSH/);
    assert.equal(policy(rule({ action: 'deny' }), rule({ disabled: true })).outcome, 'pass');
    assert.equal(policy(rule({ action: new Unresolved('var.a') })).outcome, 'unknown');
    assert.equal(policy().outcome, 'pass');
  });
});

describe('gcp.storage-bucket-uniform-access', () => {
  it('fails absent and false, passes true and "true", unknown when unresolved', () => {
    const b = (a: TfObject) => outcome(ubla, tfResource('google_storage_bucket', 'b', { name: 'b', ...a }));
    assert.equal(b({}), 'fail');
    assert.equal(b({ uniform_bucket_level_access: false }), 'fail');
    assert.equal(b({ uniform_bucket_level_access: true }), 'pass');
    assert.equal(b({ uniform_bucket_level_access: 'true' }), 'pass');
    assert.equal(b({ uniform_bucket_level_access: new Unresolved('var.ubla') }), 'unknown');
  });
});

describe('gcp.storage-bucket-not-public', () => {
  it('recognises public principals in members and ACL entities', () => {
    for (const m of ['allUsers', 'allAuthenticatedUsers', 'READER:allUsers', 'OWNER:allAuthenticatedUsers']) {
      assert.ok(isPublicPrincipal(m), m);
    }
    for (const m of ['user:allusers@example.com', 'group:all@example.com', 'READER:user-a@example.com']) {
      assert.ok(!isPublicPrincipal(m), m);
    }
  });
  it('judges bindings, members, ACLs and access controls', () => {
    assert.equal(
      outcome(notPublic, tfResource('google_storage_bucket_iam_binding', 'b', { members: ['allUsers'] })),
      'fail',
    );
    assert.equal(
      outcome(notPublic, tfResource('google_storage_bucket_iam_member', 'm', { member: 'user:a@b.c' })),
      'pass',
    );
    assert.equal(
      outcome(notPublic, tfResource('google_storage_bucket_acl', 'a', { role_entity: ['READER:allUsers'] })),
      'fail',
    );
    assert.equal(
      outcome(notPublic, tfResource('google_storage_bucket_acl', 'a', { predefined_acl: 'private' })),
      'pass',
    );
    assert.equal(
      outcome(
        notPublic,
        tfResource('google_storage_default_object_access_control', 'd', { entity: 'allUsers' }),
      ),
      'fail',
    );
    assert.equal(
      outcome(
        notPublic,
        tfResource('google_storage_bucket_iam_binding', 'b', {
          members: ['user:a@b.c', new Unresolved('var.m')],
        }),
      ),
      'unknown',
    );
  });
  it('reads literal policy JSON and follows data.google_iam_policy references', () => {
    const json = JSON.stringify({
      bindings: [{ role: 'roles/storage.objectViewer', members: ['allAuthenticatedUsers'] }],
    });
    assert.equal(
      outcome(notPublic, tfResource('google_storage_bucket_iam_policy', 'p', { policy_data: json })),
      'fail',
    );
    const doc = tfResource('data.google_iam_policy', 'd', {
      binding: [{ role: 'r', members: ['group:g@x.y'] }],
    });
    const policy = tfResource(
      'google_storage_bucket_iam_policy',
      'p',
      {
        policy_data: new Unresolved('computed: data.google_iam_policy.d.policy_data', [
          'data.google_iam_policy.d',
        ]),
      },
      {},
    );
    const [r] = results(notPublic, doc, policy);
    assert.equal(r!.outcome, 'pass');
    const orphan = tfResource('google_storage_bucket_iam_policy', 'p', {
      policy_data: new Unresolved('var.policy'),
    });
    assert.equal(outcome(notPublic, orphan), 'unknown');
    assert.equal(
      outcome(notPublic, tfResource('google_storage_bucket_iam_policy', 'p', { policy_data: 'not json' })),
      'unknown',
    );
  });
});

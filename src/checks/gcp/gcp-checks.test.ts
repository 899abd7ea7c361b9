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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckDefinition } from '../../core/check.js';
import type { TerraformResource, TfObject } from '../../core/facts.js';
import { Unresolved } from '../../core/unresolved.js';
import { isInternetSource, judgeRule, parsePortRange } from './_lib/nsg-rule.js';
import { tfFacts, tfResource } from './_lib/test-resources.js';
import { check as nsg } from './nsg-no-internet-ssh-rdp/check.js';
import { check as https } from './storage-account-https-only/check.js';
import { check as publicBlob } from './storage-no-public-blob-access/check.js';

function outcomes(check: CheckDefinition, ...resources: TerraformResource[]): [string, string, string][] {
  const { facts, ctx } = tfFacts(...resources);
  return check.evaluate(facts, ctx).map((r) => [r.subject.address, r.outcome, r.message]);
}

function one(check: CheckDefinition, r: TerraformResource): { outcome: string; message: string } {
  const [res] = outcomes(check, r);
  assert.ok(res);
  return { outcome: res[1], message: res[2] };
}

const RULE: TfObject = {
  name: 'r',
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  destination_port_range: '22',
  source_address_prefix: '*',
};

describe('azure.storage-account-https-only', () => {
  it('fails on false under either provider attribute name, including the string "false"', () => {
    assert.equal(
      one(https, tfResource('azurerm_storage_account', 'a', { enable_https_traffic_only: 'false' })).outcome,
      'fail',
    );
    assert.equal(
      one(https, tfResource('azurerm_storage_account', 'a', { https_traffic_only_enabled: false })).outcome,
      'fail',
    );
  });
  it('passes on absent or null (plan JSON) values: the provider default is true', () => {
    assert.equal(
      one(https, tfResource('azurerm_storage_account', 'a', { enable_https_traffic_only: null })).outcome,
      'pass',
    );
  });
  it('is unknown for unresolved or wrongly typed values, naming the expression', () => {
    const u = one(
      https,
      tfResource('azurerm_storage_account', 'a', { https_traffic_only_enabled: new Unresolved('var.https') }),
    );
    assert.equal(u.outcome, 'unknown');
    assert.match(u.message, /var\.https/);
    assert.equal(
      one(https, tfResource('azurerm_storage_account', 'a', { https_traffic_only_enabled: [true] })).outcome,
      'unknown',
    );
  });
  it('ignores data sources', () => {
    assert.deepEqual(
      outcomes(https, tfResource('data.azurerm_storage_account', 'a', { enable_https_traffic_only: false })),
      [],
    );
  });
});

describe('azure.storage-no-public-blob-access', () => {
  it('judges accounts by allow_nested_items_to_be_public first, then allow_blob_public_access', () => {
    const acct = (a: TfObject) => one(publicBlob, tfResource('azurerm_storage_account', 'a', a)).outcome;
    assert.equal(acct({}), 'fail');
    assert.equal(acct({ allow_nested_items_to_be_public: false }), 'pass');
    assert.equal(acct({ allow_nested_items_to_be_public: true }), 'fail');
    assert.equal(acct({ allow_blob_public_access: true }), 'fail');
    assert.equal(acct({ allow_nested_items_to_be_public: new Unresolved('var.x') }), 'unknown');
  });
  it('fails blob and container access types, passes private and absent', () => {
    const c = (t: TfObject) => one(publicBlob, tfResource('azurerm_storage_container', 'c', t)).outcome;
    assert.equal(c({ container_access_type: 'blob' }), 'fail');
    assert.equal(c({ container_access_type: 'container' }), 'fail');
    assert.equal(c({ container_access_type: 'private' }), 'pass');
    assert.equal(c({}), 'pass');
    assert.equal(c({ container_access_type: new Unresolved('var.access') }), 'unknown');
  });
});

describe('azure NSG rule helpers', () => {
  it('recognises internet sources', () => {
    for (const s of ['*', 'Internet', 'internet', 'Any', '0.0.0.0/0', '::/0', '0.0.0.0'])
      assert.ok(isInternetSource(s), s);
    for (const s of ['10.0.0.0/8', 'VirtualNetwork', '203.0.113.5', 'AzureLoadBalancer'])
      assert.ok(!isInternetSource(s), s);
  });
  it('parses port ranges', () => {
    assert.deepEqual(parsePortRange('*'), { from: 0, to: 65535 });
    assert.deepEqual(parsePortRange('20-25'), { from: 20, to: 25 });
    assert.deepEqual(parsePortRange('3389'), { from: 3389, to: 3389 });
    assert.equal(parsePortRange('ssh'), undefined);
    assert.equal(parsePortRange('30-20'), undefined);
  });
  it('fails an inbound allow TCP rule from * to 22, with unset direction and access read as Inbound/Allow', () => {
    assert.equal(judgeRule(RULE, '', 'r').outcome, 'fail');
    const { direction: _d, access: _a, ...bare } = RULE;
    assert.equal(judgeRule(bare, '', 'r').outcome, 'fail');
  });
  it('passes when any condition is definitely false, even if another is unresolved', () => {
    const u = new Unresolved('var.src');
    assert.equal(
      judgeRule({ ...RULE, source_address_prefix: u, destination_port_range: '443' }, '', 'r').outcome,
      'pass',
    );
    assert.equal(
      judgeRule({ ...RULE, direction: 'Outbound', destination_port_range: u }, '', 'r').outcome,
      'pass',
    );
    assert.equal(judgeRule({ ...RULE, access: 'Deny' }, '', 'r').outcome, 'pass');
    assert.equal(judgeRule({ ...RULE, protocol: 'Icmp' }, '', 'r').outcome, 'pass');
    assert.equal(judgeRule({ ...RULE, source_address_prefix: 'VirtualNetwork' }, '', 'r').outcome, 'pass');
  });
  it('is unknown when the deciding value is unresolved', () => {
    const u = new Unresolved('var.src');
    const v = judgeRule({ ...RULE, source_address_prefix: u }, '', 'rule "r"');
    assert.equal(v.outcome, 'unknown');
    assert.match(v.message, /source_address_prefix is not known statically \(var\.src\)/);
    assert.equal(
      judgeRule({ ...RULE, destination_port_ranges: ['443', u], destination_port_range: null }, '', 'r')
        .outcome,
      'unknown',
    );
  });
  it('reads plan JSON empty strings as unset and ranges lists', () => {
    const planRule: TfObject = {
      ...RULE,
      destination_port_range: '',
      destination_port_ranges: ['80', '443'],
    };
    assert.equal(judgeRule(planRule, '', 'r').outcome, 'pass');
    assert.equal(judgeRule({ ...planRule, destination_port_ranges: ['1-65535'] }, '', 'r').outcome, 'fail');
    assert.equal(
      judgeRule(
        { ...RULE, source_address_prefix: '', source_address_prefixes: ['10.0.0.0/8', '0.0.0.0/0'] },
        '',
        'r',
      ).outcome,
      'fail',
    );
  });
});

describe('azure.nsg-no-internet-ssh-rdp', () => {
  it('judges standalone rules and groups with inline rules; groups without inline rules give no result', () => {
    const res = outcomes(
      nsg,
      tfResource('azurerm_network_security_rule', 'ssh', RULE),
      tfResource('azurerm_network_security_group', 'empty', { security_rule: [] }),
      tfResource('azurerm_network_security_group', 'g', {
        security_rule: [
          { ...RULE, name: 'web', destination_port_range: '443' },
          { ...RULE, name: 'rdp', destination_port_range: '3389' },
        ],
      }),
    );
    assert.deepEqual(
      res.map(([a, o]) => [a, o]),
      [
        ['azurerm_network_security_rule.ssh', 'fail'],
        ['azurerm_network_security_group.g', 'fail'],
      ],
    );
    assert.match(res[1]![2], /security_rule "rdp" allows RDP \(3389\)/);
  });
  it('is unknown when the inline rules come from a dynamic block over an unknown collection', () => {
    const g = tfResource('azurerm_network_security_group', 'g', {
      security_rule: new Unresolved('var.rules'),
    });
    assert.equal(one(nsg, g).outcome, 'unknown');
  });
});

import type { CheckContext, CheckDefinition, CheckResult } from '../../../core/check.js';
import type { TerraformResource, TfObject } from '../../../core/facts.js';
import { isUnresolved, type Unresolved } from '../../../core/unresolved.js';
import { coversInternet } from '../../_lib/cidr.js';
import { ADMIN_PORTS_MAPPINGS } from '../../_lib/mappings.js';
import {
  numberAttr,
  readBlocks,
  resourcesOf,
  result,
  stringAttr,
  type Verdict,
  worst,
} from '../../_lib/terraform-values.js';

/** Remote administration ports: SSH and RDP. */
export const ADMIN_PORTS = [22, 3389];

const ALL_PROTOCOLS = ['-1', 'all'];
const ICMP = ['icmp', '1', 'icmpv6', '58'];

/** The CIDRs a prefix list holds: its `entry` blocks and linked `aws_ec2_managed_prefix_list_entry` resources. */
function prefixListCidrs(ctx: CheckContext, list: TerraformResource): { cidrs: string[]; unknown: string[] } {
  const cidrs: string[] = [];
  const unknown: string[] = [];
  const entries = readBlocks(list.attributes, 'entry');
  if (isUnresolved(entries)) unknown.push(`${list.address} entries (${entries.reason})`);
  else
    for (const e of entries) {
      const c = isUnresolved(e) ? e : e.cidr;
      if (isUnresolved(c)) unknown.push(`${list.address} entry (${c.reason})`);
      else if (typeof c === 'string') cidrs.push(c);
    }
  for (const e of ctx.terraform.linked(list, 'aws_ec2_managed_prefix_list_entry', {
    attribute: 'prefix_list_id',
    targetAttributes: ['id'],
  })) {
    const c = e.attributes.cidr;
    if (isUnresolved(c)) unknown.push(`${e.address}.cidr (${c.reason})`);
    else if (typeof c === 'string') cidrs.push(c);
  }
  return { cidrs, unknown };
}

/**
 * The sources of a rule: its CIDRs (from `cidrFields`) plus the entries of the managed prefix lists
 * it names (`prefixField`) when those are in the configuration; prefix lists read from data sources
 * or named by an id not in the configuration, and values not known statically, are `unknown`.
 */
function ruleSources(
  ctx: CheckContext,
  owner: TerraformResource,
  rule: TfObject,
  cidrFields: string[],
  prefixField: string,
): { cidrs: string[]; unknown: string[]; field?: string } {
  const out: { cidrs: string[]; unknown: string[]; field?: string } = { cidrs: [], unknown: [] };
  for (const f of cidrFields) {
    const v = rule[f];
    for (const c of Array.isArray(v) ? v : [v]) {
      if (isUnresolved(c)) out.unknown.push(`${f} (${c.reason})`);
      else if (typeof c === 'string') out.cidrs.push(c.trim());
    }
  }
  const pl = rule[prefixField];
  for (const id of Array.isArray(pl) ? pl : pl === undefined || pl === null ? [] : [pl]) {
    const refs = isUnresolved(id) ? id.refs : [];
    const list = ctx.terraform
      .ofType('aws_ec2_managed_prefix_list')
      .find(
        (l) =>
          l.rootModule === owner.rootModule &&
          ((typeof id === 'string' && l.attributes.id === id) ||
            refs.includes(l.address) ||
            refs.includes(l.baseAddress)),
      );
    if (list) {
      const got = prefixListCidrs(ctx, list);
      out.cidrs.push(...got.cidrs);
      out.unknown.push(...got.unknown);
    } else if (isUnresolved(id)) out.unknown.push(`${prefixField} (${id.reason})`);
    else if (typeof id === 'string')
      out.unknown.push(`${prefixField} "${id}" (a prefix list not in this configuration)`);
  }
  return out;
}

/** Ports for TCP and UDP rules, validated as the EC2 API does (0-65535, from <= to). */
function portRange(rule: TfObject): { from: number; to: number } | Unresolved | string {
  const from = numberAttr(rule, 'from_port');
  const to = numberAttr(rule, 'to_port');
  if (isUnresolved(from)) return from;
  if (isUnresolved(to)) return to;
  if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to))
    return 'from_port/to_port are missing or not numbers';
  if (from < 0 || to > 65535 || from > to || !Number.isInteger(from) || !Number.isInteger(to))
    return `ports ${from}-${to} are not a TCP/UDP port range: AWS rejects this rule`;
  return { from, to };
}

/**
 * Judges one ingress rule: fail when the union of its sources (CIDRs and managed prefix list
 * entries, see ruleSources) covers the internet (cidr.ts: `0.0.0.0/0`, `0.0.0.0/1` + `128.0.0.0/1`,
 * `2000::/3`...) and it reaches port 22 or 3389 (port range containing them, or protocol `-1`/`all`
 * = every port); unknown when sources or ports are not known statically, or AWS would reject it.
 */
function judgeRule(
  ctx: CheckContext,
  owner: TerraformResource,
  rule: TfObject,
  fields: { cidrs: string[]; prefixList: string; protocol: string },
  label: string,
  path: string,
): Verdict {
  const at = (f: string) => (path ? `${path}.${f}` : f);
  const sources = ruleSources(ctx, owner, rule, fields.cidrs, fields.prefixList);
  const open = coversInternet(sources.cidrs);
  const cidrPath = at(fields.cidrs[0] as string);
  if (!open && sources.unknown.length === 0)
    return { outcome: 'pass', message: `${label} is not open to the internet` };
  const protoField = fields.protocol;
  const proto = stringAttr(rule, protoField);
  if (isUnresolved(proto))
    return {
      outcome: 'unknown',
      message: `${label}: ${protoField} is not known statically (${proto.reason})`,
      path: at(protoField),
    };
  const p = (proto ?? '').toLowerCase();
  if (ICMP.includes(p)) return { outcome: 'pass', message: `${label} allows ICMP only` };
  let reach: string;
  let ports: number[];
  if (ALL_PROTOCOLS.includes(p)) {
    reach = 'all ports';
    ports = ADMIN_PORTS;
  } else {
    const range = portRange(rule);
    if (typeof range === 'string' || isUnresolved(range)) {
      return {
        outcome: 'unknown',
        message: `${label}: ${typeof range === 'string' ? range : `the port range is not known statically (${range.reason})`}`,
        path: at('from_port'),
      };
    }
    ports = ADMIN_PORTS.filter((port) => range.from <= port && port <= range.to);
    reach = range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`;
  }
  if (ports.length === 0)
    return { outcome: 'pass', message: `${label} does not reach ports ${ADMIN_PORTS.join('/')}` };
  if (!open) {
    return {
      outcome: 'unknown',
      message: `${label} reaches ${ports.join('/')} from sources not known statically: ${sources.unknown.join(', ')}`,
      path: cidrPath,
    };
  }
  return {
    outcome: 'fail',
    message: `${label} allows ${sources.cidrs.join(', ')}${sources.cidrs.length > 1 ? ' (together: the internet)' : ''} to ${reach} (${ports.join(', ')})`,
    path: cidrPath,
  };
}

const SG_FIELDS = {
  cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'],
  prefixList: 'prefix_list_ids',
  protocol: 'protocol',
};

function judge(ctx: CheckContext, r: TerraformResource): Verdict | undefined {
  if (r.type === 'aws_security_group' || r.type === 'aws_default_security_group') {
    const ingress = readBlocks(r.attributes, 'ingress');
    if (isUnresolved(ingress))
      return {
        outcome: 'unknown',
        message: `ingress is not known statically (${ingress.reason})`,
        path: 'ingress',
      };
    const verdicts = ingress.map(
      (rule, i): Verdict =>
        isUnresolved(rule)
          ? {
              outcome: 'unknown',
              message: `ingress rule ${i} is not known statically (${rule.reason})`,
              path: `ingress.${i}`,
            }
          : judgeRule(ctx, r, rule, SG_FIELDS, `ingress rule ${i}`, `ingress.${i}`),
    );
    return worst(
      verdicts,
      ingress.length ? 'no inline ingress rule opens SSH or RDP to the internet' : 'no inline ingress rules',
    );
  }
  if (r.type === 'aws_security_group_rule') {
    const type = stringAttr(r.attributes, 'type');
    if (isUnresolved(type))
      return { outcome: 'unknown', message: `type is not known statically (${type.reason})`, path: 'type' };
    if (type !== 'ingress') return undefined;
    return judgeRule(ctx, r, r.attributes, SG_FIELDS, 'the rule', '');
  }
  return judgeRule(
    ctx,
    r,
    r.attributes,
    { cidrs: ['cidr_ipv4', 'cidr_ipv6'], prefixList: 'prefix_list_id', protocol: 'ip_protocol' },
    'the rule',
    '',
  );
}

/** No security group ingress opens SSH (22) or RDP (3389) to 0.0.0.0/0 or ::/0. */
export const check: CheckDefinition = {
  id: 'aws.security-group-no-public-admin-ports',
  title: 'Security groups do not open SSH or RDP to the internet',
  severity: 'critical',
  rationale:
    'SSH and RDP open to 0.0.0.0/0 or ::/0 are scanned and brute-forced within minutes of exposure; remote administration should come through a VPN, bastion or AWS Systems Manager Session Manager.',
  remediation:
    'Restrict `cidr_blocks` / `ipv6_cidr_blocks` (aws_security_group / aws_default_security_group ingress, aws_security_group_rule) or `cidr_ipv4` / `cidr_ipv6` (aws_vpc_security_group_ingress_rule) to known admin networks, or remove the rule and use SSM Session Manager; avoid `protocol = "-1"` ingress from the internet.',
  input: 'terraform',
  adversarial: {
    spelling: ['fail-port-and-protocol-spellings.tf', 'fail-vpc-rule-ipv6-world-spelling.tf'],
    'equivalent-values': [
      'fail-internet-split-in-halves.tf',
      'fail-ipv6-global-unicast.tf',
      'pass-private-ranges-split.tf',
    ],
    indirection: ['fail-managed-prefix-list-world.tf', 'fail-dynamic-ingress-from-local-map.tf'],
    unresolvable: ['unknown-prefix-list-data-source.tf'],
    'invalid-input': ['unknown-tcp-port-minus-one.tf'],
  },
  mappings: ADMIN_PORTS_MAPPINGS,
  trivyEquivalents: ['cloud/aws/ec2/no_public_ingress_sgr'],
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13',
  ],
  evaluate(facts, ctx) {
    const out: CheckResult[] = [];
    for (const r of resourcesOf(facts.terraform, [
      'aws_security_group',
      'aws_default_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
    ])) {
      const v = judge(ctx, r);
      if (v) out.push(result(r, v));
    }
    return out;
  },
};

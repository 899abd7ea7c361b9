import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import type { TerraformResource, TfObject } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
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

/**
 * True for a CIDR whose prefix length is 0 (`0.0.0.0/0`, `::/0`, and spellings such as `0::/0` or
 * `::0/0`): every address of its family.
 */
export function isWorldCidr(cidr: string): boolean {
  return /^[0-9a-fA-F.:]+\/0+$/.test(cidr.trim());
}
const ALL_PROTOCOLS = ['-1', 'all'];
const ICMP = ['icmp', '1', 'icmpv6', '58'];

/**
 * Judges one ingress rule: fail when a world CIDR (`0.0.0.0/0`, `::/0`) may reach port 22 or 3389
 * (port range containing them, or protocol `-1`/`all` = every port). `cidrFields` are the rule's
 * CIDR attributes (`cidr_blocks`/`ipv6_cidr_blocks`, or `cidr_ipv4`/`cidr_ipv6`), `protoField` its
 * protocol attribute, `label` and `path` name it in messages and locations.
 */
function judgeRule(
  rule: TfObject,
  cidrFields: string[],
  protoField: string,
  label: string,
  path: string,
): Verdict {
  const at = (f: string) => (path ? `${path}.${f}` : f);
  const world: string[] = [];
  const unresolved: string[] = [];
  let cidrPath = at(cidrFields[0]!);
  for (const f of cidrFields) {
    const v = rule[f];
    const list = Array.isArray(v) ? v : [v];
    for (const c of list) {
      if (isUnresolved(c)) {
        unresolved.push(`${f} (${c.reason})`);
        cidrPath = at(f);
      } else if (typeof c === 'string' && isWorldCidr(c)) {
        world.push(c.trim());
        cidrPath = at(f);
      }
    }
  }
  if (world.length === 0 && unresolved.length === 0)
    return { outcome: 'pass', message: `${label} is not open to the internet` };
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
    const from = numberAttr(rule, 'from_port');
    const to = numberAttr(rule, 'to_port');
    if (isUnresolved(from) || isUnresolved(to)) {
      return {
        outcome: 'unknown',
        message: `${label}: the port range is not known statically`,
        path: at('from_port'),
      };
    }
    if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) {
      return {
        outcome: 'unknown',
        message: `${label}: from_port/to_port are missing or not numbers`,
        path: at('from_port'),
      };
    }
    ports = ADMIN_PORTS.filter((port) => from <= port && port <= to);
    reach = from === to ? `port ${from}` : `ports ${from}-${to}`;
  }
  if (ports.length === 0)
    return { outcome: 'pass', message: `${label} does not reach ports ${ADMIN_PORTS.join('/')}` };
  if (world.length === 0) {
    return {
      outcome: 'unknown',
      message: `${label} reaches ${ports.join('/')} from CIDRs not known statically: ${unresolved.join(', ')}`,
      path: cidrPath,
    };
  }
  return {
    outcome: 'fail',
    message: `${label} allows ${world.join(', ')} to ${reach} (${ports.join(', ')})`,
    path: cidrPath,
  };
}

function judge(r: TerraformResource): Verdict | undefined {
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
          : judgeRule(
              rule,
              ['cidr_blocks', 'ipv6_cidr_blocks'],
              'protocol',
              `ingress rule ${i}`,
              `ingress.${i}`,
            ),
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
    return judgeRule(r.attributes, ['cidr_blocks', 'ipv6_cidr_blocks'], 'protocol', 'the rule', '');
  }
  return judgeRule(r.attributes, ['cidr_ipv4', 'cidr_ipv6'], 'ip_protocol', 'the rule', '');
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
  mappings: ADMIN_PORTS_MAPPINGS,
  trivyEquivalents: ['cloud/aws/ec2/no_public_ingress_sgr'],
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13',
  ],
  evaluate(facts) {
    const out: CheckResult[] = [];
    for (const r of resourcesOf(facts.terraform, [
      'aws_security_group',
      'aws_default_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
    ])) {
      const v = judge(r);
      if (v) out.push(result(r, v));
    }
    return out;
  },
};

import type { CheckDefinition } from '../../../core/check.js';
import type { TerraformResource, TfObject } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { ADMIN_PORTS_MAPPINGS } from '../../_lib/mappings.js';
import {
  foldVerdicts,
  isTfObject,
  readBlocks,
  readString,
  resourcesOf,
  result,
  unresolvedText,
  type Verdict,
} from '../../_lib/terraform-values.js';
import { deniedAdminPorts, exposedPorts, judgeRule, rulePriority } from '../_lib/nsg-rule.js';

/**
 * A failing Allow verdict turned into `pass` when inbound Deny rules of the same group with a lower
 * priority number (evaluated first) block every admin port it exposes from the whole internet.
 */
function shadowed(v: Verdict, rule: TfObject, group: readonly TfObject[]): Verdict {
  if (v.outcome !== 'fail') return v;
  const mine = rulePriority(rule);
  if (mine === undefined) return v;
  const ports = exposedPorts(v.message);
  const blockers = group.filter((o) => {
    const p = rulePriority(o);
    return o !== rule && p !== undefined && p < mine;
  });
  const blocked = ports.filter((port) => blockers.some((b) => deniedAdminPorts(b).includes(port)));
  if (ports.length === 0 || blocked.length < ports.length) return v;
  return {
    outcome: 'pass',
    message: `${v.message}, but a Deny rule with a lower priority number blocks ${blocked.join('/')} from the internet first`,
    path: v.path,
  };
}

/** True when two standalone rules name the same NSG (same known or referenced group name and resource group). */
function sameGroup(a: TerraformResource, b: TerraformResource): boolean {
  if (a.rootModule !== b.rootModule) return false;
  const key = (r: TerraformResource, attr: string): string | undefined => {
    const v = r.attributes[attr];
    if (typeof v === 'string') return `=${v}`;
    const refs = r.references[attr] ?? [];
    return refs.length > 0 ? `@${[...refs].sort().join(',')}` : undefined;
  };
  const ga = key(a, 'network_security_group_name');
  const ra = key(a, 'resource_group_name');
  return (
    ga !== undefined &&
    ra !== undefined &&
    ga === key(b, 'network_security_group_name') &&
    ra === key(b, 'resource_group_name')
  );
}

/**
 * No network security rule allows SSH (22) or RDP (3389) in from the internet. Judges every
 * `azurerm_network_security_rule` and every inline `security_rule` of an
 * `azurerm_network_security_group` (a group without inline rules gives no result).
 */
export const check: CheckDefinition = {
  id: 'azure.nsg-no-internet-ssh-rdp',
  title: 'Network security rules do not open SSH or RDP to the internet',
  severity: 'critical',
  rationale:
    'SSH and RDP exposed to the whole internet are scanned and brute-forced within minutes of creation; remote-administration ports should only be reachable from a bastion, VPN or known addresses.',
  remediation:
    'On inbound Allow rules for ports 22/3389, replace `source_address_prefix = "*"` / `"Internet"` / `"0.0.0.0/0"` with specific CIDRs in `source_address_prefix(es)`, or use Azure Bastion or just-in-time VM access instead.',
  input: 'terraform',
  adversarial: {
    ordering: ['pass-deny-first-by-priority.tf', 'fail-deny-after-allow.tf'],
    'equivalent-values': ['fail-internet-split-in-halves.tf'],
    unresolvable: ['unknown-source-from-variable.tf'],
    spelling: ['fail-rdp-in-port-list.tf'],
  },
  mappings: ADMIN_PORTS_MAPPINGS,
  trivyEquivalents: [
    'cloud/azure/network/ssh_blocked_from_internet',
    'cloud/azure/network/disable_rdp_from_internet',
  ],
  references: [
    'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_rule',
    'https://learn.microsoft.com/en-us/azure/security/fundamentals/network-best-practices#disable-rdpssh-access-to-virtual-machines',
  ],
  evaluate(facts) {
    const standaloneRules = resourcesOf(facts.terraform, ['azurerm_network_security_rule']);
    const standalone = standaloneRules.map((r) => {
      const name = readString(r.attributes, 'name');
      const siblings = standaloneRules.filter((o) => o !== r && sameGroup(o, r)).map((o) => o.attributes);
      return result(
        r,
        shadowed(
          judgeRule(r.attributes, '', name.state === 'ok' ? `rule "${name.value}"` : 'the rule'),
          r.attributes,
          siblings,
        ),
      );
    });
    const groups = resourcesOf(facts.terraform, ['azurerm_network_security_group']).flatMap((g) => {
      const rules = readBlocks(g.attributes, 'security_rule');
      if (isUnresolved(rules)) {
        return [
          result(g, {
            outcome: 'unknown',
            message: `${unresolvedText('security_rule', rules)}: the inline rules cannot be checked`,
            path: 'security_rule',
          }),
        ];
      }
      if (rules.length === 0) return [];
      const verdicts = rules.map((rule, i) => {
        if (isUnresolved(rule)) {
          return {
            outcome: 'unknown' as const,
            message: `${unresolvedText(`security_rule.${i}`, rule)}: the rule cannot be checked`,
            path: `security_rule.${i}`,
          };
        }
        const name = readString(rule, 'name');
        const label = `security_rule ${name.state === 'ok' ? `"${name.value}"` : `#${i}`}`;
        return shadowed(judgeRule(rule, `security_rule.${i}.`, label), rule, rules.filter(isTfObject));
      });
      return [
        result(
          g,
          foldVerdicts(verdicts, `${rules.length} inline rule(s), none opens SSH/RDP to the internet`),
        ),
      ];
    });
    return [...standalone, ...groups];
  },
};

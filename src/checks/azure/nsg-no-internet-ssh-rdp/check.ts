import type { CheckDefinition } from '../../../core/check.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { ADMIN_PORTS_MAPPINGS } from '../../_lib/mappings.js';
import {
  foldVerdicts,
  readBlocks,
  readString,
  resourcesOf,
  result,
  unresolvedText,
} from '../../_lib/terraform-values.js';
import { judgeRule } from '../_lib/nsg-rule.js';

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
    const standalone = resourcesOf(facts.terraform, ['azurerm_network_security_rule']).map((r) => {
      const name = readString(r.attributes, 'name');
      return result(
        r,
        judgeRule(r.attributes, '', name.state === 'ok' ? `rule "${name.value}"` : 'the rule'),
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
        return judgeRule(rule, `security_rule.${i}.`, label);
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

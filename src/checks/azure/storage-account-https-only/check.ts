import type { CheckDefinition } from '../../../core/check.js';
import { readBool, resourcesOf, result, unresolvedText, type Verdict } from '../../_lib/terraform-values.js';

/** Attribute names across azurerm versions: `https_traffic_only_enabled` (v4), `enable_https_traffic_only` (< v4). */
const ATTRIBUTES = ['https_traffic_only_enabled', 'enable_https_traffic_only'] as const;

/**
 * `azurerm_storage_account` accepts HTTPS only. Either attribute set to false fails; absent means
 * the provider default `true`.
 */
export const check: CheckDefinition = {
  id: 'azure.storage-account-https-only',
  title: 'Storage accounts accept HTTPS traffic only',
  severity: 'high',
  rationale:
    'A storage account that accepts plain HTTP lets anyone on the network path read or tamper with blobs, files and the shared-key or SAS credentials sent with each request.',
  remediation:
    'Remove `https_traffic_only_enabled = false` (azurerm 4.x) or `enable_https_traffic_only = false` (azurerm < 4) from the `azurerm_storage_account`, or set it to `true` (the default).',
  input: 'terraform',
  adversarial: {
    spelling: ['fail-https-only-string-false.tf', 'fail-http-allowed-v3.tf'],
    'provider-default': ['pass-default-and-explicit.tf'],
    unresolvable: ['unknown-unresolved-variable.tf'],
  },
  mappings: {
    soc2: ['CC6.1', 'CC6.7'],
    'iso27001-2022': ['A.8.20', 'A.8.24'],
    hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
    gdpr: ['Art.32(1)(a)', 'Art.5(1)(f)'],
  },
  trivyEquivalents: ['cloud/azure/storage/enforce_https'],
  references: [
    'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account#https_traffic_only_enabled-1',
    'https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer',
  ],
  evaluate(facts) {
    return resourcesOf(facts.terraform, ['azurerm_storage_account']).map((account) => {
      const verdicts: Verdict[] = [];
      for (const key of ATTRIBUTES) {
        const r = readBool(account.attributes, key);
        if (r.state === 'ok' && !r.value) {
          verdicts.push({
            outcome: 'fail',
            message: `${key} = false: the account accepts plain HTTP`,
            path: key,
          });
        } else if (r.state === 'unresolved') {
          verdicts.push({
            outcome: 'unknown',
            message: `${unresolvedText(key, r.value)}: whether plain HTTP is accepted is unknown`,
            path: key,
          });
        } else if (r.state === 'invalid') {
          verdicts.push({
            outcome: 'unknown',
            message: `${key} is ${JSON.stringify(r.raw)}, not a bool: whether plain HTTP is accepted is unknown`,
            path: key,
          });
        } else if (r.state === 'ok') {
          verdicts.push({ outcome: 'pass', message: `${key} = true`, path: key });
        }
      }
      const fail =
        verdicts.find((v) => v.outcome === 'fail') ?? verdicts.find((v) => v.outcome === 'unknown');
      if (fail) return result(account, fail);
      return result(
        account,
        verdicts[0] ?? {
          outcome: 'pass',
          message: 'HTTPS-only not overridden (azurerm default: HTTPS traffic only)',
        },
      );
    });
  },
};

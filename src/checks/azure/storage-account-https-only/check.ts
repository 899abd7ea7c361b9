import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { AzureStorageAccount } from '../../../model/azure/storage.js';
import { unknownVerdict } from '../../_lib/model-verdicts.js';

const MESSAGES: Messages = {
  http: '{{name}} = false: the account accepts plain HTTP',
  https: '{{name}} = true',
  'default-https': 'HTTPS-only not overridden (azurerm default: HTTPS traffic only; {{source}})',
  'default-http':
    '{{name}} is not set and the azurerm version in use defaults it to false ({{source}}): the account accepts plain HTTP',
};

function judge(account: AzureStorageAccount): Verdict {
  const v = account.httpsOnly;
  if (v.state === 'unknown')
    return unknownVerdict(v, { consequence: 'whether plain HTTP is accepted is unknown' });
  if (v.state === 'known')
    return v.value
      ? verdict('pass', 'https', { name: v.name }, { location: v.location })
      : verdict('fail', 'http', { name: v.name }, { location: v.location });
  const source = v.default?.source ?? 'provider default';
  return v.default?.value === false
    ? verdict('fail', 'default-http', { name: v.name, source })
    : verdict('pass', 'default-https', { source });
}

/**
 * `azurerm_storage_account` accepts HTTPS only (`https_traffic_only_enabled`, azurerm 4; before:
 * `enable_https_traffic_only`). Set to false fails; absent means the provider default of the azurerm
 * version in use: true from 2.0, false before.
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
  concerns: ['azure.storage.accounts'],
  messages: MESSAGES,
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
  evaluate(_facts, ctx) {
    return ctx.model.get('azure.storage.accounts').map((a) => toResult(a, judge(a), MESSAGES));
  },
};

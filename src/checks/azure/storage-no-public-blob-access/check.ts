import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { AzureStorageAccount, AzureStorageContainer } from '../../../model/azure/storage.js';
import { PUBLIC_STORAGE_MAPPINGS } from '../../_lib/mappings.js';
import { unknownVerdict } from '../../_lib/model-verdicts.js';

const MESSAGES: Messages = {
  'account-public': '{{name}} = true: containers in the account may allow anonymous read',
  'account-private': '{{name}} = false: anonymous access is disabled for the account',
  'account-default-public':
    '{{name}} is not set: the azurerm version in use defaults it to true ({{source}}), so containers may allow anonymous read',
  'account-default-private':
    '{{name}} is not set: the azurerm version in use defaults it to false ({{source}})',
  'container-default': 'container_access_type not set (default private)',
  'container-public': 'container_access_type = "{{level}}": anyone can read {{what}} anonymously',
  'container-odd':
    'container_access_type = "{{level}}" is not one of private, blob, container: whether the container is public is unknown',
  'container-private': 'container_access_type = "{{level}}"',
};

/** Verdict for a storage account: may containers in it be made public? */
function accountVerdict(account: AzureStorageAccount): Verdict {
  const v = account.nestedItemsPublic;
  if (v.state === 'unknown')
    return unknownVerdict(v, { consequence: 'whether containers may be public is unknown' });
  const at = { location: v.location };
  if (v.state === 'known')
    return verdict(
      v.value ? 'fail' : 'pass',
      v.value ? 'account-public' : 'account-private',
      { name: v.name },
      at,
    );
  const data = { name: v.name, source: v.default?.source ?? 'provider default' };
  return v.default?.value === false
    ? verdict('pass', 'account-default-private', data)
    : verdict('fail', 'account-default-public', data);
}

/** Verdict for a blob container: is its access level anonymous? */
function containerVerdict(container: AzureStorageContainer): Verdict {
  const v = container.accessType;
  if (v.state === 'unknown')
    return unknownVerdict(v, { consequence: 'whether the container is public is unknown' });
  if (v.state === 'absent') return verdict('pass', 'container-default');
  const level = v.value.trim().toLowerCase();
  const at = { location: v.location };
  if (level === 'blob' || level === 'container')
    return verdict(
      'fail',
      'container-public',
      { level: v.value, what: level === 'blob' ? 'its blobs' : 'and list its blobs' },
      at,
    );
  if (level !== 'private') return verdict('unknown', 'container-odd', { level: v.value }, at);
  return verdict('pass', 'container-private', { level: v.value }, at);
}

/**
 * No anonymous blob access: `azurerm_storage_account` disables it (`allow_nested_items_to_be_public
 * = false`, azurerm 3+, default true; or `allow_blob_public_access = false`, azurerm 2, default false)
 * and no `azurerm_storage_container` has `container_access_type` `blob` or `container`.
 */
export const check: CheckDefinition = {
  id: 'azure.storage-no-public-blob-access',
  title: 'Storage accounts and containers do not allow anonymous blob access',
  severity: 'high',
  rationale:
    'Anonymous (public) blob access lets anyone on the internet who learns or guesses a URL read the data, with no credential and no per-user audit trail; it is the Azure equivalent of a public S3 bucket.',
  remediation:
    'Set `allow_nested_items_to_be_public = false` on every `azurerm_storage_account` (azurerm 3+; `allow_blob_public_access = false` on azurerm 2) and leave `container_access_type` at `"private"` on every `azurerm_storage_container`; share data with SAS tokens or Entra ID roles instead.',
  input: 'terraform',
  concerns: ['azure.storage.accounts', 'azure.storage.containers'],
  messages: MESSAGES,
  adversarial: {
    spelling: ['fail-container-access-mixed-case.tf'],
    indirection: ['fail-container-access-through-upper.tf'],
    'provider-default': ['fail-account-default-allows-public.tf', 'pass-azurerm-v2-default.tf'],
  },
  mappings: PUBLIC_STORAGE_MAPPINGS,
  trivyEquivalents: ['cloud/azure/storage/no_public_access'],
  references: [
    'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account#allow_nested_items_to_be_public-1',
    'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_container#container_access_type-1',
    'https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent',
  ],
  evaluate(_facts, ctx) {
    return [
      ...ctx.model.get('azure.storage.accounts').map((a) => toResult(a, accountVerdict(a), MESSAGES)),
      ...ctx.model.get('azure.storage.containers').map((c) => toResult(c, containerVerdict(c), MESSAGES)),
    ];
  },
};

import type { CheckDefinition } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { PUBLIC_STORAGE_MAPPINGS } from '../../_lib/mappings.js';
import {
  readBool,
  readString,
  resourcesOf,
  result,
  unresolvedText,
  type Verdict,
} from '../../_lib/terraform-values.js';

/** Verdict for an `azurerm_storage_account`: may containers in it be made public? */
function accountVerdict(account: TerraformResource): Verdict {
  const nested = readBool(account.attributes, 'allow_nested_items_to_be_public');
  const legacy = readBool(account.attributes, 'allow_blob_public_access');
  for (const [key, r] of [
    ['allow_nested_items_to_be_public', nested],
    ['allow_blob_public_access', legacy],
  ] as const) {
    if (r.state === 'unresolved') {
      return {
        outcome: 'unknown',
        message: `${unresolvedText(key, r.value)}: whether containers may be public is unknown`,
        path: key,
      };
    }
    if (r.state === 'invalid') {
      return {
        outcome: 'unknown',
        message: `${key} is ${JSON.stringify(r.raw)}, not a bool: whether containers may be public is unknown`,
        path: key,
      };
    }
    if (r.state === 'ok') {
      return r.value
        ? {
            outcome: 'fail',
            message: `${key} = true: containers in the account may allow anonymous read`,
            path: key,
          }
        : { outcome: 'pass', message: `${key} = false: anonymous access is disabled for the account` };
    }
  }
  return {
    outcome: 'fail',
    message:
      'allow_nested_items_to_be_public is not set: azurerm 3.x and later default it to true, so containers may allow anonymous read',
  };
}

/** Verdict for an `azurerm_storage_container`: is its access level anonymous? */
function containerVerdict(container: TerraformResource): Verdict {
  const key = 'container_access_type';
  const r = readString(container.attributes, key);
  if (r.state === 'absent')
    return { outcome: 'pass', message: 'container_access_type not set (default private)' };
  if (r.state === 'unresolved') {
    return {
      outcome: 'unknown',
      message: `${unresolvedText(key, r.value)}: whether the container is public is unknown`,
      path: key,
    };
  }
  if (r.state === 'invalid') {
    return { outcome: 'unknown', message: `${key} is ${JSON.stringify(r.raw)}, not a string`, path: key };
  }
  const level = r.value.trim().toLowerCase();
  if (level === 'blob' || level === 'container') {
    return {
      outcome: 'fail',
      message: `container_access_type = "${r.value}": anyone can read ${level === 'blob' ? 'its blobs' : 'and list its blobs'} anonymously`,
      path: key,
    };
  }
  if (level !== 'private') {
    return {
      outcome: 'unknown',
      message: `container_access_type = "${r.value}" is not one of private, blob, container: whether the container is public is unknown`,
      path: key,
    };
  }
  return { outcome: 'pass', message: `container_access_type = "${r.value}"` };
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
  evaluate(facts) {
    return [
      ...resourcesOf(facts.terraform, ['azurerm_storage_account']).map((a) => result(a, accountVerdict(a))),
      ...resourcesOf(facts.terraform, ['azurerm_storage_container']).map((c) =>
        result(c, containerVerdict(c)),
      ),
    ];
  },
};

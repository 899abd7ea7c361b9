import type { TerraformResource } from '../../../core/facts.js';
import { azureStorageAccounts, azureStorageContainers } from '../../../model/azure/storage.js';
import { absent, type DefaultValue, unknown, type Value } from '../../../model/value.js';
import type { Computed } from '../../field-map.js';
import { type FactTree, leafAt } from '../../tree.js';
import { terraformFieldMapAdapter } from '../field-map-adapter.js';
import { describeProviderVersion, providerAtLeast } from '../provider-version.js';

const DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs';

/** The first of `names` that is set, else absent with the default `dflt(r)` gives (unknown when it cannot tell). */
function firstOf(
  r: TerraformResource,
  names: readonly string[],
  dflt: (r: TerraformResource, v: Value<boolean>) => Value<boolean>,
  doc: string,
): Computed<Value<boolean>> {
  return {
    doc,
    compute: (tree: FactTree, base) => {
      for (const n of names) {
        const v = leafAt(tree, 'bool', n, base);
        if (v.state !== 'absent') return v;
      }
      return dflt(r, leafAt(tree, 'bool', names[0]!, base));
    },
  };
}

/** An absent value with the default that the provider version `r` runs with applies, or unknown. */
function versioned(
  r: TerraformResource,
  v: Value<boolean>,
  pick: (atLeast: (version: string) => boolean | undefined) => DefaultValue<boolean> | undefined,
  what: string,
): Value<boolean> {
  const atLeast = (version: string) => providerAtLeast(r.providerVersion, version);
  const d = pick(atLeast);
  if (d) return absent(v.name, v.location, d);
  return unknown(
    `${v.name} is not set and ${what} depends on the azurerm version, which the constraints do not fix (${describeProviderVersion(r.providerVersion)})`,
    v.name,
    v.location,
  );
}

/** HTTPS-only default: false before azurerm 2.0, true from 2.0 (2.0 upgrade guide). */
function httpsDefault(r: TerraformResource, v: Value<boolean>): Value<boolean> {
  return versioned(
    r,
    v,
    (atLeast) => {
      const v2 = atLeast('2.0.0');
      if (v2 === undefined) return undefined;
      return v2
        ? {
            value: true,
            source: `${DOCS}/resources/storage_account#https_traffic_only_enabled-1 (default true since azurerm 2.0; ${describeProviderVersion(r.providerVersion)})`,
          }
        : {
            value: false,
            source: `${DOCS}/guides/2.0-upgrade-guide (enable_https_traffic_only defaulted to false before 2.0; ${describeProviderVersion(r.providerVersion)})`,
          };
    },
    'its default',
  );
}

/**
 * Nested-items-public default: true from azurerm 3.0 (`allow_nested_items_to_be_public` "Defaults to
 * true"); false in 2.19-2.x (`allow_blob_public_access`, PR #7784); before 2.19 the provider could not
 * set it and Azure reads an unset `allowBlobPublicAccess` as true.
 */
function nestedDefault(r: TerraformResource, v: Value<boolean>): Value<boolean> {
  const version = describeProviderVersion(r.providerVersion);
  return versioned(
    r,
    v,
    (atLeast) => {
      const v3 = atLeast('3.0.0');
      const v219 = atLeast('2.19.0');
      if (v3 === undefined || v219 === undefined) return undefined;
      if (v3)
        return {
          value: true,
          source: `${DOCS}/resources/storage_account#allow_nested_items_to_be_public-1 ("Defaults to true"; ${version})`,
        };
      if (v219)
        return {
          value: false,
          source: `https://github.com/hashicorp/terraform-provider-azurerm/pull/7784 (allow_blob_public_access defaults to false in azurerm 2.x; ${version})`,
        };
      return {
        value: true,
        source: `https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/create (allowBlobPublicAccess: "The default interpretation is true"; azurerm before 2.19 cannot set it; ${version})`,
      };
    },
    'the default',
  );
}

/** Terraform adapter of `azure.storage.accounts` (declarative, provider-version-aware defaults). */
export const terraformAzureStorageAccounts = terraformFieldMapAdapter({
  id: 'terraform/azure/storage-accounts',
  concern: 'azure.storage.accounts',
  schema: azureStorageAccounts,
  resourceTypes: ['azurerm_storage_account'],
  fields: (r) => ({
    httpsOnly: firstOf(
      r,
      ['https_traffic_only_enabled', 'enable_https_traffic_only'],
      httpsDefault,
      'https_traffic_only_enabled, else enable_https_traffic_only; default by azurerm version (false before 2.0, true from 2.0)',
    ),
    nestedItemsPublic: firstOf(
      r,
      ['allow_nested_items_to_be_public', 'allow_blob_public_access'],
      nestedDefault,
      'allow_nested_items_to_be_public, else allow_blob_public_access; default by azurerm version (true from 3.0, false in 2.19-2.x, true before)',
    ),
    minTlsVersion: 'min_tls_version',
  }),
});

/** Terraform adapter of `azure.storage.containers` (declarative). */
export const terraformAzureStorageContainers = terraformFieldMapAdapter({
  id: 'terraform/azure/storage-containers',
  concern: 'azure.storage.containers',
  schema: azureStorageContainers,
  resourceTypes: ['azurerm_storage_container'],
  fields: {
    accessType: {
      path: 'container_access_type',
      default: {
        value: 'private',
        source: `${DOCS}/resources/storage_container#container_access_type-1 ("Defaults to private")`,
      },
    },
  },
});

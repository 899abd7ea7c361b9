import { concern, field, type ModelObjectOf } from '../schema.js';

/** `azure.storage.accounts`: Azure Storage accounts. */
export const azureStorageAccounts = concern({
  id: 'azure.storage.accounts',
  title: 'Azure Storage accounts',
  description: 'One object per storage account (Terraform `azurerm_storage_account`).',
  fields: {
    httpsOnly: field.bool(
      'The account refuses plain HTTP (`https_traffic_only_enabled`, azurerm 4; `enable_https_traffic_only` before). The azurerm default changed in 2.0 from false to true.',
    ),
    nestedItemsPublic: field.bool(
      'Containers and blobs may opt into anonymous access (`allow_nested_items_to_be_public`, azurerm 3+; `allow_blob_public_access`, azurerm 2.19-2.x). The default depends on the provider version.',
    ),
    minTlsVersion: field.string('Lowest TLS version accepted (`min_tls_version`).', [
      'TLS1_0',
      'TLS1_1',
      'TLS1_2',
      'TLS1_3',
    ]),
  },
});

/** `azure.storage.containers`: blob containers. */
export const azureStorageContainers = concern({
  id: 'azure.storage.containers',
  title: 'Azure Storage blob containers',
  description: 'One object per blob container (Terraform `azurerm_storage_container`).',
  fields: {
    accessType: field.string(
      'Anonymous access level (`container_access_type`, as written): `private`, `blob` (anyone reads blobs), `container` (anyone lists and reads).',
    ),
  },
});

/** One storage account of the model. */
export type AzureStorageAccount = ModelObjectOf<typeof azureStorageAccounts>;
/** One blob container of the model. */
export type AzureStorageContainer = ModelObjectOf<typeof azureStorageContainers>;

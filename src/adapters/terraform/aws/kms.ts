import { kmsKeys } from '../../../model/aws/kms.js';
import { terraformFieldMapAdapter } from '../field-map-adapter.js';

const DOC = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key';
const dflt = <T>(value: T, arg: string, text: string) => ({ value, source: `${DOC}#${arg}-1 ("${text}")` });

/** Terraform adapter of `aws.kms.keys` (declarative). */
export const terraformKmsKeys = terraformFieldMapAdapter({
  id: 'terraform/aws/kms',
  concern: 'aws.kms.keys',
  schema: kmsKeys,
  resourceTypes: ['aws_kms_key'],
  fields: {
    usage: {
      path: 'key_usage',
      default: dflt('ENCRYPT_DECRYPT', 'key_usage', 'Defaults to ENCRYPT_DECRYPT'),
    },
    spec: {
      path: 'customer_master_key_spec',
      default: dflt('SYMMETRIC_DEFAULT', 'customer_master_key_spec', 'Defaults to SYMMETRIC_DEFAULT'),
    },
    rotationEnabled: {
      path: 'enable_key_rotation',
      default: dflt(false, 'enable_key_rotation', 'Defaults to false'),
    },
    rotationPeriodDays: 'rotation_period_in_days',
    customKeyStoreId: 'custom_key_store_id',
    multiRegion: { path: 'multi_region', default: dflt(false, 'multi_region', 'Defaults to false') },
  },
});

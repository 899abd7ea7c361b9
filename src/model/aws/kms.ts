import { concern, field, type ModelObjectOf } from '../schema.js';

/** `aws.kms.keys`: KMS keys. */
export const kmsKeys = concern({
  id: 'aws.kms.keys',
  title: 'KMS keys',
  description: 'One object per customer managed KMS key (Terraform `aws_kms_key`).',
  fields: {
    usage: field.string('What the key is for (`key_usage`).', [
      'ENCRYPT_DECRYPT',
      'SIGN_VERIFY',
      'GENERATE_VERIFY_MAC',
      'KEY_AGREEMENT',
    ]),
    spec: field.string(
      'Key type (`customer_master_key_spec` / `key_spec`): `SYMMETRIC_DEFAULT`, `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`, ...',
    ),
    rotationEnabled: field.bool('Automatic rotation of the key material (`enable_key_rotation`).'),
    rotationPeriodDays: field.number('Rotation period (`rotation_period_in_days`).', 'days'),
    customKeyStoreId: field.string('The custom key store (CloudHSM or external) holding the key.'),
    multiRegion: field.bool('A multi-Region primary key.'),
  },
});

/** One KMS key of the model. */
export type KmsKey = ModelObjectOf<typeof kmsKeys>;

import { kmsKeys } from '../../../model/aws/kms.js';
import { absent } from '../../../model/value.js';
import { cloudformationFieldMapAdapter } from '../field-map-adapter.js';

const DOC =
  'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html';
const dflt = <T>(value: T, prop: string, text: string) => ({
  value,
  source: `${DOC}#cfn-kms-key-${prop.toLowerCase()} ("${text}")`,
});

/** CloudFormation adapter of `aws.kms.keys`: `AWS::KMS::Key`. */
export const cloudformationKmsKeys = cloudformationFieldMapAdapter({
  id: 'cloudformation/aws/kms',
  concern: 'aws.kms.keys',
  schema: kmsKeys,
  resourceTypes: ['AWS::KMS::Key'],
  fields: {
    usage: { path: 'KeyUsage', default: dflt('ENCRYPT_DECRYPT', 'KeyUsage', 'Default: ENCRYPT_DECRYPT') },
    spec: { path: 'KeySpec', default: dflt('SYMMETRIC_DEFAULT', 'KeySpec', 'Default: SYMMETRIC_DEFAULT') },
    rotationEnabled: {
      path: 'EnableKeyRotation',
      default: dflt(false, 'EnableKeyRotation', 'By default, automatic key rotation is not enabled'),
    },
    rotationPeriodDays: 'RotationPeriodInDays',
    customKeyStoreId: {
      doc: 'absent: AWS::KMS::Key has no custom key store property (such keys are not created by this type)',
      compute: (tree, base) => absent<string>('CustomKeyStoreId', tree.locate(base)),
    },
    multiRegion: { path: 'MultiRegion', default: dflt(false, 'MultiRegion', 'Default: false') },
  },
});

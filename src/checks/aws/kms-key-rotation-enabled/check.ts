import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import { type Messages, toResult, verdict } from '../../../core/verdict.js';
import { effective } from '../../../model/value.js';
import { requireTrue } from '../../_lib/model-verdicts.js';

const MESSAGES: Messages = {
  'type-unknown': 'the key type is not known statically ({{reason}}): rotation may not apply',
  'store-unknown':
    'custom_key_store_id is not known statically ({{reason}}): a key in a custom key store cannot rotate, one outside it must',
};

/**
 * Symmetric encryption KMS keys rotate their key material. Asymmetric, HMAC and signing keys
 * (`key_usage` other than ENCRYPT_DECRYPT, or `customer_master_key_spec` other than
 * SYMMETRIC_DEFAULT) and keys in a custom key store (`custom_key_store_id`; AWS KMS developer guide,
 * "Rotating AWS KMS keys": not supported there) cannot be rotated automatically and get no result.
 */
export const check: CheckDefinition = {
  id: 'aws.kms-key-rotation-enabled',
  title: 'KMS keys rotate their key material automatically',
  severity: 'medium',
  rationale:
    'Automatic rotation replaces the key material yearly (or on the configured period) while old material still decrypts old data, limiting how much data one compromised key version protects, as cryptographic key-management policies require.',
  remediation:
    'Set `enable_key_rotation = true` on `aws_kms_key` (optionally `rotation_period_in_days`, 90–2560).',
  input: 'terraform',
  concerns: ['aws.kms.keys'],
  messages: MESSAGES,
  mappings: {
    soc2: ['CC6.1'],
    'iso27001-2022': ['A.8.24'],
    hipaa: ['164.312(a)(2)(iv)'],
    gdpr: ['Art.32(1)(a)'],
  },
  trivyEquivalents: ['cloud/aws/kms/auto_rotate_keys'],
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html'],
  evaluate(_facts, ctx) {
    const out: CheckResult[] = [];
    for (const key of ctx.model.get('aws.kms.keys')) {
      const type = [key.usage, key.spec].find((v) => v.state === 'unknown');
      if (type?.state === 'unknown') {
        out.push(
          toResult(key, verdict('unknown', 'type-unknown', { reason: type.unresolved.reason }), MESSAGES),
        );
        continue;
      }
      if (effective(key.usage) !== 'ENCRYPT_DECRYPT' || effective(key.spec) !== 'SYMMETRIC_DEFAULT') continue;
      const store = key.customKeyStoreId;
      if (store.state === 'unknown') {
        out.push(
          toResult(
            key,
            verdict(
              'unknown',
              'store-unknown',
              { reason: store.unresolved.reason },
              { location: store.location },
            ),
            MESSAGES,
          ),
        );
        continue;
      }
      if (store.state === 'known' && store.value !== '') continue; // rotation unsupported
      out.push(toResult(key, requireTrue(key.rotationEnabled), MESSAGES));
    }
    return out;
  },
};

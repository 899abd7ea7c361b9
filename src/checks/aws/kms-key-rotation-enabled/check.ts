import type { CheckDefinition, CheckResult } from '../../../core/check.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { requireTrue, resourcesOf, result, stringAttr } from '../../_lib/terraform-values.js';

/**
 * Symmetric encryption KMS keys rotate their key material. Asymmetric, HMAC and signing keys
 * (`key_usage` other than ENCRYPT_DECRYPT, or `customer_master_key_spec` other than
 * SYMMETRIC_DEFAULT) and keys in a custom key store (`custom_key_store_id`) cannot be rotated
 * automatically and get no result.
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
  adversarial: {
    spelling: ['fail-rotation-string-false.tf'],
    indirection: ['pass-rotation-through-tobool.tf'],
    unresolvable: ['unknown-custom-key-store-variable.tf'],
    coverage: ['na-custom-key-store.tf', 'na-signing-key-exempt.tf'],
  },
  mappings: {
    soc2: ['CC6.1'],
    'iso27001-2022': ['A.8.24'],
    hipaa: ['164.312(a)(2)(iv)'],
    gdpr: ['Art.32(1)(a)'],
  },
  trivyEquivalents: ['cloud/aws/kms/auto_rotate_keys'],
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html'],
  evaluate(facts) {
    const out: CheckResult[] = [];
    for (const key of resourcesOf(facts.terraform, ['aws_kms_key'])) {
      const usage = stringAttr(key.attributes, 'key_usage') ?? 'ENCRYPT_DECRYPT';
      const spec = stringAttr(key.attributes, 'customer_master_key_spec') ?? 'SYMMETRIC_DEFAULT';
      if (isUnresolved(usage) || isUnresolved(spec)) {
        const u = isUnresolved(usage) ? usage : (spec as Exclude<typeof spec, string>);
        out.push(
          result(key, {
            outcome: 'unknown',
            message: `the key type is not known statically (${u.reason}): rotation may not apply`,
          }),
        );
        continue;
      }
      if (usage !== 'ENCRYPT_DECRYPT' || spec !== 'SYMMETRIC_DEFAULT') continue; // rotation unsupported
      // Keys in a custom key store (CloudHSM or external) cannot rotate automatically (AWS KMS
      // developer guide, "Rotating AWS KMS keys": not supported for keys in custom key stores).
      const store = stringAttr(key.attributes, 'custom_key_store_id');
      if (isUnresolved(store)) {
        out.push(
          result(key, {
            outcome: 'unknown',
            message: `custom_key_store_id is not known statically (${store.reason}): a key in a custom key store cannot rotate, one outside it must`,
            path: 'custom_key_store_id',
          }),
        );
        continue;
      }
      if (store !== undefined && store !== '') continue;
      out.push(result(key, requireTrue(key.attributes, 'enable_key_rotation')));
    }
    return out;
  },
};

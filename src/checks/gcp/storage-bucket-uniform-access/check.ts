import type { CheckDefinition } from '../../../core/check.js';
import { readBool, resourcesOf, result, unresolvedText } from '../../_lib/terraform-values.js';

/** `google_storage_bucket.uniform_bucket_level_access = true` (provider default: false). */
export const check: CheckDefinition = {
  id: 'gcp.storage-bucket-uniform-access',
  title: 'Cloud Storage buckets use uniform bucket-level access',
  severity: 'medium',
  rationale:
    'Without uniform bucket-level access, per-object ACLs can grant access that bucket IAM does not show, so access reviews of the bucket policy miss objects made public or shared one by one.',
  remediation: 'Set `uniform_bucket_level_access = true` on every `google_storage_bucket`.',
  input: 'terraform',
  adversarial: {
    spelling: ['pass-bucket-policy-only-legacy-name.tf', 'fail-bucket-policy-only-false.tf'],
    'provider-default': ['fail-ubla-not-set.tf'],
  },
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    'iso27001-2022': ['A.5.15', 'A.5.18', 'A.8.3'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  trivyEquivalents: ['cloud/google/storage/enable_ubla'],
  references: [
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#uniform_bucket_level_access-1',
    'https://cloud.google.com/storage/docs/uniform-bucket-level-access',
  ],
  evaluate(facts) {
    const key = 'uniform_bucket_level_access';
    return resourcesOf(facts.terraform, ['google_storage_bucket']).map((bucket) => {
      // google provider < 4.0 named the setting `bucket_policy_only` (deprecated in 3.x, removed in 4.0).
      const legacy = readBool(bucket.attributes, 'bucket_policy_only');
      const own = readBool(bucket.attributes, key);
      const r = own.state === 'absent' && legacy.state !== 'absent' ? legacy : own;
      const name = r === legacy ? 'bucket_policy_only' : key;
      switch (r.state) {
        case 'absent':
          return result(bucket, {
            outcome: 'fail',
            message: `${name} is not set (default false): object ACLs can grant access outside bucket IAM`,
          });
        case 'unresolved':
          return result(bucket, {
            outcome: 'unknown',
            message: `${unresolvedText(name, r.value)}: whether object ACLs are disabled is unknown`,
            path: name,
          });
        case 'invalid':
          return result(bucket, {
            outcome: 'unknown',
            message: `${name} is ${JSON.stringify(r.raw)}, not a bool: whether object ACLs are disabled is unknown`,
            path: name,
          });
        default:
          return result(
            bucket,
            r.value
              ? { outcome: 'pass', message: `${name} = true` }
              : {
                  outcome: 'fail',
                  message: `${name} = false: object ACLs can grant access outside bucket IAM`,
                  path: name,
                },
          );
      }
    });
  },
};

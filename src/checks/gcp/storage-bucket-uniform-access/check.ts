import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { GcpStorageBucket } from '../../../model/gcp/storage.js';
import { unknownVerdict } from '../../_lib/model-verdicts.js';

const MESSAGES: Messages = {
  uniform: '{{name}} = true',
  'not-uniform': '{{name}} = false: object ACLs can grant access outside bucket IAM',
  'not-set': '{{name}} is not set (default false): object ACLs can grant access outside bucket IAM',
};

function judge(bucket: GcpStorageBucket): Verdict {
  const v = bucket.uniformBucketLevelAccess;
  if (v.state === 'unknown')
    return unknownVerdict(v, { consequence: 'whether object ACLs are disabled is unknown' });
  if (v.state === 'absent')
    return verdict(v.default?.value ? 'pass' : 'fail', v.default?.value ? 'uniform' : 'not-set', {
      name: v.name,
    });
  const at = { location: v.location };
  return v.value
    ? verdict('pass', 'uniform', { name: v.name })
    : verdict('fail', 'not-uniform', { name: v.name }, at);
}

/**
 * `google_storage_bucket.uniform_bucket_level_access = true` (provider default: false; google provider
 * < 4.0 named it `bucket_policy_only`).
 */
export const check: CheckDefinition = {
  id: 'gcp.storage-bucket-uniform-access',
  title: 'Cloud Storage buckets use uniform bucket-level access',
  severity: 'medium',
  rationale:
    'Without uniform bucket-level access, per-object ACLs can grant access that bucket IAM does not show, so access reviews of the bucket policy miss objects made public or shared one by one.',
  remediation: 'Set `uniform_bucket_level_access = true` on every `google_storage_bucket`.',
  input: 'terraform',
  concerns: ['gcp.storage.buckets'],
  messages: MESSAGES,
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
  evaluate(_facts, ctx) {
    return ctx.model.get('gcp.storage.buckets').map((b) => toResult(b, judge(b), MESSAGES));
  },
};

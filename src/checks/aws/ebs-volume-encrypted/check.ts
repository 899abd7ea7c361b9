import type { CheckDefinition } from '../../../core/check.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { boolAttr, resourcesOf, result } from '../../_lib/terraform-values.js';
import { judgeEncrypted, withRegionDefault } from '../_lib/ebs.js';

/** EBS volumes are encrypted (on the volume, or account-wide with aws_ebs_encryption_by_default). */
export const check: CheckDefinition = {
  id: 'aws.ebs-volume-encrypted',
  title: 'EBS volumes are encrypted',
  severity: 'high',
  rationale:
    'An unencrypted EBS volume, and every snapshot taken of it, can be read by anyone who can attach or share it; encryption can only be chosen when the volume is created.',
  remediation:
    'Set `encrypted = true` (optionally `kms_key_id`) on `aws_ebs_volume`, or enable encryption for the whole region with `resource "aws_ebs_encryption_by_default" "this" { enabled = true }`.',
  input: 'terraform',
  adversarial: {
    spelling: ['fail-encrypted-string-false.tf'],
    'provider-default': ['fail-not-set.tf', 'pass-region-default.tf'],
    indirection: ['unknown-region-default-other-provider.tf'],
    unresolvable: ['unknown-region-default-maybe-absent.tf', 'unknown-not-set-plan-unknown.plan.json'],
    coverage: ['fail-region-default-disabled.tf'],
  },
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: ['cloud/aws/ec2/enable_volume_encryption'],
  references: [
    'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_volume#encrypted',
  ],
  evaluate(facts, ctx) {
    const out = resourcesOf(facts.terraform, ['aws_ebs_volume']).map((vol) => {
      const v = judgeEncrypted(vol.attributes, 'the volume', '');
      return result(vol, withRegionDefault(ctx.terraform, vol, v));
    });
    // Turning the region default off is itself a finding: every volume created without `encrypted`
    // (by hand, by other stacks, by services) is then unencrypted.
    for (const d of resourcesOf(facts.terraform, ['aws_ebs_encryption_by_default'])) {
      const v = boolAttr(d.attributes, 'enabled', true);
      if (v.state === 'ok' && v.value) {
        out.push(result(d, { outcome: 'pass', message: 'the region encrypts new EBS volumes by default' }));
        continue;
      }
      out.push(
        result(
          d,
          v.state === 'unresolved'
            ? {
                outcome: 'unknown',
                message: `enabled is not known statically (${v.value.reason}): the region default may be off`,
                path: 'enabled',
              }
            : {
                outcome: 'fail',
                message:
                  v.state === 'invalid'
                    ? 'enabled is not a boolean'
                    : 'enabled = false turns off EBS encryption by default for the region: new volumes without `encrypted` are unencrypted',
                path: 'enabled',
              },
        ),
      );
    }
    return out;
  },
};

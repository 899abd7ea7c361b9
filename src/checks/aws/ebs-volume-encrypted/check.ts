import type { CheckDefinition } from '../../../core/check.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { resourcesOf, result } from '../../_lib/terraform-values.js';
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
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: ['cloud/aws/ec2/enable_volume_encryption'],
  references: [
    'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_volume#encrypted',
  ],
  evaluate(facts, ctx) {
    return resourcesOf(facts.terraform, ['aws_ebs_volume']).map((vol) => {
      const v = judgeEncrypted(vol.attributes, 'the volume', '');
      return result(vol, withRegionDefault(ctx.terraform, vol, v));
    });
  },
};

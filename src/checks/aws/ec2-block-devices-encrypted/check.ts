import type { CheckDefinition } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { block, readBlocks, resourcesOf, result, type Verdict, worst } from '../../_lib/terraform-values.js';
import { judgeEncrypted, withRegionDefault } from '../_lib/ebs.js';

/**
 * Verdicts for the devices of an `aws_instance` / `aws_launch_configuration` (`root_block_device`,
 * `ebs_block_device`) or an `aws_launch_template` (`block_device_mappings[].ebs`). A missing root
 * device block means the provider default (not encrypted).
 */
function deviceVerdicts(r: TerraformResource): Verdict[] {
  const out: Verdict[] = [];
  if (r.type === 'aws_launch_template') {
    const maps = readBlocks(r.attributes, 'block_device_mappings');
    if (isUnresolved(maps))
      return [
        {
          outcome: 'unknown',
          message: `block_device_mappings is not known statically (${maps.reason})`,
          path: 'block_device_mappings',
        },
      ];
    if (maps.length === 0) {
      return [
        {
          outcome: 'fail',
          message:
            'no block_device_mappings: volumes are not requested encrypted (they follow the AMI snapshot)',
        },
      ];
    }
    maps.forEach((m, i) => {
      if (isUnresolved(m)) {
        out.push({
          outcome: 'unknown',
          message: `block_device_mappings ${i} is not known statically (${m.reason})`,
          path: `block_device_mappings.${i}`,
        });
        return;
      }
      const ebs = block(m, 'ebs');
      if (isUnresolved(ebs))
        out.push({
          outcome: 'unknown',
          message: `block_device_mappings ${i}.ebs is not known statically`,
          path: `block_device_mappings.${i}`,
        });
      else if (ebs)
        out.push(
          judgeEncrypted(
            ebs,
            `block_device_mappings ${i} (${String(m.device_name ?? '?')})`,
            `block_device_mappings.${i}.ebs.0`,
          ),
        );
    });
    if (out.length === 0) {
      return [
        {
          outcome: 'fail',
          message:
            'no block_device_mappings has an ebs block (only instance-store or no_device mappings): EBS volumes are not requested encrypted (they follow the AMI snapshot)',
          path: 'block_device_mappings',
        },
      ];
    }
    return out;
  }
  const root = block(r.attributes, 'root_block_device');
  if (isUnresolved(root))
    out.push({
      outcome: 'unknown',
      message: `root_block_device is not known statically (${root.reason})`,
      path: 'root_block_device',
    });
  else if (root) out.push(judgeEncrypted(root, 'root_block_device', 'root_block_device.0'));
  else
    out.push({
      outcome: 'fail',
      message: 'no root_block_device with encrypted = true: the root volume is not requested encrypted',
    });
  const ebs = readBlocks(r.attributes, 'ebs_block_device');
  if (isUnresolved(ebs))
    out.push({
      outcome: 'unknown',
      message: `ebs_block_device is not known statically (${ebs.reason})`,
      path: 'ebs_block_device',
    });
  else {
    ebs.forEach((d, i) => {
      if (isUnresolved(d))
        out.push({
          outcome: 'unknown',
          message: `ebs_block_device ${i} is not known statically (${d.reason})`,
          path: `ebs_block_device.${i}`,
        });
      else
        out.push(
          judgeEncrypted(
            d,
            `ebs_block_device ${i} (${String(d.device_name ?? '?')})`,
            `ebs_block_device.${i}`,
          ),
        );
    });
  }
  return out;
}

/** EC2 instances, launch configurations and launch templates request encrypted EBS volumes. */
export const check: CheckDefinition = {
  id: 'aws.ec2-block-devices-encrypted',
  title: 'EC2 instances and launch templates encrypt their EBS volumes',
  severity: 'high',
  rationale:
    'Root and data volumes of instances hold application data, logs and credentials; unless encryption is requested (or on by default for the region) they and their snapshots are stored unencrypted.',
  remediation:
    'Set `encrypted = true` in `root_block_device` and every `ebs_block_device` of `aws_instance` / `aws_launch_configuration`, and in `block_device_mappings { ebs { encrypted = true } }` of `aws_launch_template`; or enable `aws_ebs_encryption_by_default`.',
  input: 'terraform',
  mappings: ENCRYPTION_AT_REST_MAPPINGS,
  trivyEquivalents: ['cloud/aws/ec2/enable_at_rest_encryption', 'cloud/aws/ec2/as_enable_at_rest_encryption'],
  references: [
    'https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#ebs-ephemeral-and-root-block-devices',
  ],
  evaluate(facts, ctx) {
    return resourcesOf(facts.terraform, [
      'aws_instance',
      'aws_launch_configuration',
      'aws_launch_template',
    ]).map((r) => {
      const v = worst(deviceVerdicts(r), 'every block device is encrypted');
      return result(r, withRegionDefault(ctx.terraform, r, v));
    });
  },
};

import type { CheckContext, CheckDefinition } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { ENCRYPTION_AT_REST_MAPPINGS } from '../../_lib/mappings.js';
import { block, readBlocks, resourcesOf, result, type Verdict, worst } from '../../_lib/terraform-values.js';
import { judgeEncrypted, withRegionDefault } from '../_lib/ebs.js';

/** Device names EC2 AMIs use for the root volume (EC2 user guide, "Device names on Linux instances"). */
const ROOT_DEVICE_NAMES = new Set(['/dev/xvda', '/dev/sda1', '/dev/sda', 'xvda', 'sda1']);

/**
 * Verdicts for the devices of an `aws_instance` / `aws_launch_configuration` (`root_block_device`,
 * `ebs_block_device`) or an `aws_launch_template` (`block_device_mappings[].ebs`). A missing root
 * device block means the provider default (not encrypted).
 */
function deviceVerdicts(r: TerraformResource, ctx: CheckContext): Verdict[] {
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
    // The root volume comes from the AMI unless a mapping names a root device (or a device name not
    // known statically, which may be the root one).
    const mapsRoot = maps.some(
      (m) =>
        isUnresolved(m) ||
        isUnresolved(m.device_name) ||
        (typeof m.device_name === 'string' && ROOT_DEVICE_NAMES.has(m.device_name)),
    );
    if (out.length > 0 && !mapsRoot)
      out.push({
        outcome: 'unknown',
        message:
          'no block_device_mappings names the root device (/dev/xvda, /dev/sda1): the root volume follows the AMI snapshot, whose encryption is not observable here',
        path: 'block_device_mappings',
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
  else if (r.type === 'aws_instance' && block(r.attributes, 'launch_template') !== undefined)
    out.push(launchTemplateRoot(r, ctx));
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

/**
 * The root-volume verdict of an instance launched from a launch template without its own
 * `root_block_device`: the template's device verdicts when the template is in the same root module
 * (referenced, or named by its known id/name), else unknown.
 */
function launchTemplateRoot(r: TerraformResource, ctx: CheckContext): Verdict {
  const lt = block(r.attributes, 'launch_template');
  const refs = new Set<string>(r.references.launch_template ?? []);
  const names: string[] = [];
  if (lt && !isUnresolved(lt))
    for (const k of ['id', 'name']) {
      const v = lt[k];
      if (isUnresolved(v)) for (const ref of v.refs) refs.add(ref);
      else if (typeof v === 'string') names.push(v);
    }
  const template = ctx.terraform
    .ofType('aws_launch_template')
    .find(
      (t) =>
        t.rootModule === r.rootModule &&
        (refs.has(t.address) ||
          refs.has(t.baseAddress) ||
          names.includes(String(t.attributes.name)) ||
          names.includes(String(t.attributes.id))),
    );
  if (!template)
    return {
      outcome: 'unknown',
      message:
        'no root_block_device: the root volume comes from a launch template that is not in this configuration',
      path: 'launch_template',
    };
  const v = worst(deviceVerdicts(template, ctx), 'every block device is encrypted');
  return { ...v, message: `root volume from ${template.address}: ${v.message}`, path: 'launch_template' };
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
  adversarial: {
    coverage: ['unknown-launch-template-data-volume-only.tf', 'fail-launch-template-instance-store-only.tf'],
    linking: [
      'pass-instance-from-encrypted-launch-template.tf',
      'unknown-instance-from-external-launch-template.tf',
    ],
    'provider-default': ['unknown-region-default-maybe-absent.tf'],
  },
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
      const v = worst(deviceVerdicts(r, ctx), 'every block device is encrypted');
      return result(r, withRegionDefault(ctx.terraform, r, v));
    });
  },
};

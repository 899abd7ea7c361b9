import type { TerraformResource } from '../../../core/facts.js';
import type { TerraformIndex } from '../../../core/terraform-index.js';
import { boolAttr, type Verdict } from '../../_lib/terraform-values.js';

/**
 * What the `aws_ebs_encryption_by_default` resources in `r`'s root module say about new volumes of
 * the region: `pass` when one certainly exists with `enabled = true` (its default), `unknown` when
 * one may exist (unknown `count`/`for_each`: address key `[*]`) or its `enabled` is not known
 * statically, else undefined (no account-wide default observed). Shared with
 * aws.ec2-block-devices-encrypted.
 */
export function regionDefaultVerdict(index: TerraformIndex, r: TerraformResource): Verdict | undefined {
  let unknown: Verdict | undefined;
  for (const d of index.ofType('aws_ebs_encryption_by_default')) {
    if (d.rootModule !== r.rootModule || d.mode !== 'managed') continue;
    const v = boolAttr(d.attributes, 'enabled', true);
    if (v.state === 'unresolved') {
      unknown ??= {
        outcome: 'unknown',
        message: `${d.address}.enabled is not known statically (${v.value.reason}): whether the region encrypts new volumes by default is unknown`,
      };
      continue;
    }
    if (v.state !== 'ok' || !v.value) continue;
    if (d.address.includes('[*]')) {
      unknown ??= {
        outcome: 'unknown',
        message: `${d.address} would encrypt every new volume in the region, but its count/for_each is not known statically, so it may not exist`,
      };
      continue;
    }
    return { outcome: 'pass', message: `${d.address} encrypts every new volume in the region` };
  }
  return unknown;
}

/**
 * Combines a device verdict with the region default: the default's `pass` wins; its `unknown`
 * turns a `fail` into `unknown`; otherwise the device verdict stands.
 */
export function withRegionDefault(index: TerraformIndex, r: TerraformResource, device: Verdict): Verdict {
  if (device.outcome === 'pass') return device;
  const dflt = regionDefaultVerdict(index, r);
  return dflt && (dflt.outcome === 'pass' || device.outcome === 'fail') ? dflt : device;
}

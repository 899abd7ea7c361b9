import type { TerraformResource, TfObject } from '../../../core/facts.js';
import type { TerraformIndex } from '../../../core/terraform-index.js';
import { boolAttr, type Verdict } from '../../_lib/terraform-values.js';

/**
 * Verdict for one block device (or EBS volume) object: `encrypted` (provider default false).
 * A device created from `snapshot_id` without `encrypted` inherits the snapshot's encryption: unknown.
 */
export function judgeEncrypted(obj: TfObject, label: string, path: string): Verdict {
  const v = boolAttr(obj, 'encrypted', false);
  const p = path ? `${path}.encrypted` : 'encrypted';
  if (v.state === 'unresolved')
    return {
      outcome: 'unknown',
      message: `${label}: encrypted is not known statically (${v.value.reason})`,
      path: p,
    };
  if (v.state === 'invalid')
    return { outcome: 'fail', message: `${label}: encrypted is not a boolean`, path: p };
  if (v.value) return { outcome: 'pass', message: `${label} is encrypted`, path: p };
  const snap = obj.snapshot_id;
  if (!v.explicit && snap !== undefined && snap !== null && snap !== '') {
    return {
      outcome: 'unknown',
      message: `${label}: encrypted is not set and the volume is created from snapshot_id, whose encryption is not observable here`,
      path: path || 'snapshot_id',
    };
  }
  return {
    outcome: 'fail',
    message: `${label}: encrypted is ${v.explicit ? 'false' : 'not set (defaults to false)'}`,
    path: v.explicit ? p : path || undefined,
  };
}

/**
 * What the `aws_ebs_encryption_by_default` resources in `r`'s root module say about new volumes of
 * the region (only one under the same provider configuration counts; another alias gives `unknown`): `pass` when one certainly exists with `enabled = true` (its default), `unknown` when
 * one may exist (unknown `count`/`for_each`: address key `[*]`) or its `enabled` is not known
 * statically, else undefined (no account-wide default observed). Shared with
 * aws.ec2-block-devices-encrypted.
 */
export function regionDefaultVerdict(index: TerraformIndex, r: TerraformResource): Verdict | undefined {
  let unknown: Verdict | undefined;
  for (const d of index.ofType('aws_ebs_encryption_by_default')) {
    if (d.rootModule !== r.rootModule || d.mode !== 'managed') continue;
    if ((d.provider ?? '') !== (r.provider ?? '')) {
      // Another provider configuration is usually another region (or account): its default may not cover r.
      unknown ??= {
        outcome: 'unknown',
        message: `${d.address} encrypts new volumes by default for provider ${d.provider ?? 'default'}, but ${r.address} uses provider ${r.provider ?? 'default'}, which may be another region`,
      };
      continue;
    }
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

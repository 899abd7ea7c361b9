import type { TerraformResource, TfObject } from '../../../core/facts.js';
import type { TerraformIndex } from '../../../core/terraform-index.js';
import { boolAttr, type Verdict } from '../../_lib/terraform-values.js';

/**
 * The `aws_ebs_encryption_by_default` with `enabled = true` (its default) in `r`'s root module, if
 * any: with it every new EBS volume in the region is encrypted whatever the volume says.
 */
export function encryptionByDefault(
  index: TerraformIndex,
  r: TerraformResource,
): TerraformResource | undefined {
  return index.ofType('aws_ebs_encryption_by_default').find((d) => {
    if (d.rootModule !== r.rootModule) return false;
    const v = boolAttr(d.attributes, 'enabled', true);
    return v.state === 'ok' && v.value;
  });
}

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

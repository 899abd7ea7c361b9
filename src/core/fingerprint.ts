import { createHash } from 'node:crypto';
import type { Subject } from './check.js';

/**
 * Stable finding fingerprint: sha256 hex over `v1\0checkId\0kind\0scope\0address`.
 * Not line-based, so moving or reformatting code keeps it; renaming the resource changes it.
 */
export function fingerprint(checkId: string, subject: Pick<Subject, 'kind' | 'scope' | 'address'>): string {
  return createHash('sha256')
    .update(['v1', checkId, subject.kind, subject.scope, subject.address].join('\0'))
    .digest('hex');
}

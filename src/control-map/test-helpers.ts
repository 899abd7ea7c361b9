import type { CheckDefinition } from '../core/check.js';
import type { FrameworkMappings } from '../core/framework-id.js';

/** A minimal check definition for tests (evaluate returns nothing). */
export function fakeCheck(id: string, mappings: FrameworkMappings = {}, aliases?: string[]): CheckDefinition {
  return {
    id,
    ...(aliases ? { aliases } : {}),
    title: `title of ${id}`,
    severity: 'high',
    rationale: 'r',
    remediation: 'r',
    input: 'terraform',
    mappings,
    evaluate: () => [],
  };
}

import type { CheckDefinition } from '../core/check.js';
import type { Finding } from '../core/finding.js';
import { fingerprint } from '../core/fingerprint.js';
import type { FrameworkMappings } from '../core/framework-id.js';
import type { Outcome } from '../core/outcome.js';

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

/** A finding for tests: `checkId` on Terraform subject `address` in root module `scope` (default `.`). */
export function fakeFinding(checkId: string, outcome: Outcome, address: string, scope = '.'): Finding {
  const subject = {
    kind: 'terraform' as const,
    type: address.split('.').at(-2) ?? 'x',
    address,
    scope,
    location: { file: `${scope}/main.tf`, line: 1 },
  };
  return {
    checkId,
    title: `title of ${checkId}`,
    severity: 'high',
    outcome,
    subject,
    message: `${outcome} on ${address}`,
    location: subject.location,
    fingerprint: fingerprint(checkId, subject),
  };
}

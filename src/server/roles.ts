/**
 * Server roles. Every route declares which roles may call it (src/server/route.ts); the route × role matrix is
 * tested in routes.test.ts.
 * - `auditor`: read-only: statuses, findings and runs behind them, evidence, inclusion proofs, exports.
 * - `reviewer`: everything an auditor reads, plus alerts.
 * - `engineer`: a reviewer who can also trigger re-scans.
 * - `admin`: everything, including users, repositories, push tokens and reindexing.
 */
export const ROLES = ['admin', 'engineer', 'reviewer', 'auditor'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True when `v` names a role. */
export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** Role sets used by the route table. */
export const READERS: readonly Role[] = ROLES;
export const STAFF: readonly Role[] = ['admin', 'engineer', 'reviewer'];
export const OPERATORS: readonly Role[] = ['admin', 'engineer'];
export const ADMINS: readonly Role[] = ['admin'];

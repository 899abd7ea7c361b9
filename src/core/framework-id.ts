/** Built-in framework identifiers, as used in `evident.yaml` and `src/frameworks/<id>/catalog.yaml`. */
export type FrameworkId = 'soc2' | 'iso27001-2022' | 'hipaa' | 'gdpr';

export const FRAMEWORK_IDS: readonly FrameworkId[] = ['soc2', 'iso27001-2022', 'hipaa', 'gdpr'];

/**
 * Requirement IDs per framework, e.g. `{ soc2: ['CC6.1'], 'iso27001-2022': ['A.8.24'],
 * hipaa: ['164.312(a)(2)(iv)'], gdpr: ['Art.32(1)(a)'] }`. Every ID must exist in that framework's catalog.
 */
export type FrameworkMappings = Partial<Record<FrameworkId, string[]>>;

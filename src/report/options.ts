import type { CheckDefinition } from '../core/check.js';

/** Output formats of `evident scan --format`. */
export type ReportFormat = 'table' | 'json' | 'sarif' | 'junit' | 'markdown';

/** Every {@link ReportFormat}, in the order `--help` lists them. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif', 'junit', 'markdown'];

/**
 * Options shared by the renderers. Renderers are pure: everything that depends on the terminal,
 * the repository layout or the registry comes in here.
 */
export interface RenderOptions {
  /** ANSI colours in the table output (picocolors). Default false. Ignored by other formats. */
  color?: boolean;
  /**
   * Check definitions for rule metadata (rationale, remediation, references, mappings). Findings of a
   * check missing here still render, with the title/severity/mappings from `ScanResult.checks`.
   */
  checks: CheckDefinition[];
  /**
   * Repository-relative POSIX path prefix for SARIF artifact URIs, e.g. `infra/` when the scan root is
   * the `infra` subdirectory of the repository. Default: none (the scan root is the repository root).
   */
  uriBase?: string;
  /**
   * Table: the most finding rows shown under one control (default 20). Markdown: the most rows in the
   * failing-findings table (default: as many as fit under GitHub's 65,536-character comment limit).
   * Rows left out are counted in a note that points at the JSON/SARIF output.
   */
  maxRows?: number;
  /** Table: terminal width in columns used to truncate long lines (default 120, minimum 60). */
  width?: number;
}

import { EvidentError } from '../core/errors.js';
import type { ScanResult } from '../core/scan-result.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { REPORT_FORMATS, type RenderOptions, type ReportFormat } from './options.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export { readBaseline } from './baseline.js';
export { renderJson } from './json.js';
export { renderJunit } from './junit.js';
export { renderMarkdown } from './markdown.js';
export { REPORT_FORMATS, type RenderOptions, type ReportFormat } from './options.js';
export { renderSarif } from './sarif.js';
export { renderTable } from './table.js';

/**
 * Renders `result` in `format` (`evident scan --format`). Pure: returns the whole document as a
 * string (ending with a newline); the CLI writes it to stdout or `--output`. See each renderer for
 * its format. Throws EvidentError `E_USAGE` for a format not in REPORT_FORMATS (untyped callers).
 */
export function renderReport(format: ReportFormat, result: ScanResult, opts: RenderOptions): string {
  switch (format) {
    case 'table':
      return renderTable(result, opts);
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result, opts);
    case 'junit':
      return renderJunit(result, opts);
    case 'markdown':
      return renderMarkdown(result, opts);
    default: {
      const never: never = format;
      throw new EvidentError('E_USAGE', `unknown report format ${JSON.stringify(never)}.`, {
        hint: `Use one of: ${REPORT_FORMATS.join(', ')}.`,
      });
    }
  }
}

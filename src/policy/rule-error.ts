import { EvidentError } from '../core/errors.js';

/** One problem in a rule file, located at the offending node (1-based line and column). */
export interface RuleIssue {
  message: string;
  line?: number;
  column?: number;
}

/**
 * The E_CONFIG error for invalid rule files (docs/policies.md "Errors"): the first issue locates
 * the error (`file:line:column`), further issues follow one per line. Thrown before any scan runs,
 * by `evident scan` and `evident policy test` alike (exit 2).
 */
export class RuleFileError extends EvidentError {
  readonly issues: readonly (RuleIssue & { file: string })[];

  constructor(issues: readonly (RuleIssue & { file: string })[]) {
    const [first, ...rest] = issues;
    const loc = (i: RuleIssue & { file: string }) =>
      `${i.file}${i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : ''}`;
    const message =
      (first?.message ?? 'invalid rule') +
      (rest.length
        ? `\n${rest.length} more problem${rest.length === 1 ? '' : 's'}:\n${rest.map((i) => `  ${loc(i)}: ${i.message}`).join('\n')}`
        : '');
    super('E_CONFIG', message, {
      file: first?.file,
      line: first?.line,
      column: first?.column,
      hint: 'fix the rule file and run again; nothing was scanned. docs/policies.md describes the format',
    });
    this.name = 'RuleFileError';
    this.issues = issues;
  }
}

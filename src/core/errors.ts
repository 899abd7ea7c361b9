/**
 * Stable error codes. Codes are part of the public contract (JSON output, exit code 2 messages):
 * never renumber or reuse one.
 */
export type ErrorCode =
  | 'E_USAGE' // bad CLI usage
  | 'E_CONFIG' // invalid evident.yaml (schema, unknown IDs, bad waiver)
  | 'E_INPUT_PARSE' // malformed HCL / YAML / JSON input file
  | 'E_INPUT_BINARY' // binary file where text was expected
  | 'E_INPUT_TOO_LARGE' // input over a size, count or depth limit (docs/limits.md)
  | 'E_INPUT_UNSUPPORTED' // input recognised but not supported (e.g. Helm template)
  | 'E_INPUT_LOOP' // symlink loop or recursive module
  | 'E_INPUT_OUTSIDE_ROOT' // a symlink that leads out of the scan root (not followed)
  | 'E_INPUT_AMBIGUOUS' // two resources claim one name, so links by that name are ambiguous
  | 'E_INPUT_INVALID' // parses, but the platform (provider, cloud API, Kubernetes) would reject it
  | 'E_IO' // file system error
  | 'E_EVIDENCE' // evidence log / signature / bundle problem
  | 'E_VERIFY' // verification failed
  | 'E_INTERNAL';

/**
 * The one error class Evident throws on purpose. The message says what happened, what it means for
 * the result, and what to do; `file`/`line`/`column` (1-based) point at the offending input when known.
 */
export class EvidentError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { file?: string; line?: number; column?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvidentError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.hint = options.hint;
  }

  /** `file:line:col: message (hint)` for terminal output. */
  describe(): string {
    const where = this.file
      ? `${this.file}${this.line ? `:${this.line}` : ''}${this.line && this.column ? `:${this.column}` : ''}: `
      : '';
    return `${where}${this.message}${this.hint ? `\n  hint: ${this.hint}` : ''}`;
  }
}

/**
 * A problem with one input file that did not stop the scan. The file is left out of the facts (or
 * partially read), so checks on it are not run; the scan result reports it and the CLI exits 2 when
 * nothing failed (an incomplete scan is never reported as clean).
 */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  code: ErrorCode;
  file: string;
  line?: number;
  column?: number;
  message: string;
}

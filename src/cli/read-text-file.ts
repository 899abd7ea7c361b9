import { EvidentError } from '../core/errors.js';
import { decodeStrictText, describeTextProblem, type TextSyntax } from '../core/strict-text.js';
import { describeRefusal, readRegularFileSync } from '../sources/read-regular-file.js';

/** Largest `--since` checkpoint file read (a C2SP checkpoint is a few hundred bytes). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;

/** Largest `--baseline` scan result read. */
export const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

/**
 * Reads a text file named on the command line (`--baseline`, `--since`): a regular file of at most
 * `maxBytes` bytes, strictly decoded (core/strict-text.ts). `what` names the option in messages.
 *
 * @throws EvidentError `E_USAGE` when the file is missing, unreadable, not a regular file or too
 *   large; `E_INPUT_BINARY` / `E_INPUT_PARSE` (with line and column) when it is not valid text.
 */
export function readTextFileOrThrow(
  file: string,
  maxBytes: number,
  syntax: TextSyntax,
  what: string,
  hint: string,
): string {
  const read = readRegularFileSync(file, maxBytes);
  if ('refused' in read)
    throw new EvidentError('E_USAGE', `${what} ${file} ${describeRefusal(read.refused, maxBytes)}`, { hint });
  const decoded = decodeStrictText(read.buf, syntax);
  if ('problem' in decoded) {
    const p = decoded.problem;
    throw new EvidentError(p.code, `${what} ${file} is not valid text: ${describeTextProblem(p)}`, {
      file,
      line: p.line,
      column: p.column,
      hint,
    });
  }
  return decoded.text;
}

import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic } from '../core/errors.js';

/** Reports one diagnostic about the file being read (severity, code, message, optional 1-based position). */
export type DiagnosticSink = (
  severity: Diagnostic['severity'],
  code: Diagnostic['code'],
  message: string,
  line?: number,
  column?: number,
) => void;

/** A sink that appends diagnostics about the file `rel` (POSIX path relative to the scan root) to `list`. */
export function diagnosticSink(rel: string, list: Diagnostic[]): DiagnosticSink {
  return (severity, code, message, line, column) => {
    const d: Diagnostic = { severity, code, file: rel, message };
    if (line !== undefined) d.line = line;
    if (column !== undefined) d.column = column;
    list.push(d);
  };
}

/** The source-specific sentences for the ways reading a text input can fail. */
export interface ReadFailureMessages {
  tooLarge(bytes: number, maxBytes: number): string;
  unreadable(code: string): string;
  binary: string;
}

/**
 * Reads a text input file for a source: refuses files over `maxBytes` (E_INPUT_TOO_LARGE, checked
 * with stat before reading), unreadable files (E_IO) and binary files (a NUL byte in the first 8 KiB:
 * E_INPUT_BINARY), each as an `error` diagnostic through `diag`; otherwise returns the bytes (for the
 * input digest) and the UTF-8 text without a leading BOM (editors do not count it as a column).
 */
export async function readTextInput(
  file: string,
  maxBytes: number,
  messages: ReadFailureMessages,
  diag: DiagnosticSink,
): Promise<{ buf: Buffer; text: string } | undefined> {
  let buf: Buffer;
  try {
    const st = await stat(file);
    if (st.size > maxBytes) {
      diag('error', 'E_INPUT_TOO_LARGE', messages.tooLarge(st.size, maxBytes));
      return undefined;
    }
    buf = await readFile(file);
  } catch (err) {
    diag('error', 'E_IO', messages.unreadable((err as NodeJS.ErrnoException).code ?? String(err)));
    return undefined;
  }
  if (buf.subarray(0, 8192).includes(0)) {
    diag('error', 'E_INPUT_BINARY', messages.binary);
    return undefined;
  }
  const text = buf.toString('utf8');
  return { buf, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

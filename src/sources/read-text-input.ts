import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import { decodeStrictText, describeTextProblem, type TextSyntax } from '../core/strict-text.js';
import { readRegularFile } from './read-regular-file.js';

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
  /** The file holds NUL bytes. */
  binary: string;
  /**
   * What a file that is not valid text (invalid UTF-8, a character the syntax forbids) means for the
   * result and what to do, for the severity given; appended to
   * `File is not valid <syntax> text: <what> at line L, column C.`
   */
  notText(severity: 'error' | 'warning'): string;
}

/** Options of {@link readTextInput}. */
export interface ReadTextOptions {
  /** The syntax of the file: decides which characters are refused (core/strict-text.ts). */
  syntax: TextSyntax;
  /**
   * Severity of a file that is not valid text (not of NUL bytes, always errors), given its text
   * decoded leniently (U+FFFD for bad bytes); default `error`. The Kubernetes source makes it a
   * warning for YAML files that do not look like manifests, as it does for their syntax errors.
   */
  notTextSeverity?: (lenientText: string) => 'error' | 'warning';
  /**
   * The scan root (absolute): a file whose real path is outside it (a symlink out of the repository)
   * is refused with an `E_INPUT_OUTSIDE_ROOT` error and never read.
   */
  root?: string;
}

const SYNTAX_NAME: Record<TextSyntax, string> = { yaml: 'YAML', json: 'JSON', hcl: 'HCL', text: 'UTF-8' };

/**
 * Reads a text input file for a source. Refuses, each as an `error` diagnostic through `diag`:
 * files outside `options.root` once symlinks are resolved (E_INPUT_OUTSIDE_ROOT), files over `maxBytes` (E_INPUT_TOO_LARGE, by fstat before reading), FIFOs, sockets, devices (E_IO,
 * never read from, so they cannot hang the scan), unreadable files (E_IO), files with a NUL byte
 * anywhere (E_INPUT_BINARY), invalid UTF-8 anywhere (E_INPUT_BINARY) and characters `syntax` forbids
 * (E_INPUT_PARSE; see core/strict-text.ts), the last three with line and column. Otherwise returns
 * the bytes (for the input digest) and the text without a leading BOM.
 */
export async function readTextInput(
  file: string,
  maxBytes: number,
  messages: ReadFailureMessages,
  diag: DiagnosticSink,
  options: ReadTextOptions,
): Promise<{ buf: Buffer; text: string } | undefined> {
  if (options.root !== undefined && !(await insideRoot(file, options.root))) {
    diag(
      'error',
      'E_INPUT_OUTSIDE_ROOT',
      messages.unreadable(
        'it is a symlink that leads outside the scan root, so it is not read (nothing outside the scanned tree is recorded as evidence); scan from a directory that contains its target',
      ),
    );
    return undefined;
  }
  const read = await readRegularFile(file, maxBytes);
  if ('refused' in read) {
    const r = read.refused;
    if (r.kind === 'too-large') diag('error', 'E_INPUT_TOO_LARGE', messages.tooLarge(r.bytes, maxBytes));
    else if (r.kind === 'not-regular')
      diag('error', 'E_IO', messages.unreadable(`it is ${r.what}, not a regular file`));
    else diag('error', 'E_IO', messages.unreadable(r.code));
    return undefined;
  }
  const { buf } = read;
  const decoded = decodeStrictText(buf, options.syntax);
  if ('problem' in decoded) {
    const p = decoded.problem;
    if (p.nul) {
      diag(
        'error',
        p.code,
        `${messages.binary} (first NUL byte at line ${p.line}, column ${p.column})`,
        p.line,
        p.column,
      );
      return undefined;
    }
    const severity = options.notTextSeverity?.(buf.toString('utf8')) ?? 'error';
    diag(
      severity,
      p.code,
      `File is not valid ${SYNTAX_NAME[options.syntax]} text: ${describeTextProblem(p)}. ${messages.notText(severity)}`,
      p.line,
      p.column,
    );
    return undefined;
  }
  return { buf, text: decoded.text };
}

/** False when `file` exists and its real path is outside `root`'s real path; true otherwise (a missing file is reported by the read). */
async function insideRoot(file: string, root: string): Promise<boolean> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  } catch {
    return true;
  }
  const r = path.relative(realRoot, real);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

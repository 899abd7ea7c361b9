/**
 * Strict decoding of text inputs. Every text input (HCL, YAML, JSON, the control map) is decoded as
 * UTF-8 with fatal errors over the whole file (WHATWG Encoding, `TextDecoder('utf-8', {fatal: true})`),
 * so a stray `\xff` anywhere is an input error rather than a U+FFFD that hides part of a value.
 *
 * Per syntax, characters the format itself forbids are refused with their position:
 * - every syntax: NUL (U+0000) anywhere means a binary file;
 * - `yaml`: anything outside the YAML 1.2 printable set (YAML 1.2.2 §5.1 `c-printable`: TAB, LF, CR,
 *   U+0020–U+007E, U+0085, U+00A0–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF), which is what kubectl's
 *   decoder (go-yaml) refuses with "control characters are not allowed";
 * - `json`: RFC 8259 allows no raw control characters; `JSON.parse` already refuses them with a
 *   position, so only NUL and UTF-8 are checked here;
 * - `hcl`: Terraform accepts control characters inside strings and comments, so only NUL and UTF-8;
 * - `text` (checkpoints and other line formats): only NUL and UTF-8.
 */

/** The syntax a text input is written in; decides which characters are refused. */
export type TextSyntax = 'yaml' | 'json' | 'hcl' | 'text';

/** Why a buffer is not acceptable text, with the 1-based position (column in UTF-16 code units). */
export interface TextProblem {
  /** `E_INPUT_BINARY` for NUL bytes and invalid UTF-8, `E_INPUT_PARSE` for a forbidden character. */
  code: 'E_INPUT_BINARY' | 'E_INPUT_PARSE';
  /** What was found, without consequence or advice: `invalid UTF-8 (byte 0xFF)`. */
  what: string;
  line: number;
  column: number;
  /** Byte offset of the problem in the buffer. */
  offset: number;
  /** True for a NUL byte (the file is binary rather than badly encoded text). */
  nul?: boolean;
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Characters outside the YAML 1.2 printable set (surrogates cannot occur in decoded UTF-8). */
const YAML_NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/;

/**
 * Decodes `buf` strictly (see the module comment). Returns the text without a leading BOM, or the
 * first problem found. Linear in the size of the buffer (native scans; the position is computed only
 * on failure).
 */
export function decodeStrictText(
  buf: Uint8Array,
  syntax: TextSyntax,
): { text: string } | { problem: TextProblem } {
  const nul = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(0);
  if (nul >= 0) {
    return {
      problem: {
        code: 'E_INPUT_BINARY',
        what: 'a NUL byte (binary content)',
        offset: nul,
        nul: true,
        ...positionAt(buf, nul),
      },
    };
  }
  let text: string;
  try {
    text = fatalDecoder.decode(buf);
  } catch {
    const offset = firstInvalidUtf8(buf);
    const byte = buf[offset] ?? 0;
    return {
      problem: {
        code: 'E_INPUT_BINARY',
        what: `invalid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')})`,
        offset,
        ...positionAt(buf, offset),
      },
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (syntax === 'yaml') {
    const m = YAML_NON_PRINTABLE.exec(text);
    if (m) {
      const before = text.slice(0, m.index);
      const line = countLines(before);
      const column = m.index - before.lastIndexOf('\n');
      const cp = m[0].charCodeAt(0);
      return {
        problem: {
          code: 'E_INPUT_PARSE',
          what: `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}, which YAML does not allow`,
          offset: Buffer.byteLength(before, 'utf8'),
          line,
          column,
        },
      };
    }
  }
  return { text };
}

/** `at line L, column C` for a problem, for messages. */
export function describeTextProblem(p: TextProblem): string {
  return `${p.what} at line ${p.line}, column ${p.column}`;
}

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence (WHATWG rules). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || c < lo || c > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return n;
}

/** 1-based line and column (UTF-16 code units) of byte `offset`, whose prefix is valid UTF-8. */
function positionAt(buf: Uint8Array, offset: number): { line: number; column: number } {
  const before = Buffer.from(buf.buffer, buf.byteOffset, offset).toString('utf8');
  const start = before.charCodeAt(0) === 0xfeff ? 1 : 0;
  const line = countLines(before);
  const lineStart = before.lastIndexOf('\n');
  return { line, column: before.length - Math.max(lineStart, start - 1) };
}

function countLines(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Offsets in a text to 1-based line/column, and the position of a `JSON.parse` failure.
 * Columns count UTF-16 code units from 1 (what editors and SARIF `startColumn` expect for ASCII;
 * close enough for the rest).
 */

/** Converts character offsets of one text to 1-based line/column. Builds its line index once. */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    let at = text.indexOf('\n');
    while (at >= 0) {
      starts.push(at + 1);
      at = text.indexOf('\n', at + 1);
    }
    this.starts = starts;
  }

  /** 1-based line and column of character `offset` (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(0, offset - this.starts[lo]!) + 1 };
  }
}

/**
 * Where `JSON.parse(text)` failed, from the SyntaxError V8 throws: `... at position N` (Node 20),
 * `(line L column C)` (newer V8); when the message carries no position (`Unexpected token 'x', "..."
 * is not valid JSON`), {@link findJsonErrorOffset} finds it. Returns 1-based line/column plus a
 * reason without the position clause and without the input excerpt V8 quotes (it may hold a secret).
 */
export function jsonErrorPosition(
  text: string,
  err: SyntaxError,
): { line: number; column: number; reason: string } {
  const msg = err.message;
  const lc = /\(line (\d+) column (\d+)\)/.exec(msg);
  const reason = msg
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s+in JSON at position \d+/, '')
    .replace(/\s+at position \d+/, '')
    .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]), reason };
  const pos = /at position (\d+)/.exec(msg);
  const offset = pos ? Number(pos[1]) : findJsonErrorOffset(text);
  return { ...new LineIndex(text).position(offset), reason };
}

const WS = new Set([' ', '\t', '\n', '\r']);

/**
 * Offset of the first JSON syntax error in `text` (RFC 8259), or `text.length` when the text ends
 * too early or is valid. Iterative (no recursion), linear time.
 */
export function findJsonErrorOffset(text: string): number {
  // Stack of open containers: '{' or '['. `expect` is what may come next.
  const stack: string[] = [];
  type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';
  let expect: Expect = 'value';
  let i = 0;
  const n = text.length;
  const afterValue = (): Expect => (stack.length === 0 ? 'end' : 'comma-or-close');
  while (i < n) {
    const c = text[i]!;
    if (WS.has(c)) {
      i++;
      continue;
    }
    switch (expect) {
      case 'end':
        return i;
      case 'colon':
        if (c !== ':') return i;
        expect = 'value';
        i++;
        continue;
      case 'comma-or-close': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          expect = top === '{' ? 'key' : 'value';
          i++;
        } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          stack.pop();
          expect = afterValue();
          i++;
        } else return i;
        continue;
      }
      case 'key':
      case 'key-or-close':
        if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          expect = afterValue();
          i++;
          continue;
        }
        if (c !== '"') return i;
        {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
        }
        expect = 'colon';
        continue;
      default: {
        // value or value-or-close
        if (c === ']' && expect === 'value-or-close') {
          stack.pop();
          expect = afterValue();
          i++;
          continue;
        }
        if (c === '{') {
          stack.push('{');
          expect = 'key-or-close';
          i++;
        } else if (c === '[') {
          stack.push('[');
          expect = 'value-or-close';
          i++;
        } else if (c === '"') {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = afterValue();
        } else {
          const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
          m.lastIndex = i;
          const hit = m.exec(text);
          if (!hit) return i;
          i += hit[0].length;
          expect = afterValue();
        }
      }
    }
  }
  return n;
}

/** End offset (exclusive) of the string starting at `start`, or `-(errorOffset + 1)`. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -(i + 1);
    if (code === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1);
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
      else return -(i + 1);
    } else i++;
  }
  return -(text.length + 1);
}

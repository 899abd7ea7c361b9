/**
 * Offset of the first `[` or `{` of `text` (valid JSON, RFC 8259) that opens a structure nested
 * more than `max` levels deep, or -1. Linear; strings (with their escapes) are skipped, so brackets
 * inside them do not count. Used to refuse deep plan JSON with a position and a limit before code
 * that recurses over the value runs out of stack.
 */
export function jsonDepthExceeded(text: string, max: number): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return -1;
}

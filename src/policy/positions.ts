import { isScalar, type LineCounter, type Node, Scalar } from 'yaml';

/**
 * The file offset of character `offset` of a YAML scalar's value. Works for plain, quoted, literal
 * (`|`) and folded (`>`) scalars alike: it counts the non-white-space characters of the value before
 * `offset` and finds the same count in the source text after the scalar's opening quote or block
 * header (white space is where folding and indentation differ; escapes are rare in expressions).
 */
export function scalarOffset(node: Node, offset: number, text: string): number {
  if (!isScalar(node) || !node.range) return node.range?.[0] ?? 0;
  const value = String(node.source ?? node.value ?? '');
  let start = node.range[0];
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) start += 1;
  else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const nl = text.indexOf('\n', start);
    start = nl < 0 ? start : nl + 1;
  }
  let want = 0;
  for (let i = 0; i < Math.min(offset, value.length); i++) if (!/\s/.test(value[i]!)) want++;
  let p = start;
  const end = node.range[1];
  for (; p < end; p++) {
    if (/\s/.test(text[p]!)) continue;
    if (want === 0) return p;
    want--;
  }
  return Math.min(p, end);
}

/** 1-based `{ line, column }` of a file offset. */
export function lineColumn(lc: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

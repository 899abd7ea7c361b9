import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { DocPath } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';

/**
 * Source location of a YAML node: 1-based line and column of its first character, `endLine` of its
 * last character (the `yaml` package's `range` is `[start, valueEnd, nodeEnd]`, 0-based offsets).
 */
export function nodeLocation(file: string, node: Node, lines: LineCounter): SourceLocation {
  const [start, valueEnd] = node.range ?? [0, 0];
  const s = lines.linePos(start);
  const e = lines.linePos(Math.max(start, valueEnd - 1));
  const loc: SourceLocation = { file, line: s.line, column: s.col };
  if (e.line > s.line) loc.endLine = e.line;
  return loc;
}

/**
 * The node at `path` below `base` (object keys and sequence indexes, aliases followed), or the
 * deepest existing ancestor when the path goes further than the document does. A key with no value
 * (`key:`) resolves to the key itself.
 */
export function nodeAt(doc: Document, base: Node, path: DocPath): Node {
  let node: Node = base;
  for (const seg of path) {
    const current: Node = isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? node) : node;
    let next: Node | undefined;
    if (isMap(current)) {
      for (const pair of current.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        const keyValue = isScalar(key) ? key.value : key;
        if (keyValue !== null && keyValue !== undefined && String(keyValue) === String(seg)) {
          next = (pair.value as Node | null) ?? (isScalar(key) ? key : undefined);
          break;
        }
      }
    } else if (isSeq(current)) {
      const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      const item = i >= 0 ? current.items[i] : undefined;
      if (item && typeof item === 'object') next = item as Node;
    }
    if (!next?.range) return current;
    node = next;
  }
  return isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? node) : node;
}

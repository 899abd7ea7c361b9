import { type Node as JsonNode, parseTree } from 'jsonc-parser';
import type { SourceLocation } from '../../core/location.js';
import type { DiagnosticSink } from '../read-text-input.js';
import type { CfnEntry, CfnNode } from './node.js';

/**
 * Parses a JSON template into a {@link CfnNode} tree with positions. The text is first checked with
 * `JSON.parse` (the strict grammar CloudFormation applies: no comments, no trailing commas; a syntax
 * error is `E_INPUT_PARSE` at its line and column), then read with jsonc-parser's `parseTree` for
 * offsets (much faster than a YAML parser on large generated templates). Duplicate keys, which
 * `JSON.parse` silently collapses, are errors at the second key. Returns undefined after reporting.
 */
export function parseJsonTemplate(file: string, text: string, diag: DiagnosticSink): CfnNode | undefined {
  const lines = lineStarts(text);
  try {
    JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const pos = at ? position(lines, Number(at[1])) : undefined;
    diag(
      'error',
      'E_INPUT_PARSE',
      `Malformed JSON template: ${message.replace(/ in JSON at position \d+.*$/, '')}. The template was not scanned; fix the JSON and re-run.`,
      pos?.line,
      pos?.col,
    );
    return undefined;
  }
  const tree = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (!tree) {
    diag('error', 'E_INPUT_PARSE', 'The template is empty: nothing was scanned.');
    return undefined;
  }
  let failed = false;
  const loc = (offset: number, length: number): SourceLocation => {
    const s = position(lines, offset);
    const e = position(lines, Math.max(offset, offset + length - 1));
    const l: SourceLocation = { file, line: s.line, column: s.col };
    if (e.line > s.line) l.endLine = e.line;
    return l;
  };
  const convert = (n: JsonNode): CfnNode => {
    switch (n.type) {
      case 'object': {
        const entries: CfnEntry[] = [];
        const seen = new Set<string>();
        for (const p of n.children ?? []) {
          const [k, v] = p.children ?? [];
          if (!k || !v) continue;
          const key = String(k.value);
          if (seen.has(key) && !failed) {
            failed = true;
            const at = position(lines, k.offset);
            diag(
              'error',
              'E_INPUT_PARSE',
              `Duplicate key (CloudFormation rejects the template): "${key}" appears twice in one object. The template was not scanned; fix it and re-run.`,
              at.line,
              at.col,
            );
          }
          seen.add(key);
          const keyLoc = loc(k.offset, k.length);
          const end = position(lines, Math.max(v.offset, v.offset + v.length - 1)).line;
          if (end > keyLoc.line) keyLoc.endLine = end;
          entries.push({ key, keyLoc, value: convert(v) });
        }
        return { t: 'map', entries, loc: loc(n.offset, n.length) };
      }
      case 'array':
        return { t: 'seq', items: (n.children ?? []).map(convert), loc: loc(n.offset, n.length) };
      default:
        return {
          t: 'scalar',
          value: n.value as string | number | boolean | null,
          loc: loc(n.offset, n.length),
        };
    }
  };
  const root = convert(tree);
  return failed ? undefined : root;
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a 0-based offset (binary search over line starts). */
function position(starts: readonly number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/**
 * The line rules of HCL native syntax that the tree-sitter grammar does not enforce, as Terraform's
 * parser (hclsyntax, `parser.go`) does: every argument and block definition ends with a newline,
 * and a block opened with an argument on the same line (a single-line block) holds exactly that one
 * argument and closes on the same line. Summaries and details are Terraform's own diagnostics (see
 * `terraform validate` on the fixtures in hcl-layout.test.ts).
 */

/** One body item as the syntax tree gives it: its kind and its source range (UTF-16 offsets). */
export interface LayoutItem {
  kind: 'attribute' | 'block';
  s: number;
  e: number;
}

/** A rule broken, at `offset` in the source. */
export interface LayoutProblem {
  offset: number;
  summary: string;
  detail: string;
}

const MISSING_NEWLINE = {
  attribute: ['Missing newline after argument', 'An argument definition must end with a newline.'],
  block: ['Missing newline after block definition', 'A block definition must end with a newline.'],
} as const;

/**
 * The first broken rule in one body: `items` in source order; `open`/`close` are the offsets of the
 * block's `{` (its end) and `}` (its start), absent for a file's top-level body.
 */
export function checkLayout(
  src: string,
  items: readonly LayoutItem[],
  braces?: { openEnd: number; closeStart: number },
): LayoutProblem | undefined {
  const newlineBetween = (a: number, b: number) => src.slice(a, b).includes('\n');
  const first = items[0];
  if (braces && first && !newlineBetween(braces.openEnd, first.s)) {
    // A single-line block: `name { arg = value }`.
    if (first.kind === 'block') {
      return {
        offset: first.s,
        summary: 'Argument definition required',
        detail:
          'A single-line block definition can contain only a single argument. To define a nested block, place it on a line of its own within its parent block.',
      };
    }
    const second = items[1];
    if (second) {
      return {
        offset: second.s,
        summary: 'Invalid single-argument block definition',
        detail:
          'A single-line block definition must end with a closing brace immediately after its single argument definition.',
      };
    }
    if (newlineBetween(first.e, braces.closeStart)) {
      return {
        offset: first.e,
        summary: 'Invalid single-argument block definition',
        detail:
          "An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line. Place the block's closing brace immediately after the argument definition.",
      };
    }
    return undefined;
  }
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i] as LayoutItem;
    const b = items[i + 1] as LayoutItem;
    if (!newlineBetween(a.e, b.s)) {
      const [summary, detail] = MISSING_NEWLINE[a.kind];
      return { offset: b.s, summary, detail };
    }
  }
  const last = items[items.length - 1];
  if (braces && last && !newlineBetween(last.e, braces.closeStart)) {
    const [summary, detail] = MISSING_NEWLINE[last.kind];
    return { offset: braces.closeStart, summary, detail };
  }
  return undefined;
}

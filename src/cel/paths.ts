// Static attribute paths of a rule expression: the `resource.a[0].b` chains it reads (with
// comprehension variables followed into their lists, and `related('t')` companions), for locating
// findings and for rejecting attribute names no fixture or schema has.
import type { ASTNode } from '@marcbachmann/cel-js';

/** A segment: an attribute or key name, a literal list index, or `*` (any element / computed index). */
export type PathSegment = string | number;

/** One attribute path an expression reads. */
export interface StaticPath {
  /** `resource` (the subject) or the companion type a `related('type')` lists (its segments start with `*`, the list element). */
  root: { kind: 'resource' } | { kind: 'related'; type: string };
  segments: PathSegment[];
  /** Segments up to here were written as `.name` or `[0]`; a `["key"]` index ends validation (map keys vary). */
  validatedLength: number;
  /** Offsets of the whole chain in the expression text. */
  start: number;
  end: number;
}

interface Binding {
  root: StaticPath['root'];
  segments: PathSegment[];
  validatedLength: number;
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function chain(n: ASTNode, scope: ReadonlyMap<string, Binding>): Binding | undefined {
  if (n.op === 'id') {
    if (n.args === 'resource') return { root: { kind: 'resource' }, segments: [], validatedLength: 0 };
    return scope.get(n.args);
  }
  if (n.op === '.') {
    const base = chain(n.args[0], scope);
    if (!base) return undefined;
    const full = base.validatedLength === base.segments.length;
    return {
      root: base.root,
      segments: [...base.segments, n.args[1]],
      validatedLength: full ? base.validatedLength + 1 : base.validatedLength,
    };
  }
  if (n.op === '[]') {
    const base = chain(n.args[0], scope);
    if (!base) return undefined;
    const idx = n.args[1];
    const literal = idx.op === 'value' ? idx.args : undefined;
    const seg: PathSegment =
      typeof literal === 'bigint' ? Number(literal) : typeof literal === 'string' ? literal : '*';
    const full = base.validatedLength === base.segments.length && typeof seg !== 'string';
    return {
      root: base.root,
      segments: [...base.segments, seg],
      validatedLength: full ? base.validatedLength + 1 : base.validatedLength,
    };
  }
  if (n.op === 'call' && n.args[0] === 'default' && n.args[1][0]) return chain(n.args[1][0], scope);
  if (n.op === 'call' && n.args[0] === 'related') {
    const t = n.args[1][0];
    if (t?.op === 'value' && typeof t.args === 'string')
      return { root: { kind: 'related', type: t.args }, segments: [], validatedLength: 0 };
  }
  return undefined;
}

/**
 * Every maximal attribute chain `ast` reads, in source order. A comprehension variable over a path
 * (`resource.rules.exists(r, r.port == 22)`) reads `rules[*].port`; over `related('t')` it reads the
 * companion's attributes.
 */
export function staticPaths(ast: ASTNode): StaticPath[] {
  const out: StaticPath[] = [];
  const visit = (n: ASTNode, scope: ReadonlyMap<string, Binding>): void => {
    if (n.op === '.' || n.op === '[]') {
      const c = chain(n, scope);
      if (c && c.segments.length > 0) {
        out.push({ ...c, start: n.start, end: n.end });
        // still visit computed indexes inside the chain
        let x: ASTNode = n;
        while (x.op === '.' || x.op === '[]') {
          if (x.op === '[]') visit(x.args[1], scope);
          x = x.args[0];
        }
        return;
      }
    }
    if (n.op === 'rcall' && MACROS.has(n.args[0])) {
      const [, target, args] = n.args;
      visit(target, scope);
      const v = args[0];
      const base = chain(target, scope);
      const inner = new Map(scope);
      if (v?.op === 'id') {
        if (base)
          inner.set(v.args, {
            root: base.root,
            segments: [...base.segments, '*'],
            validatedLength:
              base.validatedLength === base.segments.length ? base.validatedLength + 1 : base.validatedLength,
          });
        else inner.delete(v.args);
      }
      for (const a of args.slice(1)) visit(a, inner);
      return;
    }
    forEachChild(n, (c) => visit(c, scope));
  };
  visit(ast, new Map());
  return out;
}

function forEachChild(n: ASTNode, f: (c: ASTNode) => void): void {
  const visitAny = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(visitAny);
    else if (x && typeof x === 'object' && 'op' in x && 'args' in x) f(x as ASTNode);
  };
  if (n.op === 'value' || n.op === 'id') return;
  visitAny(n.args);
}

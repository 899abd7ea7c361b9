import {
  Composer,
  type Document,
  type DocumentOptions,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  type LineCounter,
  type Node,
  type ParseOptions,
  Parser,
  type SchemaOptions,
  YAMLParseError,
} from 'yaml';

/**
 * Bounds on one YAML file, enforced by {@link parseYamlBounded} before the work they bound is done.
 * All three exist because the `yaml` package's cost grows with them, not with the file size alone:
 * about 10 µs of CPU and 200 bytes of heap per node, recursion per nesting level, and aliases that
 * multiply an anchor without costing bytes on disk.
 */
export interface YamlBounds {
  /**
   * Most YAML nodes in the file: scalars (keys and values), aliases and flow collections, counted
   * from the lexical tokens, so a file over the bound is refused after a lexical pass and before any
   * syntax tree is built. (Block collections are not counted: each holds at least one counted node.)
   */
  maxNodes: number;
  /** Deepest nesting of collections, checked while parsing, before composing (which recurses). */
  maxDepth: number;
  /**
   * Largest expanded size of the file's documents in bytes: every alias counted as a copy of its
   * anchor (scalars by their source length, one byte per collection entry). Checked after composing,
   * before converting to JavaScript values.
   */
  maxExpandedBytes: number;
}

/** Which bound a file hit, where (0-based offset into the source) and a sentence saying what was found. */
export interface YamlBoundHit {
  bound: 'nodes' | 'depth' | 'expanded' | 'alias-cycle';
  offset: number;
  /** 1-based line and column (UTF-16 code units) of `offset`. */
  line: number;
  column: number;
  /** What was found, e.g. `more than 1000000 YAML nodes`; no advice. */
  what: string;
}

/** Options passed on to the `yaml` composer (`uniqueKeys` is handled here, in linear time). */
export type YamlParseOptions = ParseOptions & DocumentOptions & SchemaOptions & { lineCounter?: LineCounter };

/**
 * Parses every document of a YAML stream like `parseAllDocuments` from the `yaml` package, within
 * `bounds` (see {@link YamlBounds}). Differences, all in linear time:
 * - duplicate mapping keys are found here with a set per mapping (the package's own check is
 *   quadratic in the number of keys of one mapping: a 5 MB flow mapping took minutes) and reported as
 *   the package would, as `DUPLICATE_KEY` errors of the document, when `options.uniqueKeys` is not false;
 * - errors carry `linePos` when `options.lineCounter` is given (messages have no position suffix);
 * - a document whose alias refers to a node that contains it is refused (`alias-cycle`), as
 *   go-yaml does ("anchor ... value contains itself").
 * Returns the documents and their node count, or the first bound hit (then nothing is returned for
 * the file).
 */
export function parseYamlBounded(
  source: string,
  options: YamlParseOptions,
  bounds: YamlBounds,
): { docs: Document.Parsed[]; nodes: number } | { hit: YamlBoundHit } {
  // A counted node takes at least one character: only a file longer than the bound can have too
  // many nodes, and only such a file pays for the lexical pre-pass.
  const hit = (bound: YamlBoundHit['bound'], offset: number, what: string) => ({
    hit: { bound, offset, what, ...positionOf(source, offset) },
  });
  if (source.length > bounds.maxNodes) {
    const over = nodeBoundOffset(source, bounds.maxNodes);
    if (over >= 0) return hit('nodes', over, `more than ${bounds.maxNodes} YAML nodes`);
  }
  const lc = options.lineCounter;
  const parser = new Parser(lc?.addNewLine);
  const composer = new Composer({ ...options, uniqueKeys: false });
  const docs: Document.Parsed[] = [];
  lc?.addNewLine(0);
  // The stack holds the document, then one entry per open collection (and the token being built).
  const maxStack = bounds.maxDepth + 2;
  let nodes = 0;
  for (const lexeme of new Lexer().lex(source)) {
    if (isNodeLexeme(lexeme)) nodes++;
    for (const token of parser.next(lexeme)) for (const doc of composer.next(token)) docs.push(doc);
    if (parser.stack.length > maxStack)
      return hit('depth', parser.offset, `collections nested more than ${bounds.maxDepth} levels deep`);
  }
  for (const token of parser.end()) for (const doc of composer.next(token)) docs.push(doc);
  for (const doc of composer.end()) docs.push(doc);

  let expanded = 0;
  for (const doc of docs) {
    if (doc.errors.length === 0) {
      const walk = new DocumentWalk(options.uniqueKeys !== false, bounds.maxExpandedBytes - expanded);
      const size = walk.size(doc.contents as Node | null);
      if (walk.cycle) return hit('alias-cycle', walk.cycle.offset, walk.cycle.what);
      expanded += size;
      if (expanded > bounds.maxExpandedBytes) {
        return hit(
          'expanded',
          walk.over ?? doc.range[0],
          `documents that expand to more than ${bounds.maxExpandedBytes} bytes once aliases are replaced by their anchors`,
        );
      }
      for (const [pos, key] of walk.duplicates)
        doc.errors.push(
          new YAMLParseError(
            [pos, pos + 1],
            'DUPLICATE_KEY',
            `Map keys must be unique; "${key}" is repeated`,
          ),
        );
    }
    if (lc)
      for (const e of [...doc.errors, ...doc.warnings])
        e.linePos = [lc.linePos(e.pos[0]), lc.linePos(e.pos[1])];
  }
  return { docs, nodes };
}

/** Tokens that make (or stand for) a node: scalar marker, quoted scalar, alias, flow collection start. */
function isNodeLexeme(lexeme: string): boolean {
  switch (lexeme) {
    case '\u001f': // SCALAR marker before a plain or block scalar
    case '[':
    case '{':
      return true;
  }
  const c = lexeme.charCodeAt(0);
  return c === 0x22 /* " */ || c === 0x27 /* ' */ || c === 0x2a /* * */;
}

/** Offset at which the node count passes `max`, or -1: a lexical pass only (no tree, little memory). */
function nodeBoundOffset(source: string, max: number): number {
  let nodes = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(source)) {
    if (isNodeLexeme(lexeme) && ++nodes > max) return offset;
    // control markers (SCALAR, DOCUMENT, FLOW_END) take no room in the source
    if (lexeme.length !== 1 || lexeme.charCodeAt(0) >= 0x20 || lexeme === '\n' || lexeme === '\t')
      offset += lexeme.length;
  }
  return -1;
}

/**
 * One pass over a composed document in document order: expanded size (aliases resolved to the last
 * anchor of that name before them, as YAML 1.2 §3.2.2.2 says; sizes memoised, so linear), alias
 * cycles, and duplicate keys. `budget` is the expanded size left for this document: `over` is the
 * offset of the node (usually an alias) at which the size, summed in document order, passes it.
 */
class DocumentWalk {
  readonly duplicates: [number, string][] = [];
  cycle: { offset: number; what: string } | undefined;
  /** Offset of the node whose expansion, in document order, takes the size past the budget. */
  over: number | undefined;
  private readonly anchors = new Map<string, Node>();
  private readonly sizes = new Map<Node, number>();
  /** Expanded bytes so far in document order (leaves, aliases and one per collection). */
  private running = 0;

  constructor(
    private readonly uniqueKeys: boolean,
    private readonly budget: number = Number.POSITIVE_INFINITY,
  ) {}

  /** Adds `bytes` expanded at `node` to the running size, noting where the budget is first passed. */
  private count(bytes: number, node: Node): void {
    this.running += bytes;
    if (this.over === undefined && this.running > this.budget) this.over = node.range?.[0];
  }

  size(node: Node | null | undefined): number {
    if (!node) {
      this.running += 1;
      return 1;
    }
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      const s = target ? this.sizes.get(target) : 1; // an unresolved alias: toJS reports it
      if (s === undefined) {
        this.cycle ??= {
          offset: node.range?.[0] ?? 0,
          what: `alias *${node.source} inside the node its anchor names (a cycle)`,
        };
        this.count(1, node);
        return 1;
      }
      this.count(s, node);
      return s;
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    let total: number;
    if (isScalar(node)) {
      const r = node.range;
      total = r ? Math.max(1, r[1] - r[0]) : 1;
      this.count(total, node);
    } else if (isMap(node)) {
      this.count(1, node);
      total = 1;
      const seen = this.uniqueKeys ? new Set<unknown>() : undefined;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (seen && isScalar(key)) {
          if (seen.has(key.value)) this.duplicates.push([key.range?.[0] ?? 0, String(key.value)]);
          else seen.add(key.value);
        }
        total += this.size(key) + this.size(pair.value as Node | null);
      }
    } else if (isSeq(node)) {
      this.count(1, node);
      total = 1;
      for (const item of node.items)
        total += isPair(item)
          ? this.size(item.key as Node) + this.size(item.value as Node)
          : this.size(item as Node);
    } else {
      this.count(1, node);
      total = 1;
    }
    this.sizes.set(node, total);
    return total;
  }
}

/** 1-based line and column of `offset` in `source` (only computed when a bound is hit). */
function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

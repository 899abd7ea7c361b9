import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import type { Attribute, Block, Body, Expr, ParsedFile, Pos, Step, TplPart } from './ast.js';
import { maskExponentLiterals } from './exponent-literals.js';

/**
 * A tree-sitter node copied into plain JS (comments dropped). Indexes are UTF-16 offsets into the
 * source, read only for the node types in POSITIONED (0 otherwise).
 */
interface CNode {
  type: string;
  named: boolean;
  s: number;
  e: number;
  ch: CNode[];
}

interface LoadedParser {
  parser: Parser;
  /** Node type name by type id (`ERROR` for 65535). */
  types: string[];
  named: boolean[];
  /** Whether the converter reads the offsets of nodes of this type (skipping the rest saves wasm calls). */
  needPos: boolean[];
  /** Whether the children of nodes of this type are walked. */
  descend: boolean[];
}

/** Node types whose offsets the converter uses (text, positions, template slicing). */
const POSITIONED = new Set([
  'attribute',
  'block',
  'identifier',
  'numeric_lit',
  'bool_lit',
  'legacy_index',
  'variable_expr',
  'quoted_template_start',
  'quoted_template_end',
  'template_interpolation',
  'template_if_intro',
  'template_else_intro',
  'template_if_end',
  'template_for_start',
  'template_for_end',
  'heredoc_identifier',
  'heredoc_start',
  'heredoc_template',
  'string_lit',
  'get_attr',
]);

/** Node types whose children the converter never reads (their text is enough): not walked. */
const OPAQUE = new Set([
  'string_lit',
  'variable_expr',
  'get_attr',
  'block_start',
  'block_end',
  'object_start',
  'object_end',
  'tuple_start',
  'tuple_end',
  'heredoc_start',
]);

let parserPromise: Promise<Parser> | undefined;
const typeTables = new WeakMap<Parser, LoadedParser>();

/**
 * Path of the Terraform grammar (`tree-sitter-terraform.wasm`, built by
 * `@tree-sitter-grammars/tree-sitter-hcl`): the copy `npm run build` puts beside this module in dist/
 * (what an installed package uses: the grammar package, with its native install step, is only a
 * build-time dependency), else the grammar package itself (running from src/ under tsx).
 */
export function terraformGrammarPath(): string {
  const beside = fileURLToPath(new URL('./tree-sitter-terraform.wasm', import.meta.url));
  if (existsSync(beside)) return beside;
  const pkg = createRequire(import.meta.url).resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json');
  return path.join(path.dirname(pkg), 'tree-sitter-terraform.wasm');
}

/** One tree-sitter Parser with the Terraform grammar ({@link terraformGrammarPath}), initialised once per process. */
export function getHclParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      await Parser.init();
      const lang = await Language.load(terraformGrammarPath());
      const parser = new Parser();
      parser.setLanguage(lang);
      return parser;
    })();
  }
  return parserPromise;
}

function tablesFor(parser: Parser): LoadedParser {
  let t = typeTables.get(parser);
  if (!t) {
    const lang = parser.language;
    const types: string[] = [];
    const named: boolean[] = [];
    const needPos: boolean[] = [];
    const descend: boolean[] = [];
    const n = lang?.nodeTypeCount ?? 0;
    for (let i = 0; i < n; i++) {
      const type = lang?.nodeTypeForId(i) ?? '';
      const isNamed = lang?.nodeTypeIsNamed(i) ?? false;
      types.push(type);
      named.push(isNamed);
      needPos.push(POSITIONED.has(type));
      descend.push(!(isNamed && OPAQUE.has(type)));
    }
    t = { parser, types, named, needPos, descend };
    typeTables.set(parser, t);
  }
  return t;
}

/**
 * Parses HCL source text (Terraform `.tf` or `.tfvars`) into the syntax tree of ast.ts.
 * Never throws for bad input: a syntax error is returned in `error` (first ERROR or MISSING node,
 * 1-based line/column) and `body` then holds whatever could be converted.
 */
export async function parseHcl(src: string): Promise<ParsedFile> {
  return parseHclWith(await getHclParser(), src);
}

/** Synchronous {@link parseHcl} with an initialised parser (from {@link getHclParser}). */
export function parseHclWith(parser: Parser, original: string): ParsedFile {
  const { types, named, needPos, descend } = tablesFor(parser);
  const { src, literals } = maskExponentLiterals(original);
  let tree: ReturnType<Parser['parse']>;
  try {
    tree = parser.parse(src);
  } catch (err) {
    return {
      body: emptyBody(),
      error: { line: 1, col: 1, message: `syntax error: parser failed (${(err as Error).message})` },
    };
  }
  if (!tree)
    return {
      body: emptyBody(),
      error: { line: 1, col: 1, message: 'syntax error: parser returned no tree' },
    };
  const lines = lineStarts(src);
  let firstError: ParsedFile['error'];
  const cursor = tree.walk();
  // Hot loop: read only type id and offsets (each cursor getter crosses into wasm); positions come
  // from the line table, error details from a separate walk when the tree has errors.
  const build = (): CNode => {
    const id = cursor.nodeTypeId;
    const positioned = id === 65535 || needPos[id] === true;
    const node: CNode = {
      type: id === 65535 ? 'ERROR' : (types[id] ?? ''),
      named: id === 65535 ? true : (named[id] ?? false),
      s: positioned ? cursor.startIndex : 0,
      e: positioned ? cursor.endIndex : 0,
      ch: [],
    };
    if ((id === 65535 || descend[id] === true) && cursor.gotoFirstChild()) {
      do {
        const child = build();
        if (child.type !== 'comment') node.ch.push(child);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return node;
  };
  let root: CNode;
  try {
    if (tree.rootNode.hasError) firstError = findFirstError(tree.rootNode, src, lines);
    root = build();
  } catch (err) {
    const message =
      err instanceof RangeError
        ? 'syntax error: nesting too deep to evaluate'
        : `syntax error: ${(err as Error).message}`;
    return { body: emptyBody(), error: { line: 1, col: 1, message } };
  } finally {
    cursor.delete();
    tree.delete();
  }
  const conv = new Converter(src, lines, literals);
  const bodyNode = root.ch.find((c) => c.type === 'body');
  let body = emptyBody();
  try {
    body = bodyNode ? conv.body(bodyNode) : emptyBody();
  } catch (err) {
    const message =
      err instanceof RangeError
        ? 'expressions nested too deeply to evaluate'
        : `syntax error: ${(err as Error).message}`;
    firstError ??= { line: 1, col: 1, message };
  }
  return firstError ? { body, error: firstError } : { body };
}

/** Offsets where each line starts. */
function lineStarts(src: string): number[] {
  const out = [0];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** 0-based line of offset `at`. */
function lineOf(lines: number[], at: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type TsNode = NonNullable<ReturnType<Parser['parse']>>['rootNode'];

function findFirstError(root: TsNode, src: string, lines: number[]): ParsedFile['error'] {
  const stack: TsNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as TsNode;
    if (n.isMissing || n.type === 'ERROR') {
      const line = lineOf(lines, n.startIndex);
      const col = n.startIndex - (lines[line] as number) + 1;
      if (n.isMissing) return { line: line + 1, col, message: `syntax error: missing '${n.type}'` };
      const text = src.slice(n.startIndex, n.endIndex).trim().split('\n')[0] ?? '';
      const shown = text.length > 30 ? `${text.slice(0, 30)}...` : text;
      return { line: line + 1, col, message: `syntax error: unexpected '${shown}'` };
    }
    if (!n.hasError) continue;
    const kids = n.children.filter((c): c is TsNode => c !== null);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as TsNode);
  }
  return { line: 1, col: 1, message: 'syntax error' };
}

function emptyBody(): Body {
  return { attributes: [], blocks: [] };
}

type Tok =
  | { k: 'lit'; s: string }
  | { k: 'interp'; e: Expr; sl: boolean; sr: boolean }
  | { k: 'if'; e: Expr; sl: boolean; sr: boolean }
  | { k: 'else'; sl: boolean; sr: boolean }
  | { k: 'endif'; sl: boolean; sr: boolean }
  | { k: 'for'; keyVar?: string; valVar: string; e: Expr; sl: boolean; sr: boolean }
  | { k: 'endfor'; sl: boolean; sr: boolean };

const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||']);

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Converts CNodes to AST nodes; `src` supplies literal text by offset. */
class Converter {
  constructor(
    private readonly src: string,
    private readonly lines: number[],
    /** Original text of number literals masked before parsing (exponent-literals.ts), by offset. */
    private readonly numbers: ReadonlyMap<number, string> = new Map(),
  ) {}

  text(n: CNode): string {
    return this.src.slice(n.s, n.e);
  }

  pos(n: CNode): Pos {
    const line = lineOf(this.lines, n.s);
    return {
      line: line + 1,
      col: n.s - (this.lines[line] as number) + 1,
      endLine: lineOf(this.lines, Math.max(n.s, n.e - 1)) + 1,
    };
  }

  body(n: CNode): Body {
    const out: Body = { attributes: [], blocks: [] };
    for (const c of n.ch) {
      if (c.type === 'attribute') {
        const a = this.attribute(c);
        if (a) out.attributes.push(a);
      } else if (c.type === 'block') {
        const b = this.block(c);
        if (b) out.blocks.push(b);
      }
    }
    return out;
  }

  attribute(n: CNode): Attribute | undefined {
    const id = n.ch.find((c) => c.type === 'identifier');
    const ex = n.ch.find((c) => c.type === 'expression');
    if (!id) return undefined;
    return {
      name: this.text(id),
      expr: ex ? this.expr(ex) : { k: 'error', text: 'missing expression' },
      pos: this.pos(n),
    };
  }

  block(n: CNode): Block | undefined {
    const first = n.ch[0];
    if (first?.type !== 'identifier') return undefined;
    const labels: string[] = [];
    let body: Body = emptyBody();
    for (const c of n.ch.slice(1)) {
      if (c.type === 'string_lit') labels.push(this.stringLit(c));
      else if (c.type === 'identifier') labels.push(this.text(c));
      else if (c.type === 'body') body = this.body(c);
    }
    return { type: this.text(first), labels, body, pos: this.pos(n) };
  }

  stringLit(n: CNode): string {
    const raw = this.src.slice(n.s, n.e);
    if (raw.length < 2 || raw[0] !== '"' || raw[raw.length - 1] !== '"')
      return unescapeQuoted(raw.replace(/^"|"$/g, ''));
    return unescapeQuoted(raw.slice(1, -1));
  }

  expr(n: CNode): Expr {
    if (n.type !== 'expression') return this.primary(n);
    return this.operand(n.ch);
  }

  /** One operand: a primary (or a parenthesised expression) followed by attribute/index/splat steps. */
  operand(ch: CNode[]): Expr {
    let i = 0;
    let base: Expr;
    const c0 = ch[0];
    if (!c0) return { k: 'error', text: '' };
    if (c0.type === '(' && !c0.named) {
      const inner = ch[1];
      base = inner ? this.expr(inner) : { k: 'error', text: '()' };
      i = 3;
    } else {
      base = this.primary(c0);
      i = 1;
    }
    const steps: Step[] = [];
    for (; i < ch.length; i++) {
      const st = ch[i];
      if (st) this.step(st, steps);
    }
    return steps.length ? { k: 'trav', base, steps } : base;
  }

  step(n: CNode, out: Step[]): void {
    if (n.type === 'get_attr') {
      const name = this.text(n)
        .replace(/^\.\s*/, '')
        .trim();
      if (name) out.push({ t: 'attr', name });
    } else if (n.type === 'index') {
      const inner = n.ch[0];
      if (!inner) return;
      if (inner.type === 'legacy_index') {
        const digits = this.text(inner).replace(/^\./, '');
        out.push({ t: 'index', e: { k: 'lit', v: Number(digits) } });
      } else {
        const e = inner.ch.find((c) => c.type === 'expression');
        out.push({ t: 'index', e: e ? this.expr(e) : { k: 'error', text: 'index' } });
      }
    } else if (n.type === 'splat') {
      const inner = n.ch[0];
      const steps: Step[] = [];
      for (const c of inner?.ch ?? []) if (c.named) this.step(c, steps);
      out.push({ t: 'splat', steps });
    }
  }

  primary(n: CNode): Expr {
    switch (n.type) {
      case 'expression':
        return this.expr(n);
      case 'literal_value': {
        const c = n.ch[0];
        if (!c) return { k: 'error', text: this.text(n) };
        if (c.type === 'numeric_lit') {
          const text = this.numbers.get(c.s) ?? this.text(c);
          const v = Number(text);
          return Number.isSafeInteger(v) && /^\d+$/.test(text) ? { k: 'lit', v } : { k: 'lit', v, num: text };
        }
        if (c.type === 'bool_lit') return { k: 'lit', v: this.text(c) === 'true' };
        if (c.type === 'null_lit') return { k: 'lit', v: null };
        if (c.type === 'string_lit') return { k: 'lit', v: this.stringLit(c) };
        return { k: 'error', text: this.text(n) };
      }
      case 'collection_value': {
        const c = n.ch[0];
        return c ? this.primary(c) : { k: 'error', text: '' };
      }
      case 'tuple':
        return { k: 'tuple', items: n.ch.filter((c) => c.type === 'expression').map((c) => this.expr(c)) };
      case 'object': {
        const items: { key: Expr; ident?: string; val: Expr }[] = [];
        for (const el of n.ch) {
          if (el.type !== 'object_elem') continue;
          const exprs = el.ch.filter((c) => c.type === 'expression');
          const [k, v] = exprs;
          if (!k || !v) continue;
          const key = this.expr(k);
          const item: { key: Expr; ident?: string; val: Expr } = { key, val: this.expr(v) };
          if (key.k === 'var' && k.ch[0]?.type === 'variable_expr') item.ident = key.name;
          items.push(item);
        }
        return { k: 'object', items };
      }
      case 'variable_expr':
        return { k: 'var', name: this.text(n) };
      case 'function_call': {
        const id = n.ch.find((c) => c.type === 'identifier');
        const argsNode = n.ch.find((c) => c.type === 'function_arguments');
        const args = (argsNode?.ch ?? []).filter((c) => c.type === 'expression').map((c) => this.expr(c));
        const expand = (argsNode?.ch ?? []).some((c) => c.type === 'ellipsis');
        return { k: 'call', name: id ? this.text(id) : '', args, expand };
      }
      case 'template_expr': {
        const c = n.ch[0];
        if (!c) return { k: 'error', text: '' };
        return this.template(c);
      }
      case 'quoted_template':
      case 'heredoc_template':
        return this.template(n);
      case 'for_expr': {
        const c = n.ch[0];
        return c ? this.forExpr(c) : { k: 'error', text: '' };
      }
      case 'operation': {
        const c = n.ch[0];
        return c ? this.primary(c) : { k: 'error', text: '' };
      }
      case 'binary_operation': {
        const at = n.ch.findIndex((c) => !c.named && BINARY_OPS.has(c.type));
        const op = n.ch[at];
        if (at <= 0 || !op) return { k: 'error', text: this.text(n) };
        return {
          k: 'binop',
          op: op.type,
          l: this.operand(n.ch.slice(0, at)),
          r: this.operand(n.ch.slice(at + 1)),
        };
      }
      case 'unary_operation': {
        const op = n.ch[0];
        if (!op || n.ch.length < 2) return { k: 'error', text: this.text(n) };
        return { k: 'unop', op: op.type, e: this.operand(n.ch.slice(1)) };
      }
      case 'conditional': {
        const es = n.ch.filter((c) => c.type === 'expression');
        const [c, t, f] = es;
        if (!c || !t || !f) return { k: 'error', text: this.text(n) };
        return { k: 'cond', c: this.expr(c), t: this.expr(t), f: this.expr(f) };
      }
      default:
        return { k: 'error', text: this.text(n).slice(0, 40) };
    }
  }

  forExpr(n: CNode): Expr {
    const intro = n.ch.find((c) => c.type === 'for_intro');
    if (!intro) return { k: 'error', text: 'for' };
    const ids = intro.ch.filter((c) => c.type === 'identifier').map((c) => this.text(c));
    const collNode = intro.ch.find((c) => c.type === 'expression');
    const coll: Expr = collNode ? this.expr(collNode) : { k: 'error', text: 'for' };
    const keyVar = ids.length > 1 ? ids[0] : undefined;
    const valVar = (ids.length > 1 ? ids[1] : ids[0]) ?? '_';
    const body = n.ch.filter((c) => c.type === 'expression').map((c) => this.expr(c));
    const condNode = n.ch.find((c) => c.type === 'for_cond');
    const condExpr = condNode?.ch.find((c) => c.type === 'expression');
    const obj = n.type === 'for_object_expr';
    const group = n.ch.some((c) => c.type === 'ellipsis');
    const out: Expr = {
      k: 'for',
      valVar,
      coll,
      valExpr: (obj ? body[1] : body[0]) ?? { k: 'error', text: 'for' },
      group,
      obj,
    };
    if (keyVar !== undefined) out.keyVar = keyVar;
    if (obj && body[0]) out.keyExpr = body[0];
    if (condExpr) out.cond = this.expr(condExpr);
    return out;
  }

  template(n: CNode): Expr {
    const toks: Tok[] = [];
    if (n.type === 'quoted_template') {
      const start = n.ch[0];
      const end = n.ch[n.ch.length - 1];
      if (!start || !end) return { k: 'error', text: 'template' };
      const cur = { at: start.e };
      this.flatten(n.ch.slice(1, -1), toks, cur, true);
      if (end.s > cur.at) toks.push({ k: 'lit', s: unescapeQuoted(this.src.slice(cur.at, end.s)) });
    } else {
      const idents = n.ch.filter((c) => c.type === 'heredoc_identifier');
      const open = idents[0];
      const close = idents.length > 1 ? idents[idents.length - 1] : undefined;
      const strip = n.ch.some((c) => c.type === 'heredoc_start' && this.text(c) === '<<-');
      if (!open) return { k: 'error', text: 'heredoc' };
      const nl = this.src.indexOf('\n', open.e);
      const startAt = nl < 0 ? open.e : nl + 1;
      const endAt = close ? this.src.lastIndexOf('\n', close.s - 1) + 1 : n.e;
      const cur = { at: startAt };
      const inner = n.ch.filter((c) => c !== open && c !== close && c.type !== 'heredoc_start');
      this.flatten(inner, toks, cur, false);
      if (endAt > cur.at) toks.push({ k: 'lit', s: unescapeHeredoc(this.src.slice(cur.at, endAt)) });
      if (strip) stripIndent(toks);
    }
    applyStripMarkers(toks);
    const parts = buildParts(toks, { i: 0 }, []);
    if (parts.length === 0) return { k: 'lit', v: '' };
    if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0] };
    return { k: 'tpl', parts };
  }

  /** Flattens template children into tokens; literal text is taken from the source between structural nodes. */
  flatten(children: CNode[], toks: Tok[], cur: { at: number }, quoted: boolean): void {
    const lit = (upTo: number) => {
      if (upTo > cur.at) {
        const raw = this.src.slice(cur.at, upTo);
        toks.push({ k: 'lit', s: quoted ? unescapeQuoted(raw) : unescapeHeredoc(raw) });
      }
    };
    for (const c of children) {
      switch (c.type) {
        case 'template_literal':
          break;
        case 'template_directive':
        case 'template_if':
        case 'template_for':
          this.flatten(c.ch, toks, cur, quoted);
          break;
        case 'template_interpolation':
        case 'template_if_intro':
        case 'template_else_intro':
        case 'template_if_end':
        case 'template_for_start':
        case 'template_for_end': {
          lit(c.s);
          cur.at = c.e;
          const sl = c.ch[1]?.type === 'strip_marker';
          const sr = c.ch[c.ch.length - 2]?.type === 'strip_marker' && c.ch.length > 2;
          const exprNode = c.ch.find((x) => x.type === 'expression');
          const e: Expr = exprNode ? this.expr(exprNode) : { k: 'error', text: 'template' };
          if (c.type === 'template_interpolation') toks.push({ k: 'interp', e, sl, sr });
          else if (c.type === 'template_if_intro') toks.push({ k: 'if', e, sl, sr });
          else if (c.type === 'template_else_intro') toks.push({ k: 'else', sl, sr });
          else if (c.type === 'template_if_end') toks.push({ k: 'endif', sl, sr });
          else if (c.type === 'template_for_end') toks.push({ k: 'endfor', sl, sr });
          else {
            const ids = c.ch.filter((x) => x.type === 'identifier').map((x) => this.text(x));
            const t: Tok = { k: 'for', valVar: (ids.length > 1 ? ids[1] : ids[0]) ?? '_', e, sl, sr };
            if (ids.length > 1 && ids[0] !== undefined) t.keyVar = ids[0];
            toks.push(t);
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/gs, (m, esc: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (!esc) return m;
    if (esc[0] === 'u' || esc[0] === 'U') {
      const cp = Number.parseInt(esc.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ESCAPES[esc] ?? m;
  });
}

function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** `<<-` heredocs: remove the smallest indentation of all non-blank lines from every line. */
function stripIndent(toks: Tok[]): void {
  let min = Number.POSITIVE_INFINITY;
  let atLineStart = true;
  const lastIdx = toks.length - 1;
  toks.forEach((t, ti) => {
    if (t.k !== 'lit') {
      if (atLineStart) min = 0;
      atLineStart = false;
      return;
    }
    const segs = t.s.split('\n');
    segs.forEach((seg, i) => {
      if (i === 0 && !atLineStart) return;
      const ws = /^[ \t]*/.exec(seg)?.[0].length ?? 0;
      const blank = ws === seg.length && (i < segs.length - 1 || ti === lastIdx);
      if (!blank) min = Math.min(min, ws);
    });
    atLineStart = t.s.endsWith('\n');
  });
  if (!Number.isFinite(min) || min === 0) return;
  atLineStart = true;
  for (const t of toks) {
    if (t.k !== 'lit') {
      atLineStart = false;
      continue;
    }
    const segs = t.s.split('\n');
    t.s = segs.map((seg, i) => (i === 0 && !atLineStart ? seg : removeIndent(seg, min))).join('\n');
    atLineStart = t.s.endsWith('\n') || (t.s === '' && atLineStart);
  }
}

function removeIndent(seg: string, n: number): string {
  let i = 0;
  while (i < n && i < seg.length && (seg[i] === ' ' || seg[i] === '\t')) i++;
  return seg.slice(i);
}

function applyStripMarkers(toks: Tok[]): void {
  toks.forEach((t, i) => {
    if (t.k === 'lit') return;
    if (t.sl) {
      const prev = toks[i - 1];
      if (prev?.k === 'lit') prev.s = prev.s.replace(/\s+$/, '');
    }
    if (t.sr) {
      const next = toks[i + 1];
      if (next?.k === 'lit') next.s = next.s.replace(/^\s+/, '');
    }
  });
}

function buildParts(toks: Tok[], at: { i: number }, stop: string[]): TplPart[] {
  const parts: TplPart[] = [];
  while (at.i < toks.length) {
    const t = toks[at.i];
    if (!t) break;
    if (stop.includes(t.k)) return parts;
    at.i++;
    if (t.k === 'lit') {
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + t.s;
      else if (t.s !== '') parts.push(t.s);
    } else if (t.k === 'interp') {
      parts.push({ k: 'interp', e: t.e });
    } else if (t.k === 'if') {
      const thenParts = buildParts(toks, at, ['else', 'endif']);
      let elseParts: TplPart[] = [];
      if (toks[at.i]?.k === 'else') {
        at.i++;
        elseParts = buildParts(toks, at, ['endif']);
      }
      if (toks[at.i]?.k === 'endif') at.i++;
      parts.push({ k: 'if', cond: t.e, yes: thenParts, no: elseParts });
    } else if (t.k === 'for') {
      const body = buildParts(toks, at, ['endfor']);
      if (toks[at.i]?.k === 'endfor') at.i++;
      const p: TplPart = { k: 'for', valVar: t.valVar, coll: t.e, body };
      if (t.keyVar !== undefined) p.keyVar = t.keyVar;
      parts.push(p);
    }
    // stray else/endif/endfor outside their directive: ignored
  }
  return parts;
}

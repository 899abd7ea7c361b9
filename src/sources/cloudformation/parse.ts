import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
  type ScalarTag,
  type Tags,
} from 'yaml';
import type { SourceLocation } from '../../core/location.js';
import type { DiagnosticSink } from '../read-text-input.js';
import type { CfnEntry, CfnMap, CfnNode } from './node.js';
import { parseJsonTemplate } from './parse-json.js';

/** Most aliases one template may expand (the billion-laughs guard, as for Kubernetes YAML). */
export const MAX_ALIAS_COUNT = 100;

/** At most this many parse errors are reported per file; the rest are summarised. */
const MAX_ERRORS_PER_FILE = 20;

/** A parsed template file: the root node and whether it was JSON. */
export interface ParsedTemplate {
  root: CfnNode;
  format: 'yaml' | 'json';
}

/**
 * YAML 1.1 booleans as PyYAML and SnakeYAML read them (`yes`/`no`/`on`/`off`/`true`/`false` in their
 * three spellings), without the single letters `y`/`n` that the `yaml` package's 1.1 schema adds.
 */
const BOOL_TAGS: ScalarTag[] = [
  {
    identify: (v) => v === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar(true),
  },
  {
    identify: (v) => v === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar(false),
  },
];

/** YAML 1.1 types a CloudFormation template does not have: kept as strings (`2010-09-09`, `12:30`). */
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:bool',
]);

function templateTags(tags: Tags): Tags {
  const kept = tags.filter((t) => {
    if (typeof t !== 'object') return true;
    if (DROPPED_TAGS.has(t.tag)) return false;
    return !('format' in t && t.format === 'TIME');
  });
  return [...BOOL_TAGS, ...kept];
}

/**
 * The long-form key a short-form tag stands for: `!Ref` → `Ref`, `!Condition` → `Condition`,
 * `!Rain::Embed` → `Rain::Embed`, `!GetAtt` (and any other `!Name`) → `Fn::Name`. Undefined for
 * tags that are not local (`!!str`, verbatim URIs).
 */
export function tagFunction(tag: string): string | undefined {
  if (!tag.startsWith('!') || tag.startsWith('!!')) return undefined;
  const name = tag.slice(1);
  if (name === '') return undefined;
  if (name === 'Ref' || name === 'Condition' || name.startsWith('Rain::')) return name;
  return `Fn::${name}`;
}

/**
 * Parses a template's text (YAML 1.1 with CloudFormation short-form tags, or JSON when the first
 * non-blank character is `{`: parse-json.ts) into a {@link CfnNode} tree with a location for every node.
 * Reports through `diag` (file-relative positions) and returns undefined for: malformed YAML or JSON
 * (`E_INPUT_PARSE` at the error's line and column; for JSON the strict `JSON.parse` grammar applies,
 * so comments and trailing commas are errors as in CloudFormation), duplicate keys, more than one
 * YAML document, non-scalar mapping keys, alias cycles and alias bombs (over {@link MAX_ALIAS_COUNT}).
 */
export function parseTemplate(file: string, text: string, diag: DiagnosticSink): ParsedTemplate | undefined {
  if (/^\s*\{/.test(text)) {
    const root = parseJsonTemplate(file, text, diag);
    return root ? { root, format: 'json' } : undefined;
  }
  const format = 'yaml';
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    version: '1.1',
    customTags: templateTags,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    doc.errors.slice(0, MAX_ERRORS_PER_FILE).forEach((e) => {
      const pos = e.linePos?.[0];
      const what =
        e.code === 'DUPLICATE_KEY'
          ? 'Duplicate key (CloudFormation rejects the template)'
          : e.code === 'MULTIPLE_DOCS'
            ? 'More than one YAML document (a template is one document)'
            : 'YAML syntax error';
      diag(
        'error',
        'E_INPUT_PARSE',
        `${what}: ${firstLine(e.message)}. The template was not scanned; fix it and re-run.`,
        pos?.line,
        pos?.col,
      );
    });
    if (doc.errors.length > MAX_ERRORS_PER_FILE)
      diag(
        'error',
        'E_INPUT_PARSE',
        `${doc.errors.length - MAX_ERRORS_PER_FILE} more errors in this template were not listed.`,
      );
    return undefined;
  }
  if (!doc.contents) {
    diag('error', 'E_INPUT_PARSE', 'The template is empty: nothing was scanned.');
    return undefined;
  }
  const walker = new Walker(file, text, doc, lines, diag);
  const root = walker.convert(doc.contents as Node, []);
  if (!root || walker.failed) return undefined;
  return { root, format };
}

/** Converts `yaml` nodes to {@link CfnNode}s; stops on the first structural error (`failed`). */
class Walker {
  failed = false;
  private aliases = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly diag: DiagnosticSink,
  ) {}

  loc(node: Node | undefined): SourceLocation {
    const [start, valueEnd] = node?.range ?? [0, 0];
    const s = this.lines.linePos(start);
    const e = this.lines.linePos(Math.max(start, valueEnd - 1));
    const loc: SourceLocation = { file: this.file, line: s.line, column: s.col };
    if (e.line > s.line) loc.endLine = e.line;
    return loc;
  }

  /**
   * Where a short-form tag is written: the `yaml` package's node range starts at the tagged content,
   * so the tag is found just before it (only blanks and comments in between); the node's own start
   * otherwise. The location spans to the end of the content.
   */
  private tagLoc(node: Node, tag: string): SourceLocation {
    const loc = this.loc(node);
    const start = node.range?.[0];
    if (start === undefined) return loc;
    const at = this.text.lastIndexOf(tag, start);
    if (at < 0 || !/^(?:\s|#[^\n]*)*$/.test(this.text.slice(at + tag.length, start))) return loc;
    const p = this.lines.linePos(at);
    const end = loc.endLine ?? loc.line;
    const out: SourceLocation = { file: this.file, line: p.line, column: p.col };
    if (end > p.line) out.endLine = end;
    return out;
  }

  private fail(message: string, node: Node | undefined): undefined {
    if (!this.failed) {
      const l = this.loc(node);
      this.diag('error', 'E_INPUT_PARSE', message, l.line, l.column);
    }
    this.failed = true;
    return undefined;
  }

  convert(node: Node | null | undefined, stack: Node[]): CfnNode | undefined {
    if (this.failed) return undefined;
    if (node === null || node === undefined) return undefined;
    if (isAlias(node)) {
      this.aliases++;
      if (this.aliases > MAX_ALIAS_COUNT)
        return this.fail(
          `More than ${MAX_ALIAS_COUNT} YAML aliases: the template was not scanned (alias bomb guard). Expand the aliases by hand.`,
          node,
        );
      const target = node.resolve(this.doc) as Node | undefined;
      if (!target)
        return this.fail(`YAML alias *${node.source} has no anchor: the template was not scanned.`, node);
      if (stack.includes(target))
        return this.fail(
          `YAML alias *${node.source} refers to its own ancestor (a cycle): not scanned.`,
          node,
        );
      return this.convert(target, stack);
    }
    const tag = typeof node.tag === 'string' ? node.tag : undefined;
    const fn = tag ? tagFunction(tag) : undefined;
    let out: CfnNode | undefined;
    if (isScalar(node)) {
      const v = node.value;
      let value: string | number | boolean | null;
      if (fn) value = node.source ?? (v === null || v === undefined ? '' : String(v));
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null)
        value = v;
      else if (typeof v === 'bigint') value = Number(v);
      else value = node.source ?? String(v);
      out = { t: 'scalar', value, loc: this.loc(node) };
    } else if (isSeq(node)) {
      const items: CfnNode[] = [];
      const inner = [...stack, node];
      for (const item of node.items) {
        const c = this.convert(item as Node | null, inner);
        if (this.failed) return undefined;
        items.push(c ?? { t: 'scalar', value: null, loc: this.loc(node) });
      }
      out = { t: 'seq', items, loc: this.loc(node) };
    } else if (isMap(node)) {
      out = this.convertMap(node, stack);
      if (!out) return undefined;
    } else {
      return this.fail('Unsupported YAML node: the template was not scanned.', node);
    }
    if (!fn || !tag) return out;
    const loc = this.tagLoc(node, tag);
    return { t: 'map', entries: [{ key: fn, keyLoc: loc, value: out }], loc, shortForm: tag };
  }

  private convertMap(node: Node, stack: Node[]): CfnMap | undefined {
    if (!isMap(node)) return undefined;
    const entries: CfnEntry[] = [];
    const inner = [...stack, node];
    const seen = new Set<string>();
    const merged: CfnEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode))
        return this.fail(
          'A mapping key is not a string: CloudFormation rejects the template.',
          keyNode ?? node,
        );
      const key = keyNode.source ?? String(keyNode.value);
      const valueNode = pair.value as Node | null;
      if (key === '<<' && keyNode.type === 'PLAIN') {
        // YAML 1.1 merge key: the merged map's entries come after the explicit ones, never overriding.
        const from = this.convert(valueNode, inner);
        if (this.failed) return undefined;
        const maps = from?.t === 'seq' ? from.items : from ? [from] : [];
        for (const m of maps) {
          if (m.t !== 'map')
            return this.fail('A YAML merge key (<<) needs a map or a list of maps.', valueNode ?? node);
          merged.push(...m.entries);
        }
        continue;
      }
      seen.add(key);
      const value = this.convert(valueNode, inner);
      if (this.failed) return undefined;
      entries.push({
        key,
        keyLoc: this.keyLoc(keyNode, valueNode),
        value: value ?? { t: 'scalar', value: null, loc: this.loc(keyNode) },
      });
    }
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      entries.push(e);
    }
    return { t: 'map', entries, loc: this.loc(node) };
  }

  /** The key's line and column, with `endLine` the last line of its value. */
  private keyLoc(key: Node, value: Node | null): SourceLocation {
    const k = this.loc(key);
    if (value?.range) {
      const end = this.lines.linePos(Math.max(value.range[0], value.range[1] - 1)).line;
      if (end > k.line) k.endLine = end;
    }
    return k;
  }
}

/** 1-based line and column of a 0-based character offset in `text`. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/** First line of a `yaml` error message, without its ` at line L, column C:` suffix. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

/**
 * Decodes `buf` as strict UTF-8 (without a leading BOM). Returns the text, or the 1-based line and
 * column of the first byte sequence that is not UTF-8 (a U+FFFD the file did not contain).
 */
export function decodeUtf8Strict(
  buf: Buffer,
): { text: string } | { invalidAt: { line: number; col: number; byte: number } } {
  let text = buf.toString('utf8');
  let bomBytes = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bomBytes = 3;
  }
  let from = 0;
  for (;;) {
    const i = text.indexOf('\uFFFD', from);
    if (i < 0) return { text };
    const byte = bomBytes + Buffer.byteLength(text.slice(0, i), 'utf8');
    if (!(buf[byte] === 0xef && buf[byte + 1] === 0xbf && buf[byte + 2] === 0xbd)) {
      return { invalidAt: { ...lineCol(text, i), byte } };
    }
    from = i + 1;
  }
}

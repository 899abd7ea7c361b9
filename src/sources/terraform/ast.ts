/**
 * A small HCL syntax tree built once from the tree-sitter CST (see hcl-parser.ts). The evaluator
 * works on this plain-JS tree only, so tree-sitter nodes never outlive a parse.
 * Positions: `line` and `col` are 1-based; `col` counts UTF-16 code units.
 */

/** A position in the source file. */
export interface Pos {
  line: number;
  col: number;
  endLine: number;
  /** File (relative to the scan root) when it differs from the enclosing block's file (override files). */
  file?: string;
}

/** `name = expr` inside a body. */
export interface Attribute {
  name: string;
  expr: Expr;
  pos: Pos;
}

/** `type "label" ... { body }`. */
export interface Block {
  type: string;
  labels: string[];
  body: Body;
  pos: Pos;
}

/** Attributes and blocks of one body, in source order within each list. */
export interface Body {
  attributes: Attribute[];
  blocks: Block[];
}

/** One step of a traversal: `.name`, `[expr]`, or a splat (`[*]` / `.*`) applying `steps` to each element. */
export type Step = { t: 'attr'; name: string } | { t: 'index'; e: Expr } | { t: 'splat'; steps: Step[] };

/** A part of a string template after directives were parsed. */
export type TplPart =
  | string
  | { k: 'interp'; e: Expr }
  | { k: 'if'; cond: Expr; yes: TplPart[]; no: TplPart[] }
  | { k: 'for'; keyVar?: string; valVar: string; coll: Expr; body: TplPart[] };

/** An HCL expression. `error` marks syntax the converter did not understand (evaluates to Unresolved). */
export type Expr =
  /** `num`: the literal's text when it is a number that is not a safe integer (read exactly by the evaluator). */
  | { k: 'lit'; v: string | number | boolean | null; num?: string }
  | { k: 'tpl'; parts: TplPart[] }
  | { k: 'tuple'; items: Expr[] }
  | { k: 'object'; items: { key: Expr; ident?: string; val: Expr }[] }
  | { k: 'var'; name: string }
  | { k: 'trav'; base: Expr; steps: Step[] }
  | { k: 'call'; name: string; args: Expr[]; expand: boolean }
  | { k: 'cond'; c: Expr; t: Expr; f: Expr }
  | { k: 'unop'; op: string; e: Expr }
  | { k: 'binop'; op: string; l: Expr; r: Expr }
  | {
      k: 'for';
      keyVar?: string;
      valVar: string;
      coll: Expr;
      keyExpr?: Expr;
      valExpr: Expr;
      cond?: Expr;
      group: boolean;
      obj: boolean;
    }
  | { k: 'error'; text: string };

/** A parsed file: its top-level body, or the first syntax error. */
export interface ParsedFile {
  body: Body;
  /** First ERROR/MISSING node, when the file has a syntax error. */
  error?: { line: number; col: number; message: string };
}

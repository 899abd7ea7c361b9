import type { Unknown } from './value.js';

/**
 * What the evaluator knows about the values it reads, supplied per evaluation by the rule engine.
 * `pathOf` names a container from the facts (`resource.versioning[0]`, or a companion's address) so
 * that an unresolved value read from it is reported with its path.
 */
export interface EvalHost {
  pathOf(container: object): string | undefined;
}

/**
 * The state of one evaluation: global variables (`resource`, `address`, ...), the comprehension
 * variable slots, and the host. One Activation is reused for every program run on a subject.
 */
export interface Activation<H extends EvalHost = EvalHost> {
  vars: Record<string, unknown>;
  slots: unknown[];
  host: H;
}

/** Where a function is called: the activation and the call's offsets in the expression text. */
export interface CallSite<H extends EvalHost = EvalHost> {
  a: Activation<H>;
  name: string;
  start: number;
  end: number;
}

/**
 * A function callable from rule expressions (a CEL standard function Evident implements, or an
 * Evident helper). `signatures` are in @marcbachmann/cel-js syntax and feed its type checker
 * (`isInternetCidr(string): bool`, `string.lowerAscii(): string`); the implementation is ours.
 */
export interface CelFunction<H extends EvalHost = EvalHost> {
  name: string;
  /** Type-checker signatures; a `T.name(...)` signature makes the function callable as a method. */
  signatures: readonly string[];
  /** One-line description for docs/policies.md: what it returns, in the rule author's terms. */
  doc: string;
  /** Call form for docs, e.g. `isInternetCidr(cidr)` or `list.join(sep)`. */
  usage: string;
  /** Callable as `f(x, ...)`. */
  global: boolean;
  /** Callable as `x.f(...)` (the receiver is passed as the first argument). */
  member: boolean;
  /** Facts families where the function is available (absent: every input). */
  inputs?: readonly string[];
  /**
   * Strict functions (the default) are not called when an argument is a CelError or an Unknown: the
   * error, else the merged Unknown, is the result. Non-strict functions see such arguments themselves
   * (and unresolved elements inside lists always), and must return an Unknown when their answer
   * depends on one.
   */
  strict?: boolean;
  /** Arity bounds (inclusive, counting a method's receiver). */
  minArgs: number;
  maxArgs: number;
  impl(args: unknown[], site: CallSite<H>): unknown;
}

/** Helper for implementations: the merged Unknown of a list of Unknowns, or undefined. */
export type MaybeUnknown = Unknown | undefined;

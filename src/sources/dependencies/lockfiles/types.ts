import type { Ecosystem } from '../../../core/facts.js';

/** One package as a lockfile parser reports it; `line` is 1-based in the lockfile. */
export interface LockedPackage {
  name: string;
  version?: string;
  direct?: boolean;
  dev?: boolean;
  line: number;
}

/** A parsed lockfile. */
export interface ParsedLockfile {
  format: string;
  ecosystem: Ecosystem;
  packages: LockedPackage[];
}

/** What a parser may read besides the lockfile: a sibling manifest (package.json, go.mod, Pipfile...). */
export interface LockfileContext {
  /** Text of a file in the lockfile's directory, or undefined when absent or unreadable. */
  sibling(name: string): string | undefined;
}

/** A malformed lockfile: `line` (1-based) when known. */
export class LockfileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** First line (1-based) of `text` containing `needle`, from offset `from`; 1 when absent. */
export function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) return 1;
  let n = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) n++;
  return n;
}

/** A line lookup that is fast for many needles: precomputed line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    if (offset < 0) return 1;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Parses JSON, turning a syntax error into a {@link LockfileError}. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LockfileError(`not valid JSON: ${(err as Error).message}`);
  }
}

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Root manifest dependency names (package.json / composer.json shaped): `{ field: { name: spec } }`. */
export function manifestDeps(
  text: string | undefined,
  fields: string[],
): { all: Set<string>; dev: Set<string> } | undefined {
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRec(doc)) return undefined;
  const all = new Set<string>();
  const dev = new Set<string>();
  for (const f of fields) {
    const deps = doc[f];
    if (!isRec(deps)) continue;
    for (const name of Object.keys(deps)) {
      all.add(name);
      if (/dev/i.test(f)) dev.add(name);
    }
  }
  return { all, dev };
}

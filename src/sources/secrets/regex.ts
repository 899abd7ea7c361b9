import { RE2JS } from 're2js';

/**
 * A regular expression with RE2 semantics (Go `regexp` syntax, linear-time matching: no
 * backreferences, no lookaround), compiled with `re2js`. Used for every secret rule, built-in or
 * from a gitleaks TOML file, so no pattern and no input can make the scan backtrack.
 *
 * Measured on this machine (bench/secrets-bench.ts notes): `test` runs on re2js' lazy DFA and is
 * fast; capture extraction (`exec`) runs the slower NFA, so callers test a line first and extract
 * only from lines that match.
 */
export interface SafeRegex {
  /** The pattern as written. */
  readonly source: string;
  /** Number of capturing groups. */
  readonly groups: number;
  /** True when the pattern matches anywhere in `text` (DFA, no captures). */
  test(text: string): boolean;
  /**
   * Every non-overlapping match in `text`, left to right: `[start, end)` of the whole match and of
   * each group (`-1` for a group that did not take part), as UTF-16 offsets into `text`.
   */
  exec(text: string): RegexMatch[];
}

/** One match: `spans[0]` is the whole match, `spans[g]` group `g` (`[-1, -1]` when unset). */
export interface RegexMatch {
  spans: [number, number][];
}

/** Thrown by {@link compileSafeRegex} for a pattern RE2 does not accept; `message` says why. */
export class RegexSyntaxError extends Error {}

/**
 * Compiles `pattern` (RE2 / Go syntax, inline flags such as `(?i)` and `(?-i:...)` allowed) with
 * re2js. Throws {@link RegexSyntaxError} for syntax RE2 rejects (backreferences, lookahead,
 * repeat counts over 1000, ...).
 */
export function compileSafeRegex(pattern: string): SafeRegex {
  return fromRe2(pattern, compileRe2(pattern));
}

/**
 * Like {@link compileSafeRegex}, but compiled on first use: for the built-in rules (their patterns
 * are compiled by the tests), so a scan pays only for the rules whose keywords occur. A syntax error
 * would surface on first use as {@link RegexSyntaxError}.
 */
export function lazySafeRegex(pattern: string): SafeRegex {
  let compiled: SafeRegex | undefined;
  const get = () => {
    compiled ??= compileSafeRegex(pattern);
    return compiled;
  };
  return {
    source: pattern,
    get groups() {
      return get().groups;
    },
    test: (text) => get().test(text),
    exec: (text) => get().exec(text),
  };
}

function compileRe2(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    throw new RegexSyntaxError((err as Error).message.replace(/^error parsing regexp: /, ''));
  }
}

function fromRe2(pattern: string, re: RE2JS): SafeRegex {
  const groups = re.groupCount();
  return {
    source: pattern,
    groups,
    test: (text) => re.test(text),
    exec(text) {
      const out: RegexMatch[] = [];
      const m = re.matcher(text);
      let from = 0;
      while (from <= text.length && m.find(from)) {
        const spans: [number, number][] = [];
        for (let g = 0; g <= groups; g++) spans.push([m.start(g), m.end(g)]);
        out.push({ spans });
        const [s, e] = spans[0]!;
        from = e > s ? e : e + 1;
      }
      return out;
    },
  };
}

import type { Severity } from '../../core/outcome.js';
import { compileSafeRegex, lazySafeRegex, RegexSyntaxError, type SafeRegex } from './regex.js';

/**
 * A secret rule as written (built-in data or a gitleaks TOML `[[rules]]` table): the gitleaks v8
 * rule format (id, description, regex, secretGroup, entropy, keywords, path, allowlists), plus
 * Evident's `severity`. Patterns use RE2 / Go syntax.
 */
export interface SecretRuleSpec {
  id: string;
  description: string;
  /** Pattern of the secret in a line (or across lines, see `multiline`); absent for path-only rules. */
  regex?: string;
  /** Capture group holding the secret; default: the first non-empty group, else the whole match. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret; at or below it the match is ignored. */
  entropy?: number;
  /** Case-insensitive literals, one of which must occur near a match (prefilter). Empty: run everywhere. */
  keywords?: string[];
  /** Pattern the file path (POSIX, relative to the scan root) must match. */
  path?: string;
  allowlists?: AllowlistSpec[];
  /** Severity of a finding of this rule; default `high`. */
  severity?: Severity;
  /**
   * True when a match can span lines (PEM blocks). Detected from the pattern when absent
   * (`\n`, `[\s\S]`, `(?s)`); a single-line rule is only run on lines holding one of its keywords.
   */
  multiline?: boolean;
}

/** A gitleaks allowlist (`[allowlist]`, `[[allowlists]]`, `[[rules.allowlists]]`). */
export interface AllowlistSpec {
  description?: string;
  /** `OR` (default): any criterion allows; `AND`: every criterion given must hold. */
  condition?: 'OR' | 'AND';
  /** What `regexes` are matched against: the secret (default), the whole match, or the line. */
  regexTarget?: 'secret' | 'match' | 'line';
  regexes?: string[];
  paths?: string[];
  /** Case-insensitive substrings of the secret. */
  stopwords?: string[];
  /** Commit SHAs (history scans). */
  commits?: string[];
  /** Global allowlists only: the rule ids it applies to (default all). */
  targetRules?: string[];
}

/** A compiled allowlist. */
export interface Allowlist {
  description?: string;
  condition: 'OR' | 'AND';
  regexTarget: 'secret' | 'match' | 'line';
  regexes: SafeRegex[];
  paths: SafeRegex[];
  stopwords: string[];
  commits: string[];
  targetRules?: string[];
}

/** A compiled secret rule. `keywords` are lower-case. `origin` names where it was defined. */
export interface SecretRule {
  id: string;
  description: string;
  regex?: SafeRegex;
  secretGroup?: number;
  entropy?: number;
  keywords: string[];
  path?: SafeRegex;
  allowlists: Allowlist[];
  severity: Severity;
  multiline: boolean;
  origin: string;
}

/** A compiled rule set: rules in matching order (earlier rules win overlapping matches) and global allowlists. */
export interface SecretRuleSet {
  rules: SecretRule[];
  allowlists: Allowlist[];
}

/** A rule that could not be compiled: `where` is `rule <id>` or `rule <id> allowlist 1 regexes[2]`. */
export class RuleCompileError extends Error {
  constructor(
    readonly ruleId: string,
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

const MULTILINE_HINTS = ['\\n', '[\\s\\S]', '(?s', '\\r'];

/** `lazy`: built-in patterns compile on first use (the tests compile every one); user rules are checked when loaded. */
function compile(pattern: string, ruleId: string, where: string, lazy = false): SafeRegex {
  if (lazy) return lazySafeRegex(pattern);
  try {
    return compileSafeRegex(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new RuleCompileError(ruleId, where, err.message);
    throw err;
  }
}

/** Compiles one allowlist; `where` prefixes error locations. Throws {@link RuleCompileError}. */
export function compileAllowlist(
  spec: AllowlistSpec,
  ruleId: string,
  where: string,
  lazy = false,
): Allowlist {
  const condition = (spec.condition ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND')
    throw new RuleCompileError(ruleId, where, `condition must be OR or AND, got '${spec.condition}'`);
  const target = spec.regexTarget ?? 'secret';
  if (target !== 'secret' && target !== 'match' && target !== 'line')
    throw new RuleCompileError(ruleId, where, `regexTarget must be secret, match or line, got '${target}'`);
  return {
    ...(spec.description ? { description: spec.description } : {}),
    condition,
    regexTarget: target,
    regexes: (spec.regexes ?? []).map((r, i) => compile(r, ruleId, `${where} regexes[${i}]`, lazy)),
    paths: (spec.paths ?? []).map((r, i) => compile(r, ruleId, `${where} paths[${i}]`, lazy)),
    stopwords: (spec.stopwords ?? []).map((s) => s.toLowerCase()),
    commits: spec.commits ?? [],
    ...(spec.targetRules ? { targetRules: spec.targetRules } : {}),
  };
}

/**
 * Compiles a rule spec; `origin` is `builtin` or the rules file. Throws {@link RuleCompileError}
 * when a pattern is not valid RE2, a rule has neither `regex` nor `path`, or `secretGroup` names a
 * group the pattern does not have.
 */
export function compileRule(spec: SecretRuleSpec, origin: string): SecretRule {
  const lazy = origin === 'builtin';
  const where = `rule ${spec.id}`;
  if (!spec.regex && !spec.path)
    throw new RuleCompileError(spec.id, where, 'a rule needs a regex, a path, or both');
  const regex = spec.regex ? compile(spec.regex, spec.id, `${where} regex`, lazy) : undefined;
  if (regex && origin !== 'builtin' && spec.secretGroup !== undefined && spec.secretGroup > regex.groups)
    throw new RuleCompileError(
      spec.id,
      where,
      `secretGroup ${spec.secretGroup} but the regex has ${regex.groups} capture groups`,
    );
  return {
    id: spec.id,
    description: spec.description,
    ...(regex ? { regex } : {}),
    ...(spec.secretGroup ? { secretGroup: spec.secretGroup } : {}),
    ...(spec.entropy ? { entropy: spec.entropy } : {}),
    keywords: [...new Set((spec.keywords ?? []).map((k) => k.toLowerCase()).filter((k) => k.length > 0))],
    ...(spec.path ? { path: compile(spec.path, spec.id, `${where} path`, lazy) } : {}),
    allowlists: (spec.allowlists ?? []).map((a, i) =>
      compileAllowlist(a, spec.id, `${where} allowlist ${i + 1}`, lazy),
    ),
    severity: spec.severity ?? 'high',
    multiline: spec.multiline ?? MULTILINE_HINTS.some((h) => spec.regex?.includes(h) ?? false),
    origin,
  };
}

import { parse, TomlError } from 'smol-toml';
import { EvidentError } from '../../core/errors.js';
import type { Severity } from '../../core/outcome.js';
import {
  type AllowlistSpec,
  compileAllowlist,
  compileRule,
  RuleCompileError,
  type SecretRule,
  type SecretRuleSet,
  type SecretRuleSpec,
} from './rule.js';

/** What a gitleaks configuration file defines: its rules, global allowlists and `[extend] useDefault`. */
export interface GitleaksConfig {
  rules: SecretRule[];
  allowlists: SecretRuleSet['allowlists'];
  /** `[extend] useDefault = true`: the file adds to the default rules (Evident's built-in set) instead of replacing them. */
  extendDefault: boolean;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, where: string, file: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new EvidentError('E_CONFIG', `${where} must be a list of strings`, { file });
  return v as string[];
}

function allowlistSpec(t: unknown, where: string, file: string): AllowlistSpec {
  if (!isTable(t)) throw new EvidentError('E_CONFIG', `${where} must be a table`, { file });
  return {
    ...(typeof t.description === 'string' ? { description: t.description } : {}),
    ...(typeof t.condition === 'string' ? { condition: t.condition.toUpperCase() as 'OR' | 'AND' } : {}),
    ...(typeof t.regexTarget === 'string'
      ? { regexTarget: t.regexTarget as AllowlistSpec['regexTarget'] }
      : {}),
    regexes: strings(t.regexes, `${where}.regexes`, file),
    paths: strings(t.paths, `${where}.paths`, file),
    stopwords: strings(t.stopwords, `${where}.stopwords`, file),
    commits: strings(t.commits, `${where}.commits`, file),
    targetRules: strings(t.targetRules, `${where}.targetRules`, file),
  };
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * Reads a gitleaks v8 configuration (TOML: `[[rules]]` with id, description, regex, secretGroup,
 * entropy, keywords, path, `[[rules.allowlists]]` (and the legacy `[rules.allowlist]`); global
 * `[allowlist]` / `[[allowlists]]` with targetRules; `[extend] useDefault`) and compiles every rule
 * with RE2 semantics. Evident also reads an optional `severity` per rule (default `high`).
 * `file` is used in messages. Throws EvidentError `E_CONFIG` naming the file, line and column for
 * TOML syntax errors, and the rule id for a pattern RE2 does not accept; every problem is listed.
 */
export function parseGitleaksConfig(text: string, file: string): GitleaksConfig {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError) {
      throw new EvidentError('E_CONFIG', `not valid TOML: ${err.message.split('\n')[0]}`, {
        file,
        line: err.line,
        column: err.column,
        hint: 'a rules file uses the gitleaks TOML format ([[rules]] tables with id, regex, keywords)',
      });
    }
    throw err;
  }
  const problems: string[] = [];
  const rules: SecretRule[] = [];
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules))
    throw new EvidentError('E_CONFIG', 'rules must be an array of tables ([[rules]])', { file });
  const seen = new Set<string>();
  rawRules.forEach((r: unknown, i: number) => {
    try {
      if (!isTable(r)) throw new EvidentError('E_CONFIG', `rules[${i}] must be a table`, { file });
      if (typeof r.id !== 'string' || r.id === '')
        throw new EvidentError('E_CONFIG', `rules[${i}] has no id`, { file });
      if (seen.has(r.id)) throw new EvidentError('E_CONFIG', `rule ${r.id} is defined twice`, { file });
      seen.add(r.id);
      const allowlists: AllowlistSpec[] = [];
      if (r.allowlist !== undefined)
        allowlists.push(allowlistSpec(r.allowlist, `rule ${r.id} allowlist`, file));
      if (Array.isArray(r.allowlists)) {
        r.allowlists.forEach((a: unknown, j: number) => {
          allowlists.push(allowlistSpec(a, `rule ${r.id} allowlists[${j}]`, file));
        });
      }
      const severity = typeof r.severity === 'string' ? (r.severity.toLowerCase() as Severity) : undefined;
      if (severity && !SEVERITIES.includes(severity))
        throw new EvidentError('E_CONFIG', `rule ${r.id}: severity must be one of ${SEVERITIES.join(', ')}`, {
          file,
        });
      const spec: SecretRuleSpec = {
        id: r.id,
        description: typeof r.description === 'string' ? r.description : r.id,
        ...(typeof r.regex === 'string' && r.regex !== '' ? { regex: r.regex } : {}),
        ...(typeof r.secretGroup === 'number' ? { secretGroup: r.secretGroup } : {}),
        ...(typeof r.entropy === 'number' ? { entropy: r.entropy } : {}),
        keywords: strings(r.keywords, `rule ${r.id} keywords`, file) ?? [],
        ...(typeof r.path === 'string' && r.path !== '' ? { path: r.path } : {}),
        allowlists,
        ...(severity ? { severity } : {}),
      };
      rules.push(compileRule(spec, file));
    } catch (err) {
      if (err instanceof RuleCompileError || err instanceof EvidentError) problems.push(err.message);
      else throw err;
    }
  });
  const globals: AllowlistSpec[] = [];
  if (doc.allowlist !== undefined) globals.push(allowlistSpec(doc.allowlist, 'allowlist', file));
  if (Array.isArray(doc.allowlists)) {
    doc.allowlists.forEach((a: unknown, j: number) => {
      globals.push(allowlistSpec(a, `allowlists[${j}]`, file));
    });
  }
  const allowlists: SecretRuleSet['allowlists'] = [];
  globals.forEach((g, j) => {
    try {
      allowlists.push(compileAllowlist(g, '(global)', `global allowlist ${j + 1}`));
    } catch (err) {
      if (err instanceof RuleCompileError) problems.push(err.message);
      else throw err;
    }
  });
  if (problems.length) {
    throw new EvidentError(
      'E_CONFIG',
      `${problems.length} rule problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`,
      {
        file,
        hint: 'patterns use RE2 syntax (no backreferences or lookaround); fix or remove the rules named',
      },
    );
  }
  const extend = isTable(doc.extend) ? doc.extend : undefined;
  return { rules, allowlists, extendDefault: extend?.useDefault === true };
}

import { readFileSync } from 'node:fs';
import { EvidentError } from '../../core/errors.js';
import { BUILTIN_GLOBAL_ALLOWLISTS, BUILTIN_RULES } from './builtin-rules.js';
import { parseGitleaksConfig } from './gitleaks.js';
import { compileAllowlist, compileRule, type SecretRuleSet } from './rule.js';

let builtin: SecretRuleSet | undefined;

/** Evident's built-in rule set (builtin-rules.ts), compiled once per process. */
export function builtinRuleSet(): SecretRuleSet {
  builtin ??= {
    rules: BUILTIN_RULES.map((r) => compileRule(r, 'builtin')),
    allowlists: BUILTIN_GLOBAL_ALLOWLISTS.map((a, i) =>
      compileAllowlist(a, '(builtin)', `builtin allowlist ${i + 1}`, true),
    ),
  };
  return builtin;
}

/**
 * The rule set a scan uses: the built-in rules, or the rules of a gitleaks TOML file `rulesFile`
 * (which replaces them, unless it says `[extend] useDefault = true`, when its rules come first and
 * the built-in ones follow). Throws EvidentError `E_CONFIG` (see parseGitleaksConfig) or `E_IO`.
 */
export function loadRuleSet(rulesFile?: string): SecretRuleSet {
  if (!rulesFile) return builtinRuleSet();
  let text: string;
  try {
    text = readFileSync(rulesFile, 'utf8');
  } catch (err) {
    throw new EvidentError('E_CONFIG', `cannot read secret rules ${rulesFile}: ${(err as Error).message}`, {
      file: rulesFile,
    });
  }
  const cfg = parseGitleaksConfig(text, rulesFile);
  if (!cfg.extendDefault) return { rules: cfg.rules, allowlists: cfg.allowlists };
  const base = builtinRuleSet();
  const ids = new Set(cfg.rules.map((r) => r.id));
  return {
    rules: [...cfg.rules, ...base.rules.filter((r) => !ids.has(r.id))],
    allowlists: [...cfg.allowlists, ...base.allowlists],
  };
}

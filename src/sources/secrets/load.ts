import type { SecretFact, SecretScanFact } from '../../core/facts.js';
import type { CandidateFile, SourceLoadContext } from '../../core/source.js';
import type { SourceResult } from '../../core/source-result.js';
import { loadRuleSet } from './rule-set.js';
import { lazySalt } from './salt.js';
import { DEFAULT_MAX_FILE_BYTES, type SecretScanOutput, scanHistory, scanTree } from './scan.js';

/**
 * Loads the secrets facts for the claimed files (see source.ts): the working-tree scan, and with
 * `options.secrets.history` the history scan. Throws EvidentError E_CONFIG for a bad rules file or salt.
 */
export async function loadSecrets(
  files: readonly CandidateFile[],
  ctx: SourceLoadContext,
): Promise<SourceResult<SecretFact | SecretScanFact>> {
  const opts = ctx.options.secrets ?? {};
  if (opts.enabled === false) return { facts: [], inputs: [], skipped: [], diagnostics: [] };
  const ruleSet = loadRuleSet(opts.rules);
  const settings = {
    ruleSet,
    ruleSource: opts.rules ?? 'builtin',
    // read or created only when a secret is found: a clean read-only checkout needs no salt file
    salt: lazySalt(opts.saltDir ?? `${ctx.root}/.evident`),
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  // git log starts first and streams while the working tree is read: git runs on another core
  const pending: Promise<SecretScanOutput> | undefined = opts.history
    ? scanHistory(ctx.root, settings)
    : undefined;
  const tree = await scanTree(files, settings);
  ctx.progress(`scanned ${files.length} files for secrets (${ruleSet.rules.length} rules)`);
  let history: SecretScanOutput | undefined;
  if (pending) {
    history = await pending;
    const cov = history.facts.find((f): f is SecretScanFact => f.kind === 'secret-scan');
    if (cov) ctx.progress(`scanned ${cov.commits} commits of git history for secrets`);
  }
  return {
    facts: [...tree.facts, ...(history?.facts ?? [])],
    inputs: [],
    skipped: [...tree.skipped, ...(history?.skipped ?? [])],
    diagnostics: [...tree.diagnostics, ...(history?.diagnostics ?? [])],
  };
}

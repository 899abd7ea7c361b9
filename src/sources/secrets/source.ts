import type { SecretFact, SecretScanFact } from '../../core/facts.js';
import type { Source } from '../../core/source.js';
import { notIgnored } from './ignored.js';
import { loadRuleSet } from './rule-set.js';
import { loadSalt } from './salt.js';
import { DEFAULT_MAX_FILE_BYTES, type SecretScanOutput, scanHistory, scanTree } from './scan.js';

/**
 * Secrets in the working tree (every file git would not ignore, binary files skipped) and, when
 * `options.secrets.history` is set, in the added lines of every commit on every branch. It observes
 * every discovered file without claiming it, so the Terraform or Kubernetes source still reads a
 * file this source scanned. Facts: {@link SecretFact} per secret and one {@link SecretScanFact} per
 * scope. Disabled by `options.secrets.enabled: false`.
 */
export const secretsSource: Source<'secrets'> = {
  id: 'secrets',
  facts: 'secrets',
  title: 'Secrets',
  reads:
    'every file git would not ignore (binary files skipped), and with `history` the added lines of every commit on every branch',
  priority: 1000,
  observesAll: true,
  fixtureSuffixes: ['.secrets.txt', '.env', '.netrc', '.npmrc', '.pypirc', '.pgpass', '.htpasswd', '.ppk'],
  async claim(files, ctx) {
    return notIgnored(ctx.root, files);
  },
  async load(files, ctx) {
    const opts = ctx.options.secrets ?? {};
    if (opts.enabled === false) return { facts: [], inputs: [], skipped: [], diagnostics: [] };
    const ruleSet = loadRuleSet(opts.rules);
    const settings = {
      ruleSet,
      ruleSource: opts.rules ?? 'builtin',
      salt: loadSalt(opts.saltDir ?? `${ctx.root}/.evident`),
      maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    };
    const tree = await scanTree(files, settings);
    ctx.progress(`scanned ${files.length} files for secrets (${ruleSet.rules.length} rules)`);
    let history: SecretScanOutput | undefined;
    if (opts.history) {
      history = await scanHistory(ctx.root, settings);
      const cov = history.facts.find((f): f is SecretScanFact => f.kind === 'secret-scan');
      if (cov) ctx.progress(`scanned ${cov.commits} commits of git history for secrets`);
    }
    return {
      facts: [...tree.facts, ...(history?.facts ?? [])],
      inputs: [],
      skipped: [...tree.skipped, ...(history?.skipped ?? [])],
      diagnostics: [...tree.diagnostics, ...(history?.diagnostics ?? [])],
    };
  },
};

export type { SecretFact };

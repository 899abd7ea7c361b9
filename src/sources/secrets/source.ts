import type { SecretFact } from '../../core/facts.js';
import type { Source } from '../../core/source.js';

/**
 * Secrets in the working tree (every file git would not ignore, binary files skipped) and, when
 * `options.secrets.history` is set, in the added lines of every commit on every branch. It observes
 * every discovered file without claiming it (its scanner loads only when used), so the Terraform or Kubernetes source still reads a
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
    const { notIgnored } = await import('./ignored.js');
    return notIgnored(ctx.root, files);
  },
  async load(files, ctx) {
    const { loadSecrets } = await import('./load.js');
    return loadSecrets(files, ctx);
  },
};

export type { SecretFact };

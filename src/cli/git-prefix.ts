import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Path of `target` (a directory, or a file's directory) relative to the top of its git work tree,
 * POSIX with a trailing slash (`infra/prod/`), `''` at the top, undefined outside a work tree or
 * without git (`git rev-parse --show-prefix`). SARIF needs it: GitHub code scanning resolves result
 * URIs against the repository root, while findings carry paths relative to the scan root.
 */
export function gitPrefix(target: string): string | undefined {
  try {
    const dir = statSync(target).isDirectory() ? target : dirname(target);
    return execFileSync('git', ['-C', dir, 'rev-parse', '--show-prefix'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    })
      .toString('utf8')
      .trim();
  } catch {
    return undefined;
  }
}

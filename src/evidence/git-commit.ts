import { execFileSync } from 'node:child_process';

/**
 * The HEAD commit of the git work tree containing `root` and the raw bytes of its commit object
 * (`git cat-file commit HEAD`), via the git CLI. Undefined when `root` is not in a git work tree, has no commit
 * yet, or git is not installed. Never throws.
 */
export function headCommit(root: string): { sha: string; object: Buffer } | undefined {
  const git = (args: string[]): Buffer =>
    execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  try {
    const sha = git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).toString('utf8').trim();
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return undefined;
    return { sha, object: git(['cat-file', 'commit', sha]) };
  } catch {
    return undefined;
  }
}

/** True when `dir` is inside a git work tree (git CLI). False when git is missing. */
export function insideGitWorkTree(dir: string): boolean {
  try {
    return (
      execFileSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], {
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      })
        .toString('utf8')
        .trim() === 'true'
    );
  } catch {
    return false;
  }
}

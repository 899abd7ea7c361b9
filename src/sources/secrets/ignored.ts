import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';
import type { CandidateFile } from '../../core/source.js';
import { readRegularFile } from '../read-regular-file.js';

const run = promisify(execFile);

/**
 * The candidates git would not ignore. Inside a git work tree this is exactly git's view
 * (`git ls-files --cached --others --exclude-standard`: tracked files plus untracked ones no
 * .gitignore, .git/info/exclude or core.excludesFile rule ignores). Outside one, every `.gitignore`
 * among the candidates applies to the files under its directory (gitignore(5) syntax via `ignore`).
 */
export async function notIgnored(root: string, files: readonly CandidateFile[]): Promise<CandidateFile[]> {
  const listed = await gitListed(root);
  if (listed) return files.filter((f) => listed.has(f.rel));
  const rules = new Map<string, Ignore>();
  for (const f of files) {
    if (f.name !== '.gitignore') continue;
    const dir = f.rel.includes('/') ? f.rel.slice(0, f.rel.lastIndexOf('/')) : '';
    // an unreadable .gitignore (or a FIFO of that name, never waited on) ignores nothing
    const read = await readRegularFile(f.abs, 1024 * 1024);
    if ('buf' in read) rules.set(dir, ignore().add(read.buf.toString('utf8')));
  }
  if (rules.size === 0) return [...files];
  return files.filter((f) => {
    const parts = f.rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const ig = rules.get(dir);
      if (ig?.ignores(parts.slice(i).join('/'))) return false;
    }
    return true;
  });
}

/** Paths (relative to `root`, POSIX) git lists as tracked or untracked-not-ignored; undefined outside a work tree. */
async function gitListed(root: string): Promise<Set<string> | undefined> {
  try {
    const { stdout } = await run(
      'git',
      ['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd: root, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
    );
    return new Set(stdout.split('\0').filter((p) => p.length > 0));
  } catch {
    return undefined;
  }
}

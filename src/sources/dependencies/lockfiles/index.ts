import { parsePackageLock, parsePnpmLock, parseYarnLock } from './npm.js';
import { parseCargoLock, parseComposerLock, parseGemfileLock, parseGoMod, parseGoSum } from './other.js';
import { parsePipfileLock, parsePoetryLock, parseRequirements, parseUvLock } from './python.js';
import type { LockfileContext, ParsedLockfile } from './types.js';

/** A lockfile format: the file names it has and its parser. */
export interface LockfileFormat {
  /** True for a file name (base name) of this format. */
  matches(name: string): boolean;
  parse(text: string, ctx: LockfileContext): ParsedLockfile;
}

/** Every lockfile format read, by file name (the list; parsers in this folder). */
export const LOCKFILE_FORMATS: readonly LockfileFormat[] = [
  { matches: (n) => n === 'package-lock.json' || n === 'npm-shrinkwrap.json', parse: parsePackageLock },
  { matches: (n) => n === 'yarn.lock', parse: parseYarnLock },
  { matches: (n) => n === 'pnpm-lock.yaml', parse: (t) => parsePnpmLock(t) },
  { matches: (n) => /^requirements(?:[-_.][\w.-]*)?\.txt$/.test(n), parse: (t) => parseRequirements(t) },
  { matches: (n) => n === 'poetry.lock', parse: parsePoetryLock },
  { matches: (n) => n === 'uv.lock', parse: (t) => parseUvLock(t) },
  { matches: (n) => n === 'Pipfile.lock', parse: parsePipfileLock },
  { matches: (n) => n === 'go.mod', parse: (t) => parseGoMod(t) },
  { matches: (n) => n === 'go.sum', parse: (t) => parseGoSum(t) },
  { matches: (n) => n === 'Cargo.lock', parse: (t) => parseCargoLock(t) },
  { matches: (n) => n === 'Gemfile.lock' || n === 'gems.locked', parse: (t) => parseGemfileLock(t) },
  { matches: (n) => n === 'composer.lock', parse: parseComposerLock },
];

/** The format of a lockfile base name, or undefined. */
export function lockfileFormat(name: string): LockfileFormat | undefined {
  return LOCKFILE_FORMATS.find((f) => f.matches(name));
}

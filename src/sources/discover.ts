import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import { EvidentError } from '../core/errors.js';
import type { SkippedInput } from '../core/scan-result.js';
import type { CandidateFile } from '../core/source.js';

/** What {@link discoverInputs} found under a scan root. */
export interface DiscoveredInputs {
  /**
   * Every regular file found (symlinks to files resolved), sorted by `rel` (plain code-unit order).
   * The sources decide which of them they read (src/sources/registry.ts `claimInputs`).
   */
  files: CandidateFile[];
  /**
   * Directories deliberately not descended into: other repositories nested in the tree (a
   * directory holding its own `.git` directory, such as a tool checked out by CI), each with a reason.
   */
  skipped: SkippedInput[];
  /** Symlink loops, broken symlinks, unreadable directories: each `file` relative to the root, POSIX. */
  diagnostics: Diagnostic[];
}

/** Options of {@link discoverInputs}. */
export interface DiscoverOptions {
  /**
   * Paths to leave out, relative to the scan root, POSIX. A pattern without `*` is a path prefix on
   * segment boundaries (`vendor` excludes `vendor/**` but not `vendor2`); `*` matches within one
   * segment, `**` matches any number of segments, `?` one character. A pattern that matches a
   * directory excludes everything under it. A leading `./` and a trailing `/` are ignored. A pattern
   * that matches nothing gets a warning diagnostic (a user's `--exclude`).
   */
  exclude?: string[];
  /** More patterns of the same form, set by Evident itself (team policy directories): never warned about. */
  alsoExclude?: string[];
}

/**
 * Directory names never descended into (tool caches, VCS metadata, build output). Besides these, a
 * directory below the root that holds its own `.git` directory is another repository (a tool or
 * dependency checked out inside the tree, e.g. by CI) and is skipped and listed in `skipped`; a git
 * submodule (`.git` is a file) belongs to the superproject and is scanned. To scan a nested
 * repository, pass it as the scan path.
 */
export const SKIPPED_DIR_NAMES: readonly string[] = [
  '.git',
  'node_modules',
  '.terraform',
  '.evident',
  'dist',
];

/**
 * Walks `root` (a directory or a single file) and lists every regular file under it, skipping
 * {@link SKIPPED_DIR_NAMES} and `opts.exclude`; the sources then claim what they read.
 * Follows symlinks to directories, remembering the real path of every directory visited: a link back
 * to an ancestor gives an `E_INPUT_LOOP` warning, a second link to an already scanned directory is
 * skipped with an info diagnostic (so nothing is scanned twice). Broken symlinks and unreadable
 * directories give warnings; the walk goes on.
 *
 * @throws EvidentError `E_USAGE` when `root` does not exist or cannot be read at all.
 */
export async function discoverInputs(root: string, opts: DiscoverOptions = {}): Promise<DiscoveredInputs> {
  const absRoot = path.resolve(root);
  const result: DiscoveredInputs = { files: [], skipped: [], diagnostics: [] };
  let rootStat: Awaited<ReturnType<typeof stat>>;
  try {
    rootStat = await stat(absRoot);
  } catch (err) {
    throw new EvidentError('E_USAGE', `Cannot scan ${root}: ${errnoText(err)}.`, {
      hint: 'Pass an existing directory or file to scan.',
      cause: err,
    });
  }
  const excluded = compileExcludeMatcher(opts.exclude ?? []);
  const internal = compileExcludes(opts.alsoExclude ?? []);
  const skip = (rel: string): boolean => {
    const byUser = excluded.test(rel); // always asked, so a pattern that matches is never reported unmatched
    return internal(rel) || byUser;
  };

  if (!rootStat.isDirectory()) {
    // A single file: its relative path is then its base name.
    const name = path.basename(absRoot);
    result.files.push({ abs: absRoot, rel: name, name, size: rootStat.size });
    reportUnmatchedExcludes(root, excluded.unmatched(), result);
    return finish(result);
  }

  const walker = new Walker(absRoot, skip, result);
  await walker.walkDir(absRoot, await realpath(absRoot), []);
  reportUnmatchedExcludes(root, excluded.unmatched(), result);
  return finish(result);
}

/** Directory walker; keeps the set of visited real paths and the real-path chain of ancestors. */
class Walker {
  private readonly visited = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly excluded: (rel: string) => boolean,
    private readonly result: DiscoveredInputs,
  ) {}

  async walkDir(dir: string, real: string, ancestors: string[]): Promise<void> {
    const rel = relPosix(this.root, dir);
    if (ancestors.includes(real)) {
      this.result.diagnostics.push({
        severity: 'warning',
        code: 'E_INPUT_LOOP',
        file: rel,
        message: `Symlink loop: ${rel} leads back to ${relPosix(this.root, real) || '.'}, which is already being scanned. Not followed again; nothing is missing from the scan. Remove the link or exclude it to silence this.`,
      });
      return;
    }
    const seenAs = this.visited.get(real);
    if (seenAs !== undefined) {
      this.result.diagnostics.push({
        severity: 'info',
        code: 'E_INPUT_LOOP',
        file: rel,
        message: `${rel} is a link to ${seenAs || '.'}, which is already scanned; its files are reported under that path only.`,
      });
      return;
    }
    this.visited.set(real, rel);

    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      this.result.diagnostics.push({
        severity: 'warning',
        code: 'E_IO',
        file: rel || '.',
        message: `Cannot read directory ${rel || '.'}: ${errnoText(err)}. Files under it are not scanned; fix its permissions or exclude it.`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const chain = [...ancestors, real];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const entryRel = relPosix(this.root, full);
      if (this.excluded(entryRel)) continue;

      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (err) {
          this.result.diagnostics.push({
            severity: 'warning',
            code: 'E_IO',
            file: entryRel,
            message: `Broken symlink ${entryRel}: ${errnoText(err)}. It is not scanned; fix or remove the link.`,
          });
          continue;
        }
      }

      if (isDir) {
        if (SKIPPED_DIR_NAMES.includes(entry.name)) continue;
        if (await isNestedRepository(full)) {
          this.result.skipped.push({
            file: `${entryRel}/`,
            reason:
              'another git repository inside the scanned tree (it has its own .git directory, e.g. a tool checked out by CI): not scanned. Scan it by passing its path, or move it out of the tree.',
          });
          continue;
        }
        let childReal: string;
        try {
          childReal = await realpath(full);
        } catch (err) {
          this.result.diagnostics.push({
            severity: 'warning',
            code: 'E_IO',
            file: entryRel,
            message: `Cannot resolve ${entryRel}: ${errnoText(err)}. It is not scanned.`,
          });
          continue;
        }
        await this.walkDir(full, childReal, chain);
      } else if (isFile) {
        this.result.files.push({ abs: full, rel: entryRel, name: entry.name });
      }
    }
  }
}

/** True when `dir` holds a `.git` directory (a clone of its own), not a `.git` file (a submodule or worktree link). */
async function isNestedRepository(dir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dir, '.git'))).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Warns about each `--exclude` pattern that matched nothing: a typo or a path given from the current
 * directory instead of the scan root would otherwise exclude nothing, silently. When the pattern, read
 * from the current directory, names something inside the scan root, the warning gives the pattern to use.
 */
function reportUnmatchedExcludes(root: string, patterns: string[], result: DiscoveredInputs): void {
  const absRoot = path.resolve(root);
  for (const p of patterns) {
    const fromCwd = relPosix(absRoot, path.resolve(p));
    const meant =
      fromCwd !== '' &&
      !fromCwd.startsWith('..') &&
      !path.isAbsolute(fromCwd) &&
      fromCwd !== p.replace(/\\/g, '/')
        ? ` Patterns are relative to the scan path, not the current directory: did you mean --exclude ${fromCwd}?`
        : ' Patterns are relative to the scan path; check the spelling.';
    result.diagnostics.push({
      severity: 'warning',
      code: 'E_USAGE',
      file: '.',
      message: `--exclude ${p} matched nothing under the scan path, so nothing was excluded by it.${meant}`,
    });
  }
}

function finish(result: DiscoveredInputs): DiscoveredInputs {
  result.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return result;
}

/** `file` relative to `root`, POSIX separators; `''` when equal. */
function relPosix(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/**
 * Compiles exclude patterns (see {@link DiscoverOptions.exclude}) into one predicate over POSIX
 * paths relative to the root. A path is excluded when the pattern matches it or one of its parents.
 */
export function compileExcludes(patterns: readonly string[]): (rel: string) => boolean {
  return compileExcludeMatcher(patterns).test;
}

/**
 * {@link compileExcludes}, also remembering which patterns matched: `unmatched()` lists, as given,
 * the patterns that have not matched any path tested so far.
 */
export function compileExcludeMatcher(patterns: readonly string[]): {
  test: (rel: string) => boolean;
  unmatched: () => string[];
} {
  const compiled = patterns
    .map((given) => ({
      given,
      norm: given.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''),
    }))
    .filter((p) => p.norm.length > 0 && p.norm !== '.')
    .map((p) => ({ given: p.given, re: globToRegExp(p.norm), hit: false }));
  const test = (rel: string): boolean => {
    if (rel === '' || compiled.length === 0) return false;
    const segments = rel.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      const hits = compiled.filter((c) => c.re.test(prefix));
      for (const c of hits) c.hit = true;
      if (hits.length > 0) return true;
    }
    return false;
  };
  return { test, unmatched: () => compiled.filter((c) => !c.hit).map((c) => c.given) };
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more segments; a trailing `**` matches anything.
        if (pattern[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

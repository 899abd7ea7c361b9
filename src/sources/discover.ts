import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import { EvidentError } from '../core/errors.js';
import { DEFAULT_LIMITS, limitHint, type ScanLimits } from '../core/limits.js';
import type { SkippedInput } from '../core/scan-result.js';
import type { CandidateFile } from '../core/source.js';

/** What {@link discoverInputs} found under a scan root. */
export interface DiscoveredInputs {
  /**
   * Every file found, sorted by `rel` (plain code-unit order): regular files and symlinks to files,
   * and also what a reader must refuse rather than open blindly (FIFOs, sockets, devices, broken
   * symlinks, symlinks to files outside the scan root), so that the source whose input it would be
   * reports it. The sources decide which of them they read (src/sources/registry.ts `claimInputs`).
   */
  files: CandidateFile[];
  /**
   * Directories deliberately not descended into: other repositories nested in the tree (a
   * directory holding its own `.git` directory, such as a tool checked out by CI), each with a reason.
   */
  skipped: SkippedInput[];
  /**
   * Symlink loops, directory links out of the root, unreadable directories, limits hit: each `file`
   * relative to the root, POSIX.
   */
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
  /** The `files` and `depth` limits of the walk; default {@link DEFAULT_LIMITS}. */
  limits?: Pick<ScanLimits, 'files' | 'dir-depth'>;
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
 * Walks `root` (a directory or a single file) and lists every file under it (see
 * {@link DiscoveredInputs.files}), skipping {@link SKIPPED_DIR_NAMES} and `opts.exclude`; the
 * sources then claim what they read, and their readers refuse what is not a regular file inside
 * the scan root, without blocking on it.
 *
 * Directories are identified by device and inode: a link back to an ancestor gives an `E_INPUT_LOOP`
 * warning (nothing is missing), a second path to an already scanned directory an info diagnostic
 * (its files are listed once). A symlink to a directory outside the scan root (real paths compared)
 * is not followed: an `E_INPUT_OUTSIDE_ROOT` error, so a link to `/` neither hangs the scan nor
 * brings files from outside the repository into it or its evidence. Errors (the scan is then
 * incomplete, so it exits 2): unreadable directories (`E_IO`), and the `files` and `depth` limits
 * (`E_INPUT_TOO_LARGE`, naming the limit and how to raise it; past `files` nothing more is listed,
 * past `depth` the directory is not entered).
 *
 * @throws EvidentError `E_USAGE` when `root` does not exist or cannot be read at all.
 */
export async function discoverInputs(root: string, opts: DiscoverOptions = {}): Promise<DiscoveredInputs> {
  const absRoot = path.resolve(root);
  const result: DiscoveredInputs = { files: [], skipped: [], diagnostics: [] };
  let rootStat: Stats;
  let realRoot: string;
  try {
    rootStat = await stat(absRoot);
    realRoot = await realpath(absRoot);
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

  const walker = new Walker(absRoot, realRoot, skip, opts.limits ?? DEFAULT_LIMITS, result);
  await walker.walkDir(absRoot, rootStat, [], 0);
  reportUnmatchedExcludes(root, excluded.unmatched(), result);
  return finish(result);
}

/** `dev:ino`, the identity of a directory whatever path leads to it. */
function identity(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Directory walker; keeps the identities of visited directories and of the current one's ancestors. */
class Walker {
  /** dev:ino -> path (relative to the root) it was first scanned under. */
  private readonly visited = new Map<string, string>();
  /** Set once the files limit was hit: nothing more is listed. */
  private stopped = false;

  constructor(
    private readonly root: string,
    private readonly realRoot: string,
    private readonly excluded: (rel: string) => boolean,
    private readonly limits: Pick<ScanLimits, 'files' | 'dir-depth'>,
    private readonly result: DiscoveredInputs,
  ) {}

  private diag(
    severity: Diagnostic['severity'],
    code: Diagnostic['code'],
    file: string,
    message: string,
  ): void {
    this.result.diagnostics.push({ severity, code, file, message });
  }

  /** `dir` (absolute, as reached), its stat (symlinks followed), its ancestors' identities, its depth below the root. */
  async walkDir(dir: string, st: Stats, ancestors: string[], depth: number): Promise<void> {
    if (this.stopped) return;
    const rel = relPosix(this.root, dir);
    const id = identity(st);
    if (ancestors.includes(id)) {
      this.diag(
        'warning',
        'E_INPUT_LOOP',
        rel,
        `Symlink loop: ${rel} leads back to a directory that is already being scanned. Not followed again; nothing is missing from the scan. Remove the link or exclude it to silence this.`,
      );
      return;
    }
    const seenAs = this.visited.get(id);
    if (seenAs !== undefined) {
      this.diag(
        'info',
        'E_INPUT_LOOP',
        rel,
        `${rel} is a link to ${seenAs || '.'}, which is already scanned; its files are reported under that path only.`,
      );
      return;
    }
    this.visited.set(id, rel);
    if (depth > this.limits['dir-depth']) {
      this.diag(
        'error',
        'E_INPUT_TOO_LARGE',
        rel,
        `Directory ${rel} is nested more than ${this.limits['dir-depth']} levels below the scan root: nothing under it was scanned, so the scan is incomplete. Exclude it, or raise the limit: ${limitHint('dir-depth', this.limits['dir-depth'])}.`,
      );
      return;
    }

    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      this.diag(
        'error',
        'E_IO',
        rel || '.',
        `Cannot read directory ${rel || '.'}: ${errnoText(err)}. Files under it were not scanned, so the scan is incomplete; fix its permissions or exclude it.`,
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const chain = [...ancestors, id];
    for (const entry of entries) {
      if (this.stopped) return;
      const full = path.join(dir, entry.name);
      const entryRel = relPosix(this.root, full);
      if (this.excluded(entryRel)) continue;

      let dirStat: Stats | undefined;
      if (entry.isDirectory()) {
        if (SKIPPED_DIR_NAMES.includes(entry.name)) continue;
        try {
          dirStat = await stat(full);
        } catch (err) {
          this.diag(
            'error',
            'E_IO',
            entryRel,
            `Cannot read directory ${entryRel}: ${errnoText(err)}. Files under it were not scanned.`,
          );
          continue;
        }
      } else if (entry.isSymbolicLink()) {
        const linked = await this.linkedDirectory(full, entryRel);
        if (linked === null) continue; // a directory link that is not followed (reported)
        if (linked && SKIPPED_DIR_NAMES.includes(entry.name)) continue;
        dirStat = linked;
      }

      if (dirStat) {
        if (await isNestedRepository(full)) {
          this.result.skipped.push({
            file: `${entryRel}/`,
            reason:
              'another git repository inside the scanned tree (it has its own .git directory, e.g. a tool checked out by CI): not scanned. Scan it by passing its path, or move it out of the tree.',
          });
          continue;
        }
        await this.walkDir(full, dirStat, chain, depth + 1);
      } else {
        // A file, or anything else a reader must refuse itself (see DiscoveredInputs.files).
        if (this.result.files.length >= this.limits.files) {
          this.stopped = true;
          this.diag(
            'error',
            'E_INPUT_TOO_LARGE',
            entryRel,
            `The scan listed ${this.limits.files} files: ${entryRel} and every file after it in path order were not scanned, so the scan is incomplete. Exclude what need not be scanned (--exclude), or raise the limit: ${limitHint('files', this.limits.files)}.`,
          );
          return;
        }
        this.result.files.push({ abs: full, rel: entryRel, name: entry.name });
      }
    }
  }

  /**
   * For a symlink: the stat of the directory it leads to when that is to be walked; `undefined` when
   * it is not a directory link (a file, a broken link: listed as a file); `null` when it leads to a
   * directory outside the scan root (reported, not followed).
   */
  private async linkedDirectory(full: string, rel: string): Promise<Stats | undefined | null> {
    let real: string;
    let st: Stats;
    try {
      real = await realpath(full);
      st = await stat(real);
    } catch {
      return undefined; // broken: whichever source reads a file of that name reports it
    }
    if (!st.isDirectory()) return undefined;
    const inside = path.relative(this.realRoot, real);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      this.diag(
        'error',
        'E_INPUT_OUTSIDE_ROOT',
        rel,
        `Symlink ${rel} leads outside the scan root (to ${real}): not followed, so nothing outside the scanned tree is read or recorded as evidence, and any input under it was not scanned. Scan from a directory that contains its target, or exclude the link.`,
      );
      return null;
    }
    return st;
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

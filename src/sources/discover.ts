import { constants, type Dirent, type Stats } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import { EvidentError } from '../core/errors.js';
import { DEFAULT_LIMITS, limitHint, type ScanLimits } from '../core/limits.js';
import type { SkippedInput } from '../core/scan-result.js';
import { fileKind } from './read-regular-file.js';

/** What {@link discoverInputs} found under a scan root. Every list is sorted (plain code-unit order). */
export interface DiscoveredInputs {
  /** Absolute dirs that directly contain at least one `*.tf` file. */
  terraformDirs: string[];
  /**
   * Absolute paths of `*.json` files that look like `terraform show -json` output (plan or state):
   * see {@link looksLikeTerraformPlan}.
   */
  planFiles: string[];
  /** Absolute paths of `*.yaml` / `*.yml` files (the Kubernetes source decides per document). */
  yamlFiles: string[];
  /** Files found but deliberately not listed (none yet; reserved for the sources' own skips). */
  skipped: SkippedInput[];
  /**
   * Symlink loops, links out of the root, broken links, unreadable directories, non-regular files
   * named like inputs, limits hit: each `file` relative to the root, POSIX.
   */
  diagnostics: Diagnostic[];
}

/** Options of {@link discoverInputs}. */
export interface DiscoverOptions {
  /**
   * Paths to leave out, relative to the scan root, POSIX. A pattern without `*` is a path prefix on
   * segment boundaries (`vendor` excludes `vendor/**` but not `vendor2`); `*` matches within one
   * segment, `**` matches any number of segments, `?` one character. A pattern that matches a
   * directory excludes everything under it. A leading `./` and a trailing `/` are ignored.
   */
  exclude?: string[];
  /** The `files`, `bytes` and `depth` limits of the walk; default {@link DEFAULT_LIMITS}. */
  limits?: Pick<ScanLimits, 'files' | 'bytes' | 'depth'>;
}

/** Directory names never descended into (tool caches, VCS metadata, build output). */
export const SKIPPED_DIR_NAMES: readonly string[] = [
  '.git',
  'node_modules',
  '.terraform',
  '.evident',
  'dist',
];

/** How many bytes of a `.json` file are read to decide whether it is Terraform plan JSON. */
export const PLAN_SNIFF_BYTES = 64 * 1024;

/**
 * Walks `root` (a directory or a single file) and sorts what it finds into Terraform module dirs,
 * Terraform plan JSON files and YAML files. Skips {@link SKIPPED_DIR_NAMES} and `opts.exclude`.
 *
 * Symlinks are followed only while they stay inside the scan root (real paths compared): a link
 * that leads out of it (to a directory, or a file named like an input) is not followed and gives an
 * `E_INPUT_OUTSIDE_ROOT` error, so nothing outside the repository is read into the scan or its
 * evidence. (`*.tf` entries only make their directory a Terraform directory: the Terraform source
 * reads them, with the same rules, and reports its own.) Directories are identified by device and inode: a link back to an ancestor gives an
 * `E_INPUT_LOOP` warning (nothing is missing), a second path to an already scanned directory an info
 * diagnostic (its files are listed once). Errors (the scan is then incomplete, so it exits 2):
 * unreadable directories, broken links and FIFOs, sockets or devices named like inputs (`E_IO`,
 * never opened), and the `files`, `bytes` and `depth` limits (`E_INPUT_TOO_LARGE`, naming the limit
 * and how to raise it; the walk stops listing more inputs, or does not descend further).
 *
 * @throws EvidentError `E_USAGE` when `root` does not exist or cannot be read at all.
 */
export async function discoverInputs(root: string, opts: DiscoverOptions = {}): Promise<DiscoveredInputs> {
  const absRoot = path.resolve(root);
  const result: DiscoveredInputs = {
    terraformDirs: [],
    planFiles: [],
    yamlFiles: [],
    skipped: [],
    diagnostics: [],
  };
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
  const excluded = compileExcludes(opts.exclude ?? []);
  const limits = opts.limits ?? DEFAULT_LIMITS;

  if (!rootStat.isDirectory()) {
    // A single file: relative paths in diagnostics are then the file's base name.
    const base = path.basename(absRoot);
    if (!rootStat.isFile()) {
      if (isInputName(base)) result.diagnostics.push(notRegular(base, rootStat));
      return finish(result);
    }
    await classifyFile(absRoot, base, result);
    return finish(result);
  }

  const walker = new Walker(absRoot, realRoot, excluded, limits, result);
  await walker.walkDir(absRoot, rootStat, [], 0);
  return finish(result);
}

/**
 * True when `head` (the start of a JSON file) looks like Terraform's JSON output format
 * (`terraform show -json`): it starts with `{` and has a `"format_version"` key plus one of
 * `"terraform_version"`, `"resource_changes"`, `"planned_values"`.
 */
export function looksLikeTerraformPlan(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (!/^\s*\{/.test(text)) return false;
  if (!/"format_version"\s*:/.test(text)) return false;
  return /"(?:terraform_version|resource_changes|planned_values)"\s*:/.test(text);
}

/** True for the file names some source reads: `*.tf`, `*.yaml`, `*.yml`, `*.json` (case-insensitive). */
export function isInputName(name: string): boolean {
  return /\.(?:tf|ya?ml|json)$/i.test(name);
}

/** `dev:ino`, the identity of a directory whatever path leads to it. */
function identity(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Directory walker; keeps the identities of visited directories and of the ancestors of the current one. */
class Walker {
  /** dev:ino -> path (relative to the root) it was first scanned under. */
  private readonly visited = new Map<string, string>();
  private files = 0;
  private bytes = 0;
  /** Set once the files or bytes limit was hit: nothing more is listed. */
  private stopped = false;

  constructor(
    private readonly root: string,
    private readonly realRoot: string,
    private readonly excluded: (rel: string) => boolean,
    private readonly limits: Pick<ScanLimits, 'files' | 'bytes' | 'depth'>,
    private readonly result: DiscoveredInputs,
  ) {}

  private diag(severity: Diagnostic['severity'], code: Diagnostic['code'], file: string, message: string): void {
    this.result.diagnostics.push({ severity, code, file, message });
  }

  /** `dir` (absolute, as reached), its stat (symlinks followed), the identities of its ancestors, its depth. */
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
    if (depth > this.limits.depth) {
      this.diag(
        'error',
        'E_INPUT_TOO_LARGE',
        rel,
        `Directory ${rel} is nested more than ${this.limits.depth} levels below the scan root: nothing under it was scanned. Exclude it, or ${limitHint('depth', this.limits.depth)}.`,
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
    let hasTf = false;
    for (const entry of entries) {
      if (this.stopped) return;
      const full = path.join(dir, entry.name);
      const entryRel = relPosix(this.root, full);
      if (this.excluded(entryRel)) continue;
      const named = isInputName(entry.name);
      if (entry.name.endsWith('.tf') && !entry.isDirectory()) {
        // The Terraform source reads every *.tf entry of the directory itself and reports the ones it
        // cannot read (links out of the root, FIFOs, broken links): listing the directory is enough.
        if (this.count(entryRel, entry.isFile() ? await sizeOf(full) : 0)) hasTf = true;
        continue;
      }

      let target: Stats | undefined;
      if (entry.isSymbolicLink()) {
        const link = await this.followLink(full, entryRel, named);
        if (!link) continue;
        target = link;
      } else if (entry.isDirectory() || entry.isFile()) {
        if (entry.isDirectory() && SKIPPED_DIR_NAMES.includes(entry.name)) continue;
        if (entry.isFile() && !named) continue;
        try {
          target = await stat(full);
        } catch (err) {
          this.diag('error', 'E_IO', entryRel, `Cannot read ${entryRel}: ${errnoText(err)}. It was not scanned.`);
          continue;
        }
      } else {
        // FIFO, socket, device: never opened (a FIFO would block the scan).
        if (named) this.result.diagnostics.push(notRegular(entryRel, entry));
        continue;
      }

      if (target.isDirectory()) {
        if (SKIPPED_DIR_NAMES.includes(entry.name)) continue;
        await this.walkDir(full, target, chain, depth + 1);
      } else if (target.isFile()) {
        if (named && this.count(entryRel, target.size)) await classifyFile(full, entryRel, this.result);
      } else if (named) {
        this.result.diagnostics.push(notRegular(entryRel, target));
      }
    }
    if (hasTf) this.result.terraformDirs.push(dir);
  }

  /**
   * The stat of a symlink's target when it is to be followed: inside the root and not broken.
   * Otherwise reports it (when it matters: a directory, or a name some source reads) and returns undefined.
   */
  private async followLink(full: string, rel: string, named: boolean): Promise<Stats | undefined> {
    let real: string;
    let st: Stats;
    try {
      real = await realpath(full);
      st = await stat(real);
    } catch (err) {
      this.diag(
        named ? 'error' : 'warning',
        'E_IO',
        rel,
        `Broken symlink ${rel}: ${errnoText(err)}. It was not scanned; fix or remove the link${named ? '' : ' (it is only a warning: its name is not one of an input)'}.`,
      );
      return undefined;
    }
    const inside = path.relative(this.realRoot, real);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      if (st.isDirectory() || named) {
        this.diag(
          'error',
          'E_INPUT_OUTSIDE_ROOT',
          rel,
          `Symlink ${rel} leads outside the scan root (to ${real}): not followed, so nothing outside the scanned tree is read or recorded as evidence, and anything it holds was not scanned. Scan from a directory that contains its target, or exclude the link.`,
        );
      }
      return undefined;
    }
    return st;
  }

  /** Counts one input file against the files and bytes limits; false (and stops the walk) when over. */
  private count(rel: string, size: number): boolean {
    this.files += 1;
    this.bytes += size;
    const over =
      this.files > this.limits.files
        ? `more than ${this.limits.files} input files (${limitHint('files', this.limits.files)})`
        : this.bytes > this.limits.bytes
          ? `more than ${this.limits.bytes} bytes of input files (${limitHint('bytes', this.limits.bytes)})`
          : undefined;
    if (!over) return true;
    this.stopped = true;
    this.diag(
      'error',
      'E_INPUT_TOO_LARGE',
      rel,
      `The scan reached ${over}: ${rel} and every input after it in path order were not scanned, so the scan is incomplete. Exclude what need not be scanned (--exclude), or raise the limit.`,
    );
    return false;
  }
}

/** Size of a file in bytes; 0 when it cannot be stat'ed (its reader reports that). */
async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** The error for a FIFO, socket or device named like an input: it is never opened. */
function notRegular(rel: string, st: Parameters<typeof fileKind>[0]): Diagnostic {
  return {
    severity: 'error',
    code: 'E_IO',
    file: rel,
    message: `${rel} is ${fileKind(st)}, not a regular file: it was not read (reading it could block the scan), so the scan is incomplete. Remove it or exclude it.`,
  };
}

/** Puts one regular file into the right list (a `.tf` root file makes its directory a Terraform dir). */
async function classifyFile(file: string, rel: string, result: DiscoveredInputs): Promise<void> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tf')) {
    result.terraformDirs.push(path.dirname(file));
  } else if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    result.yamlFiles.push(file);
  } else if (lower.endsWith('.json')) {
    let head: string;
    try {
      head = await readHead(file, PLAN_SNIFF_BYTES);
    } catch (err) {
      result.diagnostics.push({
        severity: 'warning',
        code: 'E_IO',
        file: rel,
        message: `Cannot read ${rel}: ${errnoText(err)}. If it is a Terraform plan, it is not scanned.`,
      });
      return;
    }
    if (looksLikeTerraformPlan(head)) result.planFiles.push(file);
  }
}

async function readHead(file: string, max: number): Promise<string> {
  const fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

function finish(result: DiscoveredInputs): DiscoveredInputs {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  result.terraformDirs = [...new Set(result.terraformDirs)].sort(cmp);
  result.planFiles.sort(cmp);
  result.yamlFiles.sort(cmp);
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
  const regexes = patterns
    .map((p) => p.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter((p) => p.length > 0 && p !== '.')
    .map(globToRegExp);
  if (regexes.length === 0) return () => false;
  return (rel) => {
    if (rel === '') return false;
    const segments = rel.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (regexes.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
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

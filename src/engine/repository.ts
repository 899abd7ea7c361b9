import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** File name of the control map looked up in a repository. */
export const CONTROL_MAP_FILE = 'evident.yaml';
/** Directory, in the repository, that holds what Evident writes by default (the log, bundles). */
export const EVIDENCE_DIR = '.evident';

/**
 * The repository a path belongs to, as far as Evident is concerned: where its control map is, and
 * where its evidence goes by default.
 */
export interface Repository {
  /** Absolute directory: the one holding evident.yaml, else the git work-tree root, else the start directory. */
  dir: string;
  /** How `dir` was found. */
  foundBy: 'evident.yaml' | 'git' | 'path';
  /** Absolute path of the control map found (`dir/evident.yaml`), when there is one. */
  mapFile?: string;
  /** Absolute git work-tree root holding the path, when it is in one. */
  gitRoot?: string;
  /** Default evidence directory: `dir/.evident`. */
  evidenceDir: string;
  /** Default log directory: `dir/.evident/ledger` (its blobs are in `ledger/blobs`). */
  ledgerDir: string;
  /** Default directory for auditor bundles: `dir/.evident/exports`. */
  exportsDir: string;
}

/** `git rev-parse --show-toplevel` from `dir`; undefined outside a work tree or without git. */
export function gitWorkTreeRoot(dir: string): string | undefined {
  try {
    const top = execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    })
      .toString('utf8')
      .trim();
    return top === '' ? undefined : resolve(top);
  } catch {
    return undefined;
  }
}

/**
 * Finds the repository of `target` (a directory or file, relative to the current directory): from
 * the target's directory upwards, the first directory holding `evident.yaml`, looking no higher than
 * the git work-tree root (outside git: the target's directory only); else the git work-tree root;
 * else the target's directory itself. One rule for every command: `scan PATH` uses that map and
 * records into that repository's `.evident/ledger`; `evidence add FILE` looks up FILE's repository;
 * `verify`, `export` and `evidence list` use the repository of the current directory.
 *
 * A path that does not exist is taken as a directory (the caller reports it missing).
 */
export function locateRepository(target: string): Repository {
  const abs = resolve(target);
  let start = abs;
  try {
    if (!statSync(abs).isDirectory()) start = dirname(abs);
  } catch {
    // missing: taken as a directory
  }
  const gitRoot = existsSync(start) ? gitWorkTreeRoot(start) : undefined;
  // git reports the work-tree root with symlinks resolved: compare real paths with it
  const stop = gitRoot ?? realPath(start);
  let mapDir: string | undefined;
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONTROL_MAP_FILE))) {
      mapDir = dir;
      break;
    }
    // stop at the work-tree root (or the start directory outside git), and never loop at /
    const real = realPath(dir);
    if (real === stop || dirname(dir) === dir || !isInside(real, stop)) break;
  }
  const dir = mapDir ?? gitRoot ?? start;
  const evidenceDir = join(dir, EVIDENCE_DIR);
  return {
    dir,
    foundBy: mapDir ? 'evident.yaml' : gitRoot ? 'git' : 'path',
    ...(mapDir ? { mapFile: join(mapDir, CONTROL_MAP_FILE) } : {}),
    ...(gitRoot ? { gitRoot } : {}),
    evidenceDir,
    ledgerDir: join(evidenceDir, 'ledger'),
    exportsDir: join(evidenceDir, 'exports'),
  };
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** True when `dir` is `root` or below it. */
function isInside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

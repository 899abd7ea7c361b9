import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Fragment } from './detect.js';

/** One file change of one commit: the lines it added, as a scannable fragment. */
export interface AddedLines extends Fragment {
  commit: string;
  /** Author date, ISO 8601 as git prints it (`%aI`). */
  authorDate: string;
  /** Bytes of the added lines. */
  bytes: number;
}

/** What {@link streamHistory} reports when it is done. */
export interface HistoryStats {
  commits: number;
  changes: number;
  bytes: number;
  /** File changes not scanned, with the reason (over the size limit). */
  skipped: { file: string; reason: string }[];
  /**
   * True when the clone is shallow (`git rev-parse --is-shallow-repository`): commits before its
   * boundary are not in it, so they were not scanned (a CI checkout with `fetch-depth: 1`).
   */
  shallow: boolean;
}

/**
 * Whether the repository holding `root` is a shallow clone. git older than 2.15 prints the option
 * name back instead of true/false: that counts as not shallow only when `.git/shallow` is absent,
 * which `git rev-parse --git-path shallow` locates. Rejects when git fails.
 */
export async function isShallowRepository(root: string): Promise<boolean> {
  const { stdout } = await promisify(execFile)(
    'git',
    ['rev-parse', '--is-shallow-repository', '--git-path', 'shallow'],
    {
      cwd: root,
      timeout: 30_000,
    },
  );
  const [answer, shallowFile] = stdout.split('\n');
  if (answer === 'true') return true;
  if (answer === 'false') return false;
  return shallowFile !== undefined && shallowFile !== '' && existsSync(resolvePath(root, shallowFile));
}

const COMMIT_MARK = '\x01';

/**
 * Streams the added lines of every commit reachable from any ref (`git log --all`), merges
 * included: a merge's own lines (added relative to every parent: `--cc`, lines marked `+` in every
 * column) are scanned, lines it took from one parent are not scanned twice. Reads `git log -p -U0`
 * line by line and calls `onChange` for each (commit, file) as soon as its hunks end, so memory
 * holds one file change at a time, never the history. A change over `maxBytes` of added text is not
 * scanned: it is listed in `skipped`. Paths are relative to `root` (git's `--relative`). Rejects
 * when git fails (not a repository, no commits is not an error: zero commits).
 */
export async function streamHistory(
  root: string,
  maxBytes: number,
  onChange: (change: AddedLines) => void,
): Promise<HistoryStats> {
  const args = [
    '-c',
    'core.quotePath=false',
    'log',
    '--all',
    '-p',
    '-U0',
    '--cc',
    '--relative',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-renames',
    // every commit touching the scan root (no history simplification: side branches stay), and only
    // paths under it: --relative alone does not limit the combined diffs of merges
    '--full-history',
    `--format=${COMMIT_MARK}%H %aI`,
    '--',
    '.',
  ];
  const child = spawn('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4000) stderr += d;
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const stats: HistoryStats = { commits: 0, changes: 0, bytes: 0, skipped: [], shallow: false };
  let commit = '';
  let authorDate = '';
  let path: string | undefined;
  let combined = 0; // number of parents in a combined (--cc) diff, 0 for a plain diff
  let lines: string[] = [];
  let numbers: number[] = [];
  let bytes = 0;
  let over = false;
  let next = 0; // file line number of the next added line in the current hunk
  const flush = () => {
    if (path !== undefined && (lines.length > 0 || over)) {
      stats.changes++;
      if (over) {
        stats.skipped.push({
          file: `${path}@${commit.slice(0, 12)}`,
          reason: `added text over ${maxBytes} bytes`,
        });
      } else {
        stats.bytes += bytes;
        onChange({ text: lines.join('\n'), path, commit, authorDate, lineNumbers: numbers, bytes });
      }
    }
    lines = [];
    numbers = [];
    bytes = 0;
    over = false;
  };
  const handleLine = (line: string): void => {
    const c0 = line.charCodeAt(0);
    if (line.startsWith(COMMIT_MARK)) {
      flush();
      path = undefined;
      const sp = line.indexOf(' ');
      commit = line.slice(1, sp);
      authorDate = line.slice(sp + 1);
      stats.commits++;
    } else if (c0 === 43 /* + */ && path !== undefined && next > 0) {
      // an added line: `+x` in a plain diff, `++x` (added against every parent) in a combined one
      if (combined > 0) {
        const marks = line.slice(0, combined);
        if (marks === '+'.repeat(combined)) push(line.slice(combined));
        if (!marks.includes('-')) next++;
      } else {
        push(line.slice(1));
        next++;
      }
    } else if (
      line.startsWith('diff --git ') ||
      line.startsWith('diff --cc ') ||
      line.startsWith('diff --combined ')
    ) {
      flush();
      path = undefined;
      next = 0;
      combined = line.startsWith('diff --git ') ? 0 : -1;
    } else if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      path = p === '/dev/null' ? undefined : unquote(p).replace(/^b\//, '');
    } else if (line.startsWith('@@')) {
      // `@@ -a,b +c,d @@` or `@@@ -a,b -c,d +e,f @@@`: the new file's hunk starts at line c (e)
      const ats = /^(@+) /.exec(line)?.[1]?.length ?? 2;
      combined = ats > 2 ? ats - 1 : 0;
      const plus = /\+(\d+)/.exec(line.slice(ats));
      next = plus ? Number(plus[1]) : 0;
    } else if (c0 === 32 /* space */ && combined > 0 && next > 0) {
      // a combined-diff context/parent line: advances the new file's line counter when no column is `-`
      const marks = line.slice(0, combined);
      if (!marks.includes('-')) next++;
    }
  };
  await forEachLine(child.stdout, handleLine);
  flush();
  const code = await exit;
  if (code !== 0) throw new Error(`git log failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  stats.shallow = await isShallowRepository(root);
  return stats;

  function push(text: string): void {
    if (over) return;
    bytes += Buffer.byteLength(text, 'utf8') + 1;
    if (bytes > maxBytes) {
      over = true;
      lines = [];
      numbers = [];
      return;
    }
    lines.push(text);
    numbers.push(next);
  }
}

/** Undoes git's C-style quoting of a path (`"a\tb"`); a plain path is returned as is. */
function unquote(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const s = p.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = s[++i]!;
    if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else
      bytes.push(
        ({ n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 } as Record<string, number>)[n] ??
          n.charCodeAt(0),
      );
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Calls `onLine` with each line of a UTF-8 stream (without its `\n`), synchronously per chunk (no
 * promise per line), joining a line that spans chunks once (no quadratic re-scanning of long lines).
 */
async function forEachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  stream.setEncoding('utf8');
  let parts: string[] = [];
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      if (parts.length > 0) {
        parts.push(piece);
        onLine(parts.join(''));
        parts = [];
      } else onLine(piece);
      start = nl + 1;
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  }
  if (parts.length > 0) onLine(parts.join(''));
}

/**
 * Exclusive inter-process lock file for the evidence log (same machine). `<path>` is created with O_EXCL and
 * holds `pid\n`; a holder that died (kill -9) leaves a stale lock, which the next writer removes after checking
 * — under a second O_EXCL "breaker" file — that the recorded pid is no longer alive, so two waiters never both
 * break the same lock nor break a fresh one.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { EvidentError } from '../core/errors.js';

/** A held lock; `release()` removes the lock file (idempotent). */
export interface HeldLock {
  release(): void;
}

/** Waits (polling with back-off up to `timeoutMs`, default 60 s) for the lock at `path`, then holds it. */
export async function acquireLock(path: string, timeoutMs = 60_000): Promise<HeldLock> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    const held = tryCreate(path);
    if (held) return held;
    breakIfStale(path);
    if (Date.now() > deadline) {
      const owner = readOwner(path);
      throw new EvidentError(
        'E_EVIDENCE',
        `the evidence log is locked by ${owner === undefined ? 'another process' : `process ${owner}`} (${path})`,
        {
          hint: 'wait for the other `evident` run to finish; if no such process exists, delete the lock file',
        },
      );
    }
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 20);
  }
}

function tryCreate(path: string): HeldLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new EvidentError('E_IO', `cannot create the lock file ${path}: ${(err as Error).message}`, {
      hint: 'check that the evidence log directory is writable',
    });
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}

function readOwner(path: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Is the lock stale? Dead owner pid, or an empty/garbled lock file older than 5 s (creator died mid-write). */
function isStale(path: string): boolean {
  const owner = readOwner(path);
  if (owner === undefined) return ageMs(path) > 5_000;
  return owner !== process.pid && !alive(owner);
}

function breakIfStale(path: string): void {
  if (!isStale(path)) return;
  const breaker = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx', 0o644);
  } catch {
    // someone else is breaking it; a breaker left by a dead process expires after 10 s
    if (ageMs(breaker) > 10_000) {
      try {
        unlinkSync(breaker);
      } catch {
        // raced
      }
    }
    return;
  }
  closeSync(fd);
  try {
    // re-check under the breaker: the lock may have been released and re-taken meanwhile
    if (isStale(path)) unlinkSync(path);
  } catch {
    // already gone
  } finally {
    try {
      unlinkSync(breaker);
    } catch {
      // ignore
    }
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EvidentError } from '../core/errors.js';

/**
 * Keeps a closed stdout from crashing the CLI: `evident checks | head` closes the pipe early, and
 * the next write fails with EPIPE. The reader has what it wanted, so the rest of the output is
 * dropped and the command finishes normally (a scan still records its evidence and sets its exit
 * code). Other stdout errors are reported as E_IO on stderr. Idempotent.
 */
export function guardStdout(stream: NodeJS.WriteStream = process.stdout): void {
  const guarded = stream as NodeJS.WriteStream & { evidentGuarded?: boolean };
  if (guarded.evidentGuarded) return;
  guarded.evidentGuarded = true;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`error [E_IO] cannot write the output: ${err.message}\n`);
    process.exitCode = 2;
  });
}

/**
 * Writes a report: to `output` (relative to the current directory; parent directories are created)
 * with a one-line note on stderr naming the file, or to stdout when `output` is undefined or `-`.
 * `text` gets a final newline if it lacks one.
 *
 * @throws EvidentError E_IO when the file cannot be written (a directory, no permission).
 */
export function writeReport(text: string, output: string | undefined, what: string): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (output === undefined || output === '-') {
    process.stdout.write(body);
    return;
  }
  try {
    mkdirSync(dirname(resolve(output)), { recursive: true });
    writeFileSync(output, body);
  } catch (err) {
    throw new EvidentError('E_IO', `cannot write ${what} to ${output}: ${(err as Error).message}`, {
      file: output,
      hint: '-o/--output takes a file path, relative to the current directory; its folder is created if missing',
    });
  }
  process.stderr.write(`evident: wrote ${what} to ${output}\n`);
}

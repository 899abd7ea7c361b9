import pc from 'picocolors';

/**
 * Progress reporter for long work. Writes to stderr so stdout stays clean for `--format json|sarif`.
 * On a TTY it rewrites one status line; otherwise (CI, pipes) it prints plain timestamped lines.
 */
export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream }): {
  update(message: string): void;
  done(): void;
} {
  const stream = opts.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  const t0 = performance.now();
  let shown = false;
  return {
    update(message: string) {
      if (opts.quiet) return;
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if (tty) {
        const line = `${pc.dim(`[${secs}s]`)} ${message}`.slice(0, (stream.columns ?? 100) - 1);
        stream.write(`\r\x1b[2K${line}`);
        shown = true;
      } else {
        stream.write(`evident [${secs}s] ${message}\n`);
      }
    },
    done() {
      if (tty && shown) stream.write('\r\x1b[2K');
    },
  };
}

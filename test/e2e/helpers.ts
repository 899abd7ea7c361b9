import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScanResult } from '../../src/core/scan-result.js';

/** Repository root (two levels above test/e2e). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/evident.js', import.meta.url));

/** Result of one CLI run. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the BUILT CLI (`bin/evident.js` → dist/) as a user would. Throws if dist/ is missing (run `npm run build`).
 */
export function evident(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  if (!existsSync(new URL('../../dist/cli/main.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
  }
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `evident scan ... --format json` and parses the result. */
export function scanJson(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliRun & { result: ScanResult } {
  const run = evident(['scan', ...args, '--format', 'json', '--quiet'], opts);
  let result: ScanResult;
  try {
    result = JSON.parse(run.stdout) as ScanResult;
  } catch {
    throw new Error(
      `scan did not print JSON (exit ${run.status}):\n${run.stderr}\n${run.stdout.slice(0, 2000)}`,
    );
  }
  return { ...run, result };
}

/** Outcome of `checkId` on the subject `address` (optionally in root module/file `scope`), or undefined. */
export function outcomeOf(
  result: ScanResult,
  checkId: string,
  address: string,
  scope?: string,
): string | undefined {
  const f = result.findings.find(
    (x) =>
      x.checkId === checkId &&
      x.subject.address === address &&
      (scope === undefined || x.subject.scope === scope),
  );
  return f?.outcome;
}

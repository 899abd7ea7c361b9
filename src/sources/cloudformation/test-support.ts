import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CloudFormationResource } from '../../core/facts.js';
import { type CloudFormationResult, loadCloudFormation } from './load.js';

/**
 * Writes `files` (relative path → content, string or bytes) to a fresh temporary directory, loads the
 * first one (or those named in `load`) with {@link loadCloudFormation}, removes the directory and
 * returns the result. For tests.
 */
export async function loadTemplates(
  files: Record<string, string | Buffer>,
  opts: { parameters?: Record<string, string>; load?: string[] } = {},
): Promise<CloudFormationResult> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'evident-cfn-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(root, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    const names = opts.load ?? [Object.keys(files)[0]!];
    return await loadCloudFormation(
      root,
      names.map((n) => path.join(root, n)),
      { parameters: opts.parameters },
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The resource with logical id `id`; throws when absent (a test failure with the ids present). */
export function resource(result: CloudFormationResult, id: string): CloudFormationResource {
  const r = result.facts.find((f) => f.logicalId === id);
  if (!r) throw new Error(`no resource ${id} (have ${result.facts.map((f) => f.logicalId).join(', ')})`);
  return r;
}

/** Diagnostics as `severity code line:col message` lines, for assertions. */
export function describeDiagnostics(result: CloudFormationResult): string[] {
  return result.diagnostics.map(
    (d) => `${d.severity} ${d.code} ${d.line ?? '-'}:${d.column ?? '-'} ${d.message}`,
  );
}

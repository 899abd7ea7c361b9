/**
 * Auditor bundle export from the server (`GET /api/export`): the server log, as of its latest checkpoint, is
 * written in the file format to a temporary directory, then exported with the same code as `evident export`
 * (src/evidence/bundle), signed by the server key. Entries keep the signatures of the repositories' CI keys: verify
 * with `evident verify BUNDLE --key server.pub --entry-key repo.pub…` (keys from `/api/repositories`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidentError } from '../core/errors.js';
import type { FrameworkId } from '../core/framework-id.js';
import { checkPeriod, exportBundle } from '../evidence/bundle/export-bundle.js';
import { exportServerLog } from '../store/server-log.js';
import type { ServerContext } from './route.js';

/** Builds the bundle of `from`..`to` (YYYY-MM-DD, inclusive) and returns its bytes (tar.gz) and file name. */
export async function exportServerBundle(
  ctx: ServerContext,
  opts: { from: string; to: string; framework?: string },
): Promise<{ bytes: Buffer; name: string }> {
  checkPeriod(opts.from, opts.to, opts.framework);
  if (!ctx.signer) {
    throw new EvidentError(
      'E_CONFIG',
      'the server has no signing key, so its log cannot back an auditor bundle',
      {
        hint: 'start the server with EVIDENT_SIGNING_KEY_FILE set',
      },
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'evident-export-'));
  try {
    const ledgerDir = join(dir, 'log', 'ledger');
    await exportServerLog(ctx.store, ledgerDir, join(dir, 'log', 'blobs'));
    const name = `evident-bundle-${opts.from}_${opts.to}${opts.framework ? `-${opts.framework}` : ''}.tar.gz`;
    const output = join(dir, name);
    await exportBundle({
      ledgerDir,
      blobDir: join(dir, 'log', 'blobs'),
      publicKeyPem: ctx.signer.publicKeyPem(),
      from: opts.from,
      to: opts.to,
      ...(opts.framework ? { framework: opts.framework as FrameworkId } : {}),
      output,
      allowMissingBlobs: true,
      signer: ctx.signer,
      now: ctx.now(),
    });
    return { bytes: readFileSync(output), name };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

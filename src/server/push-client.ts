/**
 * The client side of `evident push`: reads entries from the local log, attaches the blobs their statements
 * reference (those present in the local blob store), and POSTs each to `<server>/api/push` with the repository
 * token. Connection errors, 5xx and 429 are retried with exponential backoff and jitter (the server is
 * idempotent, so a retry after a lost response records nothing twice); 4xx answers are final.
 */
import { EvidentError } from '../core/errors.js';
import { openBlobStore } from '../evidence/blob-store.js';
import { decodeStatement } from '../evidence/dsse.js';
import { openLedger } from '../evidence/ledger.js';
import { KIND_SCAN } from '../evidence/ledger-files.js';
import type { DsseEnvelope } from '../evidence/types.js';

/** One push outcome. */
export interface PushOutcome {
  localIndex: number;
  status: 'appended' | 'duplicate';
  serverIndex: number;
  treeSize: number;
  attempts: number;
}

/** Options of {@link pushEntries}. */
export interface PushOptions {
  server: string;
  token: string;
  ledgerDir: string;
  blobDir: string;
  /** Entry indexes to push; default: the latest scan-run entry. */
  entries?: number[];
  retries?: number;
  /** First backoff delay in ms (doubles each retry, capped at 10 s). */
  backoffMs?: number;
  fetch?: typeof fetch;
}

/** The JSON body for one envelope (exported for tests and the load test). */
export async function pushBodyFor(
  envelope: DsseEnvelope,
  blobDir: string,
): Promise<{ envelope: DsseEnvelope; blobs: { sha256: string; data: string }[] }> {
  const st = decodeStatement(envelope);
  const digests = new Set<string>();
  for (const s of st?.subject ?? []) if (typeof s.digest?.sha256 === 'string') digests.add(s.digest.sha256);
  const rb = (st?.predicate as { resultBlob?: unknown } | undefined)?.resultBlob;
  if (typeof rb === 'string') digests.add(rb);
  const store = openBlobStore(blobDir);
  const blobs: { sha256: string; data: string }[] = [];
  for (const d of digests) {
    if (await store.has(d)) blobs.push({ sha256: d, data: (await store.get(d)).toString('base64') });
  }
  return { envelope, blobs };
}

/** POSTs one body with retries; returns the server's answer. Throws EvidentError(E_PUSH) on a final refusal. */
export async function postWithRetry(
  url: string,
  token: string,
  body: unknown,
  opts: { retries?: number; backoffMs?: number; fetch?: typeof fetch } = {},
): Promise<{
  status: 'appended' | 'duplicate';
  index: number;
  checkpoint: { size: number };
  attempts: number;
}> {
  const doFetch = opts.fetch ?? fetch;
  const retries = opts.retries ?? 8;
  let delay = opts.backoffMs ?? 250;
  const text = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined;
    let error = '';
    try {
      res = await doFetch(`${url.replace(/\/+$/, '')}/api/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: text,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      error = (err as Error).message;
    }
    if (res && (res.status === 200 || res.status === 201)) {
      return {
        ...((await res.json()) as {
          status: 'appended' | 'duplicate';
          index: number;
          checkpoint: { size: number };
        }),
        attempts: attempt,
      };
    }
    if (res && res.status < 500 && res.status !== 429) {
      let msg = `HTTP ${res.status}`;
      let hint: string | undefined;
      try {
        const j = (await res.json()) as { error?: string; message?: string; hint?: string };
        msg = `${j.error ?? msg}: ${j.message ?? ''}`;
        hint = j.hint;
      } catch {
        // not JSON
      }
      throw new EvidentError('E_EVIDENCE', `the server refused the push: ${msg}`, { hint });
    }
    if (attempt > retries) {
      throw new EvidentError(
        'E_IO',
        `push failed after ${attempt} attempts: ${res ? `HTTP ${res.status}` : error}`,
        {
          hint: 'check --server and that the server is up; pushing again is safe (the server records a run once)',
        },
      );
    }
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

/** Pushes entries of the local log (default: its latest scan run). */
export async function pushEntries(opts: PushOptions): Promise<PushOutcome[]> {
  const ledger = await openLedger(opts.ledgerDir);
  try {
    let entries = opts.entries;
    if (!entries) {
      const last = ledger.lastIndexOfKind(KIND_SCAN);
      if (last < 0) {
        throw new EvidentError('E_USAGE', `the log ${opts.ledgerDir} holds no scan run to push`, {
          hint: 'run `evident scan` first (it records the run), or pass --entry N',
        });
      }
      entries = [last];
    }
    const out: PushOutcome[] = [];
    for (const i of entries) {
      const e = await ledger.get(i);
      const r = await postWithRetry(
        opts.server,
        opts.token,
        await pushBodyFor(e.envelope, opts.blobDir),
        opts,
      );
      out.push({
        localIndex: i,
        status: r.status,
        serverIndex: r.index,
        treeSize: r.checkpoint.size,
        attempts: r.attempts,
      });
    }
    return out;
  } finally {
    await ledger.close();
  }
}

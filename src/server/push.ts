/**
 * Accepting a pushed run (`POST /api/push`, sent by `evident push`): checks, in order, that the body is a DSSE
 * envelope holding an in-toto statement of a known predicate type, that it is signed by the key registered for
 * the pushing repository, that every blob is named by a safe name, hashes to its digest and is referenced by the
 * statement; then appends it to the server log and indexes it in one transaction. The same envelope twice is one
 * record (`duplicate`); a different envelope reusing a recorded runId is a replay and is refused. Anything refused
 * stores nothing.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { decodeStatement, envelopeBytes, pinKey, verifyEnvelope } from '../evidence/dsse.js';
import { sha256Hex } from '../evidence/hash.js';
import type { DsseEnvelope, InTotoStatement } from '../evidence/types.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  MANUAL_EVIDENCE_PREDICATE_TYPE,
  SCAN_PREDICATE_TYPE,
} from '../evidence/types.js';
import { indexEntryBytes } from '../indexer/sync.js';
import { rows } from '../store/open-store.js';
import type { Repository } from '../store/repos.js';
import { appendServerLog, type ServerAppendResult } from '../store/server-log.js';
import { HttpError, type ServerContext } from './route.js';

/** Largest push body (64 MiB): one run's envelope plus the input files it digests. */
export const MAX_PUSH_BYTES = 64 * 1024 * 1024;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not standard base64');

/** A blob name: a relative POSIX path without `..`, `.`, empty segments, backslashes or control characters. */
export const blobName = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (n) =>
      !n.startsWith('/') &&
      !/[\\\u0000-\u001f]/.test(n) &&
      !/^[A-Za-z]:/.test(n) &&
      n.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'blob names are relative paths without "..", ".", empty segments, backslashes or drive letters',
  );

/** The push body. */
export const pushBody = z.object({
  envelope: z.object({
    payloadType: z.string().max(200),
    payload: b64.max(MAX_PUSH_BYTES),
    signatures: z.array(z.object({ keyid: z.string().max(200).optional(), sig: b64.max(200) })).max(8),
  }),
  blobs: z
    .array(
      z.object({
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex'),
        name: blobName.optional(),
        data: b64,
      }),
    )
    .max(10_000)
    .default([]),
});

/** The push response. */
export const pushResponse = z.object({
  status: z.enum(['appended', 'duplicate']),
  index: z.number(),
  checkpoint: z.object({ size: z.number(), rootHash: z.string(), text: z.string() }),
});

/**
 * Digests a statement references (subject sha256 digests and the scan predicate's resultBlob), each with the name
 * it is known by, and whether its bytes must be present (subjects listed in `unstoredSubjects` need not).
 */
function referencedDigests(st: InTotoStatement): Map<string, { name: string; required: boolean }> {
  const out = new Map<string, { name: string; required: boolean }>();
  const p = st.predicate as { resultBlob?: unknown; unstoredSubjects?: unknown } | null;
  const unstored = new Set(
    Array.isArray(p?.unstoredSubjects) ? p.unstoredSubjects.filter((x) => typeof x === 'string') : [],
  );
  for (const s of st.subject) {
    if (typeof s?.digest?.sha256 !== 'string') continue;
    const prev = out.get(s.digest.sha256);
    out.set(s.digest.sha256, {
      name: String(s.name),
      required: (prev?.required ?? false) || !unstored.has(s.name),
    });
  }
  if (typeof p?.resultBlob === 'string') out.set(p.resultBlob, { name: 'scan result', required: true });
  return out;
}

async function storedBlobs(ctx: ServerContext, digests: string[]): Promise<string[]> {
  const r = await rows<{ sha256: string }>(
    ctx.store.db,
    sql`select sha256 from blobs where sha256 in (${sql.join(
      digests.map((d) => sql`${d}`),
      sql`, `,
    )})`,
  );
  return r.map((x) => x.sha256);
}

/**
 * Validates and records a push from `repo`. Throws HttpError: 400 E_PUSH_INVALID (not an in-toto DSSE envelope,
 * unknown predicate type, bad blob), 400 E_PUSH_INCOMPLETE (a referenced blob is neither sent nor stored), 403 E_PUSH_KEY (the repository has no registered key, or the envelope is not
 * signed by it), 409 E_PUSH_REPLAY (another envelope with this runId is recorded).
 */
export async function acceptPush(
  ctx: ServerContext,
  repo: Repository,
  body: z.infer<typeof pushBody>,
): Promise<ServerAppendResult> {
  const envelope = body.envelope as DsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new HttpError(400, 'E_PUSH_INVALID', `payloadType must be ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  const statement = decodeStatement(envelope);
  if (statement?._type !== 'https://in-toto.io/Statement/v1') {
    throw new HttpError(400, 'E_PUSH_INVALID', 'the envelope payload is not an in-toto v1 statement');
  }
  if (
    statement.predicateType !== SCAN_PREDICATE_TYPE &&
    statement.predicateType !== MANUAL_EVIDENCE_PREDICATE_TYPE
  ) {
    throw new HttpError(
      400,
      'E_PUSH_INVALID',
      `unsupported predicate type ${JSON.stringify(statement.predicateType).slice(0, 200)}`,
    );
  }
  if (!repo.publicKeyPem) {
    throw new HttpError(
      403,
      'E_PUSH_KEY',
      `repository ${repo.name} has no registered public key`,
      'register it: `evident repo add NAME --key evident.pub`',
    );
  }
  const check = verifyEnvelope(envelope, pinKey(repo.publicKeyPem));
  if (!check.ok) {
    throw new HttpError(
      403,
      'E_PUSH_KEY',
      `refused: ${check.detail} (registered for ${repo.name}: ${repo.keyId})`,
      'sign with the key registered for this repository',
    );
  }
  const referenced = referencedDigests(statement);
  const blobs: { sha256: string; bytes: Buffer }[] = [];
  for (const [i, b] of body.blobs.entries()) {
    const bytes = Buffer.from(b.data, 'base64');
    if (sha256Hex(bytes) !== b.sha256) {
      throw new HttpError(400, 'E_PUSH_INVALID', `blobs[${i}]: the data does not hash to ${b.sha256}`);
    }
    if (!referenced.has(b.sha256)) {
      throw new HttpError(
        400,
        'E_PUSH_INVALID',
        `blobs[${i}]: ${b.sha256} is not referenced by the statement`,
      );
    }
    blobs.push({ sha256: b.sha256, bytes });
  }
  const missing = [...referenced].filter(([d, r]) => r.required && !blobs.some((b) => b.sha256 === d));
  if (missing.length > 0) {
    const have = new Set(
      await storedBlobs(
        ctx,
        missing.map(([d]) => d),
      ),
    );
    const absent = missing.filter(([d]) => !have.has(d));
    if (absent.length > 0) {
      const list = absent.slice(0, 5).map(([d, r]) => `${r.name} (sha256:${d.slice(0, 12)}…)`);
      throw new HttpError(
        400,
        'E_PUSH_INCOMPLETE',
        `the push lacks ${absent.length} blob(s) the statement references: ${list.join(', ')}`,
        'push from the checkout that recorded the run (`evident push` attaches the blobs of .evident/blobs)',
      );
    }
  }
  const bytes = envelopeBytes(envelope);
  const runId = (statement.predicate as { runId?: unknown } | null)?.runId;
  return appendServerLog(
    ctx.store,
    {
      envelope,
      body: bytes,
      envelopeSha256: sha256Hex(bytes),
      runUuid: typeof runId === 'string' ? runId : null,
      repoId: repo.id,
      blobs,
    },
    {
      signer: ctx.signer,
      origin: ctx.origin,
      onReplay: (idx) => {
        throw new HttpError(
          409,
          'E_PUSH_REPLAY',
          `refused: another envelope with runId ${String(runId).slice(0, 80)} is already entry ${idx}`,
          'a recorded run cannot be replaced; record a new run',
        );
      },
      afterAppend: async (tx, index) => {
        await indexEntryBytes(tx, { source: 'server', logIdx: index, repoId: repo.id }, bytes);
      },
    },
  );
}

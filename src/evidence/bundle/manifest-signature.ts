import type { FrameworkId } from '../../core/framework-id.js';
import { canonicalize } from '../canonical-json.js';
import {
  createEnvelope,
  decodeStatement,
  envelopeBytes,
  isDsseEnvelope,
  type PinnedKey,
  pae,
  verifyEnvelope,
} from '../dsse.js';
import { sha256Hex } from '../hash.js';
import type { KeyStore } from '../keys.js';
import type { InTotoStatement, VerifyCheck } from '../types.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../types.js';
import type { BundleFiles } from './archive.js';
import type { BundleManifest } from './bundle-files.js';

/** Predicate type of the statement that signs a bundle's `manifest.json`. */
export const MANIFEST_PREDICATE_TYPE = 'https://evident.dev/attestations/bundle-manifest/v1';
/** The DSSE envelope (canonical JSON, RFC 8785) over the manifest statement. */
export const MANIFEST_ENVELOPE_FILE = 'manifest.dsse.json';
/** The DSSE v1 PAE bytes of {@link MANIFEST_ENVELOPE_FILE} (what was signed), for the openssl route. */
export const MANIFEST_PAE_FILE = 'manifest.pae.bin';
/** The raw 64-byte Ed25519 signature of {@link MANIFEST_ENVELOPE_FILE}, for the openssl route. */
export const MANIFEST_SIG_FILE = 'manifest.sig.bin';
/**
 * The manifest-signature files. They sign manifest.json, so they cannot be listed in its `files` (like SHA256SUMS);
 * SHA256SUMS lists them, and verify re-derives the PAE/signature files and SHA256SUMS from the envelope.
 */
export const MANIFEST_SIGNATURE_FILES: readonly string[] = [
  MANIFEST_ENVELOPE_FILE,
  MANIFEST_PAE_FILE,
  MANIFEST_SIG_FILE,
];

/**
 * Predicate of the bundle-manifest statement (`https://evident.dev/attestations/bundle-manifest/v1`).
 *
 * Completeness claim: `entryIndexes` lists, ascending, the log indexes of ALL entries among the first
 * `log.treeSize` entries of the log `log.origin` whose statement time (predicate `recordedAt`, else the
 * ScanResult's `finishedAt`) falls in `period` (UTC calendar days, inclusive) — the exporter reads the whole log to
 * compute it. Signed by the log key, this lets a verifier check that the bundle holds exactly those entries: an
 * in-period entry dropped from the bundle (with manifest and reports rewritten to match) no longer matches the
 * signed list or the signed manifest digest. It is the key holder's claim: it proves what the holder of the
 * signing key asserted at export, not that the log itself is complete beyond the signed checkpoint.
 */
export interface BundleManifestPredicate {
  period: { from: string; to: string };
  /** The framework filter of the reports; `null` when the bundle covers all frameworks. */
  framework: FrameworkId | null;
  log: { origin: string; treeSize: number; rootHash: string };
  entryIndexes: number[];
  /** ISO 8601 UTC, equal to the manifest's `createdAt`. */
  createdAt: string;
}

/** The in-toto Statement v1 signing `manifest.json` (subject: `manifest.json` with the SHA-256 of its bytes). */
export function manifestStatement(
  manifest: BundleManifest,
  manifestBytes: Buffer,
): InTotoStatement<BundleManifestPredicate> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'manifest.json', digest: { sha256: sha256Hex(manifestBytes) } }],
    predicateType: MANIFEST_PREDICATE_TYPE,
    predicate: {
      period: { from: manifest.period.from, to: manifest.period.to },
      framework: manifest.framework ?? null,
      log: { origin: manifest.log.origin, treeSize: manifest.log.treeSize, rootHash: manifest.log.rootHash },
      entryIndexes: manifest.entries.map((e) => e.index),
      createdAt: manifest.createdAt,
    },
  };
}

/**
 * Adds a manifest envelope (its canonical bytes) to built bundle files — pure, so verify can re-derive the result:
 * sets `manifest.dsse.json`, `manifest.pae.bin` (PAE of the envelope's payload), `manifest.sig.bin` (first
 * signature, when there is one, base64-decoded) and rewrites SHA256SUMS with their digests after the
 * `manifest.json` line. Returns a new map in bundle order; `files` is not modified. Bytes that are not a DSSE
 * envelope are carried as the envelope file only.
 */
export function attachManifestEnvelope(files: BundleFiles, envelope: Buffer): BundleFiles {
  const added = new Map<string, Buffer>([[MANIFEST_ENVELOPE_FILE, envelope]]);
  try {
    const env: unknown = JSON.parse(envelope.toString('utf8'));
    if (isDsseEnvelope(env)) {
      added.set(MANIFEST_PAE_FILE, pae(env.payloadType, Buffer.from(env.payload, 'base64')));
      const sig = env.signatures[0];
      if (sig) added.set(MANIFEST_SIG_FILE, Buffer.from(sig.sig, 'base64'));
    }
  } catch {
    // Not JSON: carried as is; verify reports it.
  }
  const out: BundleFiles = new Map();
  for (const [rel, bytes] of files) {
    if (MANIFEST_SIGNATURE_FILES.includes(rel)) continue;
    if (rel === 'SHA256SUMS') {
      const lines = bytes.toString('utf8').split('\n');
      const at = lines.findIndex((l) => l.endsWith('  manifest.json')) + 1;
      lines.splice(at, 0, ...[...added].map(([name, b]) => `${sha256Hex(b)}  ${name}`));
      out.set(rel, Buffer.from(lines.join('\n'), 'utf8'));
      for (const [name, b] of added) out.set(name, b);
    } else out.set(rel, bytes);
  }
  for (const [name, b] of added) if (!out.has(name)) out.set(name, b);
  return out;
}

/**
 * Signs the bundle's `manifest.json` with `signer` and returns the files with the manifest envelope attached (see
 * {@link attachManifestEnvelope}). `files` must come from `buildBundleFiles` (holds manifest.json and SHA256SUMS).
 */
export async function signBundleManifest(files: BundleFiles, signer: KeyStore): Promise<BundleFiles> {
  const manifestBytes = files.get('manifest.json');
  if (!manifestBytes) throw new Error('signBundleManifest: the files hold no manifest.json');
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as BundleManifest;
  const env = await createEnvelope(manifestStatement(manifest, manifestBytes), signer);
  return attachManifestEnvelope(files, envelopeBytes(env));
}

function sameIndexes(a: readonly unknown[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Verifies `manifest.dsse.json` (bytes `envelope`) against the PINNED key: canonical DSSE envelope, in-toto
 * payload type, signature by the pinned key, predicate type bundle-manifest/v1, exactly one subject
 * `manifest.json` whose sha256 equals that of `manifestBytes`, and a predicate whose `entryIndexes` equal the
 * manifest's entries (and whose period, framework, log and createdAt equal the manifest's). Returns one
 * `manifest-signature` check per problem (each detail starts with `manifest.dsse.json:`), or a single ok check.
 */
export function verifyManifestEnvelope(
  envelope: Buffer,
  manifestBytes: Buffer,
  manifest: BundleManifest,
  pinned: PinnedKey,
): VerifyCheck[] {
  const fail = (detail: string): VerifyCheck => ({
    name: 'manifest-signature',
    ok: false,
    detail: `${MANIFEST_ENVELOPE_FILE}: ${detail}`,
  });
  let env: unknown;
  try {
    env = JSON.parse(envelope.toString('utf8'));
  } catch (err) {
    return [fail(`not valid JSON (${(err as Error).message})`)];
  }
  if (!isDsseEnvelope(env)) return [fail('not a DSSE envelope')];
  const out: VerifyCheck[] = [];
  try {
    if (canonicalize(env) !== envelope.toString('utf8'))
      out.push(fail('not in canonical JSON form (bytes altered)'));
  } catch {
    out.push(fail('cannot be canonicalised'));
  }
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    out.push(fail(`payloadType ${JSON.stringify(env.payloadType)} is not ${IN_TOTO_PAYLOAD_TYPE}`));
  const sig = verifyEnvelope(env, pinned);
  if (!sig.ok) out.push(fail(sig.detail));
  const st = decodeStatement(env) as InTotoStatement<Partial<BundleManifestPredicate>> | undefined;
  if (!st) return [...out, fail('the payload is not an in-toto statement')];
  if (st.predicateType !== MANIFEST_PREDICATE_TYPE)
    out.push(fail(`predicateType ${JSON.stringify(st.predicateType)} is not ${MANIFEST_PREDICATE_TYPE}`));
  const actual = sha256Hex(manifestBytes);
  const subject = st.subject[0];
  if (st.subject.length !== 1 || subject?.name !== 'manifest.json') {
    out.push(fail('the statement subject is not exactly manifest.json'));
  } else if (subject.digest?.sha256 !== actual) {
    out.push(
      fail(
        `signs manifest.json with sha256 ${String(subject.digest?.sha256)}, but manifest.json hashes to ${actual} (manifest.json was rewritten after signing)`,
      ),
    );
  }
  const p = (st.predicate ?? {}) as Partial<BundleManifestPredicate>;
  const carried = Array.isArray(manifest.entries) ? manifest.entries.map((e) => e?.index) : [];
  if (!Array.isArray(p.entryIndexes)) out.push(fail('the predicate has no entryIndexes list'));
  else if (!sameIndexes(p.entryIndexes, carried as number[])) {
    const signed = new Set(p.entryIndexes);
    const have = new Set(carried);
    const missing = p.entryIndexes.filter((i) => !have.has(i));
    const extra = carried.filter((i) => !signed.has(i as number));
    out.push(
      fail(
        `the signed population of the period is entries [${p.entryIndexes.join(', ')}], but the bundle carries [${carried.join(', ')}]` +
          (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
          (extra.length > 0 ? `; not signed: ${extra.join(', ')}` : '') +
          (missing.length === 0 && extra.length === 0 ? '; order differs' : ''),
      ),
    );
  }
  const want = manifestStatement(manifest, manifestBytes).predicate;
  for (const field of ['period', 'framework', 'log', 'createdAt'] as const) {
    if (canonicalize(p[field] ?? null) !== canonicalize(want[field])) {
      out.push(
        fail(
          `signed ${field} ${JSON.stringify(p[field] ?? null)} differs from manifest.json (${JSON.stringify(want[field])})`,
        ),
      );
    }
  }
  if (out.length > 0) return out;
  return [
    {
      name: 'manifest-signature',
      ok: true,
      detail: `${MANIFEST_ENVELOPE_FILE}: manifest.json is signed by the pinned key ${pinned.keyId}; the bundle holds exactly the ${carried.length} entries the exporter found in ${manifest.period.from} – ${manifest.period.to}`,
    },
  ];
}

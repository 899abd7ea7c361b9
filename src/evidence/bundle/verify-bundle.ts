import { EvidentError } from '../../core/errors.js';
import { canonicalize } from '../canonical-json.js';
import { type Checkpoint, parseCheckpoint, verifyCheckpoint } from '../checkpoint.js';
import { type PinnedKey, pinKey, verifyEnvelope } from '../dsse.js';
import { isSha256Hex, sha256Hex } from '../hash.js';
import { keyIdOf, parsePublicKey } from '../keys.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../merkle.js';
import type { VerifyCheck, VerifyReport } from '../types.js';
import { type ArchiveLimits, type BundleFiles, DEFAULT_ARCHIVE_LIMITS, readBundle } from './archive.js';
import { entryStem } from './auditor-md.js';
import {
  type BundleEntryInput,
  type BundleManifest,
  blobsReferenced,
  buildBundleFiles,
  type ConsistencyInput,
  consistencyFile,
  type DecodedEntry,
  decodeEntry,
} from './bundle-files.js';
import { inPeriod } from './export-bundle.js';
import {
  attachManifestEnvelope,
  MANIFEST_ENVELOPE_FILE,
  MANIFEST_SIGNATURE_FILES,
  verifyManifestEnvelope,
} from './manifest-signature.js';

/**
 * Options of {@link verifyBundle}. `since`: text of an earlier checkpoint the verifier holds; the bundle must carry a
 * consistency proof from it (`evident export --since`). `allowUnsigned`: unsigned envelopes are reported, not failed,
 * and so is an unsigned manifest (it implies `allowUnsignedManifest`). `allowUnsignedManifest`: a bundle without
 * `manifest.dsse.json` passes the `manifest-signature` check, reported as UNSIGNED, instead of failing it.
 * `limits`: archive reading limits (default {@link DEFAULT_ARCHIVE_LIMITS}).
 */
export interface VerifyBundleOptions {
  since?: string;
  allowUnsigned?: boolean;
  allowUnsignedManifest?: boolean;
  limits?: ArchiveLimits;
  /** More PEM public keys accepted for entry signatures only (a server log's per-repository CI keys). */
  entryKeys?: string[];
}

/**
 * Files never listed in `manifest.files`: the manifest itself, SHA256SUMS (which covers the manifest) and the
 * manifest-signature files (which sign it); all are re-derived and compared instead.
 */
const UNLISTED = new Set(['manifest.json', 'SHA256SUMS', ...MANIFEST_SIGNATURE_FILES]);

/** Collects checks: failures one by one, successes as one summary line per check name. */
class Checks {
  readonly failures: VerifyCheck[] = [];
  readonly passed = new Map<string, { count: number; detail: string }>();
  fail(name: string, detail: string): void {
    this.failures.push({ name, ok: false, detail });
  }
  pass(name: string, detail: string): void {
    const p = this.passed.get(name);
    if (p) p.count += 1;
    else this.passed.set(name, { count: 1, detail });
  }
  report(target: string, entries: number, unsigned: number): VerifyReport {
    const checks: VerifyCheck[] = [];
    const failedNames = new Set(this.failures.map((f) => f.name));
    for (const [name, p] of this.passed) {
      if (!failedNames.has(name))
        checks.push({ name, ok: true, detail: p.count > 1 ? `${p.detail} (${p.count} checked)` : p.detail });
    }
    checks.push(...this.failures);
    return { target, ok: this.failures.length === 0 && checks.length > 0, checks, entries, unsigned };
  }
}

function parseManifest(bytes: Buffer | undefined, checks: Checks): BundleManifest | undefined {
  if (!bytes) {
    checks.fail('manifest', 'manifest.json: missing from the bundle');
    return undefined;
  }
  let m: unknown;
  try {
    m = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    checks.fail('manifest', `manifest.json: not valid JSON (${(err as Error).message})`);
    return undefined;
  }
  const r = m as Partial<BundleManifest>;
  const problems: string[] = [];
  if (r?.bundleVersion !== 1) problems.push(`bundleVersion ${JSON.stringify(r?.bundleVersion)} is not 1`);
  if (typeof r?.createdAt !== 'string') problems.push('createdAt missing');
  if (typeof r?.period?.from !== 'string' || typeof r?.period?.to !== 'string')
    problems.push('period missing');
  if (!Array.isArray(r?.entries)) problems.push('entries is not an array');
  if (typeof r?.files !== 'object' || r.files === null || Array.isArray(r.files))
    problems.push('files is not an object');
  if (!Array.isArray(r?.missingBlobs)) problems.push('missingBlobs is not an array');
  if (typeof r?.log !== 'object' || r.log === null) problems.push('log missing');
  if (problems.length > 0) {
    checks.fail('manifest', `manifest.json: ${problems.join('; ')}`);
    return undefined;
  }
  checks.pass('manifest', 'manifest.json parsed (bundle version 1)');
  return r as BundleManifest;
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/**
 * Verifies an auditor bundle (`.tar.gz`, `.tar`, or an unpacked directory) against the PINNED public key
 * `publicKeyPem` (never the key inside the bundle, which is only compared with it). Never throws for a bad bundle:
 * every problem is a failing check whose detail says what and where, e.g.
 * `entries/000012.dsse.json: signature does not verify with the pinned key SHA256:…`. Checks:
 * archive safety (see readBundle), manifest shape, the set of files equals the manifest's (extra or missing files
 * named), every file's sha256, the manifest signature (`manifest.dsse.json`, see manifest-signature.ts: signed by the
 * pinned key, subject digest = sha256(manifest.json), signed entryIndexes = the manifest's entries; a bundle without
 * it fails `manifest-signature` unless `allowUnsignedManifest`/`allowUnsigned`, which report it as UNSIGNED), the
 * bundle key equals the pinned key, the checkpoint signature (pinned key) and its
 * agreement with the manifest, entries in strictly increasing index order without duplicates, each entry's leaf
 * hash, canonical form, DSSE signature (pinned key), inclusion proof against the checkpoint root and time within the
 * period, every referenced blob present with the right digest, and finally that the manifest, SHA256SUMS,
 * AUDITOR.md, PAE/signature files (entries and manifest) and reports are byte-identical to those re-derived from the verified entries.
 * With a consistency proof in the bundle (`proofs/consistency-<m>.json`) it is checked against the checkpoint; with
 * `opts.since` the earlier checkpoint must be signed by the pinned key and proven consistent. A missing
 * `publicKeyPem` is a failing `key` check. Throws EvidentError(E_EVIDENCE) only when `publicKeyPem` is not an
 * Ed25519 public key. Signature matches H7's lazy call `verifyBundle(path, pem, { since, allowUnsigned })`.
 */
export async function verifyBundle(
  pathOrDir: string,
  publicKeyPem: string | undefined,
  opts: VerifyBundleOptions = {},
): Promise<VerifyReport> {
  const checks = new Checks();
  if (!publicKeyPem) {
    checks.fail(
      'key',
      'no pinned public key given: a bundle is verified only against a key you hold (--key)',
    );
    return checks.report(pathOrDir, 0, 0);
  }
  const pinned = pinKey(publicKeyPem);
  let files: BundleFiles;
  try {
    files = await readBundle(pathOrDir, opts.limits ?? DEFAULT_ARCHIVE_LIMITS);
  } catch (err) {
    if (!(err instanceof EvidentError)) throw err;
    checks.fail('archive', err.message);
    return checks.report(pathOrDir, 0, 0);
  }
  checks.pass('archive', `${files.size} files read safely`);
  return verifyBundleFiles(pathOrDir, files, pinned, publicKeyPem, checks, opts);
}

function verifyBundleFiles(
  target: string,
  files: BundleFiles,
  pinned: PinnedKey,
  publicKeyPem: string,
  checks: Checks,
  opts: VerifyBundleOptions,
): VerifyReport {
  const manifest = parseManifest(files.get('manifest.json'), checks);
  if (!manifest) return checks.report(target, 0, 0);
  const entryPins = (opts.entryKeys ?? []).map((pem) => pinKey(pem));

  // 1. The set of files and their digests.
  for (const rel of files.keys()) {
    if (!UNLISTED.has(rel) && !(rel in manifest.files))
      checks.fail('files', `${rel}: present in the bundle but not listed in manifest.json`);
  }
  for (const [rel, hex] of Object.entries(manifest.files)) {
    const bytes = files.get(rel);
    if (!bytes) {
      checks.fail('files', `${rel}: listed in manifest.json but missing from the bundle`);
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== hex)
      checks.fail('file-digest', `${rel}: sha256 ${actual} does not match manifest.json (${String(hex)})`);
    else checks.pass('file-digest', 'every file matches its manifest sha256');
  }
  if (!files.has('SHA256SUMS')) checks.fail('files', 'SHA256SUMS: missing from the bundle');
  checks.pass('files', 'the bundle holds exactly the files its manifest lists');

  // 1b. The manifest signature: authenticates manifest.json and the period's population of entries.
  const manifestEnvelope = files.get(MANIFEST_ENVELOPE_FILE);
  if (manifestEnvelope) {
    for (const c of verifyManifestEnvelope(manifestEnvelope, files.get('manifest.json')!, manifest, pinned)) {
      if (c.ok) checks.pass(c.name, c.detail);
      else checks.fail(c.name, c.detail);
    }
  } else if (opts.allowUnsignedManifest || opts.allowUnsigned) {
    checks.pass(
      'manifest-signature',
      `manifest.json is UNSIGNED (accepted by --allow-unsigned): each entry is verified, but nothing proves the bundle holds every entry of ${manifest.period.from} – ${manifest.period.to}`,
    );
  } else {
    checks.fail(
      'manifest-signature',
      `${MANIFEST_ENVELOPE_FILE}: missing — manifest.json is unsigned, so nothing proves the bundle holds every entry of the period (an entry could be dropped with the manifest and reports rewritten to match); export with the signing key (--key-file), or pass --allow-unsigned to accept an unsigned manifest`,
    );
  }

  // 2. The key: compared with the pinned key, never used.
  const keyBytes = files.get('keys/evident.pub');
  if (!keyBytes) checks.fail('key', 'keys/evident.pub: missing from the bundle');
  else {
    try {
      const bundleKeyId = keyIdOf(parsePublicKey(keyBytes.toString('utf8'), 'keys/evident.pub'));
      if (bundleKeyId !== pinned.keyId) {
        checks.fail('key', `keys/evident.pub: key ${bundleKeyId} is not the pinned key ${pinned.keyId}`);
      } else checks.pass('key', `keys/evident.pub is the pinned key ${pinned.keyId}`);
    } catch (err) {
      checks.fail('key', `keys/evident.pub: ${(err as Error).message}`);
    }
  }

  // 3. The checkpoint.
  const cpText = files.get('checkpoint.txt')?.toString('utf8');
  let cp: Checkpoint | undefined;
  if (cpText === undefined) checks.fail('checkpoint-signature', 'checkpoint.txt: missing from the bundle');
  else {
    const v = verifyCheckpoint(cpText, pinned);
    if (v.ok) {
      checks.pass('checkpoint-signature', `checkpoint.txt: ${v.detail}`);
      cp = parseCheckpoint(cpText);
      const log = manifest.log;
      if (log.origin !== cp.origin || log.treeSize !== cp.size || log.rootHash !== cp.rootHash) {
        checks.fail(
          'checkpoint',
          `manifest.json: log ${JSON.stringify(log)} disagrees with checkpoint.txt (origin ${cp.origin}, size ${cp.size}, root ${cp.rootHash})`,
        );
      } else
        checks.pass('checkpoint', `checkpoint.txt: ${cp.origin}, tree size ${cp.size}, root ${cp.rootHash}`);
    } else checks.fail('checkpoint-signature', `checkpoint.txt: ${v.detail}`);
  }

  // 4. Entries.
  const decoded: DecodedEntry[] = [];
  const inputs: BundleEntryInput[] = [];
  let unsigned = 0;
  let previous = -1;
  const listedEntryFiles = new Set<string>();
  for (const [pos, e] of manifest.entries.entries()) {
    const where = `manifest.json entries[${pos}]`;
    if (!Number.isSafeInteger(e?.index) || e.index < 0) {
      checks.fail('entry-order', `${where}: index ${JSON.stringify(e?.index)} is not a log index`);
      continue;
    }
    if (e.index === previous)
      checks.fail('entry-order', `${where}: entry ${e.index} is listed twice (duplicate)`);
    else if (e.index < previous)
      checks.fail('entry-order', `${where}: entry ${e.index} comes after ${previous} (reordered)`);
    else checks.pass('entry-order', 'entries in strictly increasing log index order');
    previous = Math.max(previous, e.index);
    const file = `entries/${entryStem(e.index)}.dsse.json`;
    listedEntryFiles.add(file);
    if (e.file !== file)
      checks.fail('entry-order', `${where}: file ${JSON.stringify(e.file)} should be ${file}`);
    const bytes = files.get(file);
    if (!bytes) {
      checks.fail('entry', `${file}: entry ${e.index} is missing from the bundle`);
      continue;
    }
    const leaf = leafHash(bytes);
    if (leaf !== e.leafHash)
      checks.fail('leaf-hash', `${file}: leaf hash ${leaf} does not match manifest.json (${e.leafHash})`);
    else checks.pass('leaf-hash', 'every entry file hashes to its manifest leaf hash');
    const d = decodeEntry(e.index, bytes);
    if (!d.envelope || !d.statement) {
      checks.fail('entry', `${file}: not a DSSE envelope with an in-toto statement`);
      continue;
    }
    try {
      if (canonicalize(d.envelope) !== bytes.toString('utf8'))
        checks.fail('entry', `${file}: not in canonical JSON form (bytes altered)`);
    } catch {
      checks.fail('entry', `${file}: cannot be canonicalised`);
    }
    let sig = verifyEnvelope(d.envelope, pinned);
    for (const k of entryPins) {
      if (sig.ok) break;
      const other = verifyEnvelope(d.envelope, k);
      if (other.ok) sig = other;
    }
    const isUnsigned = Array.isArray(d.envelope.signatures) && d.envelope.signatures.length === 0;
    if (isUnsigned) unsigned++;
    if (isUnsigned && opts.allowUnsigned)
      checks.pass('signature', 'unsigned envelopes accepted (--allow-unsigned)');
    else if (sig.ok)
      checks.pass(
        'signature',
        `every envelope is signed by the pinned key ${pinned.keyId}${entryPins.length ? ' or a pinned entry key' : ''}`,
      );
    else checks.fail('signature', `${file}: ${sig.detail}`);
    if (!d.recordedAt) checks.fail('period', `${file}: the statement has no time`);
    else if (!inPeriod(d.recordedAt, manifest.period)) {
      checks.fail(
        'period',
        `${file}: recorded ${d.recordedAt}, outside the period ${manifest.period.from} – ${manifest.period.to}`,
      );
    } else checks.pass('period', `every entry falls in ${manifest.period.from} – ${manifest.period.to}`);
    // Inclusion proof against the signed checkpoint.
    const proofFile = `proofs/${entryStem(e.index)}.json`;
    const proofBytes = files.get(proofFile);
    let proof: string[] = [];
    if (!proofBytes)
      checks.fail('inclusion', `${proofFile}: missing (no inclusion proof for entry ${e.index})`);
    else {
      try {
        const p = JSON.parse(proofBytes.toString('utf8')) as {
          index: number;
          treeSize: number;
          hashes: string[];
        };
        if (!Array.isArray(p.hashes) || !p.hashes.every((h) => typeof h === 'string'))
          throw new Error('hashes is not a list of hex strings');
        proof = p.hashes;
        if (p.index !== e.index)
          checks.fail('inclusion', `${proofFile}: proves index ${p.index}, not ${e.index}`);
        if (cp) {
          if (p.treeSize !== cp.size)
            checks.fail(
              'inclusion',
              `${proofFile}: tree size ${p.treeSize} is not the checkpoint's ${cp.size}`,
            );
          else if (!verifyInclusion(leaf, e.index, cp.size, proof, cp.rootHash)) {
            checks.fail(
              'inclusion',
              `${file}: not included at index ${e.index} in the checkpoint tree (size ${cp.size}, root ${cp.rootHash}) per ${proofFile}`,
            );
          } else
            checks.pass(
              'inclusion',
              `every entry is included in the signed checkpoint tree (size ${cp.size})`,
            );
        }
      } catch (err) {
        checks.fail('inclusion', `${proofFile}: malformed proof (${(err as Error).message})`);
      }
    }
    decoded.push(d);
    inputs.push({ index: e.index, bytes, proof });
  }
  for (const rel of files.keys()) {
    if (/^entries\/[^/]+\.dsse\.json$/.test(rel) && !listedEntryFiles.has(rel)) {
      checks.fail(
        'entry',
        `${rel}: an entry file not listed in manifest.json entries (duplicated or inserted)`,
      );
    }
  }
  if (manifest.entries.length === 0) checks.fail('entry', 'manifest.json: the bundle carries no entries');

  // 5. Consistency with an earlier checkpoint.
  let consistency: ConsistencyInput | undefined;
  const consistencyFiles = [...files.keys()].filter((k) => /^proofs\/consistency-\d+\.json$/.test(k));
  if (consistencyFiles.length > 1)
    checks.fail('consistency', `${consistencyFiles.join(', ')}: more than one consistency proof`);
  for (const rel of consistencyFiles.slice(0, 1)) {
    try {
      const c = JSON.parse(files.get(rel)!.toString('utf8')) as ConsistencyInput & {
        toSize: number;
        toRoot: string;
      };
      if (!Number.isSafeInteger(c.fromSize) || typeof c.fromRoot !== 'string' || !Array.isArray(c.hashes)) {
        throw new Error('fromSize, fromRoot or hashes missing');
      }
      consistency = { fromSize: c.fromSize, fromRoot: c.fromRoot, hashes: c.hashes };
      if (rel !== consistencyFile(c.fromSize))
        checks.fail('consistency', `${rel}: proves from size ${c.fromSize}`);
      if (cp) {
        const ok =
          c.fromSize === cp.size
            ? c.fromRoot === cp.rootHash && c.hashes.length === 0
            : c.fromSize > 0 &&
              c.fromSize < cp.size &&
              verifyConsistency(c.fromSize, cp.size, c.hashes, c.fromRoot, cp.rootHash);
        if (ok)
          checks.pass(
            'consistency',
            `${rel}: the tree of size ${c.fromSize} (root ${c.fromRoot}) is a prefix of the checkpoint tree`,
          );
        else
          checks.fail(
            'consistency',
            `${rel}: does not prove size ${c.fromSize} (root ${c.fromRoot}) consistent with the checkpoint (size ${cp.size})`,
          );
      }
    } catch (err) {
      checks.fail('consistency', `${rel}: malformed consistency proof (${(err as Error).message})`);
    }
  }
  if (opts.since !== undefined) {
    const v = verifyCheckpoint(opts.since, pinned);
    if (!v.ok) checks.fail('consistency', `--since checkpoint: ${v.detail}`);
    else {
      const since = parseCheckpoint(opts.since);
      if (!consistency) {
        checks.fail(
          'consistency',
          `the bundle carries no consistency proof from size ${since.size}; export it with --since`,
        );
      } else if (
        consistency.fromSize !== since.size ||
        consistency.fromRoot !== since.rootHash ||
        (cp && since.origin !== cp.origin)
      ) {
        checks.fail(
          'consistency',
          `${consistencyFile(consistency.fromSize)}: proves from size ${consistency.fromSize}, root ${consistency.fromRoot}, not the --since checkpoint (size ${since.size}, root ${since.rootHash})`,
        );
      } else
        checks.pass(
          'consistency',
          `--since checkpoint (size ${since.size}) is consistent with the bundle's checkpoint`,
        );
    }
  }

  // 6. Blobs referenced by the statements.
  const blobs = new Map<string, Buffer>();
  const missing = new Set(manifest.missingBlobs.filter((h) => isSha256Hex(h)));
  for (const hex of blobsReferenced(decoded)) {
    const rel = `blobs/sha256/${hex}`;
    const bytes = files.get(rel);
    if (!bytes) {
      checks.fail(
        'blob',
        missing.has(hex)
          ? `${rel}: referenced by the entries but absent from the log's blob store at export (listed in manifest missingBlobs)`
          : `${rel}: referenced by the entries but missing from the bundle`,
      );
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== hex) checks.fail('blob', `${rel}: content hashes to ${actual}`);
    else checks.pass('blob', 'every referenced blob is present and hashes to its name');
    blobs.set(hex, bytes);
  }
  for (const rel of files.keys()) {
    if (rel.startsWith('blobs/') && !blobs.has(rel.slice('blobs/sha256/'.length))) {
      checks.fail('blob', `${rel}: not referenced by any entry in the bundle`);
    }
  }

  // 7. Derived files: re-derive from the verified inputs and compare byte for byte.
  if (cpText !== undefined && inputs.length > 0) {
    try {
      const built = buildBundleFiles({
        createdAt: manifest.createdAt,
        period: manifest.period,
        ...(manifest.framework ? { framework: manifest.framework } : {}),
        checkpointText: cpText,
        publicKeyPem,
        entries: inputs,
        blobs,
        missingBlobs: [...missing],
        ...(consistency ? { consistency } : {}),
      });
      const derived = manifestEnvelope ? attachManifestEnvelope(built, manifestEnvelope) : built;
      let same = 0;
      for (const [rel, want] of derived) {
        const got = files.get(rel);
        if (!got) {
          if (!rel.startsWith('blobs/')) checks.fail('derived', `${rel}: missing from the bundle`);
          continue;
        }
        if (!got.equals(want)) {
          checks.fail(
            'derived',
            `${rel}: differs from the copy re-derived from the signed entries (first difference at byte ${firstDifference(got, want)})`,
          );
        } else same++;
      }
      for (const rel of files.keys()) {
        if (!derived.has(rel) && !rel.startsWith('blobs/'))
          checks.fail('derived', `${rel}: not part of a bundle built from these entries`);
      }
      checks.pass('derived', `${same} files are byte-identical to those re-derived from the signed entries`);
    } catch (err) {
      checks.fail('derived', `cannot re-derive the bundle from its entries: ${(err as Error).message}`);
    }
  }
  return checks.report(target, manifest.entries.length, unsigned);
}

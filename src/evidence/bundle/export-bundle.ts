import { stat } from 'node:fs/promises';
import { EvidentError } from '../../core/errors.js';
import type { FrameworkId } from '../../core/framework-id.js';
import { FRAMEWORK_IDS } from '../../core/framework-id.js';
import { openBlobStore } from '../blob-store.js';
import { parseCheckpoint, verifyCheckpoint } from '../checkpoint.js';
import { type KeyStore, keyIdOf, parsePublicKey } from '../keys.js';
import { openLedger } from '../ledger.js';
import { verifyConsistency } from '../merkle.js';
import { defaultBlobDir } from '../record-scan.js';
import { type BundleFiles, writeBundleArchive, writeBundleDir } from './archive.js';
import {
  type BundleEntryInput,
  blobsReferenced,
  buildBundleFiles,
  type ConsistencyInput,
  decodeEntry,
} from './bundle-files.js';
import { signBundleManifest } from './manifest-signature.js';

/** Options of {@link exportBundle}. Dates are `YYYY-MM-DD`, inclusive, UTC. */
export interface ExportOptions {
  ledgerDir: string;
  /** Blob store directory (holds `sha256/`). Default: the ledger's sibling `blobs/` (H7's defaultBlobDir). */
  blobDir?: string;
  /** PEM public key the log is signed with; the checkpoint must verify with it. */
  publicKeyPem: string;
  from: string;
  to: string;
  framework?: FrameworkId;
  /** Bundle creation time (default now). */
  now?: Date;
  /** Text of an earlier checkpoint of this log: the bundle then carries a consistency proof from it. */
  sinceCheckpoint?: string;
  /** Record referenced blobs the store lacks in the manifest instead of failing (verify then reports them). */
  allowMissingBlobs?: boolean;
  /**
   * The log's signing key. When given, the bundle also carries `manifest.dsse.json` (+ `manifest.pae.bin`,
   * `manifest.sig.bin`): manifest.json and the complete list of the period's entry indexes, signed (see
   * manifest-signature.ts). Without it the manifest is unsigned and verify fails it unless told to allow that.
   * Must be the key of `publicKeyPem`.
   */
  signer?: KeyStore;
}

/** What an export produced. `bytes` is the archive size or the sum of file sizes for a directory. */
export interface ExportSummary {
  path: string;
  entries: number;
  runs: number;
  manual: number;
  blobs: number;
  missingBlobs: string[];
  bytes: number;
  treeSize: number;
  rootHash: string;
  origin: string;
  /** True when the bundle carries a signed manifest (`manifest.dsse.json`). */
  manifestSigned: boolean;
}

/** Parses a `YYYY-MM-DD` calendar date; throws EvidentError(E_USAGE) naming `flag` when it is not a real date. */
export function parseDay(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(`${value}T00:00:00.000Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new EvidentError(
      'E_USAGE',
      `${flag} ${JSON.stringify(value)} is not a date in the form YYYY-MM-DD`,
      {
        hint: `e.g. ${flag} 2026-01-01`,
      },
    );
  }
  return value;
}

/** True when ISO time `t` falls in the UTC days [from, to] (inclusive). */
export function inPeriod(t: string, period: { from: string; to: string }): boolean {
  const ms = Date.parse(t);
  const start = Date.parse(`${period.from}T00:00:00.000Z`);
  const end = Date.parse(`${period.to}T00:00:00.000Z`) + 86_400_000;
  return Number.isFinite(ms) && ms >= start && ms < end;
}

/** Validates the period and framework; throws EvidentError(E_USAGE) for bad dates, from > to, unknown framework. */
export function checkPeriod(from: string, to: string, framework?: string): void {
  parseDay(from, '--from');
  parseDay(to, '--to');
  if (from > to)
    throw new EvidentError('E_USAGE', `--from ${from} is after --to ${to}`, { hint: 'swap the dates' });
  if (framework !== undefined && !(FRAMEWORK_IDS as readonly string[]).includes(framework)) {
    throw new EvidentError('E_USAGE', `unknown framework ${JSON.stringify(framework)}`, {
      hint: `use one of ${FRAMEWORK_IDS.join(', ')}`,
    });
  }
}

/**
 * Collects the audit period from the log and builds the bundle files in memory (no writing). Selects entries whose
 * statement time (predicate `recordedAt`, else the ScanResult's `finishedAt`) is in [from, to]; carries the latest
 * checkpoint and an inclusion proof of each entry at its tree size, and every blob the entries reference.
 * With `signer`, signs the manifest (`manifest.dsse.json`, whose predicate lists every in-period entry index).
 * Throws EvidentError: E_USAGE for a bad period or an empty period (no entry in it), or a `signer` whose key is not
 * `publicKeyPem`; E_EVIDENCE when the checkpoint does not verify with `publicKeyPem`, when the log is empty, or when
 * referenced blobs are missing (unless `allowMissingBlobs`).
 */
export async function collectBundle(
  opts: ExportOptions,
): Promise<{ files: BundleFiles; summary: ExportSummary }> {
  checkPeriod(opts.from, opts.to, opts.framework);
  if (opts.signer) {
    const logKey = keyIdOf(parsePublicKey(opts.publicKeyPem, 'public key'));
    if (opts.signer.keyId() !== logKey) {
      throw new EvidentError(
        'E_USAGE',
        `the signing key (${opts.signer.keyId()}) is not the key of the log (${logKey}): the manifest signature would not verify with the key auditors pin`,
        { hint: 'pass the private key of the public key given with --key (or drop --key to derive it)' },
      );
    }
  }
  const period = { from: opts.from, to: opts.to };
  const ledger = await openLedger(opts.ledgerDir);
  try {
    const cp = await ledger.checkpoint();
    if (ledger.size === 0 || cp.text === '') {
      throw new EvidentError('E_EVIDENCE', `${opts.ledgerDir}: the evidence log is empty`, {
        hint: 'run `evident scan` with evidence recording first',
      });
    }
    const cpCheck = verifyCheckpoint(cp.text, opts.publicKeyPem);
    if (!cpCheck.ok) {
      throw new EvidentError('E_EVIDENCE', `${opts.ledgerDir}: checkpoint: ${cpCheck.detail}`, {
        hint: 'pass --key with the public key the log is signed with; an auditor bundle needs a signed log',
      });
    }
    const entries: BundleEntryInput[] = [];
    const decoded = [];
    for (let i = 0; i < ledger.size; i++) {
      const bytes = await ledger.rawEntry(i);
      const d = decodeEntry(i, bytes);
      if (!d.recordedAt || !inPeriod(d.recordedAt, period)) continue;
      decoded.push(d);
      entries.push({ index: i, bytes, proof: await ledger.inclusionProof(i, cp.size) });
    }
    if (entries.length === 0) {
      throw new EvidentError(
        'E_USAGE',
        `no evidence was recorded between ${opts.from} and ${opts.to} (UTC)`,
        {
          hint: `the log has ${ledger.size} entries; choose a period that contains runs`,
        },
      );
    }
    const store = openBlobStore(opts.blobDir ?? defaultBlobDir(opts.ledgerDir));
    const blobs = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const hex of blobsReferenced(decoded)) {
      if (await store.has(hex)) blobs.set(hex, await store.get(hex));
      else missing.push(hex);
    }
    if (missing.length > 0 && !opts.allowMissingBlobs) {
      throw new EvidentError(
        'E_EVIDENCE',
        `${missing.length} blob(s) referenced by the period's entries are missing from ${store.dir}: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`,
        {
          hint: 'pass --blobs with the blob store the scans wrote, or --allow-missing-blobs (verify will report them)',
        },
      );
    }
    let consistency: ConsistencyInput | undefined;
    if (opts.sinceCheckpoint !== undefined) {
      const since = parseCheckpoint(opts.sinceCheckpoint);
      if (since.origin !== cp.origin || since.size > cp.size || since.size === 0) {
        throw new EvidentError(
          'E_USAGE',
          `--since checkpoint (origin ${since.origin}, size ${since.size}) is not an earlier checkpoint of this log (origin ${cp.origin}, size ${cp.size})`,
          { hint: 'pass a checkpoint file saved from this log earlier' },
        );
      }
      // A log rewritten after that checkpoint (a fork, or a checkpoint of another history) has a
      // different root at that size: no consistency proof can hold, so no bundle claims one.
      const rootThen = await ledger.rootAt(since.size);
      if (rootThen !== since.rootHash) {
        throw new EvidentError(
          'E_EVIDENCE',
          `the log has forked since the --since checkpoint: at size ${since.size} its root is ${rootThen}, the checkpoint says ${since.rootHash}; a consistency proof between them cannot exist, so no bundle was written`,
          {
            hint: 'the entries before that checkpoint were rewritten: treat the log as tampered, and compare it with a copy the auditor holds',
          },
        );
      }
      const hashes = since.size === cp.size ? [] : await ledger.consistencyProof(since.size, cp.size);
      if (!verifyConsistency(since.size, cp.size, hashes, since.rootHash, cp.rootHash)) {
        throw new EvidentError(
          'E_EVIDENCE',
          `the consistency proof from size ${since.size} to ${cp.size} does not verify against the log's checkpoint; no bundle was written`,
          { hint: 'run `evident verify` on the log: it is damaged' },
        );
      }
      consistency = { fromSize: since.size, fromRoot: since.rootHash, hashes };
    }
    const createdAt = (opts.now ?? new Date()).toISOString();
    const built = buildBundleFiles({
      createdAt,
      period,
      ...(opts.framework ? { framework: opts.framework } : {}),
      checkpointText: cp.text,
      publicKeyPem: opts.publicKeyPem,
      entries,
      blobs,
      missingBlobs: missing,
      ...(consistency ? { consistency } : {}),
    });
    const files = opts.signer ? await signBundleManifest(built, opts.signer) : built;
    let runs = 0;
    let manual = 0;
    for (const d of decoded) {
      if (d.statement?.predicateType.includes('scan-run')) runs++;
      else if (d.statement?.predicateType.includes('manual-evidence')) manual++;
    }
    let bytes = 0;
    for (const b of files.values()) bytes += b.length;
    return {
      files,
      summary: {
        path: '',
        entries: entries.length,
        runs,
        manual,
        blobs: blobs.size,
        missingBlobs: missing,
        bytes,
        treeSize: cp.size,
        rootHash: cp.rootHash,
        origin: cp.origin,
        manifestSigned: opts.signer !== undefined,
      },
    };
  } finally {
    await ledger.close();
  }
}

/** Default archive name: `evident-bundle-<from>_<to>.tar.gz`. */
export function defaultBundleName(from: string, to: string): string {
  return `evident-bundle-${from}_${to}.tar.gz`;
}

/**
 * Exports the audit bundle to `output` (a `.tar.gz` file, never overwritten) or, when `dir` is given, to a new or
 * empty directory. Errors as {@link collectBundle}, plus E_USAGE when the output exists.
 */
export async function exportBundle(
  opts: ExportOptions & { output?: string; dir?: string },
): Promise<ExportSummary> {
  const { files, summary } = await collectBundle(opts);
  const createdAt = new Date(JSON.parse(files.get('manifest.json')!.toString('utf8')).createdAt as string);
  if (opts.dir) {
    await writeBundleDir(opts.dir, files);
    return { ...summary, path: opts.dir };
  }
  const out = opts.output ?? defaultBundleName(opts.from, opts.to);
  await writeBundleArchive(out, files, createdAt);
  return { ...summary, path: out, bytes: (await stat(out)).size };
}

import { createHash } from 'node:crypto';
import { EvidentError } from '../../core/errors.js';
import type { FrameworkId } from '../../core/framework-id.js';
import { parseCheckpoint } from '../checkpoint.js';
import { decodeStatement, pae } from '../dsse.js';
import { sha256Hex } from '../hash.js';
import { keyIdOf, parsePublicKey } from '../keys.js';
import { leafHash } from '../merkle.js';
import type { DsseEnvelope, InTotoStatement } from '../types.js';
import type { BundleFiles } from './archive.js';
import { entryStem, renderAuditorMd } from './auditor-md.js';
import { renderControlsCsv, renderFindingsCsv, renderPopulationCsv } from './csv-safe.js';
import { renderHtmlReport } from './html-report.js';
import { renderOscalAssessmentResults } from './oscal.js';
import type { BundleModel } from './period-model.js';
import { manualFromStatement, referencedBlobs, runFromStatement, statementTime } from './statement-view.js';

/** Version of the bundle layout (`manifest.json` `bundleVersion`). */
export const BUNDLE_VERSION = 1;

/** One logged entry carried by a bundle. `proof` is its RFC 9162 inclusion proof (hex) at the checkpoint size. */
export interface BundleEntryInput {
  index: number;
  /** The canonical envelope bytes exactly as logged. */
  bytes: Buffer;
  proof: string[];
}

/**
 * Everything a bundle is built from. `buildBundleFiles` is a pure function of this, so `verifyBundle` re-derives
 * the manifest, SHA256SUMS, AUDITOR.md, PAE/signature files and reports from the verified entries and compares bytes.
 * `period` dates are `YYYY-MM-DD`; `createdAt` ISO 8601 UTC; `blobs` maps sha256 hex → bytes;
 * `missingBlobs` are referenced digests the blob store did not have (recorded in the manifest, reported by verify).
 */
export interface BundleSource {
  createdAt: string;
  period: { from: string; to: string };
  framework?: FrameworkId;
  checkpointText: string;
  publicKeyPem: string;
  entries: BundleEntryInput[];
  blobs: Map<string, Buffer>;
  missingBlobs: string[];
  /** Optional RFC 9162 consistency proof from an earlier checkpoint (`fromSize`, `fromRoot` hex) to this one. */
  consistency?: ConsistencyInput;
}

/** A consistency proof carried as `proofs/consistency-<fromSize>.json`. */
export interface ConsistencyInput {
  fromSize: number;
  fromRoot: string;
  hashes: string[];
}

/** Path of the consistency proof file from tree size `m`. */
export function consistencyFile(m: number): string {
  return `proofs/consistency-${m}.json`;
}

/** `manifest.json` (see DESIGN: the auditor bundle). `files` maps every file except manifest.json and SHA256SUMS. */
export interface BundleManifest {
  bundleVersion: 1;
  createdAt: string;
  period: { from: string; to: string };
  framework?: FrameworkId;
  log: { origin: string; treeSize: number; rootHash: string };
  key: { keyId: string; spkiSha256: string };
  entries: { index: number; file: string; leafHash: string; predicateType: string; recordedAt: string }[];
  missingBlobs: string[];
  files: Record<string, string>;
}

/** A decoded entry: its envelope, statement and time (undefined parts when the bytes are not a valid envelope). */
export interface DecodedEntry {
  index: number;
  bytes: Buffer;
  envelope?: DsseEnvelope;
  statement?: InTotoStatement;
  recordedAt?: string;
}

/** Decodes entry bytes (JSON envelope → in-toto statement → time); never throws. */
export function decodeEntry(index: number, bytes: Buffer): DecodedEntry {
  try {
    const envelope = JSON.parse(bytes.toString('utf8')) as DsseEnvelope;
    const statement = decodeStatement(envelope);
    return {
      index,
      bytes,
      envelope,
      statement,
      recordedAt: statement ? statementTime(statement) : undefined,
    };
  } catch {
    return { index, bytes };
  }
}

/** Sorted unique blob digests referenced by the decoded entries. */
export function blobsReferenced(entries: readonly DecodedEntry[]): string[] {
  const all = new Set<string>();
  for (const e of entries) if (e.statement) for (const h of referencedBlobs(e.statement)) all.add(h);
  return [...all].sort();
}

/** The report model of a bundle source (runs and manual evidence from the decoded entries). */
export function modelOf(src: BundleSource, decoded: readonly DecodedEntry[]): BundleModel {
  const cp = parseCheckpoint(src.checkpointText);
  const key = parsePublicKey(src.publicKeyPem, 'bundle public key');
  const model: BundleModel = {
    createdAt: src.createdAt,
    period: src.period,
    log: { origin: cp.origin, treeSize: cp.size, rootHash: cp.rootHash },
    key: { keyId: keyIdOf(key), fingerprintHex: sha256Hex(key.export({ type: 'spki', format: 'der' })) },
    runs: [],
    manual: [],
  };
  if (src.framework) model.framework = src.framework;
  for (const e of decoded) {
    if (!e.statement) continue;
    const digest = sha256Hex(e.bytes);
    const run = runFromStatement(e.statement, e.index, digest);
    if (run) model.runs.push(run);
    const manual = manualFromStatement(e.statement, e.index, digest);
    if (manual) model.manual.push(manual);
  }
  return model;
}

/** Canonical PEM (SPKI) of a public key: what `keys/evident.pub` holds. */
export function canonicalPublicKeyPem(pem: string): string {
  return parsePublicKey(pem, 'public key').export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Builds every file of a bundle (paths relative to `evident-bundle/`), deterministically, in this order:
 * manifest.json, SHA256SUMS, AUDITOR.md, checkpoint.txt, keys/evident.pub, entries/* (dsse.json, pae.bin, sig.bin
 * when signed), proofs/*, blobs/sha256/*, report/*. Entries must be in strictly increasing index order.
 * Throws EvidentError(E_EVIDENCE) when an entry is not a DSSE envelope with an in-toto statement and a time, or the
 * checkpoint / key cannot be parsed.
 */
export function buildBundleFiles(src: BundleSource): BundleFiles {
  const decoded = src.entries.map((e) => decodeEntry(e.index, e.bytes));
  for (const d of decoded) {
    if (!d.envelope || !d.statement || !d.recordedAt) {
      throw new EvidentError(
        'E_EVIDENCE',
        `log entry ${d.index}: not a DSSE envelope with a dated in-toto statement`,
        {
          hint: 'the log is damaged or holds foreign entries; run `evident verify` on the log',
        },
      );
    }
  }
  const model = modelOf(src, decoded);
  const cp = parseCheckpoint(src.checkpointText);
  const body = new Map<string, Buffer>();
  const add = (rel: string, data: string | Buffer): void => {
    body.set(rel, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  };
  add(
    'AUDITOR.md',
    renderAuditorMd(
      model,
      src.entries.map((e) => e.index),
    ),
  );
  add('checkpoint.txt', src.checkpointText);
  add('keys/evident.pub', canonicalPublicKeyPem(src.publicKeyPem));
  for (const d of decoded) {
    const stem = entryStem(d.index);
    const env = d.envelope!;
    add(`entries/${stem}.dsse.json`, d.bytes);
    add(`entries/${stem}.pae.bin`, pae(env.payloadType, Buffer.from(env.payload, 'base64')));
    const sig = env.signatures[0];
    if (sig) add(`entries/${stem}.sig.bin`, Buffer.from(sig.sig, 'base64'));
  }
  for (const e of src.entries) {
    const proof = { index: e.index, treeSize: cp.size, leafHash: leafHash(e.bytes), hashes: e.proof };
    add(`proofs/${entryStem(e.index)}.json`, `${JSON.stringify(proof, null, 2)}\n`);
  }
  if (src.consistency) {
    const c = src.consistency;
    const proof = {
      fromSize: c.fromSize,
      fromRoot: c.fromRoot,
      toSize: cp.size,
      toRoot: cp.rootHash,
      hashes: c.hashes,
    };
    add(consistencyFile(c.fromSize), `${JSON.stringify(proof, null, 2)}\n`);
  }
  for (const hex of [...src.blobs.keys()].sort()) add(`blobs/sha256/${hex}`, src.blobs.get(hex)!);
  add('report/index.html', renderHtmlReport(model));
  add('report/findings.csv', renderFindingsCsv(model));
  add('report/controls.csv', renderControlsCsv(model));
  add('report/vulnerabilities.csv', renderPopulationCsv(model));
  add('report/oscal-assessment-results.json', renderOscalAssessmentResults(model));

  const files: Record<string, string> = {};
  for (const [rel, bytes] of [...body.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    files[rel] = sha256Hex(bytes);
  }
  const manifest: BundleManifest = {
    bundleVersion: BUNDLE_VERSION,
    createdAt: src.createdAt,
    period: src.period,
    ...(src.framework ? { framework: src.framework } : {}),
    log: model.log,
    key: { keyId: model.key.keyId, spkiSha256: model.key.fingerprintHex },
    entries: decoded.map((d) => ({
      index: d.index,
      file: `entries/${entryStem(d.index)}.dsse.json`,
      leafHash: leafHash(d.bytes),
      predicateType: d.statement!.predicateType,
      recordedAt: d.recordedAt!,
    })),
    missingBlobs: [...src.missingBlobs].sort(),
    files,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const sums = [
    `${sha256Hex(manifestBytes)}  manifest.json`,
    ...Object.entries(files).map(([rel, hex]) => `${hex}  ${rel}`),
  ];
  const out: BundleFiles = new Map();
  out.set('manifest.json', manifestBytes);
  out.set('SHA256SUMS', Buffer.from(`${sums.join('\n')}\n`, 'utf8'));
  for (const [rel, bytes] of body) out.set(rel, bytes);
  return out;
}

/** SHA-256 hex of the SPKI DER of a PEM public key (the fingerprint auditors compare). */
export function spkiFingerprint(pem: string): string {
  return createHash('sha256')
    .update(parsePublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

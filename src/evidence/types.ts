/**
 * Evidence wire types shared by the log, the bundle and the verifier.
 * Sources: in-toto Attestation Framework v1 (Statement layer), DSSE v1.0 (envelope, PAE).
 */

/** DSSE envelope (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md). `payload` and `sig` are standard base64. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/**
 * in-toto Statement v1. `digest.sha256` is lowercase hex. `digest.gitCommit` (in-toto's digest-set name for a git
 * commit id, hex) is added on the `git+commit:<sha>` subject, whose `sha256` is that of the raw commit object
 * content (`git cat-file commit <sha>`).
 */
export interface InTotoStatement<P = unknown> {
  _type: 'https://in-toto.io/Statement/v1';
  subject: { name: string; digest: { sha256: string; gitCommit?: string } }[];
  predicateType: string;
  predicate: P;
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Predicate type of a recorded `evident scan` run (predicate: the ScanResult plus CI context). */
export const SCAN_PREDICATE_TYPE = 'https://evident.dev/attestations/scan-run/v1';
/** Predicate type of manual evidence added with `evident evidence add`. */
export const MANUAL_EVIDENCE_PREDICATE_TYPE = 'https://evident.dev/attestations/manual-evidence/v1';

/**
 * One entry of the evidence log. `leafHash` = hex SHA-256(0x00 ‖ canonical envelope bytes) (RFC 9162 §2.1.1).
 * `index` is 0-based.
 */
export interface LedgerEntry {
  index: number;
  leafHash: string;
  envelope: DsseEnvelope;
  /** Decoded payload of `envelope`. */
  statement: InTotoStatement;
}

/** One verdict of `evident verify`: what was checked, whether it held, and where it failed. */
export interface VerifyCheck {
  /** Stable short name, e.g. `signature`, `merkle-root`, `checkpoint-signature`, `blob-digest`, `consistency`, `manifest`. */
  name: string;
  ok: boolean;
  /** What was checked or what failed and where, e.g. `entry 17: signature does not verify with key SHA256:ab…`. */
  detail: string;
}

/** Result of verifying a log or a bundle. `ok` is true only when every check is ok. `unsigned` counts entries with no signature. */
export interface VerifyReport {
  target: string;
  ok: boolean;
  checks: VerifyCheck[];
  entries: number;
  unsigned: number;
}

/**
 * Evidence core public API: canonical JSON, hashing, DSSE + Ed25519, in-toto statements, RFC 9162 Merkle proofs,
 * C2SP checkpoints, the content-addressed blob store, the append-only evidence log, verification, scan recording
 * and manual evidence. Import from here, not from the individual modules.
 */
export type { BlobStore } from './blob-store.js';
export { openBlobStore } from './blob-store.js';
export { canonicalize } from './canonical-json.js';
export type { Checkpoint } from './checkpoint.js';
export {
  checkpointBody,
  createCheckpoint,
  noteKeyHash,
  parseCheckpoint,
  verifyCheckpoint,
} from './checkpoint.js';
export type { CiContext } from './ci-context.js';
export { detectCiContext } from './ci-context.js';
export type { PinnedKey } from './dsse.js';
export {
  createEnvelope,
  decodeStatement,
  envelopeBytes,
  isDsseEnvelope,
  pae,
  pinKey,
  verifyEnvelope,
} from './dsse.js';
export { headCommit, insideGitWorkTree } from './git-commit.js';
export { isSha256Hex, sha256, sha256Hex } from './hash.js';
export type { KeyStore } from './keys.js';
export {
  generateKeyPair,
  keyIdOf,
  keyStoreFromPem,
  loadSigner,
  parsePublicKey,
  readPublicKeyFile,
  SIGNING_KEY_ENV,
  SIGNING_KEY_FILE_ENV,
} from './keys.js';
export type { AppendResult, Ledger, LedgerCheckpoint } from './ledger.js';
export { appendToLedger, defaultOrigin, openLedger, readCheckpointFile } from './ledger.js';
export type { EntryKind } from './ledger-files.js';
export { KIND_MANUAL, KIND_OTHER, KIND_SCAN } from './ledger-files.js';
export type { AddManualEvidenceResult } from './manual-evidence.js';
export {
  addManualEvidence,
  findManualEvidence,
  isEvidenceFresh,
  normalizeEvidencePath,
} from './manual-evidence.js';
export {
  consistencyPath,
  emptyRoot,
  inclusionPath,
  isValidSubtree,
  leafHash,
  leafHashBytes,
  nodeHash,
  rangeHasherFromLeaves,
  rootFromLeafHashes,
  verifyConsistency,
  verifyConsistencyBytes,
  verifyInclusion,
  verifyInclusionBytes,
  verifySubtreeConsistencyBytes,
  verifySubtreeInclusionBytes,
} from './merkle.js';
export type { RecordScanResult } from './record-scan.js';
export { defaultBlobDir, recordScan } from './record-scan.js';
export type { ManualEvidencePredicate, ScanPredicate, Subject } from './statement.js';
export { manualEvidenceStatement, scanStatement } from './statement.js';
export type { DsseEnvelope, InTotoStatement, LedgerEntry, VerifyCheck, VerifyReport } from './types.js';
export {
  IN_TOTO_PAYLOAD_TYPE,
  MANUAL_EVIDENCE_PREDICATE_TYPE,
  SCAN_PREDICATE_TYPE,
} from './types.js';
export type { VerifyLogOptions } from './verify-log.js';
export { verifyLog } from './verify-log.js';

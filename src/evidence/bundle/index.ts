/**
 * The auditor bundle (`evident export`) and its verification: public API of src/evidence/bundle.
 * Layout and guarantees: see export-bundle.ts, bundle-files.ts and verify-bundle.ts.
 */
export {
  type ArchiveLimits,
  type BundleFiles,
  DEFAULT_ARCHIVE_LIMITS,
  readBundle,
  readBundleArchive,
  readBundleDir,
  writeBundleArchive,
  writeBundleDir,
} from './archive.js';
export { type BundleManifest, type BundleSource, buildBundleFiles } from './bundle-files.js';
export { neutraliseCell, parseSafeCsv, restoreCell, toSafeCsv } from './csv-safe.js';
export {
  checkPeriod,
  collectBundle,
  defaultBundleName,
  type ExportOptions,
  type ExportSummary,
  exportBundle,
  inPeriod,
  parseDay,
} from './export-bundle.js';
export { renderHtmlReport } from './html-report.js';
export {
  attachManifestEnvelope,
  type BundleManifestPredicate,
  MANIFEST_ENVELOPE_FILE,
  MANIFEST_PAE_FILE,
  MANIFEST_PREDICATE_TYPE,
  MANIFEST_SIG_FILE,
  MANIFEST_SIGNATURE_FILES,
  manifestStatement,
  signBundleManifest,
  verifyManifestEnvelope,
} from './manifest-signature.js';
export { OSCAL_VERSION, renderOscalAssessmentResults } from './oscal.js';
export type { BundleModel, BundleRun } from './period-model.js';
export { type VerifyBundleOptions, verifyBundle } from './verify-bundle.js';

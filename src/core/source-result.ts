import type { Diagnostic } from './errors.js';
import type { ScannedInput, SkippedInput } from './scan-result.js';

/**
 * What a source returns: facts, the inputs it read (with digests), files it skipped on purpose,
 * and diagnostics for files it could not read. A source never throws for bad input files: it
 * reports a Diagnostic and goes on. It throws EvidentError only for unusable arguments.
 */
export interface SourceResult<T> {
  facts: T[];
  inputs: ScannedInput[];
  skipped: SkippedInput[];
  diagnostics: Diagnostic[];
}

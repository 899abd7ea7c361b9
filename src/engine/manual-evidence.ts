import { existsSync } from 'node:fs';
import type { ControlMap } from '../control-map/index.js';
import { findManualEvidence, openLedger } from '../evidence/index.js';

/** Sync lookup the roll-up uses: a control's latest logged manual evidence (digest, ISO collection time). */
export type ManualEvidenceResolver = (
  controlId: string,
  path: string,
) => { sha256: string; collectedAt: string } | undefined;

/**
 * Reads, once, the latest manual evidence logged (`evident evidence add`) for every control of the map
 * that declares `evidence.manual`. A missing log means no evidence (controls stay `manual`).
 */
export async function manualEvidenceResolver(
  map: ControlMap,
  ledgerDir: string,
  /** Evaluation instant: evidence collected after it does not count yet. */
  asOf?: Date,
): Promise<ManualEvidenceResolver> {
  const found = new Map<string, { sha256: string; collectedAt: string }>();
  const wanted = map.controls.filter((c) => c.evidence?.manual);
  if (wanted.length && existsSync(ledgerDir)) {
    const ledger = await openLedger(ledgerDir);
    try {
      for (const c of wanted) {
        const e = await findManualEvidence(ledger, c.id, c.evidence?.manual, asOf);
        if (e) found.set(c.id, e);
      }
    } finally {
      await ledger.close();
    }
  }
  return (controlId) => found.get(controlId);
}

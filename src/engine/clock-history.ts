import { existsSync } from 'node:fs';
import type { ClockHistory } from '../core/check.js';
import { addRun, emptySightings, type SightingIndex, sightingOf } from '../evidence/first-seen.js';
import { KIND_MANUAL, openLedger } from '../evidence/index.js';

/**
 * Reads the scan runs of the evidence log at `ledgerDir` recorded at or before `until` and returns
 * what they saw of the findings of `clocked` checks (src/evidence/first-seen.ts). A missing log is an
 * empty index. Throws EvidentError(E_EVIDENCE) for a damaged log.
 */
export async function readSightings(
  ledgerDir: string,
  until: Date,
  clocked: ReadonlySet<string>,
): Promise<SightingIndex> {
  const index = emptySightings();
  if (!existsSync(ledgerDir)) return index;
  const ledger = await openLedger(ledgerDir);
  try {
    const limit = until.getTime();
    for (let i = 0; i < ledger.size; i++) {
      if (ledger.kindOf(i) === KIND_MANUAL) continue;
      const run = sightingOf(await ledger.get(i));
      if (!run || Date.parse(run.recordedAt) > limit) continue;
      addRun(index, run, clocked);
    }
  } finally {
    await ledger.close();
  }
  return index;
}

/** The {@link ClockHistory} checks see, over an index, for a run happening (really) at `runAt`. */
export function clockHistoryOf(index: SightingIndex, runAt: Date): ClockHistory {
  return {
    runAt,
    hasEarlierRun: (checkId) => index.firstRunOfCheck.has(checkId),
    firstSeen: (fp) => {
      const t = index.findings.get(fp);
      return t ? new Date(t.firstSeen) : undefined;
    },
  };
}

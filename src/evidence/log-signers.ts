import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointFile } from './ledger.js';
import { decodeIndexRecord, ENTRIES_FILE, INDEX_FILE, INDEX_RECORD_SIZE, readAt } from './ledger-files.js';

/** Who signed the committed entries of a log (see {@link logSigners}). */
export interface LogSigners {
  /** Committed entries (the checkpoint's tree size). */
  entries: number;
  /** Entries with `signatures: []`. */
  unsigned: number;
  /** Entries per signing key id (`SHA256:…`); an entry with several signatures counts for each key. */
  byKey: Map<string, number>;
}

/** Bytes read from the end of each entry: the canonical envelope ends with its `signatures` array. */
const TAIL_BYTES = 1024;

/**
 * Counts, without verifying anything, which keys signed the committed entries of the log in
 * `ledgerDir` (src/evidence/FORMAT.md: `index.bin` gives each entry's offset and length in
 * `entries.jsonl`; a canonical DSSE envelope's last member is `"signatures":[…]`, each with a
 * `keyid`). Reads only the tail of each entry, so a scan can warn before appending to a log whose
 * entries would not all verify under one key. Undefined when there is no log yet. Unreadable or
 * unexpected bytes count as unsigned: `evident verify` is what judges the log.
 */
export function logSigners(ledgerDir: string): LogSigners | undefined {
  if (!existsSync(join(ledgerDir, ENTRIES_FILE))) return undefined;
  const cp = readCheckpointFile(ledgerDir);
  const size = cp?.size ?? 0;
  const out: LogSigners = { entries: size, unsigned: 0, byKey: new Map() };
  if (size === 0) return out;
  const idx = openSync(join(ledgerDir, INDEX_FILE), 'r');
  const ent = openSync(join(ledgerDir, ENTRIES_FILE), 'r');
  try {
    const records = readAt(idx, 0, size * INDEX_RECORD_SIZE);
    for (let i = 0; i < size; i++) {
      const rec = decodeIndexRecord(records, i * INDEX_RECORD_SIZE);
      let keys = signatureKeyIds(
        readAt(ent, rec.offset + Math.max(0, rec.length - TAIL_BYTES), Math.min(TAIL_BYTES, rec.length)),
      );
      if (keys === undefined) keys = signatureKeyIds(readAt(ent, rec.offset, rec.length)) ?? [];
      if (keys.length === 0) out.unsigned++;
      for (const k of new Set(keys)) out.byKey.set(k, (out.byKey.get(k) ?? 0) + 1);
    }
  } finally {
    closeSync(idx);
    closeSync(ent);
  }
  return out;
}

/** Key ids in the trailing `"signatures":[…]}` of an envelope, or undefined when `bytes` does not hold it whole. */
function signatureKeyIds(bytes: Buffer): string[] | undefined {
  const text = bytes.toString('latin1');
  const at = text.lastIndexOf('"signatures":[');
  if (at < 0) return undefined;
  const list = text.slice(at);
  if (!list.endsWith(']}')) return undefined;
  return [...list.matchAll(/"keyid":"([^"\\]*)"/g)].map((m) => m[1] as string);
}

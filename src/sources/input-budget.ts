import { stat } from 'node:fs/promises';
import type { Diagnostic } from '../core/errors.js';
import { limitHint } from '../core/limits.js';
import type { SourceClaim } from './registry.js';

/**
 * Applies the `bytes` limit (total size of the files the sources claimed) to `claims`, in place:
 * files are taken in path order across every source; the first file that takes the total past
 * `maxBytes`, and every claimed file after it, are removed from the claims, and one `error`
 * diagnostic (`E_INPUT_TOO_LARGE`) names that file and the limit. Sizes come from the walk when it
 * knew them, else from `stat` (a file that cannot be stat'ed counts 0: its reader reports it).
 * Returns the diagnostics (empty when under the limit).
 */
export async function capClaimedBytes(claims: SourceClaim[], maxBytes: number): Promise<Diagnostic[]> {
  const all = claims.flatMap((c) => c.files).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const sizes = await Promise.all(
    all.map((f) =>
      f.size !== undefined
        ? Promise.resolve(f.size)
        : stat(f.abs).then(
            (st) => (st.isFile() ? st.size : 0),
            () => 0,
          ),
    ),
  );
  let total = 0;
  let cut = -1;
  for (let i = 0; i < all.length; i++) {
    total += sizes[i] ?? 0;
    if (total > maxBytes) {
      cut = i;
      break;
    }
  }
  if (cut < 0) return [];
  const dropped = new Set(all.slice(cut).map((f) => f.abs));
  for (const c of claims) c.files = c.files.filter((f) => !dropped.has(f.abs));
  const first = all[cut]!;
  return [
    {
      severity: 'error',
      code: 'E_INPUT_TOO_LARGE',
      file: first.rel,
      message: `The input files of this scan add up to more than ${maxBytes} bytes: ${first.rel} and ${
        dropped.size - 1
      } input file(s) after it in path order were not scanned, so the scan is incomplete. Exclude what need not be scanned (--exclude), or raise the limit: ${limitHint('bytes', maxBytes)}.`,
    },
  ];
}

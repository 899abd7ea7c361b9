/** Levenshtein edit distance between `a` and `b` (insert, delete, substitute cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

const words = (s: string) => s.split(/[.\-_\s/]+/).filter(Boolean);

/** One string contains the other (both at least 4 characters): `s3-encrypted` in `aws.s3-encrypted-x`. */
function contains(a: string, b: string): boolean {
  return Math.min(a.length, b.length) >= 4 && (a.includes(b) || b.includes(a));
}

/** Every word of `a` (2+ words) appears in `b`, or the reverse: `aws.s3-encrypted` vs `aws.s3-bucket-encrypted`. */
function sameWords(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  const sub = (x: string[], y: string[]) => x.length >= 2 && x.every((w) => y.includes(w));
  return sub(wa, wb) || sub(wb, wa);
}

/**
 * Up to `max` candidates closest to `input` (case-insensitive edit distance): only those at the
 * smallest distance found, and only when that distance is a plausible typo (at most max(2, a third
 * of the input's length); containing the other string, or all its words, counts as that limit). Ties keep candidate order.
 */
export function closest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  const scored: { c: string; d: number; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    let d = editDistance(needle, hay);
    // A candidate that contains the input (or the reverse) is a likely match even if far by edits.
    if (d > limit && (contains(needle, hay) || sameWords(needle, hay))) d = limit;
    if (d <= limit) scored.push({ c, d, i: i++ });
  }
  const best = Math.min(...scored.map((s) => s.d));
  return scored
    .filter((s) => s.d === best)
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, max)
    .map((s) => s.c);
}

/** ` Did you mean 'x'?` / ` Did you mean 'x' or 'y'?`, or '' when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hits = closest(input, candidates);
  if (hits.length === 0) return '';
  const quoted = hits.map((h) => `'${h}'`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` Did you mean ${list}?`;
}

/**
 * Cache of dashboard answers. A read route marked `cache: 'index'` computes its answer from the index tables, the
 * request URL and the clock only; its JSON is kept under (index generation, clock second, URL) and served to every
 * reader asking the same URL in the same second of the same generation. Any write to the index commits a new
 * generation (src/store/index-generation.ts), so no answer outlives the data it came from, and answers that depend
 * on the clock (ages, freshness, "since last week") are at most one second old. Concurrent misses on one key share
 * one computation; failures are never cached. Bounded: the oldest keys are dropped past `max`.
 */

/** A cached answer: the serialised JSON body. */
type Entry = Promise<string>;

/** Cache of serialised answers keyed by generation, clock second and URL (see the module doc). */
export class ViewCache {
  private readonly entries = new Map<string, Entry>();

  /** `max`: most answers kept (default 1000). */
  constructor(private readonly max = 1000) {}

  /**
   * The JSON of `compute()` for (generation, second, url), computing it on a miss. Answers with a newer
   * generation or second replace older ones; a rejected computation is removed and rethrown.
   */
  get(generation: number, second: number, url: string, compute: () => Promise<unknown>): Promise<string> {
    const key = `${generation}\u0000${second}\u0000${url}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const p = compute().then((v) => JSON.stringify(v));
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    if (this.entries.size > this.max) {
      // Map iterates in insertion order: drop the oldest quarter
      let n = Math.ceil(this.max / 4);
      for (const k of this.entries.keys()) {
        if (n-- <= 0) break;
        this.entries.delete(k);
      }
    }
    return p;
  }
}

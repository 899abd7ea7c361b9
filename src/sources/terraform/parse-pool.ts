import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Parser } from 'web-tree-sitter';
import type { ParsedFile } from './ast.js';
import { type HclParseOptions, parseHclWith } from './hcl-parser.js';

/** Below this many UTF-16 code units in total, a worker's start-up costs more than it saves. */
export const PARALLEL_PARSE_MIN_CHARS = 300_000;
/** Share of the text a cold worker parses: less than half, as it first loads its own tree-sitter (~0.2 s). */
const WORKER_SHARE = 0.42;
/** Share for a worker started ahead by {@link warmParseWorker}: it is (nearly) ready when parsing starts. */
const WARM_WORKER_SHARE = 0.48;

let warm: Worker | undefined;

/**
 * Starts the parse worker ahead of need (the CLI calls it first thing for `scan`), so that loading
 * tree-sitter in the worker overlaps the main thread's own start-up. The worker is unref'd: an unused
 * one never keeps the process alive. No-op on a single core.
 */
export function warmParseWorker(): void {
  if (warm || availableParallelism() < 2) return;
  warm = spawnWorker();
  warm?.unref();
}

/** Workers that have exited (a pre-started one may die before it is used). */
const exited = new WeakSet<Worker>();

function spawnWorker(): Worker | undefined {
  try {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const w = new Worker(new URL(`./parse-worker${ext}`, import.meta.url));
    w.once('exit', () => exited.add(w));
    w.on('error', () => {}); // reported through 'exit'; the caller falls back to parsing here
    return w;
  } catch {
    return undefined;
  }
}

/**
 * Parses many HCL texts, using a second core when there is one and the input is large enough:
 * one worker thread (parse-worker.ts) parses the largest-first share `WORKER_SHARE` of the bytes
 * while this thread parses the rest, so a 2-core machine parses about twice as fast
 * (tree-sitter's wasm parse is ~1 MB/s and dominates a scan). Results are in input order and
 * identical to `parseHclWith(parser, text)` on each text. If the worker cannot start or fails, its
 * share is parsed here: parallelism is an optimisation, never a change in results.
 */
export async function parseAll(
  parser: Parser,
  texts: readonly string[],
  opts: HclParseOptions = {},
): Promise<ParsedFile[]> {
  const total = texts.reduce((n, t) => n + t.length, 0);
  const out: (ParsedFile | undefined)[] = new Array(texts.length);
  if (total < PARALLEL_PARSE_MIN_CHARS || availableParallelism() < 2) {
    return texts.map((t) => parseHclWith(parser, t, opts));
  }
  const prewarmed = warm;
  warm = undefined;
  const share = prewarmed ? WARM_WORKER_SHARE : WORKER_SHARE;
  // Alternate files (largest first) between the two sides until the worker has its share.
  const order = texts.map((_, i) => i).sort((a, b) => (texts[b]?.length ?? 0) - (texts[a]?.length ?? 0));
  const mine: number[] = [];
  const theirs: number[] = [];
  let theirChars = 0;
  for (const i of order) {
    const len = texts[i]?.length ?? 0;
    if (theirChars + len <= total * share) {
      theirs.push(i);
      theirChars += len;
    } else {
      mine.push(i);
    }
  }
  const remote = runWorker(
    prewarmed ?? spawnWorker(),
    theirs.map((i) => texts[i] ?? ''),
    opts,
  );
  for (const i of mine) out[i] = parseHclWith(parser, texts[i] ?? '', opts);
  const files = await remote;
  theirs.forEach((i, k) => {
    out[i] = files?.[k] ?? parseHclWith(parser, texts[i] ?? '', opts);
  });
  return out as ParsedFile[];
}

/** Runs `worker` over `texts` and ends it; resolves undefined (caller falls back) on any worker failure. */
function runWorker(
  worker: Worker | undefined,
  texts: string[],
  opts: HclParseOptions,
): Promise<ParsedFile[] | undefined> {
  return new Promise((resolve) => {
    if (!worker || exited.has(worker)) {
      resolve(undefined);
      return;
    }
    let settled = false;
    const done = (files: ParsedFile[] | undefined) => {
      if (settled) return;
      settled = true;
      resolve(files);
      void worker.terminate();
    };
    worker.on('message', (msg: { files?: ParsedFile[] }) => {
      if (msg.files) done(msg.files);
    });
    worker.once('exit', () => done(undefined));
    worker.ref();
    worker.postMessage({ texts, opts });
  });
}

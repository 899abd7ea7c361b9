import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Parser } from 'web-tree-sitter';
import type { ParsedFile } from './ast.js';
import { parseHclWith } from './hcl-parser.js';

/** Below this many UTF-16 code units in total, a worker's start-up costs more than it saves. */
export const PARALLEL_PARSE_MIN_CHARS = 300_000;
/** Share of the text the worker parses: less than half, as it first loads its own tree-sitter (~0.1 s). */
const WORKER_SHARE = 0.42;

/**
 * Parses many HCL texts, using a second core when there is one and the input is large enough:
 * one worker thread (parse-worker.ts) parses the largest-first share `WORKER_SHARE` of the bytes
 * while this thread parses the rest, so a 2-core machine parses about twice as fast
 * (tree-sitter's wasm parse is ~1 MB/s and dominates a scan). Results are in input order and
 * identical to `parseHclWith(parser, text)` on each text. If the worker cannot start or fails, its
 * share is parsed here: parallelism is an optimisation, never a change in results.
 */
export async function parseAll(parser: Parser, texts: readonly string[]): Promise<ParsedFile[]> {
  const total = texts.reduce((n, t) => n + t.length, 0);
  const out: (ParsedFile | undefined)[] = new Array(texts.length);
  if (total < PARALLEL_PARSE_MIN_CHARS || availableParallelism() < 2) {
    return texts.map((t) => parseHclWith(parser, t));
  }
  // Alternate files (largest first) between the two sides until the worker has its share.
  const order = texts.map((_, i) => i).sort((a, b) => (texts[b]?.length ?? 0) - (texts[a]?.length ?? 0));
  const mine: number[] = [];
  const theirs: number[] = [];
  let theirChars = 0;
  for (const i of order) {
    const len = texts[i]?.length ?? 0;
    if (theirChars + len <= total * WORKER_SHARE) {
      theirs.push(i);
      theirChars += len;
    } else {
      mine.push(i);
    }
  }
  const remote = startWorker(theirs.map((i) => texts[i] ?? ''));
  for (const i of mine) out[i] = parseHclWith(parser, texts[i] ?? '');
  const files = await remote;
  theirs.forEach((i, k) => {
    out[i] = files?.[k] ?? parseHclWith(parser, texts[i] ?? '');
  });
  return out as ParsedFile[];
}

/** Runs one worker over `texts`; resolves undefined (caller falls back) on any worker failure. */
function startWorker(texts: string[]): Promise<ParsedFile[] | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
      worker = new Worker(new URL(`./parse-worker${ext}`, import.meta.url));
    } catch {
      resolve(undefined);
      return;
    }
    const done = (files: ParsedFile[] | undefined) => {
      resolve(files);
      void worker.terminate();
    };
    worker.once('message', (msg: { files: ParsedFile[] }) => done(msg.files));
    worker.once('error', () => done(undefined));
    worker.once('exit', (code) => {
      if (code !== 0) done(undefined);
    });
    worker.postMessage({ texts });
  });
}

import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import type { ScannedInput, SkippedInput } from '../core/scan-result.js';
import type { CandidateFile, ClaimContext, Source, SourceLoadContext } from '../core/source.js';
import { cloudformationSource } from './cloudformation/source.js';
import { dependenciesSource } from './dependencies/source.js';
import { kubernetesSource } from './kubernetes/source.js';
import { fileKind } from './read-regular-file.js';
import { secretsSource } from './secrets/source.js';
import { terraformSource } from './terraform/source.js';
import { terraformPlanSource } from './terraform-plan/source.js';

/**
 * Every registered source, in claiming order (ascending `priority`, ties in list order). Adding an
 * input means a folder under `src/sources/` exporting a {@link Source} and one line here; the scan,
 * the conformance runner and the docs generator loop over this list, and
 * `src/sources/registry.test.ts` asserts it matches the folders.
 */
export const SOURCES: readonly Source[] = sortByPriority([
  terraformSource,
  terraformPlanSource,
  cloudformationSource,
  kubernetesSource,
  dependenciesSource,
  secretsSource,
]);

function sortByPriority(sources: Source[]): Source[] {
  return sources
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.priority - b.s.priority || a.i - b.i)
    .map((x) => x.s);
}

/** Empty facts: one empty list per facts family the registered sources fill. */
export function emptyFacts(): Facts {
  const facts: Record<string, unknown[]> = {};
  for (const s of SOURCES) facts[s.facts] = [];
  return facts as unknown as Facts;
}

/** The files one source claimed. */
export interface SourceClaim {
  source: Source;
  files: CandidateFile[];
}

/** Default number of bytes a source sniffs with `ctx.head`. */
export const DEFAULT_HEAD_BYTES = 64 * 1024;

/** Why a file could not be sniffed: the text for messages, and whether it is not a regular file at all. */
interface Unreadable {
  why: string;
  /** What to do about it. */
  advice: string;
  /** A FIFO, socket or device (never opened for reading): an error when a source wanted to look at it. */
  special: boolean;
}

/**
 * A {@link ClaimContext} whose `head` reads each file at most once (the largest prefix asked for is
 * kept) and remembers which files could not be read. It never blocks and never leaves the scan root:
 * FIFOs, sockets and devices are not read (opened non-blocking, then refused by type), nor are files
 * whose real path is outside `root` (a symlink out of the repository).
 */
export function claimContext(root: string): ClaimContext & { unreadable: Map<string, Unreadable> } {
  const cache = new Map<string, { bytes: number; text: Promise<string | undefined> }>();
  const unreadable = new Map<string, Unreadable>();
  let realRoot: Promise<string> | undefined;
  return {
    root,
    unreadable,
    head(file, bytes = DEFAULT_HEAD_BYTES) {
      const hit = cache.get(file.abs);
      if (hit && hit.bytes >= bytes) return hit.text.then((t) => t?.slice(0, bytes));
      realRoot ??= realpath(root).catch(() => root);
      const text = realRoot
        .then((r) => readHead(file.abs, bytes, r))
        .then(
          (t) => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t),
          (err: unknown) => {
            unreadable.set(
              file.abs,
              err instanceof Refused
                ? { why: err.message, advice: err.advice, special: err.special }
                : { why: errnoText(err), advice: 'fix its permissions or exclude it', special: false },
            );
            return undefined;
          },
        );
      cache.set(file.abs, { bytes, text });
      return text;
    },
  };
}

/** A file {@link readHead} does not read, by design. */
class Refused extends Error {
  constructor(
    message: string,
    readonly advice: string,
    readonly special: boolean,
  ) {
    super(message);
  }
}

async function readHead(file: string, max: number, realRoot: string): Promise<string> {
  const inside = path.relative(realRoot, await realpath(file));
  if (inside.startsWith('..') || path.isAbsolute(inside))
    throw new Refused(
      'it is a symlink that leads outside the scan root (not read)',
      'scan from a directory that contains its target, or exclude it',
      false,
    );
  const fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile())
      throw new Refused(
        `it is ${fileKind(st)}, not a regular file (not read)`,
        'remove it or exclude it',
        true,
      );
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  return code ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Offers `files` to each source in claiming order; a claimed file is not offered to later sources.
 * A file that no source claimed because it could not even be sniffed gets a diagnostic (`E_IO`): it
 * may have been an input. A warning when it could not be read (permissions, a link out of the root),
 * an error when it is a FIFO, socket or device: a special file named like an input is never clean.
 */
export async function claimInputs(
  files: readonly CandidateFile[],
  root: string,
  sources: readonly Source[] = SOURCES,
): Promise<{ claims: SourceClaim[]; diagnostics: Diagnostic[] }> {
  const ctx = claimContext(root);
  let remaining = [...files];
  const claims: SourceClaim[] = [];
  for (const source of sources) {
    if (source.observesAll) {
      claims.push({ source, files: await source.claim(files, ctx) });
      continue;
    }
    const claimed = await source.claim(remaining, ctx);
    const taken = new Set(claimed.map((f) => f.abs));
    remaining = remaining.filter((f) => !taken.has(f.abs));
    claims.push({ source, files: claimed });
  }
  const diagnostics: Diagnostic[] = [];
  for (const f of remaining) {
    const u = ctx.unreadable.get(f.abs);
    if (u === undefined) continue;
    diagnostics.push({
      severity: u.special ? 'error' : 'warning',
      code: 'E_IO',
      file: f.rel,
      message: `Cannot read ${f.rel}: ${u.why}. If it is an input (a Terraform plan, a template), it is not scanned; ${u.advice}.`,
    });
  }
  return { claims, diagnostics };
}

/** What all sources produced for one scan. */
export interface LoadedSources {
  facts: Facts;
  inputs: ScannedInput[];
  skipped: SkippedInput[];
  diagnostics: Diagnostic[];
  /** Facts per source id, for progress and benchmarks. */
  counts: Record<string, number>;
}

/**
 * Loads every claim (sources run concurrently; each reports its own diagnostics) and merges the
 * results into one {@link Facts} in registry order, so the output does not depend on timing.
 */
export async function loadSources(
  claims: readonly SourceClaim[],
  ctx: SourceLoadContext,
): Promise<LoadedSources> {
  const outputs = await Promise.all(
    claims.map((c) =>
      c.files.length === 0
        ? Promise.resolve({ facts: [], inputs: [], skipped: [], diagnostics: [] })
        : c.source.load(c.files, ctx),
    ),
  );
  const facts = emptyFacts();
  const loaded: LoadedSources = { facts, inputs: [], skipped: [], diagnostics: [], counts: {} };
  claims.forEach((c, i) => {
    const out = outputs[i]!;
    (facts[c.source.facts] as unknown[]).push(...out.facts);
    loaded.inputs.push(...out.inputs);
    loaded.skipped.push(...out.skipped);
    loaded.diagnostics.push(...out.diagnostics);
    loaded.counts[c.source.id] = out.facts.length;
  });
  return loaded;
}

/**
 * The source that reads a conformance fixture named `fileName` (`pass-x.tf`, `fail-y.plan.json`):
 * the one with the longest matching `fixtureSuffixes` entry. Undefined when none matches.
 */
export function sourceForFixture(fileName: string, sources: readonly Source[] = SOURCES): Source | undefined {
  let best: { source: Source; len: number } | undefined;
  for (const source of sources) {
    for (const suffix of source.fixtureSuffixes) {
      if (fileName.endsWith(suffix) && (!best || suffix.length > best.len))
        best = { source, len: suffix.length };
    }
  }
  return best?.source;
}

/** The source with id `id`; throws when none is registered (a programming error). */
export function sourceById(id: string, sources: readonly Source[] = SOURCES): Source {
  const s = sources.find((x) => x.id === id);
  if (!s) throw new Error(`no source '${id}' is registered (have: ${sources.map((x) => x.id).join(', ')})`);
  return s;
}

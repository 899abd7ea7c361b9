import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckContext, CheckDefinition, CheckResult } from '../../src/core/check.js';
import type { Diagnostic } from '../../src/core/errors.js';
import type { Facts } from '../../src/core/facts.js';
import type { Outcome } from '../../src/core/outcome.js';
import type { SourceOptions } from '../../src/core/source.js';
import { createCheckContext } from '../../src/engine/check-context.js';
import { discoverInputs } from '../../src/sources/discover.js';
import { claimInputs, loadSources, sourceById, sourceForFixture } from '../../src/sources/registry.js';
import { corpus } from '../support/corpora.js';

/** Repository root (the folder holding package.json), found from this file's URL. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Folder of the trivy-checks corpus (`<path>.yaml` files with terraform/kubernetes good/bad snippets). */
export const TRIVY_CHECKS_DIR = corpus('trivy-checks/checks');

/** The fixed clock every conformance run passes as `ctx.now` (checks must not read the real clock). */
export const FIXTURE_NOW = new Date('2026-01-15T12:00:00Z');

/** The fixed secrets salt of conformance runs, so secret subject addresses are stable in expected.json. */
export const FIXTURE_SECRETS_SALT = 'evident-conformance-fixture-salt';

/**
 * Per-check conformance context, from an optional `context.json` in the check folder:
 * `osv` (an OSV database folder, relative to the check folder, for dependency fixtures) and
 * `clock` per fixture name: `{ earlierRun, firstSeenHoursAgo? }` — whether the evidence log holds an
 * earlier run of the check, and when every clocked subject was first seen (hours before FIXTURE_NOW;
 * absent: not seen before, so first seen now).
 */
export interface CheckFixtureContext {
  osv?: string;
  clock?: Record<string, { earlierRun: boolean; firstSeenHoursAgo?: number }>;
}

/**
 * Which source reads an input: a registered source id (`terraform` for HCL `.tf`, `terraform-plan`
 * for `terraform show -json` output, `kubernetes` for manifests, ...; see src/sources/registry.ts).
 * `plan` is accepted as a shorthand for `terraform-plan`.
 */
export type InputKind = string;

/**
 * The source id for a fixture file name (the source with the longest matching `fixtureSuffixes`
 * entry), or undefined when no source reads that file type.
 */
export function inputKindOf(fileName: string): InputKind | undefined {
  return sourceForFixture(fileName)?.id;
}

/** Facts and diagnostics a real source produced for one fixture or snippet. */
export interface LoadedInput {
  facts: Facts;
  diagnostics: Diagnostic[];
}

/** A check run over one loaded input. */
export interface FixtureRun extends LoadedInput {
  results: CheckResult[];
}

/**
 * Loads `content` through the real source `kind`: it is written into a fresh temporary directory
 * as `fileName` (default `main` + the source's first fixture suffix, e.g. `main.tf`), discovered,
 * claimed and loaded exactly as a scan would. Throws when `kind` is not registered or when the
 * source does not claim the file (the fixture would be silently ignored by a scan). The directory
 * is removed afterwards.
 */
export async function loadInput(
  kind: InputKind,
  content: string,
  fileName?: string,
  options: SourceOptions = {},
): Promise<LoadedInput> {
  const source = sourceById(kind === 'plan' ? 'terraform-plan' : kind);
  const dir = mkdtempSync(join(tmpdir(), 'evident-conf-'));
  try {
    const rel = fileName ?? `main${source.fixtureSuffixes[0] ?? ''}`;
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    const found = await discoverInputs(dir);
    const { claims, diagnostics } = await claimInputs(found.files, dir);
    const claim = claims.find((c) => c.source.id === source.id);
    if (!claim?.files.some((f) => f.abs === file)) {
      const by = claims.find((c) => c.files.some((f) => f.abs === file))?.source.id ?? 'no source';
      throw new Error(`${rel}: the ${source.id} source does not claim this input (claimed by ${by})`);
    }
    const saltDir = join(dir, '.evident-salt');
    mkdirSync(saltDir);
    writeFileSync(join(saltDir, 'salt'), FIXTURE_SECRETS_SALT);
    const loaded = await loadSources([claim], {
      root: dir,
      options: { ...options, secrets: { saltDir, ...options.secrets } },
      progress: () => {},
    });
    return {
      facts: loaded.facts,
      diagnostics: [...found.diagnostics, ...diagnostics, ...loaded.diagnostics],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `check` over already loaded facts with the fixed conformance context; `clock` gives the
 * evidence-log history clocked checks see (absent: no log was read).
 */
export function runCheck(
  check: CheckDefinition,
  facts: Facts,
  clock?: { earlierRun: boolean; firstSeenHoursAgo?: number },
): CheckResult[] {
  const ctx: CheckContext = createCheckContext(facts, FIXTURE_NOW);
  if (clock) {
    const first =
      clock.firstSeenHoursAgo === undefined
        ? undefined
        : new Date(FIXTURE_NOW.getTime() - clock.firstSeenHoursAgo * 3_600_000);
    ctx.history = { runAt: FIXTURE_NOW, hasEarlierRun: () => clock.earlierRun, firstSeen: () => first };
  }
  return check.evaluate(facts, ctx);
}

/** Loads a snippet of the given kind through its real source and runs `check` on it. */
export async function runCheckOnSnippet(
  check: CheckDefinition,
  kind: InputKind,
  content: string,
): Promise<FixtureRun> {
  const loaded = await loadInput(kind, content);
  return { ...loaded, results: runCheck(check, loaded.facts) };
}

/**
 * Loads a fixture file through the source that reads its file type (see {@link inputKindOf}), under
 * its own name, and runs `check` on it. Throws for a file type no source reads.
 */
export async function runCheckOnFile(
  check: CheckDefinition,
  path: string,
  context: CheckFixtureContext = {},
  checkFolder?: string,
): Promise<FixtureRun> {
  const name = basename(path);
  const kind = inputKindOf(name);
  if (!kind) throw new Error(`${path}: no registered source reads this file type`);
  const options: SourceOptions =
    context.osv && checkFolder ? { dependencies: { osv: resolve(checkFolder, context.osv) } } : {};
  const loaded = await loadInput(kind, readFileSync(path, 'utf8'), name, options);
  return { ...loaded, results: runCheck(check, loaded.facts, context.clock?.[name]) };
}

/**
 * The results as `{ address: outcome }`, the shape of an expected.json entry. Throws when two
 * results name the same subject address (a check must return one result per subject).
 */
export function outcomesByAddress(results: readonly CheckResult[]): Record<string, Outcome> {
  const out: Record<string, Outcome> = {};
  for (const r of results) {
    if (r.subject.address in out) throw new Error(`two results for subject ${r.subject.address}`);
    out[r.subject.address] = r.outcome;
  }
  return out;
}

/** Error-severity diagnostics rendered one per line, for assertion messages. */
export function describeErrors(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.code} ${d.message}`)
    .join('\n');
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckDefinition, CheckResult } from '../../src/core/check.js';
import type { Diagnostic } from '../../src/core/errors.js';
import type { Facts } from '../../src/core/facts.js';
import type { Outcome } from '../../src/core/outcome.js';
import { TerraformIndex } from '../../src/core/terraform-index.js';
import { loadKubernetes } from '../../src/sources/kubernetes/index.js';
import { loadTerraform } from '../../src/sources/terraform/index.js';
import { loadTerraformPlans } from '../../src/sources/terraform-plan/index.js';
import { corpus } from '../support/corpora.js';

/** Repository root (the folder holding package.json), found from this file's URL. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Folder of the trivy-checks corpus (`<path>.yaml` files with terraform/kubernetes good/bad snippets). */
export const TRIVY_CHECKS_DIR = corpus('trivy-checks/checks');

/** The fixed clock every conformance run passes as `ctx.now` (checks must not read the real clock). */
export const FIXTURE_NOW = new Date('2026-01-15T12:00:00Z');

/**
 * Which source reads an input: `terraform` (HCL `.tf`), `plan` (`terraform show -json` output,
 * `*.plan.json`) or `kubernetes` (`.yaml`/`.yml` manifests).
 */
export type InputKind = 'terraform' | 'plan' | 'kubernetes';

/** The input kind for a fixture file name, or undefined when no source reads that extension. */
export function inputKindOf(fileName: string): InputKind | undefined {
  if (fileName.endsWith('.plan.json')) return 'plan';
  if (fileName.endsWith('.tf')) return 'terraform';
  if (fileName.endsWith('.yaml') || fileName.endsWith('.yml')) return 'kubernetes';
  return undefined;
}

/** The file name a fixture or snippet gets in its temporary directory, per input kind. */
export const INPUT_FILE_NAMES: Record<InputKind, string> = {
  terraform: 'main.tf',
  plan: 'main.plan.json',
  kubernetes: 'manifest.yaml',
};

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
 * Loads `content` through the real source for `kind`: it is written into a fresh temporary
 * directory (as {@link INPUT_FILE_NAMES}) and read
 * with `loadTerraform(tmp, [tmp])`, `loadTerraformPlans(tmp, [file])` or `loadKubernetes(tmp, [file])`.
 * The directory is removed afterwards. Throws what the source throws (unusable arguments only).
 */
export async function loadInput(kind: InputKind, content: string): Promise<LoadedInput> {
  const dir = mkdtempSync(join(tmpdir(), 'evident-conf-'));
  try {
    const name = INPUT_FILE_NAMES[kind];
    const file = join(dir, name);
    writeFileSync(file, content);
    if (kind === 'terraform') {
      const r = await loadTerraform(dir, [dir]);
      return { facts: { terraform: r.facts, kubernetes: [] }, diagnostics: r.diagnostics };
    }
    if (kind === 'plan') {
      const r = await loadTerraformPlans(dir, [file]);
      return { facts: { terraform: r.facts, kubernetes: [] }, diagnostics: r.diagnostics };
    }
    const r = await loadKubernetes(dir, [file]);
    return { facts: { terraform: [], kubernetes: r.facts }, diagnostics: r.diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `check` over already loaded facts with the fixed conformance context. */
export function runCheck(check: CheckDefinition, facts: Facts): CheckResult[] {
  return check.evaluate(facts, { now: FIXTURE_NOW, terraform: new TerraformIndex(facts.terraform) });
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
 * Loads a fixture file (kind from its extension, see {@link inputKindOf}) through its real source
 * and runs `check` on it. Throws for an extension no source reads.
 */
export async function runCheckOnFile(check: CheckDefinition, path: string): Promise<FixtureRun> {
  const kind = inputKindOf(basename(path));
  if (!kind) throw new Error(`${path}: no source reads this file type (use .tf, .plan.json, .yaml or .yml)`);
  const loaded = await loadInput(kind, readFileSync(path, 'utf8'));
  return { ...loaded, results: runCheck(check, loaded.facts) };
}

/**
 * The results as `{ address: outcome }`, the shape of an expected.json entry. Throws when two
 * results name the same subject address (a check must return one result per subject).
 */
export function outcomesByAddress(
  results: readonly CheckResult[],
): Record<string, Exclude<Outcome, 'error'>> {
  const out: Record<string, Exclude<Outcome, 'error'>> = {};
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

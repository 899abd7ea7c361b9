// Rule fixtures (docs/policies.md "Testing rules"): input files whose name states the outcome
// (`pass-`, `fail-`, `unknown-`, `na-`), loaded through the real sources and judged by the rule.
// Every subject of the rule's types in a fixture must have the prefix's outcome unless expected.json
// (keyed by file name, then subject address) refines it. Shared by `evident policy test` and the
// built-in conformance test.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildModel } from '../adapters/build-model.js';
import type { CheckDefinition, CheckResult } from '../core/check.js';
import type { Diagnostic } from '../core/errors.js';
import { EvidentError } from '../core/errors.js';
import type { Facts, KubernetesObject, TerraformResource } from '../core/facts.js';
import type { Outcome } from '../core/outcome.js';
import { createCheckContext } from '../engine/check-context.js';
import type { ConcernId } from '../model/concerns.js';
import { claimInputs, loadSources, sourceForFixture } from '../sources/registry.js';
import { isRuleCheck } from './rule-check.js';

/** Fixture name prefixes and the outcome each states. */
export const FIXTURE_PREFIXES = {
  pass: 'pass',
  fail: 'fail',
  unknown: 'unknown',
  na: 'not-applicable',
} as const satisfies Record<string, Outcome>;

/** Fixture file names: an outcome prefix, a kebab-case description, and an input suffix a source reads. */
export const FIXTURE_NAME = /^(pass|fail|unknown|na)-[a-z0-9][a-z0-9-]*\./;

/** The fixed clock fixtures are judged at (rules never read the real clock). */
export const FIXTURE_NOW = new Date('2026-01-15T12:00:00Z');

/** expected.json: file name → subject address → outcome. */
export type ExpectedOutcomes = Record<string, Record<string, string>>;

/** The outcome a fixture's name states, or undefined for a name without a known prefix. */
export function prefixOutcome(fileName: string): Outcome | undefined {
  const m = FIXTURE_NAME.exec(fileName);
  return m ? FIXTURE_PREFIXES[m[1] as keyof typeof FIXTURE_PREFIXES] : undefined;
}

/** Facts and diagnostics a source produced for one fixture. */
export interface LoadedFixture {
  facts: Facts;
  diagnostics: Diagnostic[];
  /** The source that read it. */
  source: string;
}

/**
 * Loads one fixture file through the source that reads its file name (the longest matching
 * fixture suffix, src/sources/registry.ts), alone in a temporary directory (Terraform reads a
 * directory as one module, so fixtures beside each other must not be read together). Throws
 * EvidentError E_CONFIG when no source reads that file type or the source does not claim the content.
 */
export async function loadFixture(path: string): Promise<LoadedFixture> {
  const name = basename(path);
  const source = sourceForFixture(name);
  if (!source)
    throw new EvidentError('E_CONFIG', `fixture ${path}: no source reads this file type`, {
      file: path,
      hint: 'name fixtures PREFIX-description.tf, .plan.json or .yaml',
    });
  const dir = mkdtempSync(join(tmpdir(), 'evident-fixture-'));
  try {
    const abs = join(dir, name);
    copyFileSync(path, abs);
    const file = { abs, rel: name, name, size: statSync(abs).size };
    const { claims, diagnostics } = await claimInputs([file], dir, [source]);
    const claim = claims[0];
    if (!claim?.files.length)
      throw new EvidentError(
        'E_CONFIG',
        `fixture ${path}: the ${source.id} source does not read this content`,
        {
          file: path,
        },
      );
    const loaded = await loadSources([claim], { root: dir, options: {}, progress: () => {} });
    return { facts: loaded.facts, diagnostics: [...diagnostics, ...loaded.diagnostics], source: source.id };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `check` over loaded facts at the fixture clock. */
export function judgeFixture(check: CheckDefinition, facts: Facts): CheckResult[] {
  return check.evaluate(facts, createCheckContext(facts, FIXTURE_NOW));
}

/** Addresses of the facts a rule judges in `facts` (its input and resource types), in facts order. */
export function ruleSubjects(check: CheckDefinition, facts: Facts): string[] {
  if (!isRuleCheck(check)) return [];
  if (check.rule.input === 'model') {
    const model = buildModel(facts);
    return check.resourceTypes.flatMap((c) => model.get(c as ConcernId).map((o) => o.subject.address));
  }
  const types = new Set(check.resourceTypes);
  const list = (facts[check.input] ?? []) as (TerraformResource | KubernetesObject)[];
  return list
    .filter((f) =>
      f.kind === 'terraform'
        ? types.has(f.mode === 'data' ? `data.${f.type}` : f.type)
        : types.has(f.objectKind),
    )
    .map((f) => f.address);
}

/** One subject whose outcome differs from what the fixture states. */
export interface FixtureMismatch {
  address: string;
  expected: string;
  actual: string;
  message?: string;
}

/**
 * Compares a check's results on fixture `fileName` with what it states: for every subject of a
 * rule's types (for a TypeScript check: every subject it returned), the outcome `refine[address]`,
 * else the prefix's outcome; a subject without a result is not applicable. Addresses `refine` names
 * that are not subjects are mismatches too (`actual: absent`).
 */
export function compareFixture(
  check: CheckDefinition,
  facts: Facts,
  results: readonly CheckResult[],
  fileName: string,
  refine: Record<string, string> = {},
): FixtureMismatch[] {
  const prefix = prefixOutcome(fileName);
  const byAddress = new Map(results.map((r) => [r.subject.address, r]));
  const subjects = new Set([...ruleSubjects(check, facts), ...byAddress.keys(), ...Object.keys(refine)]);
  const out: FixtureMismatch[] = [];
  for (const address of subjects) {
    const r = byAddress.get(address);
    const expected = refine[address] ?? prefix ?? 'pass';
    const known = ruleSubjects(check, facts).includes(address) || byAddress.has(address);
    const actual = r?.outcome ?? (known ? 'not-applicable' : 'absent');
    if (actual !== expected) out.push({ address, expected, actual, ...(r ? { message: r.message } : {}) });
  }
  return out;
}

/** Reads an expected.json file; throws EvidentError E_CONFIG when it is not `{file: {address: outcome}}`. */
export function readExpected(path: string): ExpectedOutcomes {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EvidentError('E_CONFIG', `${path}: not valid JSON (${(e as Error).message})`, { file: path });
  }
  const ok =
    data !== null &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    Object.values(data).every(
      (m) =>
        m !== null &&
        typeof m === 'object' &&
        !Array.isArray(m) &&
        Object.values(m).every((o) => ['pass', 'fail', 'unknown', 'not-applicable'].includes(o as string)),
    );
  if (!ok)
    throw new EvidentError(
      'E_CONFIG',
      `${path}: expected.json maps fixture file names to { "address": "pass|fail|unknown|not-applicable" }`,
      { file: path },
    );
  return data as ExpectedOutcomes;
}

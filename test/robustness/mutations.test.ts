import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { reportError } from '../../src/cli/main.js';
import { EvidentError } from '../../src/core/errors.js';
import { isCountedFailure } from '../../src/core/finding.js';
import type { ScanResult } from '../../src/core/scan-result.js';
import { runScan } from '../../src/engine/run-scan.js';
import { generateMutations, type Mutation, moduleFiles, REPO, type Seed, type Verdict } from './mutations.js';

/**
 * The robustness suite (issue 7 "Done means"): generated mutations of real corpus files, each scanned
 * in process exactly as `evident scan` scans it. For every input the reference tool refuses (the
 * verdicts in oracle.json, recorded by record-oracle.ts from Terraform, kubectl, a strict UTF-8
 * decoder, Python's json and PyYAML), the scan must exit 2 with an error located in the file; for
 * the unmutated seeds, which every tool accepts, it must not. No scan may take 10 s of CPU or crash.
 *
 * Findings of the unmutated seed are the baseline (`--baseline`): a violation the seed already has
 * does not mask the exit code of its broken copies (exit 1 means "a check failed", and Evident keeps
 * going on the rest of the input after an input error).
 */

const ORACLE = JSON.parse(readFileSync(new URL('./oracle.json', import.meta.url), 'utf8')) as Record<
  string,
  Verdict
>;
const NOW = new Date('2026-06-01T00:00:00Z');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  containers: []\n';
/**
 * CPU time of one scan: far above what any of these inputs needs, far below the auditor's hangs
 * (CPU-bound, 22 s to minutes). CPU rather than wall time: a shared CI machine's load is not Evident's.
 */
const MAX_SCAN_CPU_MS = 10_000;

const work = mkdtempSync(path.join(tmpdir(), 'evident-robustness-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Writes the input of one scan (the seed's files with `bytes` for the mutated one); returns the scan root and map. */
function materialize(name: string, seed: Seed, bytes: Buffer): { root: string; config?: string } {
  const root = path.join(work, name.replace(/[^\w.-]+/g, '_'));
  mkdirSync(root, { recursive: true });
  switch (seed.kind) {
    case 'terraform':
      for (const f of moduleFiles(seed)) writeFileSync(path.join(root, f.name), f.bytes);
      writeFileSync(path.join(root, path.basename(seed.file)), bytes);
      return { root };
    case 'kubernetes':
    case 'plan':
      writeFileSync(path.join(root, path.basename(seed.file)), bytes);
      return { root };
    case 'control-map':
      cpSync(path.join(REPO, 'examples/platform/.evident/policies'), path.join(root, '.evident/policies'), {
        recursive: true,
      });
      writeFileSync(path.join(root, 'pod.yaml'), POD);
      writeFileSync(path.join(root, 'evident.yaml'), bytes);
      return { root, config: path.join(root, 'evident.yaml') };
  }
}

interface Outcome {
  exitCode: number;
  /** CPU time (user + system) of the scan, this process's threads included. */
  cpuMs: number;
  result?: ScanResult;
  error?: EvidentError;
}

/** Scans like `evident scan ROOT --baseline`: the exit code, or the code the CLI gives the error thrown. */
async function scan(
  input: { root: string; config?: string },
  baseline?: ReadonlySet<string>,
): Promise<Outcome> {
  const started = process.cpuUsage();
  const cpuMs = () => {
    const u = process.cpuUsage(started);
    return (u.user + u.system) / 1000;
  };
  try {
    const run = await runScan({ root: input.root, config: input.config, now: NOW, baseline });
    return { exitCode: run.result.summary.exitCode, cpuMs: cpuMs(), result: run.result };
  } catch (err) {
    // Only EvidentError is an expected outcome; anything else is an internal error (exit 3).
    assert.ok(
      err instanceof EvidentError,
      `internal error: ${err instanceof Error ? err.stack : String(err)}`,
    );
    return { exitCode: reportError(err).code, cpuMs: cpuMs(), error: err };
  }
}

/** The file name diagnostics about the mutated file carry (relative to the scan root). */
function mutatedName(seed: Seed): string {
  return seed.kind === 'control-map' ? 'evident.yaml' : path.basename(seed.file);
}

const mutations = generateMutations();
const bySeed = new Map<string, Mutation[]>();
for (const m of mutations) bySeed.set(m.seed.id, [...(bySeed.get(m.seed.id) ?? []), m]);

describe('robustness: mutations of real inputs (issue 7)', () => {
  it('has a recorded verdict for exactly these bytes of every mutation', () => {
    const stale = mutations.filter((m) => ORACLE[m.id]?.sha256 !== m.sha256).map((m) => m.id);
    assert.deepEqual(
      stale,
      [],
      'mutations changed: re-record with `node --import tsx test/robustness/record-oracle.ts`',
    );
    assert.ok(mutations.length >= 150, `only ${mutations.length} mutations`);
    assert.ok(
      mutations.filter((m) => ORACLE[m.id]?.verdict === 'reject').length >= 80,
      'most mutations must be inputs the reference tools refuse',
    );
  });

  const tally = { reject: 0, stricter: 0, accepted: 0 };
  for (const [seedId, list] of bySeed) {
    describe(seedId, () => {
      let baseline: Set<string> | undefined;
      for (const m of list) {
        const verdict = ORACLE[m.id];
        it(`${m.op} #${m.id.split('/').pop()}: ${verdict?.verdict ?? 'no verdict'} by ${verdict?.by ?? '?'} (${verdict?.said ?? ''})`, async () => {
          assert.ok(verdict, 'no verdict recorded');
          const out = await scan(materialize(m.id, m.seed, m.bytes), baseline);
          assert.ok(out.cpuMs < MAX_SCAN_CPU_MS, `scan took ${Math.round(out.cpuMs)} ms of CPU`);
          const errors = [
            ...(out.result?.diagnostics ?? []).filter((d) => d.severity === 'error'),
            ...(out.error
              ? [{ file: out.error.file ?? '', line: out.error.line, code: out.error.code }]
              : []),
          ];
          assert.ok(!errors.some((e) => e.code === 'E_INTERNAL'), JSON.stringify(errors));
          if (m.op === 'original') {
            // Every reference tool accepts the seed: no input error, and its findings are the baseline.
            assert.equal(verdict.verdict, 'accept');
            assert.deepEqual(errors, [], 'the unmutated input must not be refused');
            assert.notEqual(out.exitCode, 2);
            baseline = new Set(
              (out.result?.findings ?? []).filter(isCountedFailure).map((f) => f.fingerprint),
            );
            return;
          }
          if (verdict.verdict === 'reject') {
            tally.reject++;
            assert.equal(out.exitCode, 2, `exit ${out.exitCode}, errors ${JSON.stringify(errors)}`);
            const located = errors.find(
              (e) => path.basename(e.file) === mutatedName(m.seed) && e.line !== undefined,
            );
            assert.ok(located, `no error located in ${mutatedName(m.seed)}: ${JSON.stringify(errors)}`);
          } else if (out.exitCode === 2) {
            tally.stricter++; // a limit, or a rule the offline tool cannot check (docs/limits.md)
          } else {
            tally.accepted++;
          }
        });
      }
    });
  }

  it('tallies the verdicts', (t) => {
    t.diagnostic(
      `refused by the reference tool and by Evident: ${tally.reject}; accepted by the reference tool, refused by an Evident limit or stricter rule: ${tally.stricter}; accepted by both: ${tally.accepted}`,
    );
    assert.ok(tally.reject > 0);
  });
});

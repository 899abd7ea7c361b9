// Performance budget of the scan (issue: "Full scan of cloudposse-components-0.182.0 with all checks:
// median wall time at most 3 s and peak RSS at most 500 MB"). Reference: Checkov's own CI gate for this
// exact corpus, 15 s. Run: `npm run bench` (builds first). Prints median, peak RSS and the ratio to 15 s.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const corpus = fileURLToPath(new URL('../../shared/corpora/cloudposse-components-0.182.0', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHECKOV_GATE_S = 15;
const BUDGET_S = 3;
const BUDGET_RSS_MB = 500;

if (!existsSync(corpus)) {
  console.error(`corpus not found: ${corpus} (../shared must sit beside the checkout)`);
  process.exit(2);
}

const samples: { ms: number; maxRssMb: number }[] = [];
let findings = '';
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      'bench/scan-once.mjs',
      'scan',
      corpus,
      '--format',
      'json',
      '--no-evidence',
      '--quiet',
      '--output',
      '/dev/null',
    ],
    { cwd: repo, encoding: 'utf8', env: process.env },
  );
  const wallMs = performance.now() - t0;
  const last = r.stdout.trim().split('\n').pop() ?? '';
  const m = JSON.parse(last) as { ms: number; maxRssMb: number; exitCode: number };
  if (m.exitCode === 2) findings = `(exit 2: ${r.stderr.trim().split('\n').slice(-3).join(' | ')})`;
  samples.push({ ms: wallMs, maxRssMb: m.maxRssMb });
  console.log(
    `run ${i + 1}: ${(wallMs / 1000).toFixed(2)} s wall (process), peak RSS ${m.maxRssMb.toFixed(0)} MB`,
  );
}
const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]! / 1000;
const peak = Math.max(...samples.map((s) => s.maxRssMb));
console.log(`\ncorpus: cloudposse-components-0.182.0 (${RUNS} runs, fresh process each) ${findings}`);
console.log(`median wall time: ${median.toFixed(2)} s (budget ${BUDGET_S} s)`);
console.log(`peak RSS: ${peak.toFixed(0)} MB (budget ${BUDGET_RSS_MB} MB)`);
console.log(
  `ratio to Checkov's 15 s CI gate: ${(median / CHECKOV_GATE_S).toFixed(3)} (${(CHECKOV_GATE_S / median).toFixed(1)}x faster)`,
);
if (median > BUDGET_S || peak > BUDGET_RSS_MB) {
  console.log('OVER BUDGET');
  process.exitCode = 1;
}

// Time per rule family (domain × rule files / TypeScript checks), from one more in-process scan
// with every check's evaluate timed. The CEL programs are compiled once, when rules load.
const { loadChecks } = (await import(
  new URL('../dist/checks/registry.js', import.meta.url).href
)) as typeof import('../src/checks/registry.js');
const { runScan } = (await import(
  new URL('../dist/engine/run-scan.js', import.meta.url).href
)) as typeof import('../src/engine/run-scan.js');
const families = new Map<string, { ms: number; checks: number }>();
for (const check of await loadChecks()) {
  const family = `${check.id.split('.')[0]} ${'rule' in check ? 'rule files' : 'TypeScript checks'}`;
  const f = families.get(family) ?? { ms: 0, checks: 0 };
  f.checks++;
  families.set(family, f);
  const evaluate = check.evaluate.bind(check);
  check.evaluate = (facts, ctx) => {
    const t0 = performance.now();
    try {
      return evaluate(facts, ctx);
    } finally {
      f.ms += performance.now() - t0;
    }
  };
}
const t0 = performance.now();
await runScan({ root: corpus, now: new Date('2026-01-15T12:00:00Z') });
const total = performance.now() - t0;
console.log(`\ntime per rule family (one in-process scan, ${total.toFixed(0)} ms in total):`);
for (const [family, f] of [...families].sort((a, b) => b[1].ms - a[1].ms))
  console.log(
    `  ${family.padEnd(28)} ${String(f.checks).padStart(3)} checks  ${f.ms.toFixed(1).padStart(7)} ms`,
  );

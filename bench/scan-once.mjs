// One measured CLI run in this process: prints {ms, maxRssMb, exitCode} as JSON on the last stdout line.
// Used by bench/scan-bench.ts so each sample is a fresh process (cold start included, like a CI job).
import { main } from '../dist/cli/main.js';

const t0 = performance.now();
const exitCode = await main(['node', 'evident', ...process.argv.slice(2)]);
const ms = performance.now() - t0;
process.stdout.write(
  `\n${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, exitCode })}\n`,
);
process.exitCode = 0;

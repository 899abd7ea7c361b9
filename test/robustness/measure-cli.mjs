// Runs the built CLI like bin/evident.js and records, in the file named by EVIDENT_MEASURE_OUT, the
// exit code, the peak resident set size of this process (process.resourceUsage().maxRSS, KiB) and its
// CPU time (user + system, all threads, ms): the robustness suite measures the real CLI process this
// way (Node gives no rusage of children), and CPU time does not depend on how busy the machine is.
import { writeFileSync } from 'node:fs';
import { installCrashHandlers, main } from '../../dist/cli/main.js';

installCrashHandlers();
const code = await main(process.argv);
if (process.env.EVIDENT_MEASURE_OUT) {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.EVIDENT_MEASURE_OUT,
    JSON.stringify({ code, maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }),
  );
}
process.exitCode = code;

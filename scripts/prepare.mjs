// npm's `prepare` step: builds dist/ when it is missing. That is what makes
// `npm install --save-dev git+https://…/evident.git` work (npm clones the repository, installs its
// dependencies and runs `prepare` before packing it), and a fresh clone runnable right after `npm ci`.
// An existing dist/ is left alone: `npm test` and `npm pack` (prepack) rebuild it anyway.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
  process.exit(r.status ?? 1);
}

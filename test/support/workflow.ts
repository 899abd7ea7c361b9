// Validation and a small local runner for the GitHub Actions workflow docs/ci.md shows, so the recipe
// users copy is linted and its steps are executed by the tests (test/e2e/install-and-ci.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One step of a job, as written in the workflow. */
export interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

/** The parts of a workflow the tests read. */
export interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: WorkflowStep[] }>;
}

/** The YAML of the first ```yaml block after `heading` in Markdown `md`. */
export function yamlBlockAfter(md: string, heading: string): string {
  const at = md.indexOf(heading);
  assert.ok(at >= 0, `no "${heading}" heading`);
  const m = /```yaml\n([\s\S]*?)```/.exec(md.slice(at));
  assert.ok(m, `no yaml block after "${heading}"`);
  return m[1] as string;
}

/**
 * Lints a workflow with action-validator (the workflow JSON schema GitHub's own editor support uses, via
 * `@action-validator/core`, WASM). Returns its errors flattened to `path: detail` lines; empty when valid.
 */
export function lintWorkflow(yamlText: string): string[] {
  const req = createRequire(import.meta.url);
  const { validateWorkflow } = req('@action-validator/core') as {
    validateWorkflow(src: string): { errors: ValidationError[] };
  };
  const out: string[] = [];
  const walk = (errors: ValidationError[]) => {
    for (const e of errors) {
      if (e.states?.length) for (const s of e.states) walk(s.errors);
      else out.push(`${e.path ?? ''}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`);
    }
  };
  walk(validateWorkflow(yamlText).errors);
  return [...new Set(out)];
}

interface ValidationError {
  path?: string;
  title: string;
  detail?: string;
  states?: { errors: ValidationError[] }[];
}

/**
 * Inputs of the actions the recipe uses, from each action's `action.yml` at the major version named
 * (actions/checkout v4, actions/setup-node v4, actions/cache restore/save v4, actions/upload-artifact v4,
 * github/codeql-action/upload-sarif v3). A `with:` key outside these is a typo the runner would ignore
 * with only a warning.
 */
export const ACTION_INPUTS: Record<string, readonly string[]> = {
  'actions/checkout@v4': [
    'repository',
    'ref',
    'token',
    'ssh-key',
    'ssh-known-hosts',
    'ssh-strict',
    'ssh-user',
    'persist-credentials',
    'path',
    'clean',
    'filter',
    'sparse-checkout',
    'sparse-checkout-cone-mode',
    'fetch-depth',
    'fetch-tags',
    'show-progress',
    'lfs',
    'submodules',
    'set-safe-directory',
    'github-server-url',
  ],
  'actions/setup-node@v4': [
    'always-auth',
    'node-version',
    'node-version-file',
    'architecture',
    'check-latest',
    'registry-url',
    'scope',
    'token',
    'cache',
    'cache-dependency-path',
    'mirror',
    'mirror-token',
  ],
  'actions/cache/restore@v4': [
    'path',
    'key',
    'restore-keys',
    'enableCrossOsArchive',
    'fail-on-cache-miss',
    'lookup-only',
  ],
  'actions/cache/save@v4': ['path', 'key', 'upload-chunk-size', 'enableCrossOsArchive'],
  'actions/upload-artifact@v4': [
    'name',
    'path',
    'if-no-files-found',
    'retention-days',
    'compression-level',
    'overwrite',
    'include-hidden-files',
  ],
  'github/codeql-action/upload-sarif@v3': [
    'sarif_file',
    'checkout_path',
    'ref',
    'sha',
    'token',
    'matrix',
    'category',
    'wait-for-processing',
  ],
};

/** Problems with the `uses:` steps of a workflow: unknown actions and inputs, inputs that are not strings. */
export function checkActionInputs(wf: Workflow): string[] {
  const out: string[] = [];
  for (const [job, { steps }] of Object.entries(wf.jobs)) {
    steps.forEach((s, i) => {
      if (!s.uses) return;
      const known = ACTION_INPUTS[s.uses];
      if (!known) {
        out.push(`jobs.${job}.steps[${i}]: ${s.uses} is not an action this test knows the inputs of`);
        return;
      }
      for (const [k, v] of Object.entries(s.with ?? {})) {
        if (!known.includes(k)) out.push(`jobs.${job}.steps[${i}] ${s.uses}: unknown input '${k}'`);
        if (typeof v === 'object')
          out.push(`jobs.${job}.steps[${i}] ${s.uses}: input '${k}' must be a string`);
      }
    });
  }
  return out;
}

/** The state one simulated run starts from and the values of the expressions it evaluates. */
export interface RunContext {
  /** Workspace: the checked-out repository. */
  workspace: string;
  /** Directory standing in for the Actions cache (one subdirectory per key). */
  cacheDir: string;
  /** Event: a push to main, or a pull request from a fork (no secrets, read-only token). */
  event: 'push' | 'fork-pull-request';
  runId: number;
  secrets: Record<string, string>;
  /** Extra environment for every step (PATH, HOME, ...). */
  env: NodeJS.ProcessEnv;
  /** Steps (by `run:` text) not to execute; the caller says why (e.g. `npm ci` already done). */
  skipRun?: (run: string) => boolean;
}

/** What a simulated run did: per step, whether it ran, its exit status and output. */
export interface StepResult {
  step: WorkflowStep;
  ran: boolean;
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Every `if:` condition the recipe uses, evaluated for an event. A condition not in this table fails the
 * test, so a change to the recipe's conditions is a change to this table too.
 */
function condition(expr: string | undefined, ctx: RunContext, failed: boolean): boolean {
  const push = ctx.event === 'push';
  const table: Record<string, boolean> = {
    'always()': true,
    "always() && github.event_name == 'push'": push,
    "always() && (github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository)":
      push,
  };
  if (expr === undefined) return !failed;
  assert.ok(expr in table, `the test does not know the condition: if: ${expr}`);
  return table[expr] as boolean;
}

/** Replaces the `${{ … }}` expressions the recipe uses; any other left in `text` fails the test. */
function expand(text: string, ctx: RunContext): string {
  const values: Record<string, string> = {
    'github.run_id': String(ctx.runId),
    'secrets.EVIDENT_SIGNING_KEY': ctx.secrets.EVIDENT_SIGNING_KEY ?? '',
    // GitHub gives an unset secret (and every secret, to a fork's pull request) as ''
    'secrets.EVIDENT_SECRETS_SALT': ctx.secrets.EVIDENT_SECRETS_SALT ?? '',
  };
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    assert.ok(expr in values, `the test does not know the expression \${{ ${expr} }} in: ${text}`);
    return values[expr] as string;
  });
}

/**
 * Runs the steps of `job` the way GitHub's runner would for `ctx.event`: `run:` steps with
 * `bash -eo pipefail` in the workspace and the step's env; after a failing step only `always()` steps run.
 * `uses:` steps are simulated: checkout and setup-node are already done by the caller; cache restore/save
 * copy to and from `ctx.cacheDir` (restore takes the newest key with a restore-keys prefix); upload-sarif
 * and upload-artifact assert their paths exist (hidden ones only with include-hidden-files).
 */
export function runJob(steps: WorkflowStep[], ctx: RunContext): StepResult[] {
  const results: StepResult[] = [];
  let failed = false;
  const summary = join(ctx.workspace, '..', `step-summary-${ctx.runId}.md`);
  for (const step of steps) {
    if (!condition(step.if, ctx, failed)) {
      results.push({ step, ran: false, status: 0, stdout: '', stderr: '' });
      continue;
    }
    const res: StepResult = { step, ran: true, status: 0, stdout: '', stderr: '' };
    if (step.run !== undefined) {
      if (ctx.skipRun?.(step.run)) {
        results.push({ ...res, ran: false });
        continue;
      }
      const env: NodeJS.ProcessEnv = {
        ...ctx.env,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: ctx.event === 'push' ? 'push' : 'pull_request',
        GITHUB_RUN_ID: String(ctx.runId),
        GITHUB_REPOSITORY: 'acme/platform',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_WORKFLOW: 'compliance',
        GITHUB_STEP_SUMMARY: summary,
      };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v), ctx);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run, ctx)], {
        cwd: ctx.workspace,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      });
      Object.assign(res, { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    } else if (step.uses?.startsWith('actions/cache/')) {
      const w = step.with as Record<string, string>;
      const path = join(ctx.workspace, w.path as string);
      if (step.uses.startsWith('actions/cache/restore')) {
        const prefix = expand(w['restore-keys'] as string, ctx).trim();
        const keys = existsSync(ctx.cacheDir)
          ? readdirSync(ctx.cacheDir).filter((k) => k.startsWith(prefix))
          : [];
        const newest = keys
          .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
          .at(-1);
        if (newest) cpSync(join(ctx.cacheDir, newest), path, { recursive: true });
      } else {
        const key = expand(w.key as string, ctx);
        mkdirSync(ctx.cacheDir, { recursive: true });
        if (existsSync(path)) cpSync(path, join(ctx.cacheDir, key), { recursive: true });
      }
    } else if (step.uses?.startsWith('github/codeql-action/upload-sarif')) {
      const file = join(ctx.workspace, (step.with as Record<string, string>).sarif_file as string);
      if (!existsSync(file)) Object.assign(res, { status: 1, stderr: `upload-sarif: ${file} missing` });
    } else if (step.uses?.startsWith('actions/upload-artifact')) {
      const w = step.with as Record<string, unknown>;
      const paths = String(w.path)
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      const hidden = w['include-hidden-files'] === true || w['include-hidden-files'] === 'true';
      const missing = paths.filter(
        (p) =>
          !existsSync(join(ctx.workspace, p)) || (!hidden && p.split('/').some((seg) => seg.startsWith('.'))),
      );
      if (missing.length)
        Object.assign(res, {
          status: 1,
          stderr: `upload-artifact: nothing uploaded for ${missing.join(', ')}`,
        });
    }
    if (res.status !== 0) failed = true;
    results.push(res);
  }
  return results;
}

/** Empties a workspace except `keep` (a fresh checkout, with dependencies already installed). */
export function freshCheckout(workspace: string, keep: string[]): void {
  const r = spawnSync('git', ['-C', workspace, 'clean', '-ffdxq', ...keep.flatMap((k) => ['-e', k])], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
}

/** Parses the workflow YAML. */
export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

// Two journeys of a new user, end to end, in a fresh temporary repository:
//  1. install Evident from the tarball `npm pack` makes, with the command README.md gives, then init, scan,
//     keygen and verify there (including the unsigned trial run and a fresh signed log);
//  2. the GitHub Actions recipe of docs/ci.md: linted, its action inputs checked, and its steps run for two
//     pushes to main and a pull request from a fork.
// The package is packed with --ignore-scripts from the dist/ that `npm test` has just built (running its
// prepack here would rebuild dist/ under the other tests' feet); npm installs with --prefer-offline.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ScanResult } from '../../src/core/scan-result.js';
import { VERSION } from '../../src/core/version.js';
import {
  checkActionInputs,
  freshCheckout,
  lintWorkflow,
  parseWorkflow,
  runJob,
  yamlBlockAfter,
} from '../support/workflow.js';
import { REPO } from './helpers.js';

const T = mkdtempSync(join(tmpdir(), 'evident-install-'));
const USER = join(T, 'user');
const KEYS = join(T, 'keys');

/** The environment without the variables `npm test` exports to its children (they would steer the inner npm). */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('npm_') || k.startsWith('EVIDENT_')) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    env: cleanEnv(env),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** `npx evident ARGS` in the user's repository, as the README tells users to run it. */
function npxEvident(args: string[], env: NodeJS.ProcessEnv = {}, cwd = USER) {
  // --yes=false: never fetch a package named evident from the registry if the local one is missing
  return sh('npx', ['--yes=false', 'evident', ...args], cwd, env);
}

function git(cwd: string, ...args: string[]): string {
  const r = sh('git', ['-c', 'user.name=Acme', '-c', 'user.email=dev@acme.example', ...args], cwd);
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The `npm install --save-dev …tgz` line of README.md's "Using it". */
function readmeInstallCommand(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using it'));
  const m = /^npm install --save-dev (\S+\.tgz)\s*$/m.exec(section);
  assert.ok(m, 'README.md "Using it" shows `npm install --save-dev PATH.tgz`');
  return ['install', '--save-dev'];
}

before(() => {
  assert.ok(existsSync(join(REPO, 'dist', 'cli', 'main.js')), 'dist/ is built (npm test builds it first)');
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  assert.match(pkg.scripts.prepack ?? '', /npm run build/, 'npm pack builds the package (prepack)');
  const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', T], REPO);
  assert.equal(pack.status, 0, pack.stderr);
  const tgz = join(T, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);

  mkdirSync(USER);
  git(USER, 'init', '-q', '-b', 'main');
  writeFileSync(
    join(USER, 'package.json'),
    `${JSON.stringify({ name: 'acme-platform', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  writeFileSync(join(USER, '.gitignore'), 'node_modules/\n');
  for (const d of ['terraform', 'kubernetes'])
    cpSync(join(REPO, 'examples', 'platform', d), join(USER, d), { recursive: true });
  const install = sh('npm', [...readmeInstallCommand(), tgz, '--prefer-offline'], USER);
  assert.equal(install.status, 0, `npm install of the packed tarball failed:\n${install.stderr}`);
});

after(() => rmSync(T, { recursive: true, force: true }));

describe('journey 1: install from the packed tarball into a new repository, then init, scan, keygen, verify', () => {
  test('the package installs with its bin, the Terraform grammar, catalogs and schema, and nothing it does not need', () => {
    const pkg = JSON.parse(readFileSync(join(USER, 'package.json'), 'utf8'));
    assert.match(pkg.devDependencies.evident, /^file:.*evident-\d+\.\d+\.\d+\.tgz$/);
    const installed = join(USER, 'node_modules', 'evident');
    for (const f of [
      'bin/evident.js',
      'dist/cli/main.js',
      'dist/sources/terraform/tree-sitter-terraform.wasm',
      'dist/frameworks/soc2/catalog.yaml',
      'dist/frameworks/iso27001-2022/catalog.yaml',
      'dist/report/scan-result.schema.json',
      'README.md',
    ])
      assert.ok(existsSync(join(installed, f)), `packaged: ${f}`);
    for (const f of ['src', 'test', 'examples', 'bench'])
      assert.equal(existsSync(join(installed, f)), false, `not packaged: ${f}`);
    assert.equal(
      existsSync(join(USER, 'node_modules', '@tree-sitter-grammars')),
      false,
      'grammar package not installed',
    );
    const v = npxEvident(['--version']);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), VERSION);
  });

  test('init, an unsigned trial scan (said even with -q), keygen, a signed scan that warns about the mixed log, verify, a fresh signed log', () => {
    const init = npxEvident(['init']);
    assert.equal(init.status, 0, init.stderr);
    assert.ok(existsSync(join(USER, 'evident.yaml')));

    // quick start, no key: recorded UNSIGNED, said on stderr despite -q
    const trial = npxEvident(['scan', '-q'], { EVIDENT_SIGNING_KEY: '' });
    assert.equal(trial.status, 1, trial.stderr);
    assert.match(
      trial.stderr,
      /evident: evidence recorded UNSIGNED: \.evident\/ledger entry #0: \$EVIDENT_SIGNING_KEY is set but empty/,
    );
    assert.ok(existsSync(join(USER, '.evident', 'ledger', 'checkpoint')), 'log in the repository');
    assert.equal(
      git(USER, 'status', '--porcelain', '--untracked-files=all', '--', '.evident'),
      '?? .evident/.gitignore\n',
      'the log is not offered for commit, only the .gitignore that keeps it out',
    );

    const keygen = npxEvident(['keygen', '--out', KEYS]);
    assert.equal(keygen.status, 0, keygen.stderr);
    const signing = { EVIDENT_SIGNING_KEY_FILE: join(KEYS, 'evident.key') };
    const pub = join(KEYS, 'evident.pub');

    const signed = npxEvident(['scan', '-q'], signing);
    assert.equal(signed.status, 1);
    assert.match(
      signed.stderr,
      /WARNING: appending entries signed by SHA256:\S+ to \.evident\/ledger, which holds 1 unsigned of its 1 entries/,
    );
    const mixed = npxEvident(['verify', '--key', pub]);
    assert.equal(mixed.status, 1, mixed.stdout);
    assert.match(mixed.stdout, /^hint: every entry must be signed by the one pinned key/m);

    renameSync(join(USER, '.evident', 'ledger'), join(USER, '.evident', 'ledger-trial'));
    const fresh = npxEvident(['scan'], signing);
    assert.equal(fresh.status, 1);
    assert.doesNotMatch(fresh.stderr, /WARNING/);
    assert.match(fresh.stderr, /evidence recorded and signed by SHA256:\S+: \.evident\/ledger entry #0/);
    const ok = npxEvident(['verify', '--key', pub]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^verdict: OK: \.evident\/ledger: 1 entries verified$/m);
    assert.equal(npxEvident(['verify', '.evident/ledger-trial', '--key', pub, '--allow-unsigned']).status, 0);

    const json = npxEvident(['scan', '--no-evidence', '-q', '-f', 'json']);
    const result = JSON.parse(json.stdout) as ScanResult;
    assert.ok(result.inputs.some((i) => i.file === 'terraform/main.tf'));
    assert.equal(result.controlMap.file, 'evident.yaml');
    assert.ok(result.controls.every((c) => c.location === undefined || c.location.file === 'evident.yaml'));

    git(USER, 'add', '-A');
    git(USER, 'commit', '-qm', 'Add Evident');
  });
});

describe('journey 2: the GitHub Actions recipe of docs/ci.md', () => {
  const md = readFileSync(join(REPO, 'docs', 'ci.md'), 'utf8');
  const text = yamlBlockAfter(md, '## GitHub Actions');
  const wf = parseWorkflow(text);
  const steps = Object.values(wf.jobs)[0]!.steps;

  test('passes the workflow linter, uses only documented action inputs, keeps .evident/, checks out nothing else', () => {
    assert.deepEqual(lintWorkflow(text), []);
    assert.deepEqual(checkActionInputs(wf), []);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    assert.equal(typeof upload.with?.path, 'string', 'upload-artifact path is a string');
    assert.match(String(upload.with?.path), /^\.evident\/$/m);
    assert.equal(
      upload.with?.['include-hidden-files'],
      true,
      'upload-artifact v4.4+ skips .evident/ without it',
    );
    const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout'));
    assert.equal(checkouts.length, 1, 'one checkout: the repository itself');
    assert.deepEqual(
      checkouts[0]!.with,
      { 'fetch-depth': 0 },
      'the whole history (the secrets history scan needs it), and no other repository or path',
    );
    assert.ok(
      steps.some((s) => s.run?.trim() === 'npm ci'),
      "Evident comes from the repository's own devDependencies",
    );
    // the linter is real: the list the old recipe had is rejected
    assert.ok(
      lintWorkflow(
        text.replace(/path: \|\n\s+evident\.json\n\s+\.evident\//, 'path: [evident.json, .evident/]'),
      ).length > 0,
    );
  });

  test('its steps run in a fresh checkout: two pushes to main extend one signed log; a fork pull request is recorded unsigned, says so, and is not kept', () => {
    const work = join(T, 'ci', 'workspace');
    const cacheDir = join(T, 'ci', 'cache');
    mkdirSync(join(T, 'ci'));
    git(T, 'clone', '-q', USER, work);
    const key = readFileSync(join(KEYS, 'evident.key'), 'utf8');
    const pub = join(KEYS, 'evident.pub');
    const env = cleanEnv({ npm_config_prefer_offline: 'true' });
    let installed = false;
    const run = (runId: number, event: 'push' | 'fork-pull-request') => {
      freshCheckout(work, ['node_modules']);
      // a tool checked out into the workspace (another repository) must not be scanned
      mkdirSync(join(work, 'evident-tool', '.git'), { recursive: true });
      writeFileSync(
        join(work, 'evident-tool', 'main.tf'),
        'resource "aws_s3_bucket" "tool" { acl = "public-read" }\n',
      );
      const results = runJob(steps, {
        workspace: work,
        cacheDir,
        event,
        runId,
        secrets:
          event === 'push'
            ? { EVIDENT_SIGNING_KEY: key, EVIDENT_SECRETS_SALT: 'ci-salt-6f1d2c9e8a7b4035' }
            : {},
        env,
        // `npm ci` installs the same lockfile every time: run it once
        skipRun: (r) => r.trim() === 'npm ci' && installed,
      });
      installed = true;
      return (name: string) => results.find((r) => r.step.name === name || r.step.uses?.startsWith(name))!;
    };

    const first = run(1, 'push');
    assert.equal(first('Scan').status, 1, `the example has failing findings:\n${first('Scan').stderr}`);
    assert.match(
      first('Scan').stderr,
      /evidence recorded and signed by SHA256:\S+: \.evident\/ledger entry #0/,
    );
    assert.equal(first('Reports').status, 0, first('Reports').stderr);
    for (const s of ['actions/cache/save', 'github/codeql-action/upload-sarif', 'actions/upload-artifact'])
      assert.ok(first(s).ran && first(s).status === 0, `${s}: ${first(s).stderr}`);
    const result = JSON.parse(readFileSync(join(work, 'evident.json'), 'utf8')) as ScanResult;
    assert.deepEqual(
      result.skipped.filter((s) => s.file.startsWith('evident-tool')).map((s) => s.file),
      ['evident-tool/'],
    );
    assert.ok(
      !result.inputs.some((i) => i.file.startsWith('evident-tool')),
      'the tool checkout is not scanned',
    );
    assert.ok(JSON.parse(readFileSync(join(work, 'evident.sarif'), 'utf8')).runs.length === 1);
    assert.match(readFileSync(join(T, 'ci', 'step-summary-1.md'), 'utf8'), /^#+ .*Evident/m);

    const second = run(2, 'push');
    assert.match(
      second('Scan').stderr,
      /evidence recorded and signed by SHA256:\S+: \.evident\/ledger entry #1/,
    );
    const verified = npxEvident(['verify', '--key', pub], {}, work);
    assert.equal(verified.status, 0, verified.stdout);
    assert.match(verified.stdout, /2 entries verified/);

    const fork = run(3, 'fork-pull-request');
    assert.equal(fork('Scan').status, 1);
    assert.match(
      fork('Scan').stderr,
      /evidence recorded UNSIGNED: \.evident\/ledger entry #2: \$EVIDENT_SIGNING_KEY is set but empty \(CI secrets are not given to pull requests from forks\)/,
    );
    assert.match(
      fork('Scan').stderr,
      /WARNING: appending an UNSIGNED entry to \.evident\/ledger, whose 2 other entries are signed/,
    );
    assert.equal(fork('actions/cache/save').ran, false, 'a pull request does not save the log');
    assert.equal(fork('github/codeql-action/upload-sarif').ran, false, "a fork's token cannot upload SARIF");
    assert.ok(fork('actions/upload-artifact').ran && fork('actions/upload-artifact').status === 0);
    const kept = readdirSync(cacheDir).sort();
    assert.deepEqual(kept, ['evident-ledger-1', 'evident-ledger-2']);
    const keptLog = npxEvident(['verify', join(cacheDir, 'evident-ledger-2'), '--key', pub], {}, work);
    assert.equal(keptLog.status, 0, keptLog.stdout);
  });
});

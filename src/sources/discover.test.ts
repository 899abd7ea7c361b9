import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EvidentError } from '../core/errors.js';
import { compileExcludes, discoverInputs } from './discover.js';
import { looksLikeTerraformPlan } from './terraform-plan/source.js';
import { discoverAndClaim } from './test-support.js';

const PLAN_HEAD = '{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{}}';

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

describe('discoverInputs and claimInputs', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'evident-discover-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('sorts Terraform dirs, plan JSON and YAML files, skipping tool and VCS dirs', async () => {
    const root = path.join(tmp, 'repo');
    await tree(root, {
      'infra/b/main.tf': 'resource "x" "y" {}',
      'infra/b/vars.tf': '',
      'infra/a/main.tf': '',
      'infra/a/modules/net/net.tf': '',
      'infra/notes.md': '',
      'plans/prod.json': `${PLAN_HEAD}\n`,
      'plans/pretty.json': '{\n  "format_version": "1.0",\n  "resource_changes": []\n}',
      'plans/package.json': '{"name":"x","format_version":"1"}',
      'plans/array.json': '[{"format_version":"1","terraform_version":"1"}]',
      'k8s/deploy.yaml': 'kind: Deployment',
      'k8s/svc.YML': 'kind: Service',
      '.github/workflows/ci.yml': 'on: push',
      '.git/config.yaml': '',
      'node_modules/pkg/x.tf': '',
      'infra/a/.terraform/modules/m/main.tf': '',
      '.evident/log.json': PLAN_HEAD,
      'dist/out.yaml': '',
    });
    const r = await discoverAndClaim(root);
    assert.deepEqual(
      r.terraformDirs,
      ['infra/a', 'infra/a/modules/net', 'infra/b'].map((p) => path.join(root, p)),
    );
    assert.deepEqual(
      r.planFiles,
      ['plans/pretty.json', 'plans/prod.json'].map((p) => path.join(root, p)),
    );
    assert.deepEqual(
      r.yamlFiles,
      ['.github/workflows/ci.yml', 'k8s/deploy.yaml', 'k8s/svc.YML'].map((p) => path.join(root, p)),
    );
    assert.deepEqual(r.diagnostics, []);
  });

  it('accepts a relative root and returns absolute paths', async () => {
    const root = path.join(tmp, 'rel');
    await tree(root, { 'a.yaml': 'x: 1' });
    const r = await discoverAndClaim(path.relative(process.cwd(), root));
    assert.deepEqual(r.yamlFiles, [path.join(root, 'a.yaml')]);
  });

  it('scans a single file given as root', async () => {
    const root = path.join(tmp, 'single');
    await tree(root, { 'plan.json': PLAN_HEAD, 'pod.yaml': 'kind: Pod', 'main.tf': '' });
    assert.deepEqual((await discoverAndClaim(path.join(root, 'plan.json'))).planFiles, [
      path.join(root, 'plan.json'),
    ]);
    assert.deepEqual((await discoverAndClaim(path.join(root, 'pod.yaml'))).yamlFiles, [
      path.join(root, 'pod.yaml'),
    ]);
    assert.deepEqual((await discoverAndClaim(path.join(root, 'main.tf'))).terraformDirs, [root]);
  });

  it('returns nothing for an empty directory', async () => {
    const root = path.join(tmp, 'empty');
    await mkdir(root);
    const r = await discoverAndClaim(root);
    assert.deepEqual(r.files, []);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.skipped, []);
  });

  it('throws E_USAGE for a missing root', async () => {
    await assert.rejects(discoverInputs(path.join(tmp, 'nope')), (err: unknown) => {
      assert.ok(err instanceof EvidentError);
      assert.equal(err.code, 'E_USAGE');
      assert.match(err.message, /no such file/);
      return true;
    });
  });

  it('applies exclude patterns relative to the root', async () => {
    const root = path.join(tmp, 'excl');
    await tree(root, {
      'vendor/a.yaml': '',
      'vendor2/a.yaml': '',
      'envs/dev/main.tf': '',
      'envs/prod/main.tf': '',
      'k8s/generated/x.yaml': '',
      'k8s/app/generated/y.yaml': '',
      'k8s/app/z.yaml': '',
    });
    const r = await discoverAndClaim(root, { exclude: ['./vendor/', 'envs/d*', '**/generated'] });
    assert.deepEqual(
      r.yamlFiles,
      ['k8s/app/z.yaml', 'vendor2/a.yaml'].map((p) => path.join(root, p)),
    );
    assert.deepEqual(r.terraformDirs, [path.join(root, 'envs/prod')]);
  });

  it('follows directory symlinks, reports loops once and never hangs', async () => {
    const root = path.join(tmp, 'loop');
    await tree(root, { 'a/b/pod.yaml': 'kind: Pod', 'shared/main.tf': '' });
    await symlink('..', path.join(root, 'a/b/up')); // a/b/up -> a (an ancestor)
    await symlink(path.join(root, 'shared'), path.join(root, 'a/linked')); // second path to shared/
    await symlink(path.join(root, 'outside-missing'), path.join(root, 'a/broken.yaml'));
    const r = await discoverAndClaim(root);
    assert.deepEqual(r.yamlFiles, [path.join(root, 'a/b/pod.yaml')]);
    // shared/ is reached via a/linked first (sorted walk), so it is reported under that path only.
    assert.deepEqual(r.terraformDirs, [path.join(root, 'a/linked')]);
    const loop = r.diagnostics.find((d) => d.code === 'E_INPUT_LOOP' && d.severity === 'warning');
    assert.ok(loop, JSON.stringify(r.diagnostics));
    assert.equal(loop.file, 'a/b/up');
    const dup = r.diagnostics.find((d) => d.code === 'E_INPUT_LOOP' && d.severity === 'info');
    assert.equal(dup?.file, 'shared');
    const broken = r.diagnostics.find((d) => d.file === 'a/broken.yaml');
    assert.equal(broken?.severity, 'warning');
    assert.match(broken?.message ?? '', /Broken symlink/);
  });

  it('follows a symlink to a file', async () => {
    const root = path.join(tmp, 'filelink');
    await tree(root, { 'real/pod.yaml': 'kind: Pod' });
    await symlink(path.join(root, 'real/pod.yaml'), path.join(root, 'alias.yaml'));
    const r = await discoverAndClaim(root);
    assert.deepEqual(r.yamlFiles, [path.join(root, 'alias.yaml'), path.join(root, 'real/pod.yaml')]);
  });

  it('reports an unreadable directory and goes on', {
    skip: process.getuid?.() === 0 ? 'root can read anything' : false,
  }, async () => {
    const root = path.join(tmp, 'perm');
    await tree(root, { 'locked/a.yaml': '', 'open/b.yaml': '' });
    await chmod(path.join(root, 'locked'), 0o000);
    try {
      const r = await discoverAndClaim(root);
      assert.deepEqual(r.yamlFiles, [path.join(root, 'open/b.yaml')]);
      assert.equal(r.diagnostics[0]?.file, 'locked');
      assert.equal(r.diagnostics[0]?.code, 'E_IO');
    } finally {
      await chmod(path.join(root, 'locked'), 0o755);
    }
  });
});

describe('discoverInputs: other repositories and --exclude that matches nothing', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'evident-discover-nested-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('skips, and lists, a directory with its own .git directory (a tool checkout); scans a submodule (.git file)', async () => {
    const root = path.join(tmp, 'ws');
    await tree(root, {
      'main.tf': '',
      'evident-tool/.git/HEAD': 'ref: refs/heads/main\n',
      'evident-tool/src/checks/fixtures/fail.tf': '',
      'vendor/mod/.git': 'gitdir: ../../.git/modules/mod\n',
      'vendor/mod/main.tf': '',
    });
    await mkdir(path.join(root, '.git'));
    const r = await discoverInputs(root);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['main.tf', 'vendor/mod/.git', 'vendor/mod/main.tf'],
    );
    assert.equal(r.skipped.length, 1);
    assert.equal(r.skipped[0]?.file, 'evident-tool/');
    assert.match(r.skipped[0]!.reason, /another git repository .* Scan it by passing its path/);
    // the nested repository itself, passed as the root, is scanned
    const own = await discoverInputs(path.join(root, 'evident-tool'));
    assert.deepEqual(
      own.files.map((f) => f.rel),
      ['src/checks/fixtures/fail.tf'],
    );
  });

  it('warns about each --exclude pattern that matched nothing, suggesting the root-relative pattern', async () => {
    const root = path.join(tmp, 'ex');
    await tree(root, { 'infra/legacy/main.tf': '', 'infra/main.tf': '' });
    const prev = process.cwd();
    process.chdir(tmp);
    try {
      const r = await discoverInputs('ex', { exclude: ['ex/infra/legacy', 'infra/legacy', 'nope'] });
      assert.deepEqual(
        r.files.map((f) => f.rel),
        ['infra/main.tf'],
      );
      const messages = r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`);
      assert.equal(messages.length, 2, messages.join('\n'));
      assert.match(
        messages[0]!,
        /^warning E_USAGE --exclude ex\/infra\/legacy matched nothing .* did you mean --exclude infra\/legacy\?$/,
      );
      assert.match(messages[1]!, /^warning E_USAGE --exclude nope matched nothing .* check the spelling\.$/);
    } finally {
      process.chdir(prev);
    }
  });
});

describe('looksLikeTerraformPlan', () => {
  it('needs format_version plus a Terraform key at the top of an object', () => {
    assert.equal(looksLikeTerraformPlan(PLAN_HEAD), true);
    assert.equal(looksLikeTerraformPlan(`\ufeff ${PLAN_HEAD}`), true);
    assert.equal(looksLikeTerraformPlan('{"format_version":"1.0"}'), false);
    assert.equal(looksLikeTerraformPlan('{"terraform_version":"1.0"}'), false);
    assert.equal(looksLikeTerraformPlan(`[${PLAN_HEAD}]`), false);
    assert.equal(looksLikeTerraformPlan('\u0000\u0001binary'), false);
  });
});

describe('compileExcludes', () => {
  it('matches prefixes on segment boundaries and globs', () => {
    const ex = compileExcludes(['vendor', 'a/*/c', '**/*.gen.yaml', 'x?z']);
    assert.equal(ex('vendor'), true);
    assert.equal(ex('vendor/deep/file.yaml'), true);
    assert.equal(ex('vendor2/file.yaml'), false);
    assert.equal(ex('a/b/c/d.tf'), true);
    assert.equal(ex('a/b/d/c'), false);
    assert.equal(ex('k8s/app.gen.yaml'), true);
    assert.equal(ex('app.gen.yaml'), true);
    assert.equal(ex('xyz/q'), true);
    assert.equal(ex('xz'), false);
    assert.equal(ex(''), false);
    assert.equal(compileExcludes([])('anything'), false);
  });
});

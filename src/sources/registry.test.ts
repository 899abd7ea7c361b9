import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadChecks } from '../checks/registry.js';
import type { Source } from '../core/source.js';
import { discoverInputs } from './discover.js';
import { claimInputs, emptyFacts, loadSources, SOURCES, sourceForFixture } from './registry.js';

const SOURCES_DIR = path.dirname(fileURLToPath(import.meta.url));

describe('source registry', () => {
  it('registers exactly one source per folder of src/sources, exported from its source.ts', async () => {
    const folders = readdirSync(SOURCES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_') && d.name !== 'fixtures')
      .map((d) => d.name)
      .sort();
    const registered: string[] = [];
    for (const folder of folders) {
      const file = path.join(SOURCES_DIR, folder, 'source.ts');
      assert.ok(
        existsSync(file),
        `src/sources/${folder}/source.ts exists (every source folder exports its Source)`,
      );
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const exported = Object.values(mod).filter(
        (v): v is Source => typeof v === 'object' && v !== null && 'claim' in v && 'load' in v,
      );
      assert.equal(exported.length, 1, `src/sources/${folder}/source.ts exports one Source`);
      const source = exported[0]!;
      assert.equal(source.id, folder, `the source in src/sources/${folder} has id '${folder}'`);
      assert.ok(SOURCES.includes(source), `source '${source.id}' is in SOURCES`);
      registered.push(source.id);
    }
    assert.deepEqual(
      [...SOURCES.map((s) => s.id)].sort(),
      registered,
      'SOURCES lists no source without a folder',
    );
  });

  it('has unique ids, claims in ascending priority, and documents what each source reads', () => {
    assert.equal(new Set(SOURCES.map((s) => s.id)).size, SOURCES.length);
    for (let i = 1; i < SOURCES.length; i++) assert.ok(SOURCES[i - 1]!.priority <= SOURCES[i]!.priority);
    for (const s of SOURCES) {
      assert.match(s.id, /^[a-z][a-z0-9-]*$/);
      assert.ok(s.title.length > 3 && s.reads.length > 10, `${s.id}: title and reads are sentences`);
      assert.ok(s.fixtureSuffixes.length > 0, `${s.id}: names the fixture file types it reads`);
    }
  });

  it('fills every facts family a check reads', async () => {
    const families = Object.keys(emptyFacts());
    for (const check of await loadChecks()) {
      assert.ok(families.includes(check.input), `${check.id}: input '${check.input}' has a source`);
    }
  });

  it('routes fixtures by the longest suffix', () => {
    assert.equal(sourceForFixture('pass-x.tf')?.id, 'terraform');
    assert.equal(sourceForFixture('fail-x.plan.json')?.id, 'terraform-plan');
    assert.equal(sourceForFixture('pass-x.yaml')?.id, 'kubernetes');
    assert.equal(sourceForFixture('fail-x.cfn.yaml')?.id, 'cloudformation');
    assert.equal(sourceForFixture('pass-x.cfn.json')?.id, 'cloudformation');
    assert.equal(sourceForFixture('notes.md'), undefined);
    assert.equal(sourceForFixture('fail-x.package-lock.json')?.id, 'dependencies');
    assert.equal(sourceForFixture('fail-x.secrets.txt')?.id, 'secrets');
  });

  it('offers a claimed file to no later source and loads every family', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'evident-registry-'));
    try {
      await mkdir(path.join(root, 'infra'), { recursive: true });
      await writeFile(path.join(root, 'infra/main.tf'), 'resource "aws_s3_bucket" "b" {}\n');
      await writeFile(
        path.join(root, 'plan.json'),
        '{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{}}}',
      );
      await writeFile(
        path.join(root, 'pod.yaml'),
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n',
      );
      await writeFile(
        path.join(root, 'stack.yaml'),
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n',
      );
      await writeFile(path.join(root, 'README.md'), '# not an input\n');
      const found = await discoverInputs(root);
      const { claims, diagnostics } = await claimInputs(found.files, root);
      assert.deepEqual(diagnostics, []);
      const byId = Object.fromEntries(claims.map((c) => [c.source.id, c.files.map((f) => f.rel)]));
      assert.deepEqual(byId, {
        terraform: ['infra/main.tf'],
        'terraform-plan': ['plan.json'],
        cloudformation: ['stack.yaml'],
        kubernetes: ['pod.yaml'],
        dependencies: [],
        // the secrets scan observes every file without taking it from the others
        secrets: ['README.md', 'infra/main.tf', 'plan.json', 'pod.yaml', 'stack.yaml'],
      });
      const all = claims.filter((c) => !c.source.observesAll).flatMap((c) => c.files.map((f) => f.abs));
      assert.equal(new Set(all).size, all.length, 'no file is claimed twice');
      const loaded = await loadSources(claims, { root, options: {}, progress: () => {} });
      assert.deepEqual(
        loaded.facts.terraform.map((r) => r.address),
        ['aws_s3_bucket.b'],
      );
      assert.deepEqual(
        loaded.facts.kubernetes.map((o) => o.address),
        ['Pod/~/p'],
      );
      assert.deepEqual(
        loaded.facts.cloudformation.map((r) => `${r.template}#${r.address}`),
        ['stack.yaml#Logs'],
      );
      assert.deepEqual(loaded.counts, {
        terraform: 1,
        'terraform-plan': 0,
        cloudformation: 1,
        kubernetes: 1,
        dependencies: 0,
        secrets: 1, // what the secrets scan covered: 5 files, no secret
      });
      assert.deepEqual(
        loaded.facts.secrets.map((f) => (f.kind === 'secret-scan' ? f.files : -1)),
        [5],
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

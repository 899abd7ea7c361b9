import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { locateRepository } from './repository.js';

const T = realpathSync(mkdtempSync(join(tmpdir(), 'evident-repo-')));
after(() => rmSync(T, { recursive: true, force: true }));

function gitInit(dir: string): void {
  mkdirSync(dir, { recursive: true });
  assert.equal(spawnSync('git', ['init', '-q', dir]).status, 0);
}

describe('locateRepository', () => {
  test('the nearest evident.yaml from the path up to the git work-tree root', () => {
    const repo = join(T, 'a');
    gitInit(repo);
    mkdirSync(join(repo, 'infra', 'prod'), { recursive: true });
    writeFileSync(join(repo, 'evident.yaml'), 'frameworks: [soc2]\n');
    const r = locateRepository(join(repo, 'infra', 'prod'));
    assert.equal(r.dir, repo);
    assert.equal(r.foundBy, 'evident.yaml');
    assert.equal(r.mapFile, join(repo, 'evident.yaml'));
    assert.equal(r.gitRoot, repo);
    assert.equal(r.ledgerDir, join(repo, '.evident', 'ledger'));
    assert.equal(r.exportsDir, join(repo, '.evident', 'exports'));
    // a file is looked up from its folder
    writeFileSync(join(repo, 'infra', 'prod', 'main.tf'), '');
    assert.equal(locateRepository(join(repo, 'infra', 'prod', 'main.tf')).dir, repo);
  });

  test('a nearer evident.yaml wins; one above the git work-tree root is not used', () => {
    writeFileSync(join(T, 'evident.yaml'), 'frameworks: [soc2]\n');
    const repo = join(T, 'b');
    gitInit(repo);
    mkdirSync(join(repo, 'svc'), { recursive: true });
    const r = locateRepository(join(repo, 'svc'));
    assert.equal(r.dir, repo);
    assert.equal(r.foundBy, 'git');
    assert.equal(r.mapFile, undefined);
    writeFileSync(join(repo, 'svc', 'evident.yaml'), 'frameworks: [soc2]\n');
    assert.equal(locateRepository(join(repo, 'svc')).dir, join(repo, 'svc'));
    rmSync(join(T, 'evident.yaml'));
  });

  test('outside git: the path itself (its evident.yaml when it has one), never a parent', () => {
    const plain = join(T, 'plain', 'deep');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(T, 'plain', 'evident.yaml'), 'frameworks: [soc2]\n');
    const r = locateRepository(plain);
    assert.equal(r.dir, plain);
    assert.equal(r.foundBy, 'path');
    assert.equal(r.gitRoot, undefined);
    assert.equal(locateRepository(join(T, 'plain')).foundBy, 'evident.yaml');
    assert.equal(locateRepository(join(T, 'missing')).dir, join(T, 'missing'));
  });
});

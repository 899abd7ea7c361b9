import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerMajorAtLeast, toSemverRange } from './provider-version.js';

const pv = (constraints: string[], locked?: string) => ({
  source: 'hashicorp/kubernetes',
  constraints,
  ...(locked ? { locked } : {}),
});

describe('provider version resolution', () => {
  it('translates Terraform constraints to semver ranges', () => {
    assert.equal(toSemverRange('~> 1.2'), '>=1.2.0 <2.0.0');
    assert.equal(toSemverRange('~> 1.2.3'), '>=1.2.3 <1.3.0');
    assert.equal(toSemverRange('>= 1.13, < 3'), '>=1.13.0 <3.0.0');
    assert.equal(toSemverRange('2.1.0'), '=2.1.0');
    assert.equal(toSemverRange('!= 2.0.0'), '*', '!= excludes one version, not a major');
    assert.equal(toSemverRange('latest'), undefined);
  });

  it('the lock file decides; else the newest version the constraints allow', () => {
    assert.equal(providerMajorAtLeast(pv([], '1.13.4'), 2), false);
    assert.equal(providerMajorAtLeast(pv(['>= 1.0'], '2.31.0'), 2), true);
    assert.equal(providerMajorAtLeast(pv(['~> 1.13']), 2), false);
    assert.equal(providerMajorAtLeast(pv(['>= 1.13', '< 3.0']), 2), true);
    assert.equal(providerMajorAtLeast(pv(['~> 2.0']), 2), true);
    assert.equal(providerMajorAtLeast(pv(['< 2.0.0', '>= 1.0']), 2), false);
    assert.equal(providerMajorAtLeast(undefined, 2), true, 'no constraint: the newest version');
    assert.equal(providerMajorAtLeast(pv(['nonsense']), 2), undefined, 'unreadable: not fixed');
  });
});

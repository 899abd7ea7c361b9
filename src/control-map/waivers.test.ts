import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCountedFailure } from '../core/finding.js';
import { fakeFinding } from './test-helpers.js';
import type { Waiver } from './types.js';
import { applyWaivers, isExpired, waiverMatches } from './waivers.js';

const NOW = new Date('2026-06-15T23:30:00Z');

function waiver(resource: string, extra: Partial<Waiver> = {}): Waiver {
  return {
    check: 'aws.s3-bucket-encrypted',
    resource,
    reason: 'public assets',
    owner: 'alice@example.com',
    expires: '2027-03-31',
    location: { file: 'evident.yaml', line: 20, column: 5 },
    ...extra,
  };
}

describe('waiverMatches', () => {
  const f = fakeFinding('aws.s3-bucket-encrypted', 'fail', 'aws_s3_bucket.public_assets', 'infra/prod');

  it('matches on check id and exact address', () => {
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_assets'), f), true);
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_asset'), f), false);
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_assets', { check: 'aws.other' }), f), false);
  });

  it('supports a trailing * as a prefix glob', () => {
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_*'), f), true);
    assert.equal(waiverMatches(waiver('*'), f), true);
    assert.equal(waiverMatches(waiver('aws_s3_bucket.private_*'), f), false);
    const inModule = fakeFinding('aws.s3-bucket-encrypted', 'fail', 'module.x.aws_s3_bucket.b["a"]');
    assert.equal(waiverMatches(waiver('module.x.*'), inModule), true);
    assert.equal(waiverMatches(waiver('module.xy.*'), inModule), false);
  });

  it('narrows by scope when given, ignoring ./ and trailing slashes', () => {
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_assets', { scope: 'infra/prod' }), f), true);
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_assets', { scope: './infra/prod/' }), f), true);
    assert.equal(waiverMatches(waiver('aws_s3_bucket.public_assets', { scope: 'infra/dev' }), f), false);
  });

  it('accepts former check ids through the alias map', () => {
    const aliases = new Map([['iac.s3-bucket-encrypted', 'aws.s3-bucket-encrypted']]);
    const w = waiver('aws_s3_bucket.public_assets', { check: 'iac.s3-bucket-encrypted' });
    assert.equal(waiverMatches(w, f), false);
    assert.equal(waiverMatches(w, f, aliases), true);
  });
});

describe('isExpired', () => {
  it('compares dates only, in UTC: a waiver is live through its expiry day', () => {
    assert.equal(isExpired({ expires: '2026-06-15' }, NOW), false);
    assert.equal(isExpired({ expires: '2026-06-14' }, NOW), true);
    // 23:30 UTC on the 15th is already the 16th in UTC+2, but UTC decides.
    assert.equal(isExpired({ expires: '2026-06-15' }, new Date('2026-06-16T00:00:00Z')), true);
  });
});

describe('applyWaivers', () => {
  it('attaches a live waiver to failing and error findings only', () => {
    const findings = [
      fakeFinding('aws.s3-bucket-encrypted', 'fail', 'aws_s3_bucket.public_a'),
      fakeFinding('aws.s3-bucket-encrypted', 'error', 'aws_s3_bucket.public_b'),
      fakeFinding('aws.s3-bucket-encrypted', 'pass', 'aws_s3_bucket.public_c'),
      fakeFinding('aws.s3-bucket-encrypted', 'unknown', 'aws_s3_bucket.public_d'),
      fakeFinding('aws.s3-bucket-encrypted', 'fail', 'aws_s3_bucket.private'),
    ];
    const { findings: out, unused } = applyWaivers(findings, [waiver('aws_s3_bucket.public_*')], NOW);
    assert.deepEqual(
      out.map((f) => f.waiver?.expired),
      [false, false, undefined, undefined, undefined],
    );
    assert.deepEqual(out[0]?.waiver, {
      reason: 'public assets',
      owner: 'alice@example.com',
      expires: '2027-03-31',
      expired: false,
      location: { file: 'evident.yaml', line: 20, column: 5 },
    });
    assert.deepEqual(out.map(isCountedFailure), [false, false, false, false, true]);
    assert.deepEqual(unused, []);
    assert.equal(findings[0]?.waiver, undefined, 'input findings are not modified');
  });

  it('an expired waiver still attaches, marked expired, and the finding counts as failing again', () => {
    const f = fakeFinding('aws.s3-bucket-encrypted', 'fail', 'aws_s3_bucket.public_a');
    const { findings, unused } = applyWaivers(
      [f],
      [waiver('aws_s3_bucket.public_a', { expires: '2026-01-31' })],
      NOW,
    );
    assert.equal(findings[0]?.waiver?.expired, true);
    assert.equal(findings[0]?.waiver?.expires, '2026-01-31');
    assert.equal(isCountedFailure(findings[0]!), true);
    assert.deepEqual(unused, []);
  });

  it('prefers a live waiver over an expired one that also matches', () => {
    const f = fakeFinding('aws.s3-bucket-encrypted', 'fail', 'aws_s3_bucket.public_a');
    const expired = waiver('aws_s3_bucket.public_a', { expires: '2020-01-01', reason: 'old' });
    const live = waiver('aws_s3_bucket.public_*', { reason: 'new' });
    const { findings, unused } = applyWaivers([f], [expired, live], NOW);
    assert.equal(findings[0]?.waiver?.reason, 'new');
    assert.equal(findings[0]?.waiver?.expired, false);
    assert.deepEqual(unused, []);
  });

  it('reports waivers that matched no failing finding as unused', () => {
    const findings = [
      fakeFinding('aws.s3-bucket-encrypted', 'pass', 'aws_s3_bucket.fixed'),
      fakeFinding('aws.s3-bucket-encrypted', 'fail', 'aws_s3_bucket.other'),
    ];
    const stale = waiver('aws_s3_bucket.gone');
    const onPass = waiver('aws_s3_bucket.fixed');
    const { unused } = applyWaivers(findings, [stale, onPass], NOW);
    assert.deepEqual(unused, [stale, onPass]);
  });
});

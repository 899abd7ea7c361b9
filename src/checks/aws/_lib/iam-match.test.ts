import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionMatches, coversAllActions, resourceCovers, serviceWildcard } from './iam-match.js';

test('actions match as case-insensitive globs (IAM User Guide, "Action" element)', () => {
  assert.ok(actionMatches('s3:Get*', 's3:GetObject'));
  assert.ok(actionMatches('S3:GETOBJECT', 's3:GetObject'));
  assert.ok(actionMatches('iam:?ut*Policy', 'iam:PutUserPolicy'));
  assert.ok(!actionMatches('s3:Get*', 's3:PutObject'));
  assert.ok(!actionMatches('s3.Get*', 's3:GetObject'), 'a dot is a literal, not a regex wildcard');
});

test('every spelling of "every action" is recognised, particular actions are not', () => {
  for (const p of ['*', '*:*', '**', '?*:*', '*:?*', '*?']) assert.ok(coversAllActions(p), p);
  for (const p of ['s3:*', 'iam:*', '*:Get*', '???:*']) assert.ok(!coversAllActions(p), p);
});

test('service-wide wildcards in any spelling', () => {
  assert.equal(serviceWildcard('s3:*'), 's3');
  assert.equal(serviceWildcard('s3:?*'), 's3');
  assert.equal(serviceWildcard('S3:**'), 's3');
  assert.equal(serviceWildcard('s3*'), 's3');
  assert.equal(serviceWildcard('*'), '*');
  assert.equal(serviceWildcard('s3:Get*'), undefined);
  assert.equal(serviceWildcard('s3:?'), undefined);
  assert.equal(serviceWildcard('s3:GetObject'), undefined);
});

test('resource patterns that name every resource of a service', () => {
  for (const p of ['*', 'arn:*', 'arn:aws:*:*:*:*', 'arn:*:*:*:*:*'])
    assert.ok(resourceCovers(p, '*'), `${p} covers everything`);
  for (const p of ['arn:aws:s3:::*', 'arn:aws:iam::*:*', 'arn:aws:s3:::my-bucket/*'])
    assert.ok(!resourceCovers(p, '*'), `${p} does not cover everything`);
  assert.ok(resourceCovers('arn:aws:s3:::*', 's3'));
  assert.ok(resourceCovers('arn:aws-cn:s3:::*', 's3'), 'other partitions');
  assert.ok(!resourceCovers('arn:aws:s3:::my-bucket/*', 's3'));
  assert.ok(resourceCovers('arn:aws:iam::*:*', 'iam'));
  assert.ok(resourceCovers('arn:aws:iam::123456789012:*', 'iam'), "the account's own IAM resources");
  assert.ok(resourceCovers('arn:aws:iam::*:user/*', 'iam', 'user'));
  assert.ok(resourceCovers('arn:aws:iam::123456789012:user/*', 'iam', 'user'));
  assert.ok(!resourceCovers('arn:aws:iam::123456789012:user/alice', 'iam', 'user'));
  assert.ok(!resourceCovers('arn:aws:iam::*:role/*', 'iam', 'user'));
  assert.ok(!resourceCovers('ARN:AWS:S3:::*', 's3'), 'ARNs compare case-sensitively');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvidentError } from './errors.js';
import { DEFAULT_LIMITS, LIMITS, limitHint, parseLimitArg, resolveLimits } from './limits.js';

describe('--limit NAME=VALUE (issue 7: caps with a clear message and a way to raise them)', () => {
  it('parses plain numbers and decimal or binary size suffixes, case-insensitively', () => {
    assert.deepEqual(parseLimitArg('files=250000'), ['files', 250_000]);
    assert.deepEqual(parseLimitArg('bytes=64MiB'), ['bytes', 64 * 1024 * 1024]);
    assert.deepEqual(parseLimitArg('bytes=2gb'), ['bytes', 2e9]);
    assert.deepEqual(parseLimitArg('yaml-nodes=1.5M'), ['yaml-nodes', 1_500_000]);
    assert.deepEqual(parseLimitArg('tf-line-chars=8k'), ['tf-line-chars', 8000]);
  });

  it('refuses unknown names, missing, zero, negative, fractional and unknown-unit values as usage errors', () => {
    const usage = (arg: string, message: RegExp) =>
      assert.throws(
        () => parseLimitArg(arg),
        (e: unknown) => e instanceof EvidentError && e.code === 'E_USAGE' && message.test(e.message),
        arg,
      );
    usage('nope=1', /unknown limit 'nope'/);
    usage('files', /positive whole number/);
    usage('files=0', /positive whole number/);
    usage('files=-5', /positive whole number/);
    usage('files=1.5', /positive whole number/);
    usage('bytes=10PB', /positive whole number/);
    usage('bytes=1e99', /positive whole number/);
  });

  it('overrides apply over the defaults; every limit has a default and a hint naming it', () => {
    const limits = resolveLimits({ files: 7 });
    assert.equal(limits.files, 7);
    assert.equal(limits.bytes, DEFAULT_LIMITS.bytes);
    for (const name of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
      assert.ok(Number.isSafeInteger(DEFAULT_LIMITS[name]) && DEFAULT_LIMITS[name] > 0, name);
      assert.match(limitHint(name, 3), new RegExp(`--limit ${name}=3; raise it with --limit ${name}=N`));
    }
  });
});

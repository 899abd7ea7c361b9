import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TerraformResource } from '../../core/facts.js';
import { Unresolved } from '../../core/unresolved.js';
import {
  best,
  boolAttr,
  foldVerdicts,
  locate,
  numberAttr,
  readBlocks,
  readBool,
  readStrings,
  requireTrue,
  stringAttr,
  unresolvedVerdict,
  worst,
} from './terraform-values.js';

const u = new Unresolved('var.x');

describe('terraform-values readers', () => {
  it('readBool and boolAttr convert like Terraform and apply the provider default', () => {
    assert.deepEqual(readBool({ a: 'true' }, 'a'), { state: 'ok', value: true });
    assert.deepEqual(readBool({ a: null }, 'a'), { state: 'absent' });
    assert.deepEqual(readBool({ a: 3 }, 'a'), { state: 'invalid', raw: 3 });
    assert.deepEqual(boolAttr({}, 'a', true), { state: 'ok', value: true, explicit: false });
    assert.deepEqual(boolAttr({ a: 'false' }, 'a', true), { state: 'ok', value: false, explicit: true });
    assert.deepEqual(boolAttr({ a: [true] }, 'a', false), { state: 'invalid' });
    assert.deepEqual(boolAttr({ a: u }, 'a', false), { state: 'unresolved', value: u });
  });

  it('stringAttr, numberAttr and readStrings', () => {
    assert.equal(stringAttr({ a: 22 }, 'a'), '22');
    assert.equal(stringAttr({ a: ['x'] }, 'a'), undefined);
    assert.equal(stringAttr({ a: u }, 'a'), u);
    assert.equal(numberAttr({ a: '7' }, 'a'), 7);
    assert.ok(Number.isNaN(numberAttr({ a: 'seven' }, 'a')));
    assert.deepEqual(readStrings({ a: ['x', '', u, 1] }, 'a'), { values: ['x', '1'], unresolved: [u] });
  });

  it('readBlocks keeps objects and unresolved elements only', () => {
    assert.deepEqual(readBlocks({ b: [{ x: 1 }, 'junk', u] }, 'b'), [{ x: 1 }, u]);
    assert.equal(readBlocks({ b: u }, 'b'), u);
    assert.deepEqual(readBlocks({}, 'b'), []);
  });

  it('locate falls back to the closest located parent, then the resource', () => {
    const at = (line: number) => ({ file: 'main.tf', line });
    const r = { location: at(1), attributeLocations: { ingress: at(3) } } as unknown as TerraformResource;
    assert.deepEqual(locate(r, 'ingress.0.cidr_blocks'), at(3));
    assert.deepEqual(locate(r, 'egress'), at(1));
  });

  it('worst picks the first fail, best the first pass, foldVerdicts joins all fails', () => {
    const vs = [
      { outcome: 'unknown' as const, message: 'u' },
      { outcome: 'fail' as const, message: 'f1', path: 'a' },
      { outcome: 'fail' as const, message: 'f2' },
    ];
    assert.deepEqual(worst(vs, 'ok'), vs[1]);
    assert.deepEqual(foldVerdicts(vs), { outcome: 'fail', message: 'f1; f2', path: 'a' });
    assert.deepEqual(worst([], 'ok'), { outcome: 'pass', message: 'ok' });
    const none = { outcome: 'fail' as const, message: 'none' };
    assert.deepEqual(best(vs, none), vs[0]);
    assert.deepEqual(best([vs[1]!, { outcome: 'pass', message: 'p' }], none), {
      outcome: 'pass',
      message: 'p',
    });
    assert.deepEqual(best([vs[2]!], none), vs[2]);
    assert.deepEqual(best([], none), none);
    assert.equal(
      unresolvedVerdict('p', u, 'so unknown').message,
      'p is not known statically (var.x): so unknown',
    );
  });

  it('requireTrue: unknown, not a boolean, true, false, unset', () => {
    assert.deepEqual(requireTrue({ f: u }, 'f'), {
      outcome: 'unknown',
      message: 'f is not known statically (var.x)',
      path: 'f',
    });
    assert.deepEqual(requireTrue({ f: 'yes' }, 'f'), {
      outcome: 'fail',
      message: 'f is not a boolean',
      path: 'f',
    });
    assert.deepEqual(requireTrue({ f: 'true' }, 'f'), { outcome: 'pass', message: 'f = true', path: 'f' });
    assert.deepEqual(requireTrue({ f: false }, 'f'), { outcome: 'fail', message: 'f is false', path: 'f' });
    assert.deepEqual(requireTrue({}, 'f'), {
      outcome: 'fail',
      message: 'f is not set (defaults to false)',
      path: undefined,
    });
  });
});

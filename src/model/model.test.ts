// The three-state model values, their locations and the rule view (the contract with the CEL engine).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Subject } from '../core/check.js';
import { Unresolved } from '../core/unresolved.js';
import { locateIn, modelObject } from './object.js';
import { absent, effective, invalid, isValue, itemsOf, known, unknown } from './value.js';
import { view } from './view.js';

const at = (line: number) => ({ file: 'main.tf', line });
const subject: Subject = {
  kind: 'terraform',
  type: 'aws_x',
  address: 'aws_x.a',
  scope: '.',
  location: at(1),
};

describe('model values', () => {
  it('effective: known value, unknown marker, absent default or undefined', () => {
    const u = new Unresolved('var.x');
    assert.equal(effective(known(true, 'a', at(2))), true);
    assert.equal(effective(unknown(u, 'a', at(2))), u);
    assert.equal(effective(absent('a', at(1), { value: false, source: 'docs' })), false);
    assert.equal(effective(absent('a', at(1))), undefined);
  });

  it('invalid values are unknown, keep the raw value and say what was expected', () => {
    const v = invalid('yes', 'not a boolean', 'enabled', at(3));
    assert.equal(v.state, 'unknown');
    assert.equal(v.invalid, 'yes');
    assert.equal(v.unresolved.reason, 'enabled is the string "yes", not a boolean');
  });

  it('values are branded; spreading a value loses the brand', () => {
    const v = known(1, 'n', at(1));
    assert.ok(isValue(v));
    assert.ok(!isValue({ ...v }));
    assert.ok(!isValue({ state: 'known', value: 1 }));
  });

  it('itemsOf: known items, [] for an absent list, undefined for an unknown list', () => {
    const item = known('x', 'l.0', at(2));
    assert.deepEqual(itemsOf(known([item], 'l', at(2))), [item]);
    assert.deepEqual(itemsOf(absent('l', at(1))), []);
    assert.equal(itemsOf(unknown('dynamic', 'l', at(2))), undefined);
  });
});

describe('model objects: locate and view', () => {
  const u = new Unresolved('var.flag', ['aws_y.b']);
  const obj = modelObject(subject, {
    name: known('acme', 'bucket', at(2)),
    flag: unknown(u, 'flag', at(3)),
    mode: absent<string>('mode', at(1), { value: 'private', source: 'https://docs.example/#mode' }),
    note: absent<string>('note', at(1)),
    nested: {
      enabled: known(false, 'nested.0.enabled', at(5)),
      missing: absent<boolean>('nested.0.x', at(4)),
    },
    rules: known(
      [
        known(
          {
            port: known(22, 'rule.0.port', at(7)),
            cidrs: known([known('0.0.0.0/0', 'c', at(8))], 'c', at(8)),
          },
          'rule.0',
          at(6),
        ),
        unknown('dynamic rule', 'rule.1', at(9)),
      ],
      'rule',
      at(6),
    ),
  });

  it('view: known values, Unresolved markers, defaults, missing keys for absent without default', () => {
    const v = view(obj);
    assert.equal(v.name, 'acme');
    assert.equal(v.flag, u, 'the Unresolved marker itself (refs kept)');
    assert.equal(v.mode, 'private');
    assert.ok(!('note' in v), 'absent without default is a missing key');
    assert.deepEqual(v.nested, { enabled: false });
    const rules = v.rules as unknown[];
    assert.deepEqual(rules[0], { port: 22, cidrs: ['0.0.0.0/0'] });
    assert.ok(rules[1] instanceof Unresolved);
    assert.ok(!('subject' in v) && !('locate' in v), 'only fields are in the view');
    assert.equal(view(obj), v, 'computed once per object');
  });

  it('locate: deepest value on the path; unknown and absent stop the walk; fallback to the subject', () => {
    assert.deepEqual(obj.locate('name'), at(2));
    assert.deepEqual(obj.locate('rules.0.port'), at(7));
    assert.deepEqual(obj.locate(['rules', 0, 'cidrs', 0]), at(8));
    assert.deepEqual(obj.locate('rules.1.port'), at(9), 'inside an unknown item: the item');
    assert.deepEqual(obj.locate('rules.5'), at(6), 'past the end: the list');
    assert.deepEqual(obj.locate('flag.x'), at(3));
    assert.deepEqual(obj.locate('nested.enabled'), at(5));
    assert.deepEqual(obj.locate('nested'), at(1), 'a record has no location of its own');
    assert.deepEqual(obj.locate('nope'), at(1));
    assert.deepEqual(locateIn({}, 'a.b', at(42)), at(42));
  });
});

// Reading model values out of fact trees: dialect conversions, unknown propagation, defaults and the
// declarative field maps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unresolved } from '../core/unresolved.js';
import type { ModelPath } from '../model/object.js';
import { field } from '../model/schema.js';
import { describeFieldMap, type FieldMap, mapRecord } from './field-map.js';
import { type Dialect, type FactTree, leafAt, listAt, rawAt } from './tree.js';

function tree(root: unknown, dialect: Dialect = 'terraform'): FactTree {
  return {
    dialect,
    root,
    locate: (p: ModelPath) => ({ file: 'x', line: p.length + 1 }),
    name: (p: ModelPath) => p.join('.'),
  };
}

const u = new Unresolved('var.v', ['aws_s3_bucket.b']);

describe('fact trees', () => {
  it('rawAt stops at the first null (absent) or Unresolved (unknown, at the marker)', () => {
    const t = tree({ a: [{ b: { c: 1 } }], n: null, u });
    const present = rawAt(t, 'a.0.b.c');
    assert.deepEqual(
      { state: present.state, value: present.state === 'present' && present.value, path: present.path },
      { state: 'present', value: 1, path: ['a', 0, 'b', 'c'] },
    );
    assert.deepEqual(rawAt(t, 'b.c', ['a', 0]).path, ['a', 0, 'b', 'c'], 'base and relative paths join');
    assert.deepEqual(rawAt(t, 'b.0', ['a', 0]).path, ['a', 0, 'b'], 'invalid where the shape differs');
    assert.deepEqual(rawAt(t, 'a.1.b').path, ['a', 1, 'b']);
    assert.equal(rawAt(t, 'n.x').state, 'absent');
    assert.equal(rawAt(t, 'a.1.b').state, 'absent');
    const unk = rawAt(t, 'u.deep.er');
    assert.equal(unk.state, 'unknown');
    assert.deepEqual(unk.path, ['u'], 'located where the marker sits');
    assert.equal(unk.state === 'unknown' && unk.unresolved, u);
  });

  it('terraform and cloudformation convert like Terraform; kubernetes keeps JSON types', () => {
    const root = { s: 'true', n: '22', b: true, num: 22, bad: [1] };
    for (const d of ['terraform', 'cloudformation'] as const) {
      const t = tree(root, d);
      const b = leafAt(t, 'bool', 's');
      assert.ok(b.state === 'known' && b.value === true);
      const n = leafAt(t, 'number', 'n');
      assert.ok(n.state === 'known' && n.value === 22);
      const s = leafAt(t, 'string', 'num');
      assert.ok(s.state === 'known' && s.value === '22');
    }
    const k = tree(root, 'kubernetes');
    const s = leafAt(k, 'bool', 's');
    assert.ok(s.state === 'unknown' && s.invalid === 'true', 'the string "true" is not a Kubernetes boolean');
    const bad = leafAt(tree(root), 'string', 'bad');
    assert.ok(bad.state === 'unknown' && 'invalid' in bad);
    assert.match(bad.state === 'unknown' ? bad.unresolved.reason : '', /bad is a list, not a string/);
  });

  it('absent leaves carry the default and where it would be written', () => {
    const v = leafAt(tree({}), 'bool', 'enabled', [], { value: false, source: 'provider docs' });
    assert.equal(v.state, 'absent');
    assert.deepEqual(v.state === 'absent' && v.default, { value: false, source: 'provider docs' });
  });

  it('listAt: absent is empty, unknown list and items are unknown, single values are one item (not in Kubernetes)', () => {
    const t = tree({ l: ['a', u], one: 'x', dyn: u });
    const l = listAt(t, 'l', [], (p) => leafAt(t, 'string', [], p));
    assert.equal(l.state, 'known');
    const items = l.state === 'known' ? l.value : [];
    assert.deepEqual(
      items.map((i) => i.state),
      ['known', 'unknown'],
    );
    assert.equal(listAt(t, 'none', [], () => leafAt(t, 'string', 'x')).state, 'absent');
    assert.equal(listAt(t, 'dyn', [], () => leafAt(t, 'string', 'x')).state, 'unknown');
    const one = listAt(t, 'one', [], (p) => leafAt(t, 'string', [], p));
    assert.ok(one.state === 'known' && one.value.length === 1);
    const k = tree({ one: 'x' }, 'kubernetes');
    assert.equal(listAt(k, 'one', [], (p) => leafAt(k, 'string', [], p)).state, 'unknown');
  });
});

describe('field maps', () => {
  const fields = {
    enabled: field.bool('On.'),
    retention: field.number('Days.', 'days'),
    config: field.record('A block.', { mode: field.string('Mode.') }),
    rules: field.list('Rules.', field.record('A rule.', { port: field.number('Port.') })),
    tags: field.list('Tags.', field.string('A tag.')),
    computed: field.string('Computed.'),
  };
  const map: FieldMap<typeof fields> = {
    enabled: { path: 'is_enabled', default: { value: false, source: 'docs#is_enabled' } },
    retention: 'retention_days',
    config: { path: 'config.0', fields: { mode: 'mode' } },
    rules: { path: 'rule', item: { fields: { port: 'port' } } },
    tags: { path: 'tags' },
    computed: {
      compute: (t, base) => leafAt(t, 'string', 'config.0.mode', base),
      doc: 'the config mode again',
    },
  };

  it('reads every field; unknown blocks make their fields unknown', () => {
    const rec = mapRecord(
      tree({ is_enabled: 'true', retention_days: u, config: [u], rule: [{ port: 22 }, u], tags: ['a'] }),
      fields,
      map,
    );
    assert.ok(rec.enabled.state === 'known' && rec.enabled.value === true);
    assert.equal(rec.retention.state, 'unknown');
    assert.equal(rec.config.mode.state, 'unknown', 'a dynamic block over an unknown collection');
    assert.equal(rec.computed.state, 'unknown');
    const rules = rec.rules.state === 'known' ? rec.rules.value : [];
    assert.equal(rules.length, 2);
    assert.ok(rules[0]!.state === 'known' && rules[0]!.value.port.state === 'known');
    assert.equal(rules[1]!.state, 'unknown');
  });

  it('absent fields take their defaults; describeFieldMap documents paths and defaults', () => {
    const rec = mapRecord(tree({}), fields, map);
    assert.ok(rec.enabled.state === 'absent' && rec.enabled.default?.value === false);
    assert.equal(rec.rules.state, 'absent');
    const docs = describeFieldMap(fields, map as FieldMap<typeof fields>);
    assert.deepEqual(
      docs.map((d) => `${d.field} <- ${d.from}`),
      [
        'enabled <- is_enabled',
        'retention <- retention_days',
        'config.mode <- config.0.mode',
        'rules <- rule',
        'rules.port <- rule.*.port',
        'tags <- tags',
        'computed <- the config mode again',
      ],
    );
    assert.equal(docs[0]!.default?.source, 'docs#is_enabled');
  });

  it('a field map missing a field is a programming error', () => {
    assert.throws(() => mapRecord(tree({}), fields, { enabled: 'x' } as unknown as FieldMap<typeof fields>));
  });
});

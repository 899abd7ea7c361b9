import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalize } from './canonical-json.js';

describe('canonicalize (RFC 8785 JCS)', () => {
  it('sorts keys by UTF-16 code units, recursively, with no whitespace', () => {
    assert.equal(
      canonicalize({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    // RFC 8785 §3.2.3 example ordering: "\u20ac" (€) sorts after "\r" and "1" and before "\ud83d\ude00" (😀)
    const obj = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const expected = `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k as keyof typeof obj])}`).join(',')}}`;
    assert.equal(canonicalize(obj), expected);
  });

  it('serialises numbers as ECMAScript does (RFC 8785 §3.2.2.3 samples)', () => {
    assert.equal(
      canonicalize([1e21, 1e-7, -0, 0.000001, 123456789012345680000, 4.5, 2 ** 53]),
      '[1e+21,1e-7,0,0.000001,123456789012345680000,4.5,9007199254740992]',
    );
  });

  it('escapes strings minimally', () => {
    assert.equal(
      canonicalize('\u0000\b\t\n\f\r"\\/\u001f\u007f€'),
      '"\\u0000\\b\\t\\n\\f\\r\\"\\\\/\\u001f\u007f€"',
    );
  });

  it('omits undefined members, honours toJSON, keeps literals', () => {
    assert.equal(
      canonicalize({ a: undefined, b: true, c: false, d: new Date(0) }),
      '{"b":true,"c":false,"d":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('rejects what JSON cannot represent, with E_EVIDENCE', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 10n, () => 1, Symbol('x')]) {
      assert.throws(
        () => canonicalize({ x: bad }),
        (e: Error & { code?: string }) => e.code === 'E_EVIDENCE',
      );
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => canonicalize(cyclic), /cyclic/);
  });

  it('is stable under key insertion order', () => {
    assert.equal(canonicalize({ x: 1, y: [{ b: 2, a: 1 }] }), canonicalize({ y: [{ a: 1, b: 2 }], x: 1 }));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeStrictText, firstInvalidUtf8 } from './strict-text.js';

const b = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

/** The problem `decodeStrictText` reports, or undefined when the text is accepted. */
function problem(buf: Buffer, syntax: 'yaml' | 'json' | 'hcl' = 'yaml') {
  const r = decodeStrictText(buf, syntax);
  return 'problem' in r ? r.problem : undefined;
}

describe('decodeStrictText', () => {
  it('accepts UTF-8 text and drops a leading BOM', () => {
    assert.deepEqual(decodeStrictText(b('\ufeffkind: Pod\nname: é€😀\n'), 'yaml'), {
      text: 'kind: Pod\nname: é€😀\n',
    });
  });

  it('refuses invalid UTF-8 anywhere (not only in the first 8 KiB), with its position', () => {
    const head = 'a: 1\n'.repeat(4000); // 20 000 bytes
    const p = problem(Buffer.concat([b(head), b('b: x'), b([0xff]), b('\n')]));
    assert.equal(p?.code, 'E_INPUT_BINARY');
    assert.match(p?.what ?? '', /invalid UTF-8 \(byte 0xFF\)/);
    assert.deepEqual([p?.line, p?.column, p?.offset], [4001, 5, 20004]);
  });

  it('counts columns in UTF-16 code units after multi-byte characters', () => {
    const p = problem(Buffer.concat([b('x: é😀'), b([0xc3])]), 'json');
    assert.deepEqual([p?.line, p?.column], [1, 7]);
  });

  it('refuses NUL bytes in every syntax, as binary content', () => {
    for (const syntax of ['yaml', 'json', 'hcl'] as const) {
      const p = problem(Buffer.concat([b('a = 1\nb = "'), b([0]), b('"\n')]), syntax);
      assert.equal(p?.code, 'E_INPUT_BINARY', syntax);
      assert.equal(p?.nul, true);
      assert.deepEqual([p?.line, p?.column], [2, 6]);
    }
  });

  it('refuses characters outside the YAML 1.2 printable set in YAML only', () => {
    for (const ch of ['\u0001', '\u001b', '\u007f', '\u0080', '\u009f', '\ufffe', '\uffff']) {
      const p = problem(b(`a: 1\n# x${ch}\n`));
      assert.equal(p?.code, 'E_INPUT_PARSE', JSON.stringify(ch));
      assert.deepEqual([p?.line, p?.column], [2, 4]);
      assert.equal(problem(b(`a = "${ch}"\n`), 'hcl'), undefined, 'Terraform accepts it in strings');
    }
    for (const ok of ['\t', '\r\n', '\u0085', '\u00a0', '\ud7ff', '\ue000', '\ufffd', '\u{10ffff}'])
      assert.equal(problem(b(`a: "x${ok}"\n`)), undefined, JSON.stringify(ok));
  });
});

describe('firstInvalidUtf8', () => {
  it('follows the WHATWG well-formedness rules', () => {
    assert.equal(firstInvalidUtf8(b('abc é')), 6);
    assert.equal(firstInvalidUtf8(b([0x61, 0xc0, 0x80])), 1, 'overlong');
    assert.equal(firstInvalidUtf8(b([0xed, 0xa0, 0x80])), 0, 'surrogate');
    assert.equal(firstInvalidUtf8(b([0xf4, 0x90, 0x80, 0x80])), 0, 'above U+10FFFF');
    assert.equal(firstInvalidUtf8(b([0x61, 0xe2, 0x82])), 1, 'truncated');
    assert.equal(firstInvalidUtf8(b([0xf0, 0x9f, 0x98, 0x80])), 4);
  });
});

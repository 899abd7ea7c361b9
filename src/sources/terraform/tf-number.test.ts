import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TfNumber } from './tf-number.js';

const n = (s: string): TfNumber => TfNumber.parse(s) as TfNumber;
const ok = (x: TfNumber | undefined): TfNumber => {
  assert.ok(x, 'operation defined');
  return x;
};
const third = ok(n('1').quo(n('3')));

// Every expected text below was printed by `terraform console` (Terraform 1.11.4) for the expression
// in the comment.
test('arithmetic and formatting match Terraform (512-bit binary floats, shortest text)', () => {
  assert.equal(ok(n('0.1').add(n('0.2'))).toString(), '0.3'); // 0.1 + 0.2
  assert.ok(ok(n('0.1').add(n('0.2'))).equals(n('0.3'))); // 0.1 + 0.2 == 0.3 -> true
  assert.ok(!ok(n('0.1').add(n('0.2'))).equals(n('0.30000000000000004'))); // -> false
  assert.equal(
    third.toString(),
    '0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335',
  ); // 1/3
  assert.equal(
    ok(n('2').quo(n('3'))).toString(),
    '0.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666667',
  ); // 2/3
  assert.equal(
    ok(n('0.1').mul(n('0.1'))).toString(),
    '0.010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001',
  ); // 0.1 * 0.1
  assert.equal(
    ok(n('1.1').mul(n('1.1'))).toString(),
    '1.2100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001',
  ); // 1.1 * 1.1
  assert.equal(
    ok(n('1').quo(n('7'))).toString(), // 1/7
    '0.14285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285',
  );
  assert.equal(ok(third.mul(n('3'))).toString(), '1'); // 1/3*3
  assert.equal(ok(ok(third.add(third)).add(third)).toString(), '1'); // 1/3 + 1/3 + 1/3
  assert.ok(!ok(n('2').quo(n('3'))).equals(ok(n('1').sub(third)))); // 2/3 == 1 - 1/3 -> false
  assert.equal(n('1e400').toString(), `1${'0'.repeat(400)}`); // 1e400
  assert.equal(n('1e-400').toString(), `0.${'0'.repeat(399)}1`); // 1e-400
  assert.equal(n('1e1').toString(), '10'); // 1e1
  assert.equal(n('1.50').toString(), '1.5'); // 1.50
  assert.equal(ok(n('9007199254740993').add(n('0'))).toString(), '9007199254740993');
  assert.equal(n('12345678901234567890').toString(), '12345678901234567890');
  assert.equal(n('0.0000001').toString(), '0.0000001'); // tostring(1e-7)
  assert.equal(ok(n('-1').mul(n('0'))).toString(), '-0'); // -1 * 0
  assert.ok(n('0').equals(n('-0'))); // 0 == -0 -> true
  assert.equal(ok(n('-7').mod(n('3'))).toString(), '-1'); // -7 % 3
  assert.equal(ok(n('7.5').mod(n('2'))).toString(), '1.5'); // 7.5 % 2
  assert.equal(ok(n('5').mod(n('0'))).toString(), '5'); // 5 % 0
  assert.equal(ok(n('5').quo(n('0'))).toString(), '+Inf'); // 5 / 0
  assert.equal(ok(n('-5').quo(n('0'))).toString(), '-Inf'); // -5 / 0
  assert.equal(n('0').quo(n('0')), undefined); // 0/0: "can't divide zero by zero"
  // range(0, 1, 0.3): 0, 0.3, 0.6, then 0.3 + 0.3 + 0.3
  const step = n('0.3');
  const third3 = ok(ok(ok(n('0').add(step)).add(step)).add(step));
  assert.equal(
    third3.toString(),
    '0.90000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004',
  );
  assert.equal(TfNumber.fromJs(2 ** 64).toString(), '18446744073709550000'); // pow(2, 64)
  assert.equal(TfNumber.fromJs(Math.SQRT2).toString(), '1.4142135623730951'); // pow(2, 0.5)
});

test('parses decimal literals as Terraform does, nothing else', () => {
  for (const [text, want] of [
    ['1.0', '1'],
    ['+1', '1'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1e3', '1000'],
    ['-0', '-0'],
    ['Inf', '+Inf'],
  ] as const)
    assert.equal(n(text).toString(), want, text); // tonumber("<text>")
  for (const bad of ['0x10', ' 1', '1_000', '', '.', 'e5', '1e'])
    assert.equal(TfNumber.parse(bad), undefined, bad);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coversInternet, internetCoverage, parseCidr } from './cidr.js';

test('parses IPv4 and IPv6 CIDRs and single addresses, host bits ignored', () => {
  assert.deepEqual(parseCidr('10.1.2.3/8'), { v6: false, start: 0x0a000000n, end: 0x0affffffn });
  assert.deepEqual(parseCidr('1.2.3.4'), { v6: false, start: 0x01020304n, end: 0x01020304n });
  assert.equal(parseCidr('::/0')?.end, (1n << 128n) - 1n);
  assert.equal(parseCidr('2000::/3')?.start, 0x2n << 124n);
  assert.equal(parseCidr('::ffff:1.2.3.4/128')?.start, 0xffff01020304n);
  for (const bad of ['256.0.0.0/8', '1.2.3.4/33', '::/129', 'abc', '1::2::3/64', '10.0.0.0/8/1'])
    assert.equal(parseCidr(bad), undefined, bad);
});

test('the union of sources is judged, not each CIDR against /0', () => {
  assert.ok(coversInternet(['0.0.0.0/0']));
  assert.ok(coversInternet(['0.0.0.0/1', '128.0.0.0/1']));
  assert.ok(coversInternet(['1.2.3.4/0']), 'host bits are ignored');
  assert.ok(coversInternet(['::/0']));
  assert.ok(coversInternet(['2000::/3']), 'IPv6 global unicast');
  assert.ok(coversInternet(['2000::/4', '3000::/4']));
  // Everything but private and reserved space is still the internet.
  const publicOnly = ['1.0.0.0/8', '2.0.0.0/7', '4.0.0.0/6', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6'];
  assert.ok(!coversInternet(publicOnly), 'a part of the internet is not all of it');
  assert.ok(!coversInternet(['0.0.0.0/1']));
  assert.ok(!coversInternet(['10.0.0.0/9', '10.128.0.0/9']));
  assert.ok(!coversInternet(['2001:db8::/32']));
  assert.deepEqual(internetCoverage(['0.0.0.0/0', '2001:db8::/32']), { v4: true, v6: false });
});

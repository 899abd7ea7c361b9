// "Open to the internet" judged on the union of a rule's sources, not CIDR by CIDR: 0.0.0.0/1 plus
// 128.0.0.0/1 is the whole internet, and so is any set of ranges that leaves out only addresses
// that are not routable on the internet. IPv4 special-purpose ranges: IANA IPv4 Special-Purpose
// Address Registry (RFC 6890 and updates); IPv6: 2000::/3 is the global unicast space (RFC 4291
// section 2.4, IANA IPv6 Address Space registry), so covering it is covering the IPv6 internet.

/** An address range [start, end] (inclusive) of one family. */
interface Range {
  v6: boolean;
  start: bigint;
  end: bigint;
}

/** Parses `a.b.c.d` into its 32-bit value, or undefined. */
function parseV4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0n;
  for (const part of m.slice(1, 5)) {
    const b = Number(part);
    if (b > 255) return undefined;
    n = (n << 8n) | BigInt(b);
  }
  return n;
}

/** Parses an IPv6 address (with `::` and an optional dotted IPv4 tail) into its 128-bit value, or undefined. */
function parseV6(text: string): bigint | undefined {
  let t = text.toLowerCase();
  const v4tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  let tail: bigint[] = [];
  if (v4tail) {
    const v = parseV4(v4tail[1] as string);
    if (v === undefined) return undefined;
    tail = [v >> 16n, v & 0xffffn];
    t = t.slice(0, -(v4tail[1] as string).length);
    if (t.endsWith(':') && !t.endsWith('::')) t = t.slice(0, -1);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  const total = head.length + rest.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [...head, ...Array(8 - total).fill('0'), ...rest];
  let n = 0n;
  for (const w of words) {
    if (!/^[0-9a-f]{1,4}$/.test(w)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(w, 16));
  }
  for (const w of tail) n = (n << 16n) | w;
  return n;
}

/**
 * The address range of a CIDR (`10.0.0.0/8`, `::/0`) or of a single address (`1.2.3.4`, a /32 or
 * /128), host bits ignored as AWS, Azure and GCP normalise them; undefined for text that is neither.
 */
export function parseCidr(text: string): Range | undefined {
  const [addr, len, ...extra] = text.trim().split('/');
  if (addr === undefined || extra.length > 0) return undefined;
  const v6 = addr.includes(':');
  const value = v6 ? parseV6(addr) : parseV4(addr);
  if (value === undefined) return undefined;
  const bits = v6 ? 128n : 32n;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return undefined;
  const prefix = len === undefined ? bits : BigInt(Number(len));
  if (prefix > bits) return undefined;
  const hostBits = bits - prefix;
  const start = (value >> hostBits) << hostBits;
  return { v6, start, end: start + (1n << hostBits) - 1n };
}

/** IPv4 ranges that are not reachable from the internet (IANA special-purpose registry, "Globally Reachable: False"). */
const V4_NOT_INTERNET = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map((c) => parseCidr(c) as Range);

/** The IPv6 global unicast space, 2000::/3. */
const V6_GLOBAL_UNICAST = parseCidr('2000::/3') as Range;

/** True when the ranges together cover [start, end]. */
function covers(ranges: readonly Range[], start: bigint, end: bigint): boolean {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let next = start;
  for (const r of sorted) {
    if (r.end < next) continue;
    if (r.start > next) return false;
    next = r.end + 1n;
    if (next > end) return true;
  }
  return next > end;
}

/**
 * Which internet the union of `cidrs` covers: `IPv4` when every internet-routable IPv4 address is
 * in it (non-routable ranges may be left out: `0.0.0.0/1` + `128.0.0.0/1`, or `0.0.0.0/0`), `IPv6`
 * when it covers 2000::/3 (global unicast), both, or none. Text that is not a CIDR is ignored.
 */
export function internetCoverage(cidrs: readonly string[]): { v4: boolean; v6: boolean } {
  const ranges = cidrs.map(parseCidr).filter((r): r is Range => r !== undefined);
  const v4 = ranges.filter((r) => !r.v6);
  const v6 = ranges.filter((r) => r.v6);
  return {
    v4: v4.length > 0 && covers([...v4, ...V4_NOT_INTERNET], 0n, 0xffffffffn),
    v6: v6.length > 0 && covers(v6, V6_GLOBAL_UNICAST.start, V6_GLOBAL_UNICAST.end),
  };
}

/** True when the union of `cidrs` covers the IPv4 or the IPv6 internet (see {@link internetCoverage}). */
export function coversInternet(cidrs: readonly string[]): boolean {
  const c = internetCoverage(cidrs);
  return c.v4 || c.v6;
}

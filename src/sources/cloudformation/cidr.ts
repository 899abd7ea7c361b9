/**
 * `Fn::Cidr` (CloudFormation intrinsic function reference): `count` consecutive subnets of
 * `cidrBits` host bits each, carved from the start of `ipBlock` (IPv4 or IPv6 CIDR notation).
 * Returns the subnets in CIDR notation, or an error sentence when the arguments are out of range
 * (count 1..256, the subnets must fit in the block).
 */
export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] | { error: string } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(ipBlock.trim());
  if (!m) return { error: `'${ipBlock}' is not a CIDR block` };
  const addr = m[1]!;
  const prefix = Number(m[2]);
  const v6 = addr.includes(':');
  const width = v6 ? 128 : 32;
  const base = v6 ? parseIpv6(addr) : parseIpv4(addr);
  if (base === undefined || prefix > width) return { error: `'${ipBlock}' is not a CIDR block` };
  if (!Number.isInteger(count) || count < 1 || count > 256)
    return { error: `count ${count} is not between 1 and 256` };
  const newPrefix = width - cidrBits;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || newPrefix < prefix)
    return { error: `${cidrBits} subnet bits do not fit in /${prefix}` };
  const available = 1n << BigInt(newPrefix - prefix);
  if (BigInt(count) > available)
    return { error: `${count} subnets of /${newPrefix} do not fit in /${prefix}` };
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = base & ~hostMask & ((1n << BigInt(width)) - 1n);
  const step = 1n << BigInt(cidrBits);
  const out: string[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const a = network + i * step;
    out.push(`${v6 ? formatIpv6(a) : formatIpv4(a)}/${newPrefix}`);
  }
  return out;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function formatIpv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

function parseIpv6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return v;
}

/** RFC 5952 text form (lowercase, longest run of two or more zero groups as `::`). */
function formatIpv6(v: bigint): string {
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((v >> s) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

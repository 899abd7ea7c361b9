// Network helpers for rule expressions: CIDR exposure and port ranges. Shared semantics with the
// TypeScript checks (isWorldCidr of aws.security-group-no-public-admin-ports, isInternetSource and
// parsePortRange of the Azure NSG rules).
import { isInternetSource, parsePortRange } from '../../checks/azure/_lib/nsg-rule.js';
import { isUnresolved } from '../../core/unresolved.js';
import type { CallSite, CelFunction } from '../function.js';
import { PartialList, typeName, Unknown } from '../value.js';

/** An address range of one family: `[first, last]` inclusive, as bigints. */
interface Range {
  v6: boolean;
  first: bigint;
  last: bigint;
}

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function ipv6(text: string): bigint | undefined {
  let t = text;
  const v4tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  let tail: bigint | undefined;
  if (v4tail) {
    tail = ipv4(v4tail[1]!);
    if (tail === undefined) return undefined;
    t = `${t.slice(0, -v4tail[1]!.length)}0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (tail !== undefined) n = (n & ~0xffffffffn) | tail;
  return n;
}

/** Parses `a.b.c.d/n`, `x:y::/n` or a bare address (a /32 or /128) into its address range. */
export function parseCidr(text: string): Range | undefined {
  const [addr = '', bits, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const v6 = addr.includes(':');
  const ip = v6 ? ipv6(addr) : ipv4(addr);
  const width = v6 ? 128 : 32;
  if (ip === undefined) return undefined;
  const len = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!(len >= 0 && len <= width)) return undefined;
  const host = (1n << BigInt(width - len)) - 1n;
  return { v6, first: ip & ~host, last: (ip & ~host) | host };
}

/** True when the ranges of one family, together, cover that family's whole address space. */
function coversFamily(ranges: Range[], v6: boolean): boolean {
  const max = v6 ? (1n << 128n) - 1n : (1n << 32n) - 1n;
  const sorted = ranges
    .filter((r) => r.v6 === v6)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = 0n;
  for (const r of sorted) {
    if (r.first > next) return false;
    if (r.last + 1n > next) next = r.last + 1n;
    if (next > max) return true;
  }
  return false;
}

/** The strings of a list argument and the Unknown of its unresolved elements or membership. */
function stringsOf(list: unknown, site: CallSite): { values: string[]; unknown?: Unknown } {
  const items = Array.isArray(list) ? list : list instanceof PartialList ? list.known : [list];
  let unknown = list instanceof PartialList ? list.unknown : undefined;
  const values: string[] = [];
  for (const [i, x] of items.entries()) {
    if (typeof x === 'string') values.push(x);
    else if (x instanceof Unknown) unknown = Unknown.merge(unknown, x);
    else if (isUnresolved(x)) unknown = Unknown.merge(unknown, unresolvedElement(list, i, x.reason, site));
    else if (x !== null) throw new Error(`expected strings, got ${typeName(x)}`);
  }
  return { values, unknown };
}

/** The Unknown of element `i` of `list`, named by its path when the list comes from the facts. */
export function unresolvedElement(list: unknown, i: number, reason: string, site: CallSite): Unknown {
  const base = typeof list === 'object' && list !== null ? site.a.host.pathOf(list) : undefined;
  return new Unknown([
    { path: base ? `${base}[${i}]` : `element ${i} of ${site.name}()'s argument`, reason },
  ]);
}

const asPort = (v: unknown, what: string): number => {
  const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new Error(`${what} must be a port number, got ${typeName(v)}`);
  return n;
};

/** CIDR and port helpers (docs/policies.md "Helpers"). */
export const NETWORK_FUNCTIONS: readonly CelFunction[] = [
  {
    name: 'isInternetCidr',
    usage: 'isInternetCidr(source)',
    doc: 'true when `source` means every address: a CIDR with prefix length 0 (`0.0.0.0/0`, `::/0`, `0::/0`) or the any-source tokens `*`, `Internet`, `Any`, `0.0.0.0` (Azure NSG spellings)',
    signatures: ['isInternetCidr(string): bool'],
    global: true,
    member: false,
    minArgs: 1,
    maxArgs: 1,
    impl: ([s]) => {
      if (typeof s !== 'string') throw new Error(`expected a string, got ${typeName(s)}`);
      return /^[0-9a-fA-F.:]+\/0+$/.test(s.trim()) || isInternetSource(s);
    },
  },
  {
    name: 'coversInternet',
    usage: 'coversInternet(cidrs)',
    doc: 'true when the union of `cidrs` covers every IPv4 or every IPv6 address (`["0.0.0.0/1", "128.0.0.0/1"]` does); unknown when it does not yet but an element is unknown; strings that are not CIDRs add nothing',
    signatures: ['coversInternet(list): bool'],
    global: true,
    member: false,
    strict: false,
    minArgs: 1,
    maxArgs: 1,
    impl: ([list], site) => {
      if (list instanceof Unknown) return list;
      const { values, unknown } = stringsOf(list, site);
      if (values.some((v) => /^[0-9a-fA-F.:]+\/0+$/.test(v.trim()) || isInternetSource(v))) return true;
      const ranges = values.map(parseCidr).filter((r): r is Range => r !== undefined);
      if (coversFamily(ranges, false) || coversFamily(ranges, true)) return true;
      return unknown ?? false;
    },
  },
  {
    name: 'cidrContains',
    usage: 'cidrContains(cidr, addressOrCidr)',
    doc: 'true when every address of `addressOrCidr` lies inside `cidr` (same family); false for text that is not an address or CIDR',
    signatures: ['cidrContains(string, string): bool'],
    global: true,
    member: false,
    minArgs: 2,
    maxArgs: 2,
    impl: ([outer, inner]) => {
      const a = parseCidr(String(outer));
      const b = parseCidr(String(inner));
      return !!a && !!b && a.v6 === b.v6 && a.first <= b.first && b.last <= a.last;
    },
  },
  {
    name: 'portInRange',
    usage: 'portInRange(port, from, to)',
    doc: 'true when `from <= port <= to` (numbers or numeric strings, as Terraform writes ports)',
    signatures: ['portInRange(dyn, dyn, dyn): bool'],
    global: true,
    member: false,
    minArgs: 3,
    maxArgs: 3,
    impl: ([port, from, to]) => {
      const p = asPort(port, 'port');
      return asPort(from, 'from') <= p && p <= asPort(to, 'to');
    },
  },
  {
    name: 'portSpecIncludes',
    usage: 'portSpecIncludes(spec, port)',
    doc: 'true when a port specification includes `port`: a number, `"22"`, `"1000-2000"`, `"*"`/`"Any"` (all ports), or a list of those; unknown when it does not yet but an element is unknown; malformed entries add nothing',
    signatures: ['portSpecIncludes(dyn, dyn): bool'],
    global: true,
    member: false,
    strict: false,
    minArgs: 2,
    maxArgs: 2,
    impl: ([spec, port], site) => {
      if (port instanceof Unknown) return port;
      const p = asPort(port, 'port');
      if (spec instanceof Unknown) return spec;
      const items = Array.isArray(spec) ? spec : spec instanceof PartialList ? spec.known : [spec];
      let unknown = spec instanceof PartialList ? spec.unknown : undefined;
      for (const [i, x] of items.entries()) {
        if (x instanceof Unknown) unknown = Unknown.merge(unknown, x);
        else if (isUnresolved(x))
          unknown = Unknown.merge(unknown, unresolvedElement(spec, i, x.reason, site));
        else if (typeof x === 'number' && x === p) return true;
        else if (typeof x === 'string') {
          const r = parsePortRange(x);
          if (r && r.from <= p && p <= r.to) return true;
        }
      }
      return unknown ?? false;
    },
  },
];

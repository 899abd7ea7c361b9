import type { TfObject } from '../../../core/facts.js';
import type { Unresolved } from '../../../core/unresolved.js';
import { coversInternet } from '../../_lib/cidr.js';
import {
  readString,
  readStrings,
  type Tri,
  unresolvedText,
  type Verdict,
} from '../../_lib/terraform-values.js';

/** Administrative ports checked, with the service each one carries. */
export const ADMIN_PORTS: readonly { port: number; service: string }[] = [
  { port: 22, service: 'SSH' },
  { port: 3389, service: 'RDP' },
];

/**
 * True when an NSG source address prefix means "any internet address": `*`, `Internet`, `Any`,
 * `0.0.0.0`, or any CIDR with prefix length 0 (`0.0.0.0/0`, `::/0`). Case-insensitive.
 */
export function isInternetSource(prefix: string): boolean {
  const p = prefix.trim().toLowerCase();
  return p === '*' || p === 'internet' || p === 'any' || p === '0.0.0.0' || /\/0$/.test(p);
}

/**
 * Parses an NSG port range: `*` (all), `22`, or `1000-2000` (inclusive). Returns undefined for text
 * that is none of these.
 */
export function parsePortRange(text: string): { from: number; to: number } | undefined {
  const t = text.trim();
  if (t === '*' || t.toLowerCase() === 'any') return { from: 0, to: 65535 };
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(t);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= to ? { from, to } : undefined;
}

/** Case-insensitive equality test of a string attribute; `absentMeans` is the value assumed when it is unset. */
function equalsTri(
  rule: TfObject,
  key: string,
  want: string,
  absentMeans: string,
): { tri: Tri; u?: Unresolved } {
  const r = readString(rule, key);
  if (r.state === 'unresolved') return { tri: 'unknown', u: r.value };
  if (r.state === 'invalid') return { tri: 'unknown' };
  const v = r.state === 'ok' ? r.value : absentMeans;
  return { tri: v.toLowerCase() === want.toLowerCase() };
}

/**
 * Judges one security rule (an `azurerm_network_security_rule` or one `security_rule` block of an
 * `azurerm_network_security_group`, same attribute names). It fails when it is an inbound Allow
 * rule (unset direction/access are read as Inbound/Allow, as trivy does: both are required by the
 * provider) for TCP or any protocol, from an internet source (`source_address_prefix(es)`, see
 * {@link isInternetSource}), to a destination port range including 22 or 3389. `prefix` is
 * prepended to attribute paths (e.g. `security_rule.0.`), `label` names the rule in messages.
 */
export function judgeRule(rule: TfObject, prefix: string, label: string): Verdict {
  const unknowns: string[] = [];
  const note = (what: string, u?: Unresolved) =>
    unknowns.push(u ? unresolvedText(prefix + what, u) : `${prefix}${what} has an unexpected value`);

  const direction = equalsTri(rule, 'direction', 'Inbound', 'Inbound');
  if (direction.tri === false) return { outcome: 'pass', message: `${label} is outbound` };
  if (direction.tri === 'unknown') note('direction', direction.u);
  const access = equalsTri(rule, 'access', 'Allow', 'Allow');
  if (access.tri === false) return { outcome: 'pass', message: `${label} denies traffic` };
  if (access.tri === 'unknown') note('access', access.u);

  const protocol = readString(rule, 'protocol');
  if (protocol.state === 'ok' && !['tcp', '*', 'any'].includes(protocol.value.toLowerCase())) {
    return { outcome: 'pass', message: `${label} allows ${protocol.value} only, not TCP` };
  }
  if (protocol.state === 'unresolved') note('protocol', protocol.value);

  const sources = [
    ...['source_address_prefix', 'source_address_prefixes'].map((k) => [k, readStrings(rule, k)] as const),
  ];
  // The union of the rule's sources is judged: 0.0.0.0/1 and 128.0.0.0/1 together are the internet.
  const allValues = sources.flatMap(([k, s]) => s.values.map((v) => [k, v] as const));
  const publicSource =
    allValues.filter(([, v]) => isInternetSource(v)).map(([k, v]) => `${k} "${v}"`)[0] ??
    (coversInternet(allValues.map(([, v]) => v))
      ? `${allValues[0]?.[0] ?? 'source_address_prefixes'} ${allValues.map(([, v]) => `"${v}"`).join(', ')} (together: the internet)`
      : undefined);
  if (!publicSource) {
    const u = sources.find(([, s]) => s.unresolved.length > 0);
    if (!u) return { outcome: 'pass', message: `${label} does not allow traffic from the internet` };
    note(u[0], u[1].unresolved[0]);
  }

  const portKeys = ['destination_port_range', 'destination_port_ranges'];
  const exposed: string[] = [];
  let portUnknown: [string, Unresolved | undefined] | undefined;
  for (const key of portKeys) {
    const ports = readStrings(rule, key);
    if (ports.unresolved.length) portUnknown ??= [key, ports.unresolved[0]];
    for (const text of ports.values) {
      const range = parsePortRange(text);
      if (!range) {
        portUnknown ??= [key, undefined];
        continue;
      }
      for (const { port, service } of ADMIN_PORTS) {
        if (range.from <= port && port <= range.to) exposed.push(`${service} (${port}) via ${key} "${text}"`);
      }
    }
  }
  if (exposed.length === 0) {
    if (!portUnknown) return { outcome: 'pass', message: `${label} does not open port 22 or 3389` };
    note(portUnknown[0], portUnknown[1]);
  }
  if (unknowns.length) {
    return {
      outcome: 'unknown',
      message: `${label}: ${unknowns.join('; ')}: whether it opens SSH/RDP to the internet is unknown`,
    };
  }
  const path =
    prefix +
    (publicSource!.startsWith('source_address_prefixes')
      ? 'source_address_prefixes'
      : 'source_address_prefix');
  return {
    outcome: 'fail',
    message: `${label} allows ${exposed.join(', ')} from ${publicSource}`,
    path,
  };
}

/**
 * The admin ports an inbound Deny rule certainly blocks from the whole internet (TCP or any protocol,
 * a source covering the internet, a destination range containing the port), for evaluating rules
 * in priority order: Azure applies the rule with the lowest priority number first and stops
 * (Azure docs, "Network security groups: security rules"). Empty when the rule is not such a Deny or
 * any of those parts is not known statically.
 */
export function deniedAdminPorts(rule: TfObject): number[] {
  if (equalsTri(rule, 'direction', 'Inbound', 'Inbound').tri !== true) return [];
  if (equalsTri(rule, 'access', 'Deny', 'Allow').tri !== true) return [];
  const protocol = readString(rule, 'protocol');
  if (protocol.state !== 'ok' || !['tcp', '*', 'any'].includes(protocol.value.toLowerCase())) return [];
  const sources = ['source_address_prefix', 'source_address_prefixes'].map((k) => readStrings(rule, k));
  if (sources.some((x) => x.unresolved.length > 0)) return [];
  const values = sources.flatMap((x) => x.values);
  if (!values.some(isInternetSource) && !coversInternet(values)) return [];
  const out: number[] = [];
  for (const key of ['destination_port_range', 'destination_port_ranges']) {
    const ports = readStrings(rule, key);
    for (const text of ports.values) {
      const range = parsePortRange(text);
      if (!range) continue;
      for (const { port } of ADMIN_PORTS) if (range.from <= port && port <= range.to) out.push(port);
    }
  }
  return out;
}

/** The rule's known `priority` (100-4096), or undefined. */
export function rulePriority(rule: TfObject): number | undefined {
  const v = rule.priority;
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The admin ports an Allow rule's verdict message says it exposes (`SSH (22)`, `RDP (3389)`). */
export function exposedPorts(message: string): number[] {
  return ADMIN_PORTS.filter(({ port }) => message.includes(`(${port})`)).map(({ port }) => port);
}

// Judging GCP firewall *policy* rules (hierarchical, global network and regional network firewall

// policies) for SSH/RDP open to the internet. Shape (google provider v5/v6): a rule object with
// `direction`, `action`, `disabled` and one `match` block holding `src_ip_ranges`, the unresolvable
// sources (`src_address_groups`, `src_fqdns`, `src_region_codes`, `src_threat_intelligences`),
// `src_secure_tags` and `layer4_configs` (`layer4_config` in the `*_with_rules` resources) blocks of
// `ip_protocol` + optional `ports`.
import type { TfObject } from '../../../core/facts.js';
import { isUnresolved } from '../../../core/unresolved.js';
import { coversInternet } from '../../_lib/cidr.js';
import {
  block,
  readBlocks,
  readBool,
  readString,
  readStrings,
  unresolvedText,
  type Verdict,
} from '../../_lib/terraform-values.js';

/** Administrative ports checked, with the service each one carries. */
export const ADMIN_PORTS = [
  { port: 22, service: 'SSH' },
  { port: 3389, service: 'RDP' },
] as const;

/** Protocol values that carry TCP: `tcp`, its IANA number `6`, or `all`. */
export const TCP_PROTOCOLS = ['tcp', '6', 'all'];

/** Parses a firewall port entry: `22` or `20-30` (inclusive); undefined for anything else. */
export function parsePorts(text: string): { from: number; to: number } | undefined {
  const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(text);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= to ? { from, to } : undefined;
}

/**
 * The admin services one protocol+ports entry exposes (`ports` absent or empty = every port), or
 * why that is unknown. `where` names the entry in messages (e.g. `match.0.layer4_configs.1`).
 */
export function portExposure(
  entry: TfObject,
  protocolKey: string,
  where: string,
): { exposed: string[]; unknown?: string } {
  const protocol = readString(entry, protocolKey);
  if (protocol.state === 'unresolved')
    return { exposed: [], unknown: unresolvedText(`${where}.${protocolKey}`, protocol.value) };
  if (protocol.state !== 'ok' || !TCP_PROTOCOLS.includes(protocol.value.toLowerCase()))
    return { exposed: [] };
  const ports = readStrings(entry, 'ports');
  if (ports.values.length === 0 && ports.unresolved.length === 0) {
    return {
      exposed: ADMIN_PORTS.map(
        (p) => `${p.service} (${p.port}; no ports listed, so every port of protocol ${protocol.value})`,
      ),
    };
  }
  const exposed: string[] = [];
  let unknown = ports.unresolved[0] ? unresolvedText(`${where}.ports`, ports.unresolved[0]) : undefined;
  for (const text of ports.values) {
    const range = parsePorts(text);
    if (!range) {
      unknown ??= `${where}.ports has an unexpected entry "${text}"`;
      continue;
    }
    for (const p of ADMIN_PORTS) {
      if (range.from <= p.port && p.port <= range.to)
        exposed.push(`${p.service} (${p.port}) via port "${text}"`);
    }
  }
  return { exposed, unknown };
}

/** One condition of a failing rule: holds (`yes`, with what was seen), does not (`no`, why), or unknown. */
type Factor =
  | { state: 'yes'; text?: string; path?: string }
  | { state: 'no'; message: string; path?: string }
  | { state: 'unknown'; message: string; path?: string };

/** Sources that cannot be resolved to CIDRs statically (address groups, FQDNs, geolocation, threat lists). */
const OPAQUE_SOURCES = ['src_address_groups', 'src_fqdns', 'src_region_codes', 'src_threat_intelligences'];

/** `src_network_scope` / `src_network_context` values that exclude internet traffic (ANDed with the other sources). */
const NON_INTERNET_SCOPES = ['INTRA_VPC', 'NON_INTERNET', 'VPC_NETWORKS'];

function enabledFactor(rule: TfObject, p: string): Factor {
  const disabled = readBool(rule, 'disabled');
  if (disabled.state === 'ok' && disabled.value)
    return { state: 'no', message: `${p}disabled = true`, path: `${p}disabled` };
  if (disabled.state === 'unresolved')
    return {
      state: 'unknown',
      message: unresolvedText(`${p}disabled`, disabled.value),
      path: `${p}disabled`,
    };
  return { state: 'yes' };
}

function ingressFactor(rule: TfObject, p: string): Factor {
  const direction = readString(rule, 'direction');
  if (direction.state === 'unresolved')
    return {
      state: 'unknown',
      message: unresolvedText(`${p}direction`, direction.value),
      path: `${p}direction`,
    };
  if (direction.state === 'ok' && direction.value.toUpperCase() === 'EGRESS')
    return { state: 'no', message: `${p}direction is EGRESS`, path: `${p}direction` };
  // Absent: the *_with_rules resources default to INGRESS; the *_rule resources require it.
  return { state: 'yes' };
}

function admitsFactor(rule: TfObject, p: string): Factor {
  const action = readString(rule, 'action');
  const path = `${p}action`;
  if (action.state === 'unresolved')
    return { state: 'unknown', message: unresolvedText(path, action.value), path };
  if (action.state !== 'ok') return { state: 'unknown', message: `${path} is not set`, path };
  const a = action.value.toLowerCase();
  if (a === 'allow') return { state: 'yes' };
  // Traffic is admitted after L7 inspection: the port is still reachable from the internet.
  if (a === 'apply_security_profile_group')
    return { state: 'yes', text: ' (admitted after security-profile inspection)' };
  if (a === 'deny' || a === 'goto_next')
    return { state: 'no', message: `${path} is "${action.value}"`, path };
  return { state: 'unknown', message: `${path} has an unexpected value "${action.value}"`, path };
}

function sourceFactor(match: TfObject, m: string): Factor {
  const ranges = readStrings(match, 'src_ip_ranges');
  // The union of the ranges is judged: 0.0.0.0/1 + 128.0.0.0/1 is the internet (cidr.ts).
  const anywhere = coversInternet(ranges.values) ? ranges.values : [];
  for (const key of ['src_network_scope', 'src_network_context']) {
    const scope = readString(match, key);
    if (scope.state === 'unresolved')
      return { state: 'unknown', message: unresolvedText(`${m}${key}`, scope.value), path: `${m}${key}` };
    if (scope.state === 'ok' && NON_INTERNET_SCOPES.includes(scope.value.toUpperCase()))
      return {
        state: 'no',
        message: `${m}${key} = "${scope.value}" excludes internet traffic`,
        path: `${m}${key}`,
      };
  }
  if (anywhere.length)
    return {
      state: 'yes',
      text: `src_ip_ranges ${anywhere.map((r) => `"${r}"`).join(', ')}`,
      path: `${m}src_ip_ranges`,
    };
  if (ranges.unresolved.length)
    return {
      state: 'unknown',
      message: unresolvedText(`${m}src_ip_ranges`, ranges.unresolved[0]!),
      path: `${m}src_ip_ranges`,
    };
  for (const key of OPAQUE_SOURCES) {
    const v = readStrings(match, key);
    if (v.unresolved.length)
      return {
        state: 'unknown',
        message: unresolvedText(`${m}${key}`, v.unresolved[0]!),
        path: `${m}${key}`,
      };
    if (v.values.length)
      return {
        state: 'unknown',
        message: `${m}${key} (${v.values.join(', ')}) cannot be resolved to IP ranges statically`,
        path: `${m}${key}`,
      };
  }
  const tags = readBlocks(match, 'src_secure_tags');
  if (ranges.values.length)
    return {
      state: 'no',
      message: `src_ip_ranges ${ranges.values.join(', ')} do not include the whole internet`,
      path: `${m}src_ip_ranges`,
    };
  if (!isUnresolved(tags) && tags.length)
    return { state: 'no', message: 'the rule admits only sources with secure tags' };
  return {
    state: 'unknown',
    message: isUnresolved(tags)
      ? unresolvedText(`${m}src_secure_tags`, tags)
      : `${m.slice(0, -1) || 'match'} names no source`,
    path: m.slice(0, -1),
  };
}

function portsFactor(match: TfObject, m: string, layer4Key: string): Factor {
  const configs = readBlocks(match, layer4Key);
  if (isUnresolved(configs))
    return {
      state: 'unknown',
      message: unresolvedText(`${m}${layer4Key}`, configs),
      path: `${m}${layer4Key}`,
    };
  if (configs.length === 0)
    return { state: 'unknown', message: `${m}${layer4Key} is not set`, path: m.slice(0, -1) };
  const exposed: string[] = [];
  const unknowns: string[] = [];
  let path: string | undefined;
  configs.forEach((c, i) => {
    const where = `${m}${layer4Key}.${i}`;
    if (isUnresolved(c)) {
      unknowns.push(unresolvedText(where, c));
      return;
    }
    const e = portExposure(c, 'ip_protocol', where);
    if (e.exposed.length) {
      exposed.push(...e.exposed);
      path ??= where;
    }
    if (e.unknown) unknowns.push(e.unknown);
  });
  if (exposed.length) return { state: 'yes', text: exposed.join(', '), path };
  if (unknowns.length) return { state: 'unknown', message: unknowns.join('; '), path: `${m}${layer4Key}` };
  return { state: 'no', message: 'the rule matches neither SSH (22) nor RDP (3389) over TCP' };
}

/**
 * Verdict on one firewall policy rule: `fail` when it is enabled, INGRESS, admits traffic (`allow`,
 * or `apply_security_profile_group`), has a `/0` in `match.src_ip_ranges` (not narrowed by a
 * non-internet `src_network_scope`) and matches TCP 22 or 3389 (`ip_protocol` `tcp`/`6`/`all`; no
 * `ports` = every port); `pass` as soon as one of these is known not to hold; else `unknown` naming
 * the undecided values. `prefix` is the rule's attribute path with a trailing dot (`''` for a
 * `*_firewall_policy_rule` resource, `rule.2.` in a `*_with_rules` resource); `layer4Key` is
 * `layer4_configs` or `layer4_config`.
 */
export function judgePolicyRule(rule: TfObject, prefix: string, layer4Key: string): Verdict {
  const factors: Factor[] = [
    enabledFactor(rule, prefix),
    ingressFactor(rule, prefix),
    admitsFactor(rule, prefix),
  ];
  const match = block(rule, 'match');
  const m = `${prefix}match.0.`;
  if (isUnresolved(match))
    factors.push({
      state: 'unknown',
      message: unresolvedText(`${prefix}match`, match),
      path: `${prefix}match`,
    });
  else if (!match) factors.push({ state: 'unknown', message: `${prefix}match is not set` });
  else factors.push(sourceFactor(match, m), portsFactor(match, m, layer4Key));

  const no = factors.find((f) => f.state === 'no');
  if (no?.state === 'no') return { outcome: 'pass', message: no.message, path: no.path };
  const unknowns = factors.filter((f) => f.state === 'unknown');
  if (unknowns.length) {
    return {
      outcome: 'unknown',
      message: `${unknowns.map((f) => (f.state === 'unknown' ? f.message : '')).join('; ')}: whether the rule opens SSH/RDP to the internet is unknown`,
      path: unknowns[0]!.path,
    };
  }
  const [, , admits, source, ports] = factors;
  const text = (f: Factor | undefined) => (f?.state === 'yes' ? (f.text ?? '') : '');
  return {
    outcome: 'fail',
    message: `ingress ${prefix ? `${prefix.slice(0, -1)} ` : ''}allows ${text(ports)} from ${text(source)}${text(admits)}`,
    path: source?.path,
  };
}

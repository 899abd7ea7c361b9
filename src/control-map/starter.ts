import { stringify } from 'yaml';
import type { CheckDefinition } from '../core/check.js';
import { FRAMEWORK_IDS, type FrameworkId, type FrameworkMappings } from '../core/framework-id.js';
import { loadCatalog } from '../frameworks/catalog.js';
import type { ControlMap, MapControl } from './types.js';

/**
 * A starter control grouping: checks whose `<domain>` is in `domains` (all when absent) and whose
 * slug matches `match` land in this control, first group wins.
 */
interface StarterGroup {
  id: string;
  title: string;
  description: string;
  domains?: string[];
  match: RegExp;
}

/**
 * Named starter controls, tried in order against each check id. Order matters: specific intents
 * (admin ports, transit encryption, public exposure) come before broad ones (encryption, network).
 */
const GROUPS: StarterGroup[] = [
  {
    id: 'SEC-1',
    title: 'Secrets are not stored in code or plain configuration',
    description: 'Credentials come from a secret manager, never from source files or environment literals.',
    domains: ['secrets'],
    match: /./,
  },
  {
    id: 'VULN-1',
    title: 'Known vulnerabilities in dependencies are patched within their deadlines',
    description:
      'Lockfiles are matched against the OSV database; each vulnerability is fixed within the deadline for its severity, clocked from the first run that saw it.',
    domains: ['deps'],
    match: /./,
  },
  {
    id: 'K8S-1',
    title: 'Workloads run hardened: no privileged, root or host-level access',
    description: 'Containers drop privileges and stay isolated from the node.',
    domains: ['k8s'],
    match: /privilege|root|host|capabilit|seccomp|apparmor|read-?only|escalation|proc-mount|sysctl/,
  },
  {
    id: 'K8S-2',
    title: 'Workloads declare resources and pinned images',
    description:
      'Resource limits keep one workload from starving others; pinned images make deployments reproducible.',
    domains: ['k8s'],
    match: /limit|request|image|probe|tag|digest/,
  },
  {
    id: 'NET-1',
    title: 'No administrative ports are open to the internet',
    description: 'SSH, RDP and similar management ports accept traffic only from trusted networks.',
    match: /ssh|rdp|admin-port|management-port|port-22|port-3389/,
  },
  {
    id: 'TLS-1',
    title: 'Data in transit is encrypted with current TLS',
    description: 'Endpoints and connections require TLS (HTTPS only, modern minimum version).',
    match: /tls|https|ssl|in-transit|transit|secure-transport/,
  },
  {
    id: 'PUB-1',
    title: 'Data stores and services are not publicly accessible',
    description: 'Buckets, databases and services are private unless deliberately published.',
    match: /public|anonymous|acl|exposed|internet/,
  },
  {
    id: 'KEY-1',
    title: 'Encryption keys are managed and rotated',
    description: 'Customer-managed keys are rotated and protected from deletion.',
    match: /key-rotation|rotat|key-vault|kms-key|keyring/,
  },
  {
    id: 'ENC-1',
    title: 'Data at rest is encrypted',
    description: 'Storage, databases, volumes and queues are encrypted at rest.',
    match: /encrypt|kms|cmk|cmek|sse|customer-managed/,
  },
  {
    id: 'LOG-1',
    title: 'Audit logging and monitoring are enabled',
    description: 'Control-plane, access and flow logs are recorded and retained for investigation.',
    match: /log|trail|audit|monitor|alert|insights|flow/,
  },
  {
    id: 'BAK-1',
    title: 'Data is backed up and recoverable',
    description: 'Backups, versioning, point-in-time recovery and deletion protection are enabled.',
    match:
      /backup|versioning|snapshot|retention|point-in-time|pitr|deletion-protection|recover|multi-az|replica/,
  },
  {
    id: 'IAM-1',
    title: 'Access follows least privilege',
    description: 'Identities get only the permissions they need; no wildcard or administrator grants.',
    match:
      /iam|rbac|privilege|wildcard|admin|role|service-account|token|mfa|password|identity|policy|permission/,
  },
  {
    id: 'SEC-1',
    title: 'Secrets are not stored in code or plain configuration',
    description: 'Credentials come from a secret manager, never from source files or environment literals.',
    match: /secret|credential|hardcoded|plaintext/,
  },
  {
    id: 'NET-2',
    title: 'Networks are segmented and ingress is restricted',
    description: 'Security groups, firewalls and network policies allow only the traffic that is needed.',
    match: /network|ingress|egress|security-group|firewall|nsg|vpc|subnet|namespace/,
  },
];

/** Fallback control per check domain for checks no named group claims (so every check is covered). */
const DOMAIN_NAMES: Record<string, string> = {
  deps: 'Dependency',
  secrets: 'Secrets',
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'Google Cloud',
  k8s: 'Kubernetes',
};

function fallbackFor(domain: string): Omit<StarterGroup, 'match'> {
  const name = DOMAIN_NAMES[domain] ?? domain;
  return {
    id: `BASE-${domain.toUpperCase().replace(/[^A-Z0-9]+/g, '-')}`,
    title: `${name} resources follow the secure configuration baseline`,
    description: `Built-in ${name} checks not covered by a more specific control.`,
  };
}

/** Union of mappings, each framework's IDs in catalog order. */
function unionMappings(checks: readonly CheckDefinition[]): FrameworkMappings {
  const out: FrameworkMappings = {};
  for (const fw of FRAMEWORK_IDS) {
    const ids = new Set(checks.flatMap((c) => c.mappings[fw] ?? []));
    if (ids.size === 0) continue;
    const order = loadCatalog(fw).requirements.map((r) => r.id);
    const rank = (id: string) => {
      const i = order.indexOf(id);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    out[fw] = [...ids].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }
  return out;
}

/**
 * The built-in control map used when a repo has no evident.yaml: all four frameworks in scope and
 * one control per enforcement intent (`ENC-1` encryption at rest, `NET-1` admin ports, `IAM-1` least
 * privilege, `LOG-1` audit logging, `BAK-1` backups, `K8S-1` workload hardening, ...), plus a
 * `BASE-<DOMAIN>` fallback control per check domain, so that every check in `checks` lands in exactly
 * one control. A control's `satisfies` is the union of its checks' default mappings. Empty groups are
 * left out. No waivers, nothing declared not applicable.
 */
export function starterControlMap(checks: readonly CheckDefinition[]): ControlMap {
  const members = new Map<string, { group: Omit<StarterGroup, 'match'>; checks: CheckDefinition[] }>();
  const order: string[] = [];
  for (const g of GROUPS) if (!order.includes(g.id)) order.push(g.id);
  for (const check of [...checks].sort((a, b) => a.id.localeCompare(b.id))) {
    const dot = check.id.indexOf('.');
    const domain = dot > 0 ? check.id.slice(0, dot) : 'other';
    const slug = dot > 0 ? check.id.slice(dot + 1) : check.id;
    const group =
      GROUPS.find((g) => (!g.domains || g.domains.includes(domain)) && g.match.test(slug)) ??
      fallbackFor(domain);
    let entry = members.get(group.id);
    if (!entry) {
      entry = { group, checks: [] };
      members.set(group.id, entry);
      if (!order.includes(group.id)) order.push(group.id);
    }
    entry.checks.push(check);
  }
  const controls: MapControl[] = [];
  for (const id of order) {
    const entry = members.get(id);
    if (!entry) continue;
    controls.push({
      id,
      title: entry.group.title,
      description: entry.group.description,
      satisfies: unionMappings(entry.checks),
      checks: entry.checks.map((c) => c.id),
    });
  }
  return {
    version: 1,
    builtIn: true,
    frameworks: [...FRAMEWORK_IDS],
    controls,
    notApplicable: [],
    waivers: [],
  };
}

const HEADER = `# evident.yaml: the control map read by \`evident scan\`.
#
# One file, versioned in git, reviewed like code. It says which frameworks are in scope, your own
# controls, which framework requirements each control satisfies, and what enforces or proves it:
#   - checks:   built-in check IDs (\`evident checks\` lists them with their default mappings)
#   - evidence: a document that proves a manual control, fresh for maxAgeDays (default 365);
#               record it with \`evident evidence add\`. Until then the control is "manual".
# Requirement IDs: \`evident frameworks soc2\` (or iso27001-2022, hipaa, gdpr).
# A requirement no control covers is reported "unknown", never "pass".
#
# notApplicable: requirements out of scope, each with a reason, e.g.
#   - { framework: soc2, requirement: P1.1, reason: "No personal information of consumers processed" }
#
# Generated by \`evident init\` from the built-in checks: rename, split and merge controls freely.
`;

const MANUAL_EXAMPLE = `  # A control proved by a document instead of a check (uncomment and adapt):
  # - id: IR-1
  #   title: Incident response plan exists and is exercised yearly
  #   owner: security@example.com
  #   satisfies: { soc2: [CC7.4, CC7.5], iso27001-2022: [A.5.24, A.5.26] }
  #   evidence: { manual: docs/incident-response.md, maxAgeDays: 365 }
`;

const WAIVER_EXAMPLE = `# Waivers accept failing findings of one check on one resource until they expire. An expired waiver
# fails again and says so. \`resource\` is the subject address (a trailing * matches a prefix);
# optional \`scope\` narrows it to one Terraform root module directory or Kubernetes manifest file.
#   - check: aws.s3-bucket-encrypted
#     resource: aws_s3_bucket.public_assets
#     reason: Public marketing assets, no customer data
#     owner: alice@example.com
#     expires: 2027-03-31
`;

function flowList(items: readonly string[]): string {
  return stringify(items, { flowCollectionPadding: false, collectionStyle: 'flow', lineWidth: 0 }).trim();
}

/**
 * The evident.yaml text `evident init` writes: a commented header explaining the format, the
 * {@link starterControlMap} controls, a commented-out manual-evidence control, an empty
 * `notApplicable: []` and `waivers: []` with a commented waiver example. Parsing it back with
 * parseControlMap yields the starter map (except `builtIn`, `file` and locations).
 */
export function renderStarterYaml(checks: readonly CheckDefinition[]): string {
  const map = starterControlMap(checks);
  const lines: string[] = [HEADER, 'version: 1', `frameworks: ${flowList(map.frameworks)}`, '', 'controls:'];
  for (const c of map.controls) {
    lines.push(`  - id: ${stringify(c.id).trim()}`);
    lines.push(`    title: ${stringify(c.title, { lineWidth: 0 }).trim()}`);
    if (c.description) lines.push(`    description: ${stringify(c.description, { lineWidth: 0 }).trim()}`);
    const fws = Object.entries(c.satisfies).filter(([, ids]) => ids?.length) as [FrameworkId, string[]][];
    if (fws.length) {
      lines.push('    satisfies:');
      for (const [fw, ids] of fws) lines.push(`      ${fw}: ${flowList(ids)}`);
    }
    lines.push('    checks:');
    for (const id of c.checks) lines.push(`      - ${stringify(id).trim()}`);
  }
  if (map.controls.length === 0) lines[lines.length - 1] = 'controls: []';
  lines.push(MANUAL_EXAMPLE, 'notApplicable: []', '', WAIVER_EXAMPLE.trimEnd(), 'waivers: []', '');
  return lines.join('\n');
}

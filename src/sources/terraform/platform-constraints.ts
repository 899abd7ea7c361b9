// Configurations that parse but that the provider or the cloud API rejects are input errors, not
// something a check may pass: `terraform apply` would fail on them, so the scan cannot vouch for
// what they describe. Each rule here names its source (provider schema validation or API limits).
import type { Diagnostic } from '../../core/errors.js';
import type { TerraformResource, TfObject, TfValue } from '../../core/facts.js';
import { isUnresolved } from '../../core/unresolved.js';

const num = (v: TfValue | undefined): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;

/**
 * EC2 security group rules: for `tcp`/`udp` (`6`/`17`) the ports must be 0-65535 with from <= to
 * (EC2 AuthorizeSecurityGroupIngress: "-1" is only valid for ICMP or all protocols).
 */
function portProblem(rule: TfObject, protoField: string): string | undefined {
  const proto = rule[protoField];
  if (typeof proto !== 'string' || !['tcp', 'udp', '6', '17'].includes(proto.toLowerCase())) return undefined;
  const from = num(rule.from_port);
  const to = num(rule.to_port);
  if (from === undefined || to === undefined) return undefined;
  if (from < 0 || to > 65535 || from > to || to < 0)
    return `${proto} ports ${from}-${to} are not a port range (0-65535, from_port <= to_port); EC2 rejects this rule`;
  return undefined;
}

function problems(r: TerraformResource): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const a = r.attributes;
  if (
    r.type === 'aws_security_group_rule' ||
    r.type === 'aws_vpc_security_group_ingress_rule' ||
    r.type === 'aws_vpc_security_group_egress_rule'
  ) {
    const p = portProblem(a, r.type === 'aws_security_group_rule' ? 'protocol' : 'ip_protocol');
    if (p) out.push({ path: 'from_port', message: p });
  }
  if (r.type === 'aws_security_group' || r.type === 'aws_default_security_group') {
    for (const dir of ['ingress', 'egress']) {
      const rules = a[dir];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        if (rule && typeof rule === 'object' && !Array.isArray(rule) && !isUnresolved(rule)) {
          const p = portProblem(rule as TfObject, 'protocol');
          if (p) out.push({ path: `${dir}.${i}.from_port`, message: `${dir} rule ${i}: ${p}` });
        }
      });
    }
  }
  if (r.type === 'aws_db_instance' || r.type === 'aws_rds_cluster') {
    const days = a.backup_retention_period;
    if (typeof days === 'number' && (days < 0 || days > 35 || !Number.isInteger(days)))
      out.push({
        path: 'backup_retention_period',
        message: `backup_retention_period = ${days}: RDS accepts a whole number of days from 0 to 35 and rejects this`,
      });
  }
  return out;
}

/**
 * Error diagnostics (`E_INPUT_INVALID`) for resources the provider or API would reject (see the
 * rules above), and for two `aws_s3_bucket` resources of one root module declaring the same bucket
 * name (bucket names are globally unique: the second create fails, and companions naming that
 * name would configure either). Located at the attribute when known, else at the resource.
 */
export function platformConstraintDiagnostics(facts: readonly TerraformResource[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of facts) {
    if (r.mode !== 'managed') continue;
    for (const p of problems(r)) {
      const at = r.attributeLocations[p.path] ?? r.location;
      out.push({
        severity: 'error',
        code: 'E_INPUT_INVALID',
        file: at.file,
        line: at.line,
        message: `${r.address}: ${p.message}. Fix the configuration; checks do not pass it.`,
      });
    }
  }
  const byName = new Map<string, TerraformResource[]>();
  for (const b of facts) {
    if (b.mode !== 'managed' || b.type !== 'aws_s3_bucket' || typeof b.attributes.bucket !== 'string')
      continue;
    const key = `${b.rootModule}\u0000${b.attributes.bucket}`;
    byName.set(key, [...(byName.get(key) ?? []), b]);
  }
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    const [first, ...rest] = list as [TerraformResource, ...TerraformResource[]];
    for (const b of rest)
      out.push({
        severity: 'error',
        code: 'E_INPUT_INVALID',
        file: b.location.file,
        line: b.location.line,
        message: `${b.address} declares bucket "${String(b.attributes.bucket)}", as ${first.address} does: S3 bucket names are unique, so one of them cannot be created, and companions naming the bucket are judged on both. Rename one.`,
      });
  }
  return out;
}

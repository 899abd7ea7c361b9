// Which provider major version a Terraform configuration runs with, for defaults that changed between
// major versions (kubernetes provider 2.0: automount_service_account_token; azurerm 2.0:
// enable_https_traffic_only).
import semver from 'semver';
import type { ProviderVersion } from '../../core/facts.js';

const PART = /^(>=|<=|~>|!=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?$/;

/**
 * A Terraform version constraint (https://developer.hashicorp.com/terraform/language/expressions/version-constraints)
 * as a node-semver range: `~> 1.2` is `>=1.2.0 <2.0.0`, `~> 1.2.3` is `>=1.2.3 <1.3.0`, a bare
 * version is `=`; `!=` parts are left out (they exclude single versions, not majors). Undefined when
 * a part cannot be read.
 */
export function toSemverRange(constraint: string): string | undefined {
  const out: string[] = [];
  for (const raw of constraint.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = PART.exec(part);
    if (!m) return undefined;
    const op = m[1] ?? '=';
    const nums = m[2]!.split('.').map(Number);
    const [major = 0, minor = 0, patch = 0] = nums;
    const version = `${major}.${minor}.${patch}${m[3] ?? ''}`;
    if (op === '!=') continue;
    if (op === '~>') {
      out.push(`>=${version}`);
      out.push(nums.length === 3 ? `<${major}.${minor + 1}.0` : `<${major + 1}.0.0`);
    } else out.push(`${op}${version}`);
  }
  return out.length ? out.join(' ') : '*';
}

/**
 * Whether Terraform runs the provider at version `major`.0.0 or later: the lock file's version when it
 * has one; else `terraform init` installs the newest version every constraint allows, which is at
 * least `major` when the constraints admit any such version. No constraint at all means the newest
 * (true). Undefined when a constraint cannot be read.
 */
export function providerMajorAtLeast(pv: ProviderVersion | undefined, major: number): boolean | undefined {
  return providerAtLeast(pv, `${major}.0.0`);
}

/** {@link providerMajorAtLeast} for any version: whether Terraform runs the provider at `version` or later. */
export function providerAtLeast(pv: ProviderVersion | undefined, version: string): boolean | undefined {
  if (pv?.locked) {
    const v = semver.coerce(pv.locked);
    return v ? semver.gte(v, version) : undefined;
  }
  const ranges = (pv?.constraints ?? []).map(toSemverRange);
  if (ranges.some((r) => r === undefined)) return undefined;
  const range = ranges.join(' ') || '*';
  if (!semver.validRange(range)) return undefined;
  return semver.intersects(range, `>=${version}`, { includePrerelease: false });
}

/** `hashicorp/kubernetes 2.x` or the constraints, for messages and default sources. */
export function describeProviderVersion(pv: ProviderVersion | undefined): string {
  if (!pv) return 'no version constraint (the newest version)';
  if (pv.locked) return `${pv.source} ${pv.locked} (.terraform.lock.hcl)`;
  return pv.constraints.length
    ? `${pv.source} ${pv.constraints.join(', ')}`
    : `${pv.source} (no version constraint)`;
}

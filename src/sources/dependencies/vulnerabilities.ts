import type { PackageFact, VulnerabilityFact } from '../../core/facts.js';
import { SEVERITIES } from '../../core/outcome.js';
import { type OsvDatabase, type OsvRecord, packageKey } from './osv-db.js';
import { matchRecord } from './osv-match.js';
import { rateSeverity } from './severity.js';

const idsOf = (r: OsvRecord): string[] => [
  String(r.id),
  ...(Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === 'string') : []),
];

/**
 * The advisories affecting each pinned package: every non-withdrawn record of the database that
 * matches (osv-match.ts), records that share an id or alias merged into one fact (canonical id: the
 * smallest record id; severity: the highest of the group's ratings). A record whose ranges cannot be
 * evaluated for the version gives a fact with `undetermined`. Packages without a version are skipped
 * (the check reports them).
 */
export function matchVulnerabilities(packages: readonly PackageFact[], db: OsvDatabase): VulnerabilityFact[] {
  const out: VulnerabilityFact[] = [];
  for (const p of packages) {
    if (!p.version) continue;
    const records = db.byPackage.get(packageKey(p.ecosystem, p.name)) ?? [];
    const hits: { r: OsvRecord; fixed: string[]; undetermined?: string }[] = [];
    for (const r of records) {
      if (r.withdrawn !== undefined && r.withdrawn !== null) continue;
      const m = matchRecord(r, p.ecosystem, p.name, p.version);
      if (m.affected === true) hits.push({ r, fixed: m.fixed });
      else if (m.affected === undefined) hits.push({ r, fixed: m.fixed, undetermined: m.reason });
    }
    // merge records connected by shared ids/aliases
    const groups: { ids: Set<string>; members: typeof hits }[] = [];
    for (const h of hits) {
      const ids = new Set(idsOf(h.r));
      const joined = groups.filter((g) => [...ids].some((i) => g.ids.has(i)));
      const merged = { ids, members: [h] };
      for (const g of joined) {
        for (const i of g.ids) merged.ids.add(i);
        merged.members.push(...g.members);
        groups.splice(groups.indexOf(g), 1);
      }
      groups.push(merged);
    }
    for (const g of groups) {
      const determined = g.members.filter((m) => !m.undetermined);
      const members = determined.length > 0 ? determined : g.members;
      const recordIds = members.map((m) => String(m.r.id)).sort();
      const id = recordIds[0]!;
      const canonical = members.find((m) => String(m.r.id) === id)!.r;
      const ratings = members.map((m) => {
        const affected = (Array.isArray(m.r.affected) ? m.r.affected : []).find(
          (a) => (a as { package?: { name?: string } }).package?.name === p.name,
        ) as Record<string, unknown> | undefined;
        return rateSeverity(m.r, affected);
      });
      const rated = ratings.filter((r) => r.source !== 'unrated');
      const best = (rated.length ? rated : ratings).sort(
        (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
      )[0]!;
      const summary =
        typeof canonical.summary === 'string' && canonical.summary
          ? canonical.summary
          : typeof canonical.details === 'string'
            ? canonical.details.split('\n')[0]!.slice(0, 200)
            : id;
      out.push({
        kind: 'vulnerability',
        id,
        aliases: [...g.ids].filter((i) => i !== id).sort(),
        summary,
        severity: best.severity,
        severitySource: best.source,
        fixed: [...new Set(members.flatMap((m) => m.fixed))].sort(),
        ecosystem: p.ecosystem,
        package: p.name,
        version: p.version,
        purl: p.purl,
        ...(p.direct !== undefined ? { direct: p.direct } : {}),
        lockfile: p.lockfile,
        location: p.location,
        ...(determined.length === 0 ? { undetermined: g.members[0]!.undetermined } : {}),
      });
    }
  }
  return out;
}

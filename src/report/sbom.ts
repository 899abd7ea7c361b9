import { createRequire } from 'node:module';
import type { DependencyFact, PackageFact, VulnerabilityFact } from '../core/facts.js';
import type { Finding } from '../core/finding.js';

// The CycloneDX library ships CommonJS; its ESM entry re-exports it.
const CDX = createRequire(import.meta.url)(
  '@cyclonedx/cyclonedx-library',
) as typeof import('@cyclonedx/cyclonedx-library');

/** What the SBOM describes besides the facts: the project name and the tool. */
export interface SbomMeta {
  /** Name of the scanned project (the scan root's directory name). */
  name: string;
  toolVersion: string;
  /** Timestamp of the BOM (the scan's time). */
  timestamp: Date;
}

const SEVERITY: Record<string, string> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
};

/**
 * A CycloneDX 1.6 JSON SBOM (https://cyclonedx.org/docs/1.6/json/) of the packages the lockfiles
 * pin, built and serialised with @cyclonedx/cyclonedx-library: one `library` component per distinct
 * purl (bom-ref = purl; properties `evident:lockfile`, `evident:direct`, `evident:dev`), and one
 * vulnerability per advisory with its rating, aliases as references and the components it affects.
 * `findings` (optional) adds each vulnerability's SLA clock as properties (`evident:first-seen`,
 * `evident:deadline`, `evident:sla-state`). Deterministic for equal inputs.
 */
export function renderCycloneDx(
  facts: readonly DependencyFact[],
  meta: SbomMeta,
  findings: readonly Finding[] = [],
): string {
  const bom = new CDX.Models.Bom();
  bom.serialNumber = undefined;
  bom.metadata.timestamp = meta.timestamp;
  bom.metadata.component = new CDX.Models.Component(CDX.Enums.ComponentType.Application, meta.name, {
    bomRef: `evident:project:${meta.name}`,
  });
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'evident', { version: meta.toolVersion }),
  );
  const byPurl = new Map<string, PackageFact[]>();
  for (const f of facts)
    if (f.kind === 'package' && f.version) byPurl.set(f.purl, [...(byPurl.get(f.purl) ?? []), f]);
  const components = new Map<string, InstanceType<typeof CDX.Models.Component>>();
  for (const [purl, list] of [...byPurl].sort(([a], [b]) => a.localeCompare(b))) {
    const p = list[0]!;
    const group =
      p.ecosystem === 'npm' && p.name.startsWith('@') ? p.name.slice(0, p.name.indexOf('/')) : undefined;
    const c = new CDX.Models.Component(
      CDX.Enums.ComponentType.Library,
      group ? p.name.slice(group.length + 1) : p.name,
      {
        bomRef: purl,
        version: p.version,
        ...(group ? { group } : {}),
      },
    );
    c.purl = purl as never;
    for (const lock of [...new Set(list.map((x) => x.lockfile))].sort())
      c.properties.add(new CDX.Models.Property('evident:lockfile', lock));
    const direct = list.some((x) => x.direct === true)
      ? 'true'
      : list.every((x) => x.direct === false)
        ? 'false'
        : 'unknown';
    c.properties.add(new CDX.Models.Property('evident:direct', direct));
    if (list.every((x) => x.dev)) c.properties.add(new CDX.Models.Property('evident:dev', 'true'));
    bom.components.add(c);
    bom.metadata.component.dependencies.add(c.bomRef);
    components.set(purl, c);
  }
  const clockOf = new Map<string, Finding>();
  for (const f of findings)
    if (f.sla?.kind === 'vulnerability' && f.sla.purl) clockOf.set(`${f.sla.item}\0${f.sla.purl}`, f);
  const vulns = new Map<string, VulnerabilityFact[]>();
  for (const f of facts)
    if (f.kind === 'vulnerability' && !f.undetermined) vulns.set(f.id, [...(vulns.get(f.id) ?? []), f]);
  for (const [id, list] of [...vulns].sort(([a], [b]) => a.localeCompare(b))) {
    const v = list[0]!;
    const vuln = new CDX.Models.Vulnerability.Vulnerability({
      bomRef: `evident:vuln:${id}`,
      id,
      description: v.summary,
    });
    vuln.source = new CDX.Models.Vulnerability.Source({
      name: 'OSV',
      url: `https://osv.dev/vulnerability/${id}`,
    });
    vuln.ratings.add(
      new CDX.Models.Vulnerability.Rating({
        severity: SEVERITY[v.severity] as never,
        method: CDX.Enums.Vulnerability.RatingMethod.Other,
        justification: `severity from ${v.severitySource}`,
      }),
    );
    for (const alias of v.aliases)
      vuln.references.add(
        new CDX.Models.Vulnerability.Reference(
          alias,
          new CDX.Models.Vulnerability.Source({ url: `https://osv.dev/vulnerability/${alias}` }),
        ),
      );
    if (v.fixed.length) vuln.recommendation = `Upgrade to ${v.fixed.join(' or ')}`;
    for (const purl of [...new Set(list.map((x) => x.purl))].sort()) {
      const c = components.get(purl);
      if (c) vuln.affects.add(new CDX.Models.Vulnerability.Affect(c.bomRef));
      const clock = clockOf.get(`${id}\0${purl}`)?.sla;
      if (clock?.firstSeen)
        vuln.properties.add(new CDX.Models.Property(`evident:first-seen:${purl}`, clock.firstSeen));
      if (clock?.deadline)
        vuln.properties.add(new CDX.Models.Property(`evident:deadline:${purl}`, clock.deadline));
      if (clock) vuln.properties.add(new CDX.Models.Property(`evident:sla-state:${purl}`, clock.state));
    }
    bom.vulnerabilities.add(vuln);
  }
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

import type { Finding } from '../core/finding.js';
import type { Waiver } from './types.js';

/** Result of {@link applyWaivers}: findings with `waiver` set where one matched, and waivers that matched nothing. */
export interface WaiverApplication {
  findings: Finding[];
  /** Waivers that matched no fail/error finding (stale address, fixed resource): the CLI warns about them. */
  unused: Waiver[];
}

/** `YYYY-MM-DD` of `now` in UTC. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** True when the waiver has expired at `now`: its `expires` day (UTC) is before today's UTC date. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return waiver.expires < utcDate(now);
}

const normScope = (s: string) => s.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';

/**
 * True when `waiver` covers `finding`: same check id (waiver ids are canonical; pass `aliases` to
 * also accept former ids), subject address equal to `resource` or starting with the part before a
 * trailing `*` (`aws_s3_bucket.public_*`, `module.x.*`, `*`), and, when the waiver has a `scope`,
 * the same subject scope (`./infra/` equals `infra`).
 */
export function waiverMatches(
  waiver: Waiver,
  finding: Finding,
  aliases?: ReadonlyMap<string, string>,
): boolean {
  const wantCheck = aliases?.get(waiver.check) ?? waiver.check;
  const gotCheck = aliases?.get(finding.checkId) ?? finding.checkId;
  if (wantCheck !== gotCheck) return false;
  const address = finding.subject.address;
  const r = waiver.resource;
  const addressOk = r.endsWith('*') ? address.startsWith(r.slice(0, -1)) : address === r;
  if (!addressOk) return false;
  return waiver.scope === undefined || normScope(waiver.scope) === normScope(finding.subject.scope);
}

/**
 * Attaches waivers to failing findings. Only `fail` and `error` findings are waivable; a waiver that
 * matches only passing / unknown / not-applicable findings counts as unused. When several waivers
 * match one finding, the first live one in file order wins, else the first expired one. An expired
 * waiver (expires before `now`'s UTC date) is still attached with `expired: true`, so reports can say
 * "waiver expired on ...", but the finding counts as failing again (see isCountedFailure).
 * Returns new finding objects; the input array and its findings are not modified.
 * `aliases` maps former check ids to current ones when findings or waivers may use either.
 */
export function applyWaivers(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  now: Date,
  aliases?: ReadonlyMap<string, string>,
): WaiverApplication {
  const used = new Set<Waiver>();
  const out = findings.map((f) => {
    if (f.outcome !== 'fail' && f.outcome !== 'error') return f;
    const matching = waivers.filter((w) => waiverMatches(w, f, aliases));
    if (matching.length === 0) return f;
    for (const w of matching) used.add(w);
    const chosen = matching.find((w) => !isExpired(w, now)) ?? matching[0]!;
    const waived: Finding = {
      ...f,
      waiver: {
        reason: chosen.reason,
        owner: chosen.owner,
        expires: chosen.expires,
        expired: isExpired(chosen, now),
        ...(chosen.location ? { location: chosen.location } : {}),
      },
    };
    return waived;
  });
  return { findings: out, unused: waivers.filter((w) => !used.has(w)) };
}

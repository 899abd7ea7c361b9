import * as pep440 from '@renovatebot/pep440';
import * as rubySemver from '@renovatebot/ruby-semver';
import semver from 'semver';
import type { Ecosystem } from '../../core/facts.js';

/** Compares two versions of one ecosystem: negative, 0, positive; undefined when either cannot be parsed. */
export type VersionCompare = (a: string, b: string) => number | undefined;

const npmCompare: VersionCompare = (a, b) => {
  const x = semver.parse(a, { loose: true });
  const y = semver.parse(b, { loose: true });
  return x && y ? semver.compare(x, y) : undefined;
};

/** Go module versions: semver with a `v` prefix (OSV writes them without it); `+incompatible` is build metadata. */
const goCompare: VersionCompare = (a, b) => {
  const clean = (v: string) => semver.parse(v.replace(/^v/, ''));
  const x = clean(a);
  const y = clean(b);
  return x && y ? semver.compare(x, y) : undefined;
};

const pep440Compare: VersionCompare = (a, b) => {
  if (!pep440.valid(a) || !pep440.valid(b)) return undefined;
  return pep440.compare(a, b);
};

const rubyCompare: VersionCompare = (a, b) => {
  if (!rubySemver.valid(a) || !rubySemver.valid(b)) return undefined;
  return rubySemver.lt(a, b) ? -1 : rubySemver.eq(a, b) ? 0 : 1;
};

/** Composer versions: an optional `v`, up to four numeric parts, stability suffixes ordered dev < alpha < beta < RC < stable < patch. */
const composerCompare: VersionCompare = (a, b) => {
  const parse = (v: string) => {
    const m =
      /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:[-._]?(dev|alpha|a|beta|b|rc|pl|p|patch)[.-]?(\d*))?$/i.exec(
        v.trim(),
      );
    if (!m) return undefined;
    const rank: Record<string, number> = {
      dev: 0,
      alpha: 1,
      a: 1,
      beta: 2,
      b: 2,
      rc: 3,
      pl: 5,
      p: 5,
      patch: 5,
    };
    return [
      Number(m[1]),
      Number(m[2] ?? 0),
      Number(m[3] ?? 0),
      Number(m[4] ?? 0),
      m[5] ? rank[m[5].toLowerCase()]! : 4,
      Number(m[6] || 0),
    ];
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
};

/**
 * The version ordering OSV prescribes for `ECOSYSTEM` ranges of each ecosystem: npm (node-semver,
 * loose), PyPI (PEP 440), Go (semver over module versions), crates.io (semver), RubyGems
 * (Gem::Version), Packagist (Composer). `SEMVER` ranges always use SemVer 2.0 (semver).
 */
export function compareFor(ecosystem: Ecosystem, rangeType: 'SEMVER' | 'ECOSYSTEM'): VersionCompare {
  if (rangeType === 'SEMVER') return ecosystem === 'Go' ? goCompare : npmCompare;
  switch (ecosystem) {
    case 'npm':
    case 'crates.io':
      return npmCompare;
    case 'Go':
      return goCompare;
    case 'PyPI':
      return pep440Compare;
    case 'RubyGems':
      return rubyCompare;
    case 'Packagist':
      return composerCompare;
  }
}

import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from '../../core/facts.js';

/**
 * The Package URL of a package (purl spec, https://github.com/package-url/purl-spec): types npm
 * (scope as namespace), pypi, golang (module path: namespace/name), cargo, gem, composer
 * (vendor/name). The version is added when known.
 */
export function purlOf(ecosystem: Ecosystem, name: string, version?: string): string {
  const split = (n: string): [string | undefined, string] => {
    const i = n.lastIndexOf('/');
    return i > 0 ? [n.slice(0, i), n.slice(i + 1)] : [undefined, n];
  };
  const type = {
    npm: 'npm',
    PyPI: 'pypi',
    Go: 'golang',
    'crates.io': 'cargo',
    RubyGems: 'gem',
    Packagist: 'composer',
  }[ecosystem];
  const [ns, base] =
    ecosystem === 'npm' || ecosystem === 'Go' || ecosystem === 'Packagist' ? split(name) : [undefined, name];
  return new PackageURL(type, ns, base, version ?? undefined, undefined, undefined).toString();
}

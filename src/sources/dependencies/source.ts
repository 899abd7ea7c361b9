import { dirname } from 'node:path';
import type { Source } from '../../core/source.js';
import { isLockfileName } from './lockfiles/names.js';

/**
 * Dependency lockfiles (package-lock.json v1-v3, npm-shrinkwrap.json, yarn.lock classic and berry,
 * pnpm-lock.yaml, requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, go.mod (go.sum where no
 * go.mod), Cargo.lock, Gemfile.lock, composer.lock): each pinned package as a purl, direct or
 * transitive where the lockfile (or its manifest beside it) says. With an OSV database
 * (`options.dependencies.osv`) it adds the advisories affecting them. Facts:
 * {@link import('../../core/facts.js').DependencyFact}. The parsers load only when a lockfile is found.
 */
export const dependenciesSource: Source<'dependencies'> = {
  id: 'dependencies',
  facts: 'dependencies',
  title: 'Dependency lockfiles',
  reads:
    'package-lock.json, yarn.lock, pnpm-lock.yaml, requirements.txt, poetry.lock, uv.lock, Pipfile.lock, go.mod/go.sum, Cargo.lock, Gemfile.lock, composer.lock; advisories from an OSV database on disk',
  priority: 10,
  fixtureSuffixes: [
    'package-lock.json',
    'yarn.lock',
    'pnpm-lock.yaml',
    'requirements.txt',
    'poetry.lock',
    'uv.lock',
    'Pipfile.lock',
    'go.mod',
    'Cargo.lock',
    'Gemfile.lock',
    'composer.lock',
  ],
  async claim(files) {
    const dirsWithGoMod = new Set(files.filter((f) => f.name === 'go.mod').map((f) => dirname(f.abs)));
    return files.filter(
      (f) =>
        isLockfileName(fixtureBase(f.name)) &&
        !(f.name === 'go.sum' && dirsWithGoMod.has(dirname(f.abs))) &&
        !f.rel.split('/').includes('node_modules'),
    );
  },
  async load(files, ctx) {
    const { loadDependencies } = await import('./load.js');
    return loadDependencies(files, ctx, fixtureBase);
  },
};

/** A conformance fixture `fail-x.package-lock.json` is read as `package-lock.json`. */
function fixtureBase(name: string): string {
  const m = /^(?:pass|fail|unknown|na)-[a-z0-9-]+\.(.+)$/.exec(name);
  return m && isLockfileName(m[1]!) ? m[1]! : name;
}

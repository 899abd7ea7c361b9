import lockfile from '@yarnpkg/lockfile';
import { parseSyml } from '@yarnpkg/parsers';
import { parse as parseYaml } from 'yaml';
import {
  isRec,
  type LockedPackage,
  type LockfileContext,
  LockfileError,
  lineIndex,
  manifestDeps,
  type ParsedLockfile,
  parseJson,
  type Rec,
  str,
} from './types.js';

const NPM_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`), 2 and 3
 * (`packages` keyed by `node_modules/...` path). Direct: v2/v3 from the root entry `packages[""]`,
 * v1 from the sibling package.json when present (else unknown). Links and the root are not packages.
 */
export function parsePackageLock(text: string, ctx: LockfileContext): ParsedLockfile {
  const doc = parseJson(text);
  if (!isRec(doc)) throw new LockfileError('a package-lock.json is a JSON object');
  const version = typeof doc.lockfileVersion === 'number' ? doc.lockfileVersion : 1;
  const line = lineIndex(text);
  const packages: LockedPackage[] = [];
  if (isRec(doc.packages) && version >= 2) {
    const root = isRec(doc.packages['']) ? (doc.packages[''] as Rec) : {};
    const direct = new Set<string>();
    for (const f of NPM_FIELDS)
      if (isRec(root[f])) for (const n of Object.keys(root[f] as Rec)) direct.add(n);
    for (const [path, entry] of Object.entries(doc.packages)) {
      if (path === '' || !isRec(entry) || entry.link === true) continue;
      const idx = path.lastIndexOf('node_modules/');
      if (idx < 0) continue; // a workspace folder, not an installed package
      const name = str(entry.name) ?? path.slice(idx + 'node_modules/'.length);
      const v = str(entry.version);
      if (!v) continue;
      const topLevel = idx === 0;
      packages.push({
        name,
        version: v,
        direct: topLevel && direct.has(name),
        ...(entry.dev === true ? { dev: true } : {}),
        line: line(text.indexOf(JSON.stringify(path))),
      });
    }
    return { format: `package-lock.json v${version}`, ecosystem: 'npm', packages };
  }
  const manifest = manifestDeps(ctx.sibling('package.json'), NPM_FIELDS);
  const walk = (deps: unknown, topLevel: boolean) => {
    if (!isRec(deps)) return;
    for (const [name, entry] of Object.entries(deps)) {
      if (!isRec(entry)) continue;
      const v = str(entry.version);
      if (v && !v.startsWith('file:') && !v.startsWith('link:')) {
        packages.push({
          name,
          version: v,
          ...(topLevel && manifest ? { direct: manifest.all.has(name) } : topLevel ? {} : { direct: false }),
          ...(entry.dev === true ? { dev: true } : {}),
          line: line(text.indexOf(`${JSON.stringify(name)}: {`)),
        });
      }
      walk(entry.dependencies, false);
    }
  };
  walk(doc.dependencies, true);
  return { format: 'package-lock.json v1', ecosystem: 'npm', packages };
}

/** `name@range` keys of yarn.lock: the package name (scoped names keep their leading `@`). */
function yarnName(key: string): string {
  const first = key.split(',')[0]!.trim().replace(/^"|"$/g, '');
  const at = first.indexOf('@', 1);
  return at > 0 ? first.slice(0, at) : first;
}

/**
 * yarn.lock, classic (v1, `@yarnpkg/lockfile`) and berry (v2+ YAML with `__metadata`,
 * `@yarnpkg/parsers`). Workspace and link entries are not packages. Direct from the sibling
 * package.json when present.
 */
export function parseYarnLock(text: string, ctx: LockfileContext): ParsedLockfile {
  const manifest = manifestDeps(ctx.sibling('package.json'), NPM_FIELDS);
  const line = lineIndex(text);
  const packages: LockedPackage[] = [];
  const berry = /^__metadata:/m.test(text);
  let entries: Record<string, unknown>;
  if (berry) {
    try {
      entries = parseSyml(text) as Record<string, unknown>;
    } catch (err) {
      throw new LockfileError(`not a valid yarn (berry) lockfile: ${(err as Error).message}`);
    }
  } else {
    const parsed = lockfile.parse(text);
    if (parsed.type !== 'success') throw new LockfileError(`yarn.lock has merge conflicts (${parsed.type})`);
    entries = parsed.object as Record<string, unknown>;
  }
  const seen = new Set<string>();
  for (const [key, entry] of Object.entries(entries)) {
    if (key === '__metadata' || !isRec(entry)) continue;
    const v = str(entry.version);
    const resolution = str(entry.resolution) ?? '';
    if (
      !v ||
      /@(?:workspace|link|portal|file):/.test(resolution) ||
      /@(?:workspace|link|portal|file):/.test(key)
    )
      continue;
    const name = yarnName(key);
    const id = `${name}@${v}`;
    if (seen.has(id)) continue; // classic lists one entry per requested range
    seen.add(id);
    packages.push({
      name,
      version: v,
      ...(manifest
        ? { direct: manifest.all.has(name), ...(manifest.dev.has(name) ? { dev: true } : {}) }
        : {}),
      line: line(text.indexOf(key.split(',')[0]!.trim())),
    });
  }
  return { format: berry ? 'yarn.lock (berry)' : 'yarn.lock (classic)', ecosystem: 'npm', packages };
}

/** v5 `/name/1.2.3_peer@1`; v6 `/name@1.2.3(peer@1)`; v9 `name@1.2.3(peer@1)` → [name, version]. */
function pnpmKey(key: string, v5: boolean): [string, string] | undefined {
  const k = key.replace(/^\//, '').replace(/\(.*$/, '');
  if (v5) {
    const slash = k.lastIndexOf('/');
    if (slash <= 0) return undefined;
    return [k.slice(0, slash), k.slice(slash + 1).replace(/_.*$/, '')];
  }
  const at = k.lastIndexOf('@');
  return at > 0 ? [k.slice(0, at), k.slice(at + 1)] : undefined;
}

/**
 * pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x: packages from `packages` (v9 also `snapshots`);
 * direct from the importers' (or the v5 root's) `dependencies` / `devDependencies` / `optionalDependencies`.
 */
export function parsePnpmLock(text: string): ParsedLockfile {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 1000 });
  } catch (err) {
    throw new LockfileError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isRec(doc)) throw new LockfileError('a pnpm-lock.yaml is a YAML mapping');
  const line = lineIndex(text);
  const direct = new Map<string, boolean>(); // name@version -> dev
  const importers = isRec(doc.importers) ? Object.values(doc.importers) : [doc];
  for (const imp of importers) {
    if (!isRec(imp)) continue;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      const deps = imp[field];
      if (!isRec(deps)) continue;
      for (const [name, spec] of Object.entries(deps)) {
        const v = (isRec(spec) ? str(spec.version) : (str(spec) ?? String(spec))) ?? '';
        const version = v.replace(/\(.*$/, '').replace(/_.*$/, '');
        direct.set(`${name}@${version}`, field === 'devDependencies');
      }
    }
  }
  const packages: LockedPackage[] = [];
  const seen = new Set<string>();
  const pkgs = isRec(doc.packages) ? doc.packages : {};
  const v5 = Number.parseFloat(String(doc.lockfileVersion ?? '6')) < 6;
  for (const [key, entry] of Object.entries(pkgs)) {
    const parsed = pnpmKey(key, v5);
    if (!parsed) continue;
    const [name, keyVersion] = parsed;
    const version = (isRec(entry) ? str(entry.version) : undefined) ?? keyVersion;
    if (/^(?:link|file|workspace):/.test(version)) continue;
    const id = `${name}@${version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const isDirect = direct.has(id);
    packages.push({
      name,
      version,
      direct: isDirect,
      ...((isRec(entry) && entry.dev === true) || direct.get(id) ? { dev: true } : {}),
      line: line(text.indexOf(key)),
    });
  }
  return { format: `pnpm-lock.yaml v${String(doc.lockfileVersion ?? '?')}`, ecosystem: 'npm', packages };
}

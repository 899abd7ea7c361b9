import { parse as parseToml, TomlError } from 'smol-toml';
import {
  isRec,
  type LockedPackage,
  type LockfileContext,
  LockfileError,
  lineIndex,
  lineOf,
  type ParsedLockfile,
  parseJson,
  str,
} from './types.js';

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` become `-`. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function toml(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError)
      throw new LockfileError(`not valid TOML: ${err.message.split('\n')[0]}`, err.line);
    throw err;
  }
}

/**
 * requirements.txt (pip): `name==version` / `name===version` lines are pinned packages; a requirement
 * without an exact pin is listed without a version (its vulnerabilities cannot be decided). Options
 * (`-r`, `--hash`, `-e`), comments, environment markers and URLs are skipped. All are direct.
 */
export function parseRequirements(text: string): ParsedLockfile {
  const packages: LockedPackage[] = [];
  const lines = text.split(/\r?\n/);
  let joined = '';
  let startLine = 0;
  lines.forEach((raw, i) => {
    if (!joined) startLine = i + 1;
    joined += raw.replace(/\\$/, ' ');
    if (raw.endsWith('\\')) return;
    const line = joined
      .replace(/(^|\s)#.*$/, '')
      .replace(/\s+--?[a-z].*$/i, '')
      .trim();
    joined = '';
    if (!line || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line)) return;
    const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
    if (!name) return;
    const pin = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*===?\s*([^\s;,*]+)\s*(?:;.*)?$/.exec(line);
    packages.push({
      name: pep503(name),
      ...(pin ? { version: pin[1]! } : {}),
      direct: true,
      line: startLine,
    });
  });
  return { format: 'requirements.txt', ecosystem: 'PyPI', packages };
}

/** poetry.lock: `[[package]]` name/version (category or groups `dev` mark development-only). */
export function parsePoetryLock(text: string, ctx: LockfileContext): ParsedLockfile {
  const doc = toml(text);
  const direct = pyprojectDirect(ctx.sibling('pyproject.toml'));
  const line = lineIndex(text);
  let from = 0;
  const packages: LockedPackage[] = [];
  for (const p of Array.isArray(doc.package) ? doc.package : []) {
    if (!isRec(p) || !str(p.name) || !str(p.version)) continue;
    const at = text.indexOf(`name = "${p.name}"`, from);
    if (at >= 0) from = at;
    const name = pep503(str(p.name)!);
    const groups = Array.isArray(p.groups) ? p.groups : [];
    packages.push({
      name,
      version: str(p.version),
      ...(direct ? { direct: direct.has(name) } : {}),
      ...(p.category === 'dev' || (groups.length > 0 && !groups.includes('main')) ? { dev: true } : {}),
      line: line(at),
    });
  }
  return { format: 'poetry.lock', ecosystem: 'PyPI', packages };
}

/** Direct dependency names from pyproject.toml (PEP 621 `project.dependencies` and Poetry's tables). */
function pyprojectDirect(text: string | undefined): Set<string> | undefined {
  if (text === undefined) return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  const project = isRec(doc.project) ? doc.project : {};
  const reqs = [
    ...(Array.isArray(project.dependencies) ? project.dependencies : []),
    ...Object.values(isRec(project['optional-dependencies']) ? project['optional-dependencies'] : {}).flat(),
  ];
  for (const r of reqs) {
    const m = typeof r === 'string' ? /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(r) : null;
    if (m) out.add(pep503(m[1]!));
  }
  const poetry = isRec(doc.tool) && isRec(doc.tool.poetry) ? doc.tool.poetry : undefined;
  if (poetry) {
    for (const table of [poetry.dependencies, poetry['dev-dependencies']])
      if (isRec(table)) for (const n of Object.keys(table)) out.add(pep503(n));
    if (isRec(poetry.group))
      for (const g of Object.values(poetry.group))
        if (isRec(g) && isRec(g.dependencies))
          for (const n of Object.keys(g.dependencies)) out.add(pep503(n));
  }
  out.delete('python');
  return out;
}

/**
 * uv.lock: `[[package]]` name/version; the project itself (a `source` that is `editable`,
 * `virtual` or `directory`) is not a package, and its `dependencies` / `dev-dependencies` are the
 * direct ones.
 */
export function parseUvLock(text: string): ParsedLockfile {
  const doc = toml(text);
  const pkgs = (Array.isArray(doc.package) ? doc.package : []).filter(isRec);
  const isLocal = (p: Record<string, unknown>) =>
    isRec(p.source) && ('editable' in p.source || 'virtual' in p.source || 'directory' in p.source);
  const direct = new Set<string>();
  const dev = new Set<string>();
  for (const p of pkgs.filter(isLocal)) {
    for (const d of Array.isArray(p.dependencies) ? p.dependencies : [])
      if (isRec(d) && str(d.name)) direct.add(pep503(str(d.name)!));
    const devDeps = isRec(p['dev-dependencies']) ? Object.values(p['dev-dependencies']).flat() : [];
    for (const d of devDeps)
      if (isRec(d) && str(d.name)) {
        direct.add(pep503(str(d.name)!));
        dev.add(pep503(str(d.name)!));
      }
  }
  const line = lineIndex(text);
  let from = 0;
  const packages: LockedPackage[] = [];
  for (const p of pkgs) {
    if (isLocal(p) || !str(p.name) || !str(p.version)) continue;
    const at = text.indexOf(`name = "${p.name}"`, from);
    if (at >= 0) from = at;
    const name = pep503(str(p.name)!);
    packages.push({
      name,
      version: str(p.version),
      direct: direct.has(name),
      ...(dev.has(name) ? { dev: true } : {}),
      line: line(at),
    });
  }
  return { format: 'uv.lock', ecosystem: 'PyPI', packages };
}

/** Pipfile.lock: `default` and `develop` maps of `name: { version: "==x" }`; direct from the sibling Pipfile. */
export function parsePipfileLock(text: string, ctx: LockfileContext): ParsedLockfile {
  const doc = parseJson(text);
  if (!isRec(doc)) throw new LockfileError('a Pipfile.lock is a JSON object');
  let direct: Set<string> | undefined;
  const pipfile = ctx.sibling('Pipfile');
  if (pipfile !== undefined) {
    try {
      const p = parseToml(pipfile) as Record<string, unknown>;
      direct = new Set(
        [
          ...Object.keys(isRec(p.packages) ? p.packages : {}),
          ...Object.keys(isRec(p['dev-packages']) ? p['dev-packages'] : {}),
        ].map(pep503),
      );
    } catch {
      direct = undefined;
    }
  }
  const packages: LockedPackage[] = [];
  for (const section of ['default', 'develop'] as const) {
    const deps = doc[section];
    if (!isRec(deps)) continue;
    for (const [raw, entry] of Object.entries(deps)) {
      if (!isRec(entry)) continue;
      const v = str(entry.version)?.replace(/^===?/, '');
      const name = pep503(raw);
      packages.push({
        name,
        ...(v ? { version: v } : {}),
        ...(direct ? { direct: direct.has(name) } : {}),
        ...(section === 'develop' ? { dev: true } : {}),
        line: lineOf(text, `"${raw}": {`),
      });
    }
  }
  return { format: 'Pipfile.lock', ecosystem: 'PyPI', packages };
}

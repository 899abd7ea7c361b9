import { parse as parseToml, TomlError } from 'smol-toml';
import {
  isRec,
  type LockedPackage,
  type LockfileContext,
  LockfileError,
  lineIndex,
  lineOf,
  manifestDeps,
  type ParsedLockfile,
  parseJson,
  str,
} from './types.js';

/**
 * go.mod: the `require` directives (single and block form) with their versions; `// indirect` marks
 * transitive ones (Go 1.17+ lists every module the build needs). `replace` directives that point to
 * another module version replace it; local-path replacements drop the module.
 */
export function parseGoMod(text: string): ParsedLockfile {
  const packages: LockedPackage[] = [];
  const replaced = new Map<string, { path: string; version: string } | null>();
  const lines = text.split(/\r?\n/);
  let block: 'require' | 'replace' | undefined;
  const requires: { path: string; version: string; indirect: boolean; line: number }[] = [];
  lines.forEach((raw, i) => {
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) return;
    if (block && line === ')') {
      block = undefined;
      return;
    }
    let body: string | undefined;
    let kind = block;
    const m = /^(require|replace)\s*(\(?)\s*(.*)$/.exec(line);
    if (!block && m) {
      kind = m[1] as 'require' | 'replace';
      if (m[2] === '(') {
        block = kind;
        return;
      }
      body = m[3];
    } else if (block) body = line;
    if (!body || !kind) return;
    if (kind === 'require') {
      const [path, version] = body.split(/\s+/);
      if (path && version)
        requires.push({ path: path.replace(/^"|"$/g, ''), version, indirect, line: i + 1 });
    } else {
      const r = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(body);
      if (r) replaced.set(r[1]!, r[4] ? { path: r[3]!, version: r[4] } : null);
    }
  });
  for (const r of requires) {
    const rep = replaced.get(r.path);
    if (rep === null) continue;
    packages.push({
      name: rep?.path ?? r.path,
      version: rep?.version ?? r.version,
      direct: !r.indirect,
      line: r.line,
    });
  }
  return { format: 'go.mod', ecosystem: 'Go', packages };
}

/**
 * go.sum (read only where there is no go.mod beside it): one package per module version with a
 * source hash (`/go.mod`-only lines are modules whose code is not built). It may list versions the
 * build no longer selects; direct/transitive is unknown.
 */
export function parseGoSum(text: string): ParsedLockfile {
  const packages: LockedPackage[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const [path, version] = raw.trim().split(/\s+/);
    if (!path || !version || version.endsWith('/go.mod')) return;
    const id = `${path}@${version}`;
    if (seen.has(id)) return;
    seen.add(id);
    packages.push({ name: path, version, line: i + 1 });
  });
  return { format: 'go.sum', ecosystem: 'Go', packages };
}

/**
 * Cargo.lock (v1-v4): `[[package]]` entries from a registry (`source = "registry+..."` or sparse);
 * workspace members (no `source`) are not packages, and what they depend on is direct.
 */
export function parseCargoLock(text: string): ParsedLockfile {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError)
      throw new LockfileError(`not valid TOML: ${err.message.split('\n')[0]}`, err.line);
    throw err;
  }
  const pkgs = (Array.isArray(doc.package) ? doc.package : []).filter(isRec);
  const direct = new Set<string>();
  for (const p of pkgs) {
    if (p.source !== undefined) continue;
    for (const d of Array.isArray(p.dependencies) ? p.dependencies : [])
      if (typeof d === 'string') direct.add(d.split(' ')[0]!);
  }
  const line = lineIndex(text);
  let from = 0;
  const packages: LockedPackage[] = [];
  for (const p of pkgs) {
    const name = str(p.name);
    const version = str(p.version);
    if (!name || !version) continue;
    const at = text.indexOf(`name = "${name}"`, from);
    if (at >= 0) from = at;
    if (p.source === undefined || !/^(?:registry|sparse)\+/.test(String(p.source))) continue;
    packages.push({ name, version, direct: direct.has(name), line: line(at) });
  }
  return { format: `Cargo.lock v${String(doc.version ?? 1)}`, ecosystem: 'crates.io', packages };
}

/**
 * Gemfile.lock (Bundler): gems under `GEM` → `specs:` (four-space indent `name (version)`, a platform
 * suffix like `-x86_64-linux` dropped), direct from the `DEPENDENCIES` section.
 */
export function parseGemfileLock(text: string): ParsedLockfile {
  const lines = text.split(/\r?\n/);
  let section = '';
  let inSpecs = false;
  const specs: { name: string; version: string; line: number }[] = [];
  const direct = new Set<string>();
  lines.forEach((raw, i) => {
    if (/^[A-Z]/.test(raw)) {
      section = raw.trim();
      inSpecs = false;
      return;
    }
    if (section === 'GEM' && raw.trim() === 'specs:') {
      inSpecs = true;
      return;
    }
    if (section === 'GEM' && inSpecs) {
      const m = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(raw);
      if (m)
        specs.push({
          name: m[1]!,
          version: m[2]!.replace(/-(?:x86|x64|arm|aarch|java|universal|mingw|mswin|darwin|linux)[\w-]*$/, ''),
          line: i + 1,
        });
    }
    if (section === 'DEPENDENCIES') {
      const m = /^ {2}([^\s(!]+)/.exec(raw);
      if (m) direct.add(m[1]!);
    }
  });
  if (
    !lines.some((l) => l.trim() === 'GEM') &&
    specs.length === 0 &&
    !lines.some((l) => /^(?:PATH|GIT|DEPENDENCIES)$/.test(l.trim()))
  )
    throw new LockfileError('not a Gemfile.lock: no GEM, PATH, GIT or DEPENDENCIES section');
  const seen = new Set<string>();
  const packages: LockedPackage[] = [];
  for (const s of specs) {
    const id = `${s.name}@${s.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    packages.push({ name: s.name, version: s.version, direct: direct.has(s.name), line: s.line });
  }
  return { format: 'Gemfile.lock', ecosystem: 'RubyGems', packages };
}

/** composer.lock: `packages` and `packages-dev` (`version` with a leading `v` kept as written); direct from composer.json. */
export function parseComposerLock(text: string, ctx: LockfileContext): ParsedLockfile {
  const doc = parseJson(text);
  if (!isRec(doc)) throw new LockfileError('a composer.lock is a JSON object');
  const manifest = manifestDeps(ctx.sibling('composer.json'), ['require', 'require-dev']);
  const packages: LockedPackage[] = [];
  for (const section of ['packages', 'packages-dev'] as const) {
    for (const p of Array.isArray(doc[section]) ? (doc[section] as unknown[]) : []) {
      if (!isRec(p) || !str(p.name) || !str(p.version)) continue;
      const name = str(p.name)!.toLowerCase();
      packages.push({
        name,
        version: str(p.version)!,
        ...(manifest ? { direct: manifest.all.has(name) } : {}),
        ...(section === 'packages-dev' ? { dev: true } : {}),
        line: lineOf(text, `"name": "${str(p.name)}"`),
      });
    }
  }
  return { format: 'composer.lock', ecosystem: 'Packagist', packages };
}

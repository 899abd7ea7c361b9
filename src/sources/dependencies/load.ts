import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Diagnostic } from '../../core/errors.js';
import { EvidentError } from '../../core/errors.js';
import type { DependencyFact, LockfileFact, OsvDatabaseFact, PackageFact } from '../../core/facts.js';
import type { ScannedInput } from '../../core/scan-result.js';
import type { CandidateFile, SourceLoadContext } from '../../core/source.js';
import type { SourceResult } from '../../core/source-result.js';
import { describeRefusal, readRegularFile, readRegularFileSync } from '../read-regular-file.js';
import { lockfileFormat } from './lockfiles/index.js';
import { LockfileError } from './lockfiles/types.js';
import { packageKey, readOsvDatabase } from './osv-db.js';
import { purlOf } from './purl.js';
import { matchVulnerabilities } from './vulnerabilities.js';

const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;

/**
 * Loads the claimed lockfiles (see source.ts) and, with an OSV database configured, the advisories
 * that affect their packages. Bad lockfiles are error diagnostics; a missing or empty database is an
 * EvidentError E_CONFIG (nothing could be checked against it). `baseName` maps a conformance fixture
 * name to the lockfile name it stands for.
 */
export async function loadDependencies(
  files: readonly CandidateFile[],
  ctx: SourceLoadContext,
  baseName: (name: string) => string,
): Promise<SourceResult<DependencyFact>> {
  const opts = ctx.options.dependencies ?? {};
  const facts: DependencyFact[] = [];
  const inputs: ScannedInput[] = [];
  const diagnostics: Diagnostic[] = [];
  if (opts.enabled === false) return { facts, inputs, skipped: [], diagnostics };
  const packages: PackageFact[] = [];
  for (const f of files) {
    const format = lockfileFormat(baseName(f.name))!;
    // non-blocking open, regular files only: a FIFO named package-lock.json is never waited on
    const read = await readRegularFile(f.abs, MAX_LOCKFILE_BYTES);
    if ('refused' in read) {
      diagnostics.push({
        severity: 'error',
        code: read.refused.kind === 'too-large' ? 'E_INPUT_TOO_LARGE' : 'E_IO',
        file: f.rel,
        message: `${f.rel} ${describeRefusal(read.refused, MAX_LOCKFILE_BYTES)}: its packages are not checked.`,
      });
      continue;
    }
    const buf = read.buf;
    inputs.push({
      file: f.rel,
      sha256: createHash('sha256').update(buf).digest('hex'),
      kind: 'lockfile',
      bytes: buf.length,
    });
    const dir = dirname(f.abs);
    try {
      const parsed = format.parse(buf.toString('utf8').replace(/^\uFEFF/, ''), {
        sibling: (name) => {
          const read = readRegularFileSync(join(dir, name), MAX_LOCKFILE_BYTES);
          return 'buf' in read ? read.buf.toString('utf8') : undefined;
        },
      });
      const lock: LockfileFact = {
        kind: 'lockfile',
        file: f.rel,
        format: parsed.format,
        ecosystem: parsed.ecosystem,
        packages: parsed.packages.length,
        location: { file: f.rel, line: 1 },
      };
      facts.push(lock);
      for (const p of parsed.packages) {
        const fact: PackageFact = {
          kind: 'package',
          ecosystem: parsed.ecosystem,
          name: p.name,
          ...(p.version ? { version: p.version } : {}),
          purl: purlOf(parsed.ecosystem, p.name, p.version),
          ...(p.direct !== undefined ? { direct: p.direct } : {}),
          ...(p.dev ? { dev: true } : {}),
          lockfile: f.rel,
          location: { file: f.rel, line: p.line },
        };
        packages.push(fact);
      }
    } catch (err) {
      if (!(err instanceof LockfileError)) throw err;
      diagnostics.push({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: f.rel,
        ...(err.line ? { line: err.line } : {}),
        message: `${f.rel}: ${err.message}. Its packages are not checked for vulnerabilities.`,
      });
    }
  }
  facts.push(...packages);
  if (files.length) ctx.progress(`read ${files.length} lockfiles: ${packages.length} packages`);
  if (opts.osv && packages.length > 0) {
    const wanted = new Set(packages.map((p) => packageKey(p.ecosystem, p.name)));
    const db = await readOsvDatabase(opts.osv, wanted);
    const rel = relative(ctx.root, opts.osv).split('\\').join('/');
    const shown = rel.startsWith('..') || isAbsolute(rel) ? opts.osv : rel;
    const dbFact: OsvDatabaseFact = {
      kind: 'osv-database',
      path: shown,
      records: db.records,
      kept: db.kept,
      sha256: db.sha256,
      ...(db.modified ? { modified: db.modified } : {}),
      location: { file: shown, line: 1 },
    };
    facts.push(dbFact);
    inputs.push({ file: shown, sha256: db.sha256, kind: 'osv-database', bytes: 0 });
    for (const p of db.problems)
      diagnostics.push({
        severity: 'warning',
        code: 'E_INPUT_PARSE',
        file: shown,
        message: `${p.file}: ${p.reason}; skipped`,
      });
    if (db.records === 0)
      throw new EvidentError('E_CONFIG', `OSV database ${opts.osv} holds no OSV records`, {
        file: opts.osv,
        hint: 'point --osv / dependencies.osv at an OSV all.zip or a directory of OSV JSON files',
      });
    const vulns = matchVulnerabilities(packages, db);
    facts.push(...vulns);
    ctx.progress(
      `matched ${packages.length} packages against ${db.records} OSV records: ${vulns.length} advisories apply`,
    );
  }
  return { facts, inputs, skipped: [], diagnostics };
}

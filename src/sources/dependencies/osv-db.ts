import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import yauzl from 'yauzl';
import { EvidentError } from '../../core/errors.js';
import type { Ecosystem } from '../../core/facts.js';
import { pep503 } from './lockfiles/python.js';

/** An OSV record (https://ossf.github.io/osv-schema/), kept as parsed JSON. */
export type OsvRecord = Record<string, unknown>;

/** The records of an OSV database that name wanted packages, indexed by `ecosystem\0name`. */
export interface OsvDatabase {
  byPackage: Map<string, OsvRecord[]>;
  /** Records read, and kept (naming a wanted package). */
  records: number;
  kept: number;
  sha256: string;
  modified?: string;
  /** Files that are not OSV JSON (path and why): reported, not fatal. */
  problems: { file: string; reason: string }[];
}

/** Key of a package in {@link OsvDatabase.byPackage}: PyPI names PEP 503-normalised. */
export function packageKey(ecosystem: string, name: string): string {
  return `${ecosystem}\0${ecosystem === 'PyPI' ? pep503(name) : name}`;
}

/** The ecosystem of an OSV `affected[].package.ecosystem` (`PyPI`, `npm`, `Go:stdlib`? no: exact names only). */
function baseEcosystem(e: string): string {
  return e.split(':')[0]!;
}

const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Reads an OSV database on disk: a directory (searched recursively) of OSV JSON files, or a zip
 * such as the per-ecosystem `all.zip` export (read entry by entry, never whole). Keeps only records
 * that name a package in `wanted` (keys from {@link packageKey}); `ecosystems` limits which zip
 * entries are parsed at all. Throws EvidentError `E_CONFIG` when the path does not exist or is not
 * a zip or directory; a file that is not OSV JSON is listed in `problems`.
 */
export async function readOsvDatabase(path: string, wanted: ReadonlySet<string>): Promise<OsvDatabase> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch {
    throw new EvidentError('E_CONFIG', `OSV database ${path} does not exist`, {
      file: path,
      hint: 'pass a directory of OSV JSON files or an OSV all.zip (https://osv.dev/ data dumps) with --osv or dependencies.osv',
    });
  }
  const db: OsvDatabase = { byPackage: new Map(), records: 0, kept: 0, sha256: '', problems: [] };
  const add = (text: string, file: string) => {
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch (err) {
      db.problems.push({ file, reason: `not JSON: ${(err as Error).message}` });
      return;
    }
    if (typeof rec !== 'object' || rec === null || typeof (rec as OsvRecord).id !== 'string') {
      db.problems.push({ file, reason: 'not an OSV record (no id)' });
      return;
    }
    db.records++;
    const r = rec as OsvRecord;
    const keys = new Set<string>();
    for (const a of Array.isArray(r.affected) ? r.affected : []) {
      const p = (a as { package?: { ecosystem?: unknown; name?: unknown } }).package;
      if (typeof p?.ecosystem !== 'string' || typeof p.name !== 'string') continue;
      const key = packageKey(baseEcosystem(p.ecosystem), p.name);
      if (wanted.has(key)) keys.add(key);
    }
    if (keys.size === 0) return;
    db.kept++;
    if (typeof r.modified === 'string' && (!db.modified || r.modified > db.modified))
      db.modified = r.modified;
    for (const k of keys) {
      const list = db.byPackage.get(k) ?? [];
      list.push(r);
      db.byPackage.set(k, list);
    }
  };
  if (st.isDirectory()) {
    const files = (await listJson(path)).sort();
    const digest = createHash('sha256');
    for (const f of files) {
      const buf = await readFile(f);
      digest.update(
        `${createHash('sha256').update(buf).digest('hex')}  ${relative(path, f).split('\\').join('/')}\n`,
      );
      if (buf.length > MAX_RECORD_BYTES) {
        db.problems.push({ file: f, reason: 'over 16 MiB, not read' });
        continue;
      }
      add(buf.toString('utf8'), f);
    }
    db.sha256 = digest.digest('hex');
  } else if (st.isFile()) {
    db.sha256 = await sha256File(path);
    await readZip(path, (name, text) => add(text, `${path}!${name}`));
  } else {
    throw new EvidentError('E_CONFIG', `OSV database ${path} is neither a directory nor a zip file`, {
      file: path,
    });
  }
  return db;
}

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listJson(p)));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Calls `onEntry` with each `.json` entry's text, one entry in memory at a time. Rejects with E_CONFIG for a file that is not a zip. */
function readZip(path: string, onEntry: (name: string, text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) {
        reject(
          new EvidentError(
            'E_CONFIG',
            `OSV database ${path} is not a zip file: ${err?.message ?? 'unreadable'}`,
            {
              file: path,
              hint: 'use an OSV all.zip export or a directory of OSV JSON files',
            },
          ),
        );
        return;
      }
      zip.on('error', (e: Error) =>
        reject(new EvidentError('E_CONFIG', `OSV database ${path}: ${e.message}`, { file: path })),
      );
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json') || entry.uncompressedSize > MAX_RECORD_BYTES) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            reject(
              new EvidentError(
                'E_CONFIG',
                `OSV database ${path}: ${e?.message ?? 'cannot read'} ${entry.fileName}`,
                { file: path },
              ),
            );
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) =>
            reject(new EvidentError('E_CONFIG', `OSV database ${path}: ${se.message}`, { file: path })),
          );
          stream.on('end', () => {
            onEntry(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export type { Ecosystem };

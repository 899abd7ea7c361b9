import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser, create as tarCreate } from 'tar';
import { EvidentError } from '../../core/errors.js';

/** The single top-level directory of every bundle archive. */
export const BUNDLE_TOP_DIR = 'evident-bundle';

/**
 * Limits applied while reading a bundle (archive or directory) into memory. Defaults: 256 MiB per entry,
 * 2 GiB total uncompressed, compression ratio 200:1 (checked once more than 1 MiB was inflated), 200,000 entries.
 */
export interface ArchiveLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 200_000,
};

/** Below this many inflated bytes the ratio is not judged (tar headers and padding compress very well). */
const RATIO_FLOOR = 1024 * 1024;

/**
 * Files of a bundle keyed by their POSIX path relative to the bundle's top directory (e.g. `manifest.json`,
 * `entries/000003.dsse.json`), in the order they were read. Directories are not listed.
 */
export type BundleFiles = Map<string, Buffer>;

function refuse(message: string, file?: string): EvidentError {
  return new EvidentError('E_EVIDENCE', message, {
    file,
    hint: 'the bundle was refused before anything was extracted; obtain the bundle again from its producer',
  });
}

/**
 * Checks one archive member path and returns it relative to `evident-bundle/` ('' for the top dir itself).
 * Refuses absolute paths, drive letters, backslashes, NUL, `.`/`..`/empty segments and anything outside the top dir.
 */
export function safeMemberPath(raw: string, isDir: boolean): string {
  const p = isDir && raw.endsWith('/') ? raw.slice(0, -1) : raw;
  if (p.length === 0) throw refuse('archive entry with an empty path');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw refuse(`${raw}: absolute path in archive`, raw);
  if (p.includes('\\') || p.includes('\0')) throw refuse(`${raw}: backslash or NUL in archive path`, raw);
  const segments = p.split('/');
  if (segments.includes('..')) throw refuse(`${raw}: path traversal ('..') in archive`, raw);
  if (segments.some((s) => s === '' || s === '.'))
    throw refuse(`${raw}: non-normalised path in archive`, raw);
  if (segments[0] !== BUNDLE_TOP_DIR)
    throw refuse(`${raw}: outside the top directory ${BUNDLE_TOP_DIR}/`, raw);
  return segments.slice(1).join('/');
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Reads a `.tar.gz` (or plain `.tar`) bundle into memory without extracting anything, enforcing `limits`.
 * Throws EvidentError `E_EVIDENCE` naming the entry for: absolute paths, `..` segments, paths outside
 * `evident-bundle/`, symlinks, hard links, devices, FIFOs and any other non-regular entry, duplicate paths, an entry
 * over `maxEntryBytes`, a total over `maxTotalBytes`, a compression ratio over `maxRatio` (gzip bomb), more than
 * `maxEntries` entries, and a corrupt gzip/tar stream. `E_IO` when the file cannot be read.
 */
export async function readBundleArchive(
  file: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<BundleFiles> {
  let compressed: number;
  let gzip: boolean;
  try {
    const st = await lstat(file);
    if (!st.isFile()) throw refuse(`${file}: not a regular file`, file);
    compressed = st.size;
    const fh = await open(file, 'r');
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    await fh.close();
    gzip = head[0] === 0x1f && head[1] === 0x8b;
  } catch (err) {
    if (err instanceof EvidentError) throw err;
    throw new EvidentError('E_IO', `${file}: cannot read the bundle (${(err as Error).message})`, {
      file,
      cause: err,
    });
  }

  const files: BundleFiles = new Map();
  let failure: Error | undefined;
  let inflated = 0;
  let total = 0;
  let count = 0;
  const parser = new Parser({ strict: true });
  const source = createReadStream(file);
  const inflate = gzip ? createGunzip() : undefined;
  const fail = (err: Error): void => {
    if (!failure) failure = err;
    source.destroy();
    inflate?.destroy();
  };
  parser.on('error', (err: Error) => fail(refuse(`${file}: corrupt tar stream (${err.message})`, file)));
  parser.on('warn', (_code: string, message: string | Error, data?: { header?: { path?: string } }) => {
    const where = data?.header?.path;
    const err = where
      ? refuse(`${where}: invalid archive entry (${String(message)})`, where)
      : refuse(`${file}: corrupt tar stream (${String(message)})`, file);
    fail(err);
  });
  parser.on('entry', (entry) => {
    if (failure) return entry.resume();
    const raw = entry.path;
    count += 1;
    if (count > limits.maxEntries)
      return fail(refuse(`${raw}: more than ${limits.maxEntries} entries in archive`, raw));
    const isDir = entry.type === 'Directory';
    if (!isDir && !FILE_TYPES.has(entry.type)) {
      return fail(
        refuse(`${raw}: ${entry.type} entries are not allowed in a bundle (only regular files)`, raw),
      );
    }
    let rel: string;
    try {
      rel = safeMemberPath(raw, isDir);
    } catch (err) {
      return fail(err as Error);
    }
    if (isDir) {
      entry.resume();
      return;
    }
    if (rel === '') return fail(refuse(`${raw}: a file in place of the top directory`, raw));
    if (files.has(rel)) return fail(refuse(`${raw}: duplicate entry in archive`, raw));
    if (entry.size > limits.maxEntryBytes) {
      return fail(
        refuse(`${raw}: entry of ${entry.size} bytes exceeds the ${limits.maxEntryBytes}-byte limit`, raw),
      );
    }
    total += entry.size;
    if (total > limits.maxTotalBytes) {
      return fail(refuse(`${raw}: archive exceeds ${limits.maxTotalBytes} bytes uncompressed`, raw));
    }
    const chunks: Buffer[] = [];
    files.set(rel, Buffer.alloc(0));
    entry.on('data', (c: Buffer) => chunks.push(c));
    entry.on('end', () => files.set(rel, Buffer.concat(chunks)));
  });

  await new Promise<void>((resolve) => {
    const onChunk = (chunk: Buffer): void => {
      if (failure) return;
      inflated += chunk.length;
      if (inflated > limits.maxTotalBytes + 1024 * 1024) {
        fail(refuse(`${file}: archive inflates beyond ${limits.maxTotalBytes} bytes`, file));
        return;
      }
      if (inflated > RATIO_FLOOR && inflated / Math.max(compressed, 1) > limits.maxRatio) {
        fail(
          refuse(`${file}: compression ratio over ${limits.maxRatio}:1 (possible gzip bomb); refused`, file),
        );
        return;
      }
      parser.write(chunk);
    };
    const stream = inflate ? source.pipe(inflate) : source;
    stream.on('data', onChunk);
    stream.on('error', (err: Error) => {
      fail(refuse(`${file}: corrupt gzip stream (${err.message})`, file));
      resolve();
    });
    source.on('error', (err: Error) => {
      fail(
        new EvidentError('E_IO', `${file}: cannot read the bundle (${err.message})`, { file, cause: err }),
      );
      resolve();
    });
    stream.on('close', () => resolve());
    stream.on('end', () => {
      if (!failure) parser.end();
      resolve();
    });
  });
  if (failure) throw failure;
  if (files.size === 0) throw refuse(`${file}: no files under ${BUNDLE_TOP_DIR}/ in archive`, file);
  return files;
}

/**
 * Reads an unpacked bundle directory (the directory that contains `manifest.json`) into memory with the same limits
 * and refusals as {@link readBundleArchive}: symlinks, devices, sockets and FIFOs anywhere are refused, never followed.
 */
export async function readBundleDir(
  dir: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<BundleFiles> {
  const files: BundleFiles = new Map();
  let total = 0;
  const walk = async (rel: string): Promise<void> => {
    const abs = rel ? path.join(dir, rel) : dir;
    const names = (await readdir(abs)).sort();
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(path.join(dir, childRel));
      if (st.isSymbolicLink())
        throw refuse(`${childRel}: symbolic link in bundle directory (not followed)`, childRel);
      if (st.isDirectory()) {
        await walk(childRel);
        continue;
      }
      if (!st.isFile()) throw refuse(`${childRel}: not a regular file`, childRel);
      if (files.size + 1 > limits.maxEntries)
        throw refuse(`${childRel}: more than ${limits.maxEntries} files`, childRel);
      if (st.size > limits.maxEntryBytes) {
        throw refuse(
          `${childRel}: file of ${st.size} bytes exceeds the ${limits.maxEntryBytes}-byte limit`,
          childRel,
        );
      }
      total += st.size;
      if (total > limits.maxTotalBytes)
        throw refuse(`${childRel}: bundle exceeds ${limits.maxTotalBytes} bytes`, childRel);
      const fh = await open(path.join(dir, childRel), 'r');
      try {
        files.set(childRel, await fh.readFile());
      } finally {
        await fh.close();
      }
    }
  };
  try {
    const st = await lstat(dir);
    if (st.isSymbolicLink()) throw refuse(`${dir}: the bundle directory is a symbolic link`, dir);
    await walk('');
  } catch (err) {
    if (err instanceof EvidentError) throw err;
    throw new EvidentError('E_IO', `${dir}: cannot read the bundle directory (${(err as Error).message})`, {
      file: dir,
      cause: err,
    });
  }
  return files;
}

/** Reads a bundle from a `.tar.gz`/`.tar` file or an unpacked directory (auto-detected), see the two readers. */
export async function readBundle(
  target: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<BundleFiles> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(target);
  } catch (err) {
    throw new EvidentError('E_IO', `${target}: cannot read the bundle (${(err as Error).message})`, {
      file: target,
      cause: err,
    });
  }
  if (st.isDirectory()) {
    // Accept both the top directory and its parent (an extracted archive).
    const inner = path.join(target, BUNDLE_TOP_DIR);
    const innerSt = await lstat(inner).catch(() => undefined);
    return readBundleDir(innerSt?.isDirectory() && !innerSt.isSymbolicLink() ? inner : target, limits);
  }
  return readBundleArchive(target, limits);
}

/**
 * Writes `files` (relative POSIX paths) under `dir` (created; must not exist or be empty). Parent directories
 * are created; files get mode 0644.
 */
export async function writeBundleDir(dir: string, files: BundleFiles): Promise<void> {
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  if (existing.length > 0) {
    throw new EvidentError('E_USAGE', `${dir}: output directory is not empty`, {
      file: dir,
      hint: 'choose a new directory; a bundle is never written over existing files',
    });
  }
  for (const [rel, bytes] of files) {
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, bytes, { mode: 0o644, flag: 'wx' });
  }
}

/**
 * Writes `files` as a gzip-compressed tar at `outFile` with one top directory `evident-bundle/`, members in the
 * map's order, portable headers (no uid/gid/user names) and every mtime set to `mtime`, so the same files give the
 * same archive members. Creates the parent folder; refuses to overwrite an existing file (E_USAGE).
 */
export async function writeBundleArchive(outFile: string, files: BundleFiles, mtime: Date): Promise<void> {
  const exists = await lstat(outFile).catch(() => undefined);
  if (exists) {
    throw new EvidentError(
      'E_USAGE',
      `${outFile}: file exists; a bundle is never written over an existing file`,
      {
        file: outFile,
        hint: 'keep the earlier bundle (it is what you gave the auditor): pass another --output, or move it away first',
      },
    );
  }
  const staging = await mkdtemp(path.join(tmpdir(), 'evident-bundle-'));
  try {
    await writeBundleDir(path.join(staging, BUNDLE_TOP_DIR), files);
    await mkdir(path.dirname(path.resolve(outFile)), { recursive: true });
    await tarCreate({ file: outFile, gzip: true, cwd: staging, portable: true, mtime, noDirRecurse: true }, [
      ...[...files.keys()].map((rel) => `${BUNDLE_TOP_DIR}/${rel}`),
    ]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

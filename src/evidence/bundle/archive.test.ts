import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { EvidentError } from '../../core/errors.js';
import { tempDir } from '../test-support/fixtures.js';
import {
  DEFAULT_ARCHIVE_LIMITS,
  readBundle,
  readBundleArchive,
  readBundleDir,
  safeMemberPath,
  writeBundleArchive,
} from './archive.js';

interface RawMember {
  name: string;
  /** ustar typeflag: '0' file, '1' hard link, '2' symlink, '3' char dev, '5' dir, '6' fifo. */
  type?: string;
  data?: Buffer;
  linkname?: string;
  /** Size to write in the header (defaults to data length). */
  size?: number;
}

/** Builds a POSIX ustar archive by hand, so tests can make members no well-behaved writer would make. */
function makeTar(members: RawMember[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const data = m.data ?? Buffer.alloc(0);
    const h = Buffer.alloc(512);
    h.write(m.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${(m.size ?? data.length).toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(m.type ?? '0', 156);
    if (m.linkname) h.write(m.linkname, 157, 100);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function tmp(): Promise<string> {
  return tempDir('evident-archive-test-');
}

async function writeTgz(members: RawMember[]): Promise<string> {
  const file = path.join(await tmp(), 'b.tar.gz');
  await writeFile(file, gzipSync(makeTar(members)));
  return file;
}

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof EvidentError, String(err));
    assert.equal(err.code, 'E_EVIDENCE');
    assert.match(err.message, pattern);
    return true;
  });
}

const ok = { name: 'evident-bundle/manifest.json', data: Buffer.from('{}') };

describe('bundle archive reading (hostile input)', () => {
  it('round-trips a written archive', async () => {
    const file = path.join(await tmp(), 'out.tar.gz');
    const files = new Map([
      ['manifest.json', Buffer.from('{"a":1}')],
      ['entries/000000.dsse.json', Buffer.from('x')],
    ]);
    await writeBundleArchive(file, files, new Date('2026-04-01T00:00:00Z'));
    const read = await readBundleArchive(file);
    assert.deepEqual([...read.entries()], [...files.entries()]);
    await assert.rejects(writeBundleArchive(file, files, new Date()), /file exists/);
  });

  it('refuses path traversal, absolute paths and paths outside the top dir', async () => {
    await refused(
      readBundleArchive(await writeTgz([ok, { name: 'evident-bundle/../../etc/x', data: Buffer.from('x') }])),
      /evident-bundle\/\.\.\/\.\.\/etc\/x: path traversal/,
    );
    await refused(
      readBundleArchive(await writeTgz([{ name: '/etc/passwd', data: Buffer.from('x') }])),
      /\/etc\/passwd: absolute path/,
    );
    await refused(
      readBundleArchive(await writeTgz([{ name: 'other/file', data: Buffer.from('x') }])),
      /other\/file: outside the top directory/,
    );
    await refused(
      readBundleArchive(await writeTgz([{ name: 'evident-bundle/a\\..\\b', data: Buffer.from('x') }])),
      /backslash/,
    );
  });

  it('refuses symlinks, hard links, devices and FIFOs', async () => {
    for (const [type, label] of [
      ['2', 'SymbolicLink'],
      ['1', 'Link'],
      ['3', 'CharacterDevice'],
      ['6', 'FIFO'],
    ] as const) {
      const file = await writeTgz([
        ok,
        {
          name: 'evident-bundle/keys/evident.pub',
          type,
          ...(type <= '2' ? { linkname: '/etc/passwd' } : {}),
        },
      ]);
      await refused(
        readBundleArchive(file),
        new RegExp(`evident-bundle/keys/evident.pub: ${label} entries are not allowed`),
      );
    }
  });

  it('refuses duplicate entries', async () => {
    await refused(
      readBundleArchive(await writeTgz([ok, ok])),
      /evident-bundle\/manifest.json: duplicate entry/,
    );
  });

  it('refuses a huge entry from its header, before reading it', async () => {
    const file = await writeTgz([ok, { name: 'evident-bundle/blobs/big', size: 300 * 1024 * 1024 }]);
    await refused(
      readBundleArchive(file),
      /evident-bundle\/blobs\/big: entry of 314572800 bytes exceeds the 268435456-byte limit/,
    );
  });

  it('refuses a gzip bomb by compression ratio', async () => {
    const tar = makeTar([{ name: 'evident-bundle/blobs/zeros', data: Buffer.alloc(64 * 1024 * 1024) }]);
    const file = path.join(await tmp(), 'bomb.tar.gz');
    await writeFile(file, gzipSync(tar, { level: 9 }));
    await refused(readBundleArchive(file), /compression ratio over 200:1/);
  });

  it('refuses too many entries and too much data in total', async () => {
    const members = Array.from({ length: 5 }, (_, i) => ({
      name: `evident-bundle/f${i}`,
      data: Buffer.from('abc'),
    }));
    await refused(
      readBundleArchive(await writeTgz(members), { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 4 }),
      /evident-bundle\/f4: more than 4 entries/,
    );
    await refused(
      readBundleArchive(await writeTgz(members), { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 10 }),
      /evident-bundle\/f3: archive exceeds 10 bytes/,
    );
  });

  it('refuses corrupt gzip and garbage', async () => {
    const dir = await tmp();
    // Cut inside the member data, before the end-of-archive marker (what follows the marker is not read).
    const good = gzipSync(makeTar([ok, { name: 'evident-bundle/blob', data: randomBytes(4096) }]));
    await writeFile(path.join(dir, 'trunc.tar.gz'), good.subarray(0, good.length - 1500));
    await refused(readBundleArchive(path.join(dir, 'trunc.tar.gz')), /corrupt|no files/);
    await writeFile(path.join(dir, 'garbage.tar'), Buffer.from('this is not a tar file at all'.repeat(40)));
    await refused(readBundleArchive(path.join(dir, 'garbage.tar')), /corrupt|no files/);
  });

  it('stops at the end-of-archive marker: a genuine bundle with 512 MiB of zeros appended is read in seconds', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'padded.tar.gz');
    const files = new Map([
      ['manifest.json', Buffer.from('{"a":1}')],
      ['entries/000000.dsse.json', Buffer.from('x')],
    ]);
    await writeBundleArchive(file, files, new Date(0));
    // A sparse file: 512 MiB of zeros after the gzip member, without writing them to disk.
    const fh = await open(file, 'r+');
    await fh.truncate((await fh.stat()).size + 512 * 1024 * 1024);
    await fh.close();
    const started = process.hrtime.bigint();
    const read = await readBundleArchive(file);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.deepEqual(read, files);
    // Before the fix this was not done after 300 s; reading up to the marker takes milliseconds.
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('stops at the end-of-archive marker: gzip of 512 MiB of zeros after it (0.5 MB on disk) is read in seconds', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'zeros.tar.gz');
    const tar = makeTar([ok]);
    const gzip = createGzip({ level: 9 });
    const out = createWriteStream(file);
    const done = new Promise<void>((resolve, reject) => {
      out.on('finish', () => resolve());
      out.on('error', reject);
    });
    gzip.pipe(out);
    gzip.write(tar);
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 512; i++) if (!gzip.write(zeros)) await once(gzip, 'drain');
    gzip.end();
    await done;
    assert.ok((await stat(file)).size < 1024 * 1024, 'compressed to well under 1 MB');
    const started = process.hrtime.bigint();
    const read = await readBundleArchive(file);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.deepEqual([...read.keys()], ['manifest.json']);
    // Before the fix: 226 s for this input (quadratic buffering after the marker).
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('judges the compression ratio against the compressed bytes read so far', async () => {
    // A bomb inside a member, followed by incompressible bytes that would dilute a whole-file ratio.
    const tar = makeTar([{ name: 'evident-bundle/blobs/zeros', data: Buffer.alloc(64 * 1024 * 1024) }]);
    const file = path.join(await tmp(), 'diluted.tar.gz');
    await writeFile(
      file,
      Buffer.concat([gzipSync(tar, { level: 9 }), gzipSync(randomBytes(1024 * 1024), { level: 0 })]),
    );
    await refused(readBundleArchive(file), /compression ratio over 200:1/);
  });

  it('reads directories without following symlinks', async () => {
    const dir = await tmp();
    await mkdir(path.join(dir, 'evident-bundle', 'keys'), { recursive: true });
    await writeFile(path.join(dir, 'evident-bundle', 'manifest.json'), '{}');
    const files = await readBundle(dir);
    assert.deepEqual([...files.keys()], ['manifest.json']);
    await symlink('/etc/passwd', path.join(dir, 'evident-bundle', 'keys', 'evident.pub'));
    await refused(readBundleDir(path.join(dir, 'evident-bundle')), /keys\/evident.pub: symbolic link/);
    assert.equal((await readFile('/etc/hostname').catch(() => Buffer.from(''))) instanceof Buffer, true);
  });

  it('normalises and checks member paths', () => {
    assert.equal(
      safeMemberPath('evident-bundle/entries/000001.dsse.json', false),
      'entries/000001.dsse.json',
    );
    assert.equal(safeMemberPath('evident-bundle/', true), '');
    assert.throws(() => safeMemberPath('evident-bundle/./x', false), /non-normalised/);
    assert.throws(() => safeMemberPath('evident-bundle//x', false), /non-normalised/);
    assert.throws(() => safeMemberPath('C:/x', false), /absolute/);
  });
});

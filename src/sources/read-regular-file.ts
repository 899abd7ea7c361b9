import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why {@link readRegularFile} did not return the bytes of a file. */
export type ReadRefusal =
  | { kind: 'too-large'; bytes: number }
  | { kind: 'not-regular'; what: string }
  | { kind: 'io'; code: string };

/**
 * Opens flags: read-only and non-blocking, so opening a FIFO with no writer returns at once instead
 * of hanging the scan; the file type is then checked on the open descriptor (no race with a rename).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a whole regular file of at most `maxBytes` bytes. A FIFO, socket, device or directory is
 * refused (`not-regular`) without reading from it; a file over `maxBytes` (by fstat, or because it
 * grew while being read) is refused (`too-large`); errors from the file system are `io` with their
 * errno code. Never throws.
 */
export async function readRegularFile(
  file: string,
  maxBytes: number,
): Promise<{ buf: Buffer } | { refused: ReadRefusal }> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(file, OPEN_FLAGS);
  } catch (err) {
    return { refused: ioRefusal(err) };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { refused: { kind: 'not-regular', what: fileKind(st) } };
    if (st.size > maxBytes) return { refused: { kind: 'too-large', bytes: st.size } };
    // One byte more than fstat said: a file that grew since (past the limit or not) is caught.
    const buf = Buffer.allocUnsafe(st.size + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got === buf.length) return { refused: grew(got, maxBytes) };
    }
    return { buf: buf.subarray(0, got) };
  } catch (err) {
    return { refused: ioRefusal(err) };
  } finally {
    await fh.close().catch(() => {});
  }
}

/** Synchronous {@link readRegularFile}. */
export function readRegularFileSync(
  file: string,
  maxBytes: number,
): { buf: Buffer } | { refused: ReadRefusal } {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    return { refused: ioRefusal(err) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { refused: { kind: 'not-regular', what: fileKind(st) } };
    if (st.size > maxBytes) return { refused: { kind: 'too-large', bytes: st.size } };
    const buf = Buffer.allocUnsafe(st.size + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
      if (got === buf.length) return { refused: grew(got, maxBytes) };
    }
    return { buf: buf.subarray(0, got) };
  } catch (err) {
    return { refused: ioRefusal(err) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing to do: the bytes (or the refusal) are already known
    }
  }
}

/** A file that had more bytes than fstat said: too large, or changed while being read. */
function grew(got: number, maxBytes: number): ReadRefusal {
  return got > maxBytes
    ? { kind: 'too-large', bytes: got }
    : { kind: 'io', code: 'the file changed while being read' };
}

/** `a FIFO`, `a socket`, ... for a non-regular file's stat. */
export function fileKind(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** A sentence fragment for a refusal: `is a FIFO (named pipe), not a regular file`. */
export function describeRefusal(r: ReadRefusal, maxBytes: number): string {
  switch (r.kind) {
    case 'too-large':
      return `is ${r.bytes} bytes, over the ${maxBytes}-byte limit`;
    case 'not-regular':
      return `is ${r.what}, not a regular file`;
    case 'io':
      return `cannot be read (${r.code})`;
  }
}

function ioRefusal(err: unknown): ReadRefusal {
  const e = err as NodeJS.ErrnoException;
  return { kind: 'io', code: e?.code ?? (e instanceof Error ? e.message : String(err)) };
}

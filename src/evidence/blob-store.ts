/**
 * Content-addressed blob store: `<dir>/sha256/<lowercase hex>` holds the bytes whose SHA-256 is that hex.
 * Writes are write-temp + fsync + rename (a crash never leaves a partial blob under its final name); an existing
 * blob is not rewritten.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { EvidentError } from '../core/errors.js';
import { isSha256Hex, sha256Hex } from './hash.js';

/** A content-addressed blob store (see module doc). Digests are lowercase hex SHA-256. */
export interface BlobStore {
  /** The store directory (holds `sha256/`). */
  readonly dir: string;
  /** Stores `bytes` and returns their sha256 hex. Idempotent. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of blob `hex`. Throws EvidentError(E_EVIDENCE) when missing or not a sha256 hex. */
  get(hex: string): Promise<Buffer>;
  has(hex: string): Promise<boolean>;
  /** File path of blob `hex` (whether or not it exists). */
  pathOf(hex: string): string;
}

/** Opens (creating lazily on first put) the blob store rooted at `dir`. */
export function openBlobStore(dir: string): BlobStore {
  const pathOf = (hex: string): string => {
    if (!isSha256Hex(hex)) {
      throw new EvidentError(
        'E_EVIDENCE',
        `invalid blob digest ${JSON.stringify(hex)}: expected 64 lowercase hex`,
        {},
      );
    }
    return join(dir, 'sha256', hex);
  };
  return {
    dir,
    pathOf,
    async put(bytes) {
      const hex = sha256Hex(bytes);
      const final = pathOf(hex);
      try {
        if (statSync(final).size === bytes.length) return hex;
      } catch {
        // not present yet
      }
      mkdirSync(join(dir, 'sha256'), { recursive: true });
      const tmp = `${final}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, final);
      return hex;
    },
    async get(hex) {
      try {
        return readFileSync(pathOf(hex));
      } catch (err) {
        if (err instanceof EvidentError) throw err;
        throw new EvidentError('E_EVIDENCE', `blob sha256:${hex} is missing from ${dir}`, {
          hint: 'the blob store is incomplete; restore it from a backup or the auditor bundle',
        });
      }
    },
    async has(hex) {
      try {
        statSync(pathOf(hex));
        return true;
      } catch {
        return false;
      }
    },
  };
}

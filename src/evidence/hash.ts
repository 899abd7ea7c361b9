import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of `bytes` (a string is hashed as its UTF-8 encoding). */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Raw 32-byte SHA-256 of `bytes` (a string is hashed as its UTF-8 encoding). */
export function sha256(bytes: Uint8Array | string): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** True when `s` is a lowercase hex SHA-256 digest (64 characters). */
export function isSha256Hex(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
}

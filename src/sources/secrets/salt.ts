import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EvidentError } from '../../core/errors.js';
import { ensureEvidenceGitignore } from '../../core/evidence-dir.js';

/** Where a salt came from (never the salt itself): for progress lines and docs. */
export type SaltOrigin = 'env' | 'file' | 'created';

/** A per-repository salt for secret fingerprints. Keep it out of logs, blobs and reports. */
export interface SecretSalt {
  readonly origin: SaltOrigin;
  /** HMAC-SHA-256 of the secret's UTF-8 bytes under the salt, lowercase hex (the same value under any rule hashes alike). */
  hash(secret: string): string;
}

/** Name of a repository's evidence directory (engine/repository.ts EVIDENCE_DIR). */
const EVIDENCE_DIR_NAME = '.evident';

/** Environment variable holding the salt (a CI secret). */
export const SALT_ENV = 'EVIDENT_SECRETS_SALT';

/**
 * The salt for secret fingerprints: `EVIDENT_SECRETS_SALT` when set (at least 16 characters), else
 * `<evidentDir>/salt` (created on first use with 32 random bytes, hex, mode 0600; in a repository's
 * `.evident/`, whose `.gitignore` lists it, written first when missing). The salt is never
 * written to the evidence log or a blob; a different salt gives different fingerprints (so earlier
 * runs' first-seen times no longer match: keep it stable). Throws EvidentError `E_CONFIG` for a salt
 * that is too short, `E_IO` when the file cannot be read or created.
 */
export function loadSalt(evidentDir: string, env: NodeJS.ProcessEnv = process.env): SecretSalt {
  const fromEnv = env[SALT_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 16)
      throw new EvidentError('E_CONFIG', `${SALT_ENV} is shorter than 16 characters`, {
        hint: 'use a random value, e.g. `openssl rand -hex 32`, stored as a CI secret',
      });
    return saltOf(Buffer.from(fromEnv, 'utf8'), 'env');
  }
  const file = join(evidentDir, 'salt');
  try {
    return saltOf(Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'), 'file');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new EvidentError('E_IO', `cannot read the secrets salt ${file}: ${(err as Error).message}`, {
        file,
      });
  }
  const value = randomBytes(32).toString('hex');
  try {
    mkdirSync(evidentDir, { recursive: true });
    // a repository's `.evident/` gets its .gitignore (which lists the salt) before the salt exists
    if (basename(evidentDir) === EVIDENCE_DIR_NAME) ensureEvidenceGitignore(evidentDir);
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${value}\n`);
    } finally {
      closeSync(fd);
    }
    chmodSync(file, 0o600);
  } catch (err) {
    // another process created it first: use theirs
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadSalt(evidentDir, env);
    throw new EvidentError('E_IO', `cannot create the secrets salt ${file}: ${(err as Error).message}`, {
      file,
    });
  }
  return saltOf(Buffer.from(value, 'utf8'), 'created');
}

/**
 * {@link loadSalt} on first use: a scan that finds no secret never reads or creates the salt (a
 * read-only checkout scans clean without one). Throws what loadSalt throws, from the first `hash`.
 */
export function lazySalt(evidentDir: string, env: NodeJS.ProcessEnv = process.env): SecretSalt {
  let salt: SecretSalt | undefined;
  const get = () => {
    salt ??= loadSalt(evidentDir, env);
    return salt;
  };
  return {
    get origin() {
      return get().origin;
    },
    hash: (secret) => get().hash(secret),
  };
}

/** A salt from raw bytes (tests, and the loader above). */
export function saltOf(key: Buffer, origin: SaltOrigin): SecretSalt {
  return {
    origin,
    hash: (secret) => createHmac('sha256', key).update(secret, 'utf8').digest('hex'),
  };
}

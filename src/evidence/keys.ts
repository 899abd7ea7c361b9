/**
 * Ed25519 keys (node:crypto): PEM PKCS#8 private keys, PEM SPKI public keys, key ids, and the pluggable
 * {@link KeyStore} signer interface (a KMS or HSM backend implements the same three methods).
 *
 * Key id format (used as DSSE `keyid`): `SHA256:` + unpadded standard base64 of SHA-256(SPKI DER of the public
 * key) — the same shape as OpenSSH fingerprints, e.g. `SHA256:3q2+7w…`. It is computed from the public key
 * alone, so an auditor can recompute it from `evident.pub`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { EvidentError } from '../core/errors.js';
import { describeRefusal, readRegularFileSync } from '../sources/read-regular-file.js';

/** A signer. `sign` returns a raw 64-byte Ed25519 signature over `data` (no pre-hashing). */
export interface KeyStore {
  /** `SHA256:<base64>` key id of the public key (see module doc). */
  keyId(): string;
  /** PEM SPKI public key. */
  publicKeyPem(): string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Env var holding a PEM PKCS#8 Ed25519 private key (the text itself). */
export const SIGNING_KEY_ENV = 'EVIDENT_SIGNING_KEY';
/** Env var holding the path of a PEM PKCS#8 Ed25519 private key file. */
export const SIGNING_KEY_FILE_ENV = 'EVIDENT_SIGNING_KEY_FILE';

/** `SHA256:` + unpadded base64 of SHA-256 of the SPKI DER encoding of `publicKey`. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Parses a PEM SPKI Ed25519 public key. Throws EvidentError(E_EVIDENCE) when it is not one, and
 * E_USAGE when it is a private key (node:crypto would derive the public key from it silently); the
 * message names `source`, e.g. the file path, never the key text.
 */
export function parsePublicKey(pem: string, source = 'public key'): KeyObject {
  // node:crypto derives a public key from a private one: refuse it rather than verify with it (and
  // so encourage handing the signing key around).
  if (/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(pem)) {
    throw new EvidentError('E_USAGE', `${source} is a private key, not a public key: nothing was verified`, {
      hint: 'pass the public key (evident.pub, written beside the private key by `evident keygen`); the private key never leaves the signer',
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new EvidentError('E_EVIDENCE', `${source} is not a PEM public key`, {
      hint: 'pass the evident.pub written by `evident keygen` (PEM "PUBLIC KEY")',
      cause: err,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new EvidentError('E_EVIDENCE', `${source} is a ${key.asymmetricKeyType} key, not Ed25519`, {
      hint: 'Evident signs and verifies with Ed25519 keys only; create one with `evident keygen`',
    });
  }
  return key;
}

/** Largest key file read (a PEM Ed25519 key is about 120 bytes). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Reads and parses a PEM public key file; EvidentError(E_EVIDENCE) if unreadable (a FIFO is never
 * opened for reading) or not Ed25519, E_USAGE if it is a private key.
 */
export function readPublicKeyFile(path: string): { pem: string; key: KeyObject; keyId: string } {
  const read = readRegularFileSync(path, MAX_KEY_FILE_BYTES);
  if ('refused' in read) {
    throw new EvidentError(
      'E_EVIDENCE',
      `cannot read public key ${path}: it ${describeRefusal(read.refused, MAX_KEY_FILE_BYTES)}`,
      {
        file: path,
        hint: 'pass --key with the path of the evident.pub to verify against',
      },
    );
  }
  const pem = read.buf.toString('utf8');
  const key = parsePublicKey(pem, path);
  return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), key, keyId: keyIdOf(key) };
}

/** The raw 32-byte Ed25519 public key (the last 32 bytes of the 44-byte SPKI DER). */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/** A new Ed25519 key pair as PEM strings (PKCS#8 private, SPKI public) plus its key id. */
export function generateKeyPair(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/**
 * A KeyStore backed by an in-memory PEM PKCS#8 Ed25519 private key. `source` names where the key came from
 * for error messages (never the key itself). Throws EvidentError(E_EVIDENCE) when the PEM is not an Ed25519
 * private key.
 */
export function keyStoreFromPem(pem: string, source = 'private key'): KeyStore {
  let priv: KeyObject;
  try {
    priv = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new EvidentError(
      'E_EVIDENCE',
      `${source} is not a readable PEM private key (the key text is not shown)`,
      {
        hint: 'use the evident.key written by `evident keygen` (PEM "PRIVATE KEY", unencrypted PKCS#8 Ed25519)',
        cause: err instanceof Error ? new Error(err.message) : undefined,
      },
    );
  }
  if (priv.asymmetricKeyType !== 'ed25519') {
    throw new EvidentError('E_EVIDENCE', `${source} is a ${priv.asymmetricKeyType} key, not Ed25519`, {
      hint: 'Evident signs with Ed25519 only; create a key with `evident keygen`',
    });
  }
  const pub = createPublicKey(priv);
  const id = keyIdOf(pub);
  const pubPem = pub.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId: () => id,
    publicKeyPem: () => pubPem,
    sign: async (data) => sign(null, data, priv),
  };
}

/**
 * Finds the signing key, in this order: `keyFile` (from `--key-file`), env `EVIDENT_SIGNING_KEY` (PEM text),
 * env `EVIDENT_SIGNING_KEY_FILE` (path). Returns undefined when none is set (the caller records unsigned
 * evidence and says so). Throws EvidentError(E_EVIDENCE) when the chosen key is unreadable or not an Ed25519
 * private key; messages name the file or variable, never key material.
 */
export function loadSigner(opts: { keyFile?: string; env: NodeJS.ProcessEnv }): KeyStore | undefined {
  const fromFile = (path: string, via: string): KeyStore => {
    const read = readRegularFileSync(path, MAX_KEY_FILE_BYTES);
    if ('refused' in read) {
      throw new EvidentError(
        'E_EVIDENCE',
        `cannot read the signing key ${path} (${via}): it ${describeRefusal(read.refused, MAX_KEY_FILE_BYTES)}`,
        {
          file: path,
          hint: 'check the path and permissions, or create a key with `evident keygen`',
        },
      );
    }
    return keyStoreFromPem(read.buf.toString('utf8'), `signing key ${path} (${via})`);
  };
  if (opts.keyFile) return fromFile(opts.keyFile, '--key-file');
  const text = opts.env[SIGNING_KEY_ENV];
  if (text && text.trim() !== '') return keyStoreFromPem(text, `signing key in $${SIGNING_KEY_ENV}`);
  const file = opts.env[SIGNING_KEY_FILE_ENV];
  if (file && file.trim() !== '') return fromFile(file, `$${SIGNING_KEY_FILE_ENV}`);
  return undefined;
}

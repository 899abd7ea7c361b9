/**
 * DSSE v1.0 envelopes (https://github.com/secure-systems-lab/dsse): PAE, signing with a {@link KeyStore},
 * and verification against a pinned Ed25519 public key.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { canonicalize } from './canonical-json.js';
import type { KeyStore } from './keys.js';
import { keyIdOf, parsePublicKey } from './keys.js';
import type { DsseEnvelope, InTotoStatement, VerifyCheck } from './types.js';
import { IN_TOTO_PAYLOAD_TYPE } from './types.js';

/**
 * DSSE v1 Pre-Authentication Encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the
 * ASCII decimal byte length. `type` is UTF-8 encoded.
 */
export function pae(type: string, body: Uint8Array): Buffer {
  const head = `DSSEv1 ${Buffer.byteLength(type, 'utf8')} ${type} ${body.length} `;
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, 'utf8');
  out.set(body, headLen);
  return out;
}

/**
 * PAE of a DSSE envelope whose payload is still base64: decodes the payload straight into the PAE buffer (one
 * allocation). Returns the PAE bytes and the decoded payload (a view into them).
 */
export function paeFromBase64(type: string, payloadBase64: string): { message: Buffer; payload: Buffer } {
  // Decode the payload at a fixed offset leaving room for the longest possible prefix, then write the prefix
  // right-aligned in front of it once the decoded length is known.
  const maxPrefix = Buffer.byteLength(type, 'utf8') + 64;
  const buf = Buffer.allocUnsafe(maxPrefix + Buffer.byteLength(payloadBase64, 'base64'));
  const bodyLen = buf.write(payloadBase64, maxPrefix, 'base64');
  const prefix = `DSSEv1 ${Buffer.byteLength(type, 'utf8')} ${type} ${bodyLen} `;
  const start = maxPrefix - Buffer.byteLength(prefix, 'utf8');
  buf.write(prefix, start, 'utf8');
  return {
    message: buf.subarray(start, maxPrefix + bodyLen),
    payload: buf.subarray(maxPrefix, maxPrefix + bodyLen),
  };
}

/** The canonical (RFC 8785) UTF-8 bytes of an envelope: what the log stores and hashes. */
export function envelopeBytes(env: DsseEnvelope): Buffer {
  return Buffer.from(canonicalize(env), 'utf8');
}

/**
 * Wraps a statement in a DSSE envelope: payload = canonical JSON of the statement, payloadType in-toto.
 * With a signer, adds one Ed25519 signature over PAE; without, `signatures` is empty (unsigned evidence).
 */
export async function createEnvelope(statement: InTotoStatement, signer?: KeyStore): Promise<DsseEnvelope> {
  const body = Buffer.from(canonicalize(statement), 'utf8');
  const env: DsseEnvelope = {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: body.toString('base64'),
    signatures: [],
  };
  if (signer) {
    const sig = await signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, body));
    env.signatures.push({ keyid: signer.keyId(), sig: Buffer.from(sig).toString('base64') });
  }
  return env;
}

/** True when `value` has the DSSE envelope shape (strings where required, signatures an array of {keyid, sig}). */
export function isDsseEnvelope(value: unknown): value is DsseEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.payloadType === 'string' &&
    typeof v.payload === 'string' &&
    Array.isArray(v.signatures) &&
    v.signatures.every(
      (s) =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as Record<string, unknown>).sig === 'string' &&
        ((s as Record<string, unknown>).keyid === undefined ||
          typeof (s as Record<string, unknown>).keyid === 'string'),
    )
  );
}

/** A pinned verification key: parsed once, reused for every envelope (what makes bulk verification fast). */
export interface PinnedKey {
  key: KeyObject;
  keyId: string;
}

/** Parses a PEM public key into a {@link PinnedKey}. Throws EvidentError(E_EVIDENCE) if not Ed25519. */
export function pinKey(publicKeyPem: string): PinnedKey {
  const key = parsePublicKey(publicKeyPem);
  return { key, keyId: keyIdOf(key) };
}

/**
 * Checks an envelope's signatures against the pinned key (never a key named inside the envelope).
 * `ok` when at least one signature carries the pinned key id and verifies over PAE(payloadType, payload).
 * Details say `unsigned`, `signed by key X, but the pinned key is Y`, or `signature does not verify`.
 * Takes a PEM string or a {@link PinnedKey} (use the latter in loops).
 */
export function verifyEnvelope(env: DsseEnvelope, publicKey: string | PinnedKey): VerifyCheck {
  const pinned = typeof publicKey === 'string' ? pinKey(publicKey) : publicKey;
  if (!isDsseEnvelope(env)) return { name: 'signature', ok: false, detail: 'not a DSSE envelope' };
  if (env.signatures.length === 0) {
    return { name: 'signature', ok: false, detail: 'unsigned: the envelope carries no signature' };
  }
  const message = pae(env.payloadType, Buffer.from(env.payload, 'base64'));
  const others: string[] = [];
  for (const s of env.signatures) {
    if (s.keyid !== undefined && s.keyid !== '' && s.keyid !== pinned.keyId) {
      others.push(s.keyid);
      continue;
    }
    const sig = Buffer.from(s.sig, 'base64');
    if (sig.length === 64 && cryptoVerify(null, message, pinned.key, sig)) {
      return { name: 'signature', ok: true, detail: `signed by pinned key ${pinned.keyId}` };
    }
    return {
      name: 'signature',
      ok: false,
      detail: `signature does not verify with the pinned key ${pinned.keyId} (payload or signature modified)`,
    };
  }
  return {
    name: 'signature',
    ok: false,
    detail: `signed by key ${others.join(', ')}, but the pinned key is ${pinned.keyId}`,
  };
}

/** Decodes the envelope payload as an in-toto statement; undefined when it is not JSON or not a statement. */
export function decodeStatement(env: DsseEnvelope): InTotoStatement | undefined {
  try {
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as InTotoStatement;
    if (typeof st !== 'object' || st === null || !Array.isArray(st.subject)) return undefined;
    return st;
  } catch {
    return undefined;
  }
}

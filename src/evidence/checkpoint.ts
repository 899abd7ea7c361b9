/**
 * Log checkpoints in the C2SP tlog-checkpoint format (https://c2sp.org/tlog-checkpoint), signed as a C2SP
 * signed note (https://c2sp.org/signed-note) with Ed25519:
 *
 * ```
 * <origin>\n<tree size, decimal>\n<base64 root hash>\n
 * \n
 * — <key name> <base64(key hash[4] ‖ Ed25519 signature[64])>\n
 * ```
 * The signature covers the note body (the first three lines, with their newlines). The key hash is the first
 * 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ raw 32-byte public key). Evident uses the log origin as the key
 * name. An unsigned checkpoint (no signing key configured) is the body followed by the blank line and no
 * signature lines; {@link verifyCheckpoint} reports it as unsigned.
 */
import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { EvidentError } from '../core/errors.js';
import type { PinnedKey } from './dsse.js';
import { pinKey } from './dsse.js';
import type { KeyStore } from './keys.js';
import { parsePublicKey, rawEd25519PublicKey } from './keys.js';
import type { VerifyCheck } from './types.js';

/** A parsed checkpoint. `rootHash` is lowercase hex; `body` is the signed text. */
export interface Checkpoint {
  text: string;
  origin: string;
  size: number;
  rootHash: string;
  body: string;
  signatures: { name: string; keyHash: string; signature: Buffer }[];
}

const SIG_PREFIX = '\u2014 ';

/** The signed-note body of a checkpoint: origin, decimal size, base64 root, each followed by a newline. */
export function checkpointBody(origin: string, size: number, rootHash: Uint8Array): string {
  if (origin === '' || /[\n\r]/.test(origin)) {
    throw new EvidentError(
      'E_EVIDENCE',
      `invalid log origin ${JSON.stringify(origin)}: must be one non-empty line`,
      {
        hint: 'set an origin like evident.local/my-repo',
      },
    );
  }
  return `${origin}\n${size}\n${Buffer.from(rootHash).toString('base64')}\n`;
}

/** Signed-note key hash of an Ed25519 key: SHA-256(name ‖ "\n" ‖ 0x01 ‖ pubkey)[0:4]. */
export function noteKeyHash(name: string, publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.from([1]))
    .update(rawEd25519PublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

/** Builds the checkpoint text; signs it with `signer` when given (key name = origin). */
export async function createCheckpoint(
  origin: string,
  size: number,
  rootHash: Uint8Array,
  signer?: KeyStore,
): Promise<string> {
  const body = checkpointBody(origin, size, rootHash);
  if (!signer) return `${body}\n`;
  const pub = parsePublicKey(signer.publicKeyPem(), 'signer public key');
  const sig = await signer.sign(Buffer.from(body, 'utf8'));
  const blob = Buffer.concat([noteKeyHash(origin, pub), Buffer.from(sig)]).toString('base64');
  return `${body}\n${SIG_PREFIX}${origin} ${blob}\n`;
}

/**
 * Parses checkpoint text. Throws EvidentError(E_EVIDENCE) naming the bad line when it is not a C2SP
 * checkpoint (missing lines, non-decimal size, root not 32 bytes of base64, malformed signature line).
 */
export function parseCheckpoint(text: string): Checkpoint {
  const bad = (what: string, line?: number): never => {
    throw new EvidentError('E_EVIDENCE', `malformed checkpoint: ${what}`, {
      line,
      hint: 'the checkpoint file was modified or is not an Evident/C2SP checkpoint; re-run `evident verify` on the log',
    });
  };
  if (typeof text !== 'string' || text.length > 1_000_000) bad('not text or too large');
  const split = text.indexOf('\n\n');
  if (split < 0) bad('no blank line separating the body from the signatures');
  const body = text.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) bad(`body has ${lines.length} lines, needs origin, tree size and root hash`);
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '') bad('empty origin line', 1);
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    bad(`tree size ${JSON.stringify(sizeText)} is not a decimal integer`, 2);
  }
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText)
    bad('root hash is not 32 bytes of base64', 3);
  const signatures: Checkpoint['signatures'] = [];
  const sigLines = text.slice(split + 2).split('\n');
  if (sigLines[sigLines.length - 1] !== '') bad('text does not end with a newline');
  sigLines.pop();
  const bodyLineCount = lines.length + 1;
  sigLines.forEach((l, i) => {
    const lineNo = bodyLineCount + 1 + i;
    if (!l.startsWith(SIG_PREFIX)) bad(`signature line does not start with "— "`, lineNo);
    const rest = l.slice(SIG_PREFIX.length);
    const sp = rest.lastIndexOf(' ');
    if (sp <= 0) bad('signature line lacks a key name and signature', lineNo);
    const sigText = rest.slice(sp + 1);
    const sig = Buffer.from(sigText, 'base64');
    if (sig.toString('base64') !== sigText) bad('signature is not canonical base64', lineNo);
    if (sig.length < 5) bad('signature is too short', lineNo);
    signatures.push({
      name: rest.slice(0, sp),
      keyHash: sig.subarray(0, 4).toString('hex'),
      signature: sig.subarray(4),
    });
  });
  return { text, origin, size: Number(sizeText), rootHash: root.toString('hex'), body, signatures };
}

/**
 * Verifies a checkpoint's signature with the pinned public key (PEM or {@link PinnedKey}). ok when a signature
 * line's key hash matches the pinned key for its name and the Ed25519 signature over the body verifies.
 * Returns a failing check (never throws) for malformed text, unsigned checkpoints, or other keys.
 */
export function verifyCheckpoint(text: string, publicKey: string | PinnedKey): VerifyCheck {
  const name = 'checkpoint-signature';
  let cp: Checkpoint;
  try {
    cp = parseCheckpoint(text);
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message };
  }
  const pinned = typeof publicKey === 'string' ? pinKey(publicKey) : publicKey;
  if (cp.signatures.length === 0) {
    return { name, ok: false, detail: `checkpoint (size ${cp.size}) is unsigned` };
  }
  const seen: string[] = [];
  for (const s of cp.signatures) {
    const expect = noteKeyHash(s.name, pinned.key).toString('hex');
    if (s.keyHash !== expect) {
      seen.push(`${s.name}/${s.keyHash}`);
      continue;
    }
    if (
      s.signature.length === 64 &&
      cryptoVerify(null, Buffer.from(cp.body, 'utf8'), pinned.key, s.signature)
    ) {
      return { name, ok: true, detail: `checkpoint (size ${cp.size}) signed by pinned key ${pinned.keyId}` };
    }
    return {
      name,
      ok: false,
      detail: `checkpoint (size ${cp.size}) signature by "${s.name}" does not verify with the pinned key ${pinned.keyId} (checkpoint modified)`,
    };
  }
  return {
    name,
    ok: false,
    detail: `checkpoint (size ${cp.size}) is signed only by other keys (${seen.join(', ')}), not the pinned key ${pinned.keyId}`,
  };
}

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCheckpoint, parseCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { createEnvelope, decodeStatement, pae, verifyEnvelope } from './dsse.js';
import { generateKeyPair, keyIdOf, loadSigner, parsePublicKey, readPublicKeyFile } from './keys.js';
import { emptyRoot } from './merkle.js';
import { tempDir, testKey } from './test-support/fixtures.js';
import type { InTotoStatement } from './types.js';

const statement: InTotoStatement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'main.tf', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: 'https://evident.dev/test/v1',
  predicate: { ok: true },
};

describe('DSSE', () => {
  it('PAE matches the DSSE v1 specification example', () => {
    assert.equal(
      pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    // lengths are byte lengths, not UTF-16 lengths
    assert.equal(pae('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é');
  });

  it('signs over PAE and verifies only with the pinned key', async () => {
    const a = testKey();
    const b = testKey();
    const env = await createEnvelope(statement, a.signer);
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
    assert.equal(env.signatures[0]!.keyid, a.keyId);
    assert.deepEqual(decodeStatement(env), statement);
    assert.deepEqual(verifyEnvelope(env, a.publicKeyPem).ok, true);
    const other = verifyEnvelope(env, b.publicKeyPem);
    assert.equal(other.ok, false);
    assert.equal(other.detail, `signed by key ${a.keyId}, but the pinned key is ${b.keyId}`);
    const tampered = {
      ...env,
      payload: Buffer.from(JSON.stringify({ ...statement, predicate: { ok: false } })).toString('base64'),
    };
    assert.match(verifyEnvelope(tampered, a.publicKeyPem).detail, /does not verify with the pinned key/);
    const wrongType = { ...env, payloadType: 'text/plain' };
    assert.equal(verifyEnvelope(wrongType, a.publicKeyPem).ok, false, 'payloadType is covered by PAE');
    assert.match(verifyEnvelope(await createEnvelope(statement), a.publicKeyPem).detail, /^unsigned/);
  });

  it('key ids are SHA256:<unpadded base64 of sha256(SPKI DER)>', () => {
    const kp = generateKeyPair();
    const key = parsePublicKey(kp.publicKeyPem);
    assert.equal(kp.keyId, keyIdOf(key));
    assert.match(kp.keyId, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('key loading', () => {
  it('takes --key-file, then EVIDENT_SIGNING_KEY, then EVIDENT_SIGNING_KEY_FILE; none means unsigned', () => {
    const dir = tempDir();
    const [k1, k2, k3] = [testKey(), testKey(), testKey()];
    const f1 = join(dir, 'k1');
    const f3 = join(dir, 'k3');
    writeFileSync(f1, k1.privateKeyPem);
    writeFileSync(f3, k3.privateKeyPem);
    const env = { EVIDENT_SIGNING_KEY: k2.privateKeyPem, EVIDENT_SIGNING_KEY_FILE: f3 };
    assert.equal(loadSigner({ keyFile: f1, env })!.keyId(), k1.keyId);
    assert.equal(loadSigner({ env })!.keyId(), k2.keyId);
    assert.equal(loadSigner({ env: { EVIDENT_SIGNING_KEY_FILE: f3 } })!.keyId(), k3.keyId);
    assert.equal(loadSigner({ env: {} }), undefined);
  });

  it('rejects unreadable, non-key and non-Ed25519 keys without echoing key material', () => {
    const dir = tempDir();
    const secretish = '-----BEGIN PRIVATE KEY-----\nTOPSECRETVALUE\n-----END PRIVATE KEY-----\n';
    const check = (fn: () => unknown, re: RegExp): void => {
      assert.throws(fn, (e: Error & { code?: string; hint?: string }) => {
        assert.equal(e.code, 'E_EVIDENCE');
        assert.match(e.message, re);
        assert.ok(!`${e.message}${e.hint}`.includes('TOPSECRETVALUE'));
        return true;
      });
    };
    check(() => loadSigner({ keyFile: join(dir, 'missing.key'), env: {} }), /cannot read the signing key/);
    check(
      () => loadSigner({ env: { EVIDENT_SIGNING_KEY: secretish } }),
      /EVIDENT_SIGNING_KEY is not a readable PEM private key/,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    check(() => loadSigner({ env: { EVIDENT_SIGNING_KEY: ec } }), /is a ec key, not Ed25519/);
    const pub = join(dir, 'x.pub');
    writeFileSync(pub, 'not a key');
    check(() => readPublicKeyFile(pub), /is not a PEM public key/);
  });

  it('refuses a private key where the public key is expected, saying which to pass (issue 7 case 11)', () => {
    const dir = tempDir();
    const keys = generateKeyPair();
    const file = join(dir, 'evident.key');
    writeFileSync(file, keys.privateKeyPem);
    // RSA "BEGIN RSA PRIVATE KEY" and encrypted PKCS#8 headers are private keys too.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    for (const [fn, pem] of [
      [() => readPublicKeyFile(file), keys.privateKeyPem],
      [() => parsePublicKey(rsa, 'evident.key'), rsa],
    ] as const) {
      assert.throws(fn, (e: Error & { code?: string; hint?: string }) => {
        assert.equal(e.code, 'E_USAGE');
        assert.match(e.message, /is a private key, not a public key: nothing was verified/);
        assert.match(e.hint ?? '', /evident\.pub/);
        const body = pem.split('\n')[1] ?? '';
        assert.ok(!`${e.message}${e.hint}`.includes(body), 'no key material in the message');
        return true;
      });
    }
    const pub = join(dir, 'evident.pub');
    writeFileSync(pub, keys.publicKeyPem);
    assert.equal(readPublicKeyFile(pub).keyId, keys.keyId);
  });
});

describe('C2SP checkpoints', () => {
  it('formats, signs, parses and verifies a signed note', async () => {
    const k = testKey();
    const root = Buffer.alloc(32, 7);
    const text = await createCheckpoint('evident.local/repo', 42, root, k.signer);
    const lines = text.split('\n');
    assert.equal(lines[0], 'evident.local/repo');
    assert.equal(lines[1], '42');
    assert.equal(lines[2], root.toString('base64'));
    assert.equal(lines[3], '');
    assert.match(lines[4]!, /^— evident\.local\/repo [A-Za-z0-9+/]+=*$/);
    assert.equal(
      Buffer.from(lines[4]!.split(' ')[2]!, 'base64').length,
      68,
      '4-byte key hash + 64-byte signature',
    );
    const cp = parseCheckpoint(text);
    assert.equal(cp.size, 42);
    assert.equal(cp.rootHash, root.toString('hex'));
    assert.ok(verifyCheckpoint(text, k.publicKeyPem).ok);
    assert.match(
      verifyCheckpoint(text.replace('\n42\n', '\n43\n'), k.publicKeyPem).detail,
      /does not verify/,
    );
    assert.match(verifyCheckpoint(text, testKey().publicKeyPem).detail, /signed only by other keys/);
  });

  it('an unsigned checkpoint parses and is reported unsigned; garbage is rejected with a line number', async () => {
    const text = await createCheckpoint('o', 0, emptyRoot());
    assert.equal(parseCheckpoint(text).signatures.length, 0);
    assert.match(verifyCheckpoint(text, testKey().publicKeyPem).detail, /unsigned/);
    assert.throws(
      () => parseCheckpoint('o\nx\nAAAA\n\n'),
      (e: Error & { line?: number }) => e.line === 2,
    );
    assert.throws(() => parseCheckpoint('o\n1\nAAAA\n\n'), /root hash is not 32 bytes/);
    assert.throws(() => parseCheckpoint('o\n1\n'), /no blank line/);
  });
});

describe('paeFromBase64', () => {
  it('equals pae() over the decoded payload, for ASCII and multi-byte types and any payload length', async () => {
    const { paeFromBase64 } = await import('./dsse.js');
    for (const type of ['application/vnd.in-toto+json', 'tÿpé', '']) {
      for (const len of [0, 1, 2, 3, 10, 1000]) {
        const body = Buffer.from(Array.from({ length: len }, (_, i) => (i * 7) % 256));
        const r = paeFromBase64(type, body.toString('base64'));
        assert.deepEqual(r.payload, body);
        assert.deepEqual(r.message, pae(type, body));
      }
    }
  });
});

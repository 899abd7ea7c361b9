import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProvenancePolicy } from '../control-map/admission-config.js';
import { EvidentError } from '../core/errors.js';
import { decodeStatement } from '../evidence/dsse.js';
import { generateKeyPair, type KeyStore, keyStoreFromPem } from '../evidence/keys.js';
import { openLedger } from '../evidence/ledger.js';
import { attest, normalizeRepoUrl, readBundle, verifyAttestation } from './attest.js';
import { SLSA_PROVENANCE_V1, type SlsaProvenance } from './slsa.js';

const SHA = 'c0ffee'.padEnd(40, '0');
const GITHUB = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/payments',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SHA: SHA,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_WORKFLOW: 'release',
};

describe('evident attest / verify-attestation (SLSA provenance v1)', () => {
  let dir: string;
  let signer: KeyStore;
  let artifact: string;
  const policy = (over: Partial<ProvenancePolicy> = {}): ProvenancePolicy => ({
    trustedKeys: ['keys/ci.pub'],
    builders: ['https://evident.dev/builders/*'],
    sourceRepositories: ['https://github.com/acme/*'],
    attestations: [],
    ...over,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evident-attest-'));
    const keys = generateKeyPair();
    signer = keyStoreFromPem(keys.privateKeyPem);
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'ci.pub'), keys.publicKeyPem);
    writeFileSync(join(dir, 'keys', 'other.pub'), generateKeyPair().publicKeyPem);
    artifact = join(dir, 'payments-1.4.2.tgz');
    writeFileSync(artifact, 'the built bytes');
    const r = await attest({
      target: { artifact },
      signer,
      ledgerDir: join(dir, 'ledger'),
      cwd: dir,
      env: GITHUB,
    });
    assert.equal(r.bundle, `${artifact}.intoto.jsonl`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('writes an in-toto Statement of SLSA provenance v1, signed, in the bundle and the log', async () => {
    const { envelopes, problems } = readBundle(`${artifact}.intoto.jsonl`);
    assert.deepEqual(problems, []);
    assert.equal(envelopes.length, 1);
    const st = decodeStatement(envelopes[0] as never);
    assert.equal(st?._type, 'https://in-toto.io/Statement/v1');
    assert.equal(st?.predicateType, SLSA_PROVENANCE_V1);
    assert.deepEqual(st?.subject, [
      {
        name: 'payments-1.4.2.tgz',
        digest: { sha256: execFileSync('sha256sum', [artifact]).toString().split(' ')[0] },
      },
    ]);
    const p = st?.predicate as SlsaProvenance;
    assert.equal(p.runDetails.builder.id, 'https://evident.dev/builders/github-actions');
    assert.equal(
      p.runDetails.metadata.invocationId,
      'https://github.com/acme/payments/actions/runs/4242/attempts/1',
    );
    assert.deepEqual(p.buildDefinition.externalParameters.source, {
      uri: 'https://github.com/acme/payments',
      ref: 'refs/heads/main',
    });
    assert.deepEqual(p.buildDefinition.resolvedDependencies[0], {
      uri: 'git+https://github.com/acme/payments@refs/heads/main',
      digest: { gitCommit: SHA },
    });
    assert.equal(envelopes[0]?.signatures.length, 1);
    const ledger = await openLedger(join(dir, 'ledger'));
    assert.equal(ledger.size, 1);
    assert.deepEqual((await ledger.get(0)).envelope, envelopes[0]);
    await ledger.close();
  });

  test('verifies: trusted key, matching digest, allowed builder and source', () => {
    const r = verifyAttestation({ target: { artifact }, policy: policy(), policyDir: dir });
    assert.equal(r.ok, true, JSON.stringify(r.checked));
    assert.equal(r.checked.length, 1);
  });

  test('fails for changed bytes, an untrusted key, a builder or a source the policy does not allow', () => {
    const tampered = join(dir, 'tampered.tgz');
    writeFileSync(tampered, 'other bytes');
    const r1 = verifyAttestation({
      target: { artifact: tampered },
      policy: policy(),
      policyDir: dir,
      bundles: [`${artifact}.intoto.jsonl`],
    });
    assert.equal(r1.ok, false);
    assert.equal(r1.checked.length, 0, 'no attestation names the changed digest');
    const r2 = verifyAttestation({
      target: { artifact },
      policy: policy({ trustedKeys: ['keys/other.pub'] }),
      policyDir: dir,
    });
    assert.equal(r2.ok, false);
    assert.match(r2.checked[0]?.details.join('\n') ?? '', /signature: not signed by a trusted key/);
    const r3 = verifyAttestation({
      target: { artifact },
      policy: policy({ builders: ['https://github.com/acme/release.yml'] }),
      policyDir: dir,
    });
    assert.equal(r3.ok, false);
    assert.match(r3.checked[0]?.details.join('\n') ?? '', /builder: .* is not in provenance\.builders/);
    const r4 = verifyAttestation({
      target: { artifact },
      policy: policy({ sourceRepositories: ['https://github.com/evil/*'] }),
      policyDir: dir,
    });
    assert.equal(r4.ok, false);
    assert.match(
      r4.checked[0]?.details.join('\n') ?? '',
      /source: https:\/\/github\.com\/acme\/payments is not in/,
    );
    const r5 = verifyAttestation({
      target: { artifact },
      policy: policy({ sourceRepositories: [] }),
      policyDir: dir,
    });
    assert.equal(r5.ok, false, 'an empty allow-list allows nothing');
  });

  test('an image digest is attested and found in an attestations directory; tag-only images and unsigned attestations are refused', async () => {
    const image = `ghcr.io/acme/payments@sha256:${'d'.repeat(64)}`;
    mkdirSync(join(dir, 'attestations'));
    const out = join(dir, 'attestations', 'payments.intoto.jsonl');
    await attest({ target: { image }, signer, ledgerDir: join(dir, 'ledger'), cwd: dir, env: GITHUB, out });
    const r = verifyAttestation({
      target: { image },
      policy: policy({ attestations: ['attestations'] }),
      policyDir: dir,
    });
    assert.equal(r.ok, true, JSON.stringify(r.checked));
    assert.throws(
      () =>
        verifyAttestation({
          target: { image: 'ghcr.io/acme/payments:1.4' },
          policy: policy(),
          policyDir: dir,
        }),
      (e) => e instanceof EvidentError && e.code === 'E_USAGE',
    );
    await assert.rejects(
      attest({ target: { image }, ledgerDir: join(dir, 'ledger'), cwd: dir, env: GITHUB }),
      /needs a signing key/,
    );
  });

  test('git remote URLs become repository URIs', () => {
    assert.equal(normalizeRepoUrl('git@github.com:acme/payments.git'), 'https://github.com/acme/payments');
    assert.equal(
      normalizeRepoUrl('https://token@github.com/acme/payments.git'),
      'https://github.com/acme/payments',
    );
  });

  test('the bundle is JSON lines of DSSE envelopes', () => {
    const line = readFileSync(`${artifact}.intoto.jsonl`, 'utf8').split('\n')[0] as string;
    const env = JSON.parse(line);
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
  });
});

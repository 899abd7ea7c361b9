import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultAdmissionPolicy } from '../control-map/admission-config.js';
import { loadRuleSet } from '../engine/rule-set.js';
import { generateKeyPair, keyStoreFromPem } from '../evidence/keys.js';
import { attest } from '../provenance/attest.js';
import { type DecideContext, decide, decideContext, IMAGE_PROVENANCE_RULE } from './decide.js';
import { ProvenanceIndex } from './image-provenance.js';
import { parseAdmissionReview } from './review.js';
import { reviewOf } from './test-support.js';

const GITHUB = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/payments',
  GITHUB_RUN_ID: '7',
  GITHUB_SHA: 'a'.repeat(40),
};
const ATTESTED = `ghcr.io/acme/payments@sha256:${'1'.repeat(64)}`;
const UNATTESTED = `ghcr.io/acme/payments@sha256:${'2'.repeat(64)}`;
const MAP = `version: 1
frameworks: [soc2]
controls:
  - id: K8S-1
    title: Unprivileged workloads
    satisfies: { soc2: [CC6.1] }
    checks: [k8s.no-privileged-containers]
admission:
  namespaces:
    prod: { imageProvenance: enforce }
    staging: { imageProvenance: audit }
provenance:
  trustedKeys: [keys/ci.pub]
  builders: ["https://evident.dev/builders/*"]
  sourceRepositories: ["https://github.com/acme/*"]
  attestations: [attestations]
`;

function pod(ns: string, ...images: string[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: ns },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  };
}

describe('the webhook requires build provenance per namespace', () => {
  let dir: string;
  let ctx: DecideContext;
  let trusted: ReturnType<typeof keyStoreFromPem>;
  const signer = keyStoreFromPem(generateKeyPair().privateKeyPem);
  const run = (object: Record<string, unknown>) =>
    decide(ctx, parseAdmissionReview(reviewOf(object)), new Date());

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evident-admission-provenance-'));
    const keys = generateKeyPair();
    mkdirSync(join(dir, 'keys'));
    mkdirSync(join(dir, 'attestations'));
    writeFileSync(join(dir, 'keys', 'ci.pub'), keys.publicKeyPem);
    writeFileSync(join(dir, 'evident.yaml'), MAP);
    trusted = keyStoreFromPem(keys.privateKeyPem);
    await attest({
      target: { image: ATTESTED },
      signer: trusted,
      ledgerDir: join(dir, 'ledger'),
      cwd: dir,
      env: GITHUB,
      out: join(dir, 'attestations', 'payments.intoto.jsonl'),
    });
    const rules = await loadRuleSet({ rootDir: dir, config: join(dir, 'evident.yaml') });
    ctx = decideContext(rules, rules.map.admission ?? defaultAdmissionPolicy());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an image by digest with valid provenance is allowed in an enforcing namespace', () => {
    const { response, decision } = run(pod('prod', ATTESTED));
    assert.equal(response.allowed, true, response.status?.message);
    assert.ok(!decision.results.some((r) => r.rule === IMAGE_PROVENANCE_RULE));
  });

  test('unattested and tag-only images are denied there, with the reason', () => {
    const { response } = run(pod('prod', ATTESTED, UNATTESTED, 'ghcr.io/acme/payments:1.4'));
    assert.equal(response.allowed, false);
    const msg = response.status?.message ?? '';
    assert.match(
      msg,
      /^evident\.image-provenance: container c1: image ghcr\.io\/acme\/payments@sha256:2{64} has no provenance attestation/m,
    );
    assert.match(
      msg,
      /^evident\.image-provenance: container c2: image ghcr\.io\/acme\/payments:1\.4 is not referenced by digest/m,
    );
    assert.doesNotMatch(msg, /container c0/);
  });

  test('audit namespaces warn; namespaces without the requirement do not check', () => {
    const staging = run(pod('staging', UNATTESTED)).response;
    assert.equal(staging.allowed, true);
    assert.ok(
      staging.warnings?.some((w) => w.startsWith(`evident (audit) ${IMAGE_PROVENANCE_RULE}: container c0`)),
    );
    const other = run(pod('dev', UNATTESTED)).response;
    assert.ok(!(other.warnings ?? []).some((w) => w.includes(IMAGE_PROVENANCE_RULE)));
  });

  test('an attestation signed by an untrusted key does not count; one added later is found without a restart', async () => {
    const index = new ProvenanceIndex(
      {
        trustedKeys: ['keys/ci.pub'],
        builders: ['https://evident.dev/*'],
        sourceRepositories: ['https://github.com/acme/*'],
        attestations: ['attestations'],
      },
      dir,
      0,
    );
    const later = `ghcr.io/acme/payments@sha256:${'3'.repeat(64)}`;
    assert.equal(index.check(later).ok, false);
    await attest({
      target: { image: later },
      signer,
      ledgerDir: join(dir, 'ledger'),
      cwd: dir,
      env: GITHUB,
      out: join(dir, 'attestations', 'untrusted.intoto.jsonl'),
    });
    const v = index.check(later);
    assert.equal(v.ok, false);
    assert.match(v.message, /not signed by a trusted key/);
    await attest({
      target: { image: later },
      signer: trusted,
      ledgerDir: join(dir, 'ledger'),
      cwd: dir,
      env: GITHUB,
      out: join(dir, 'attestations', 'later.intoto.jsonl'),
    });
    assert.equal(index.check(later).ok, true, 'found after a rescan, without a restart');
  });
});

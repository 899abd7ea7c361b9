import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { EvidentError } from '../core/errors.js';
import { runScan } from '../engine/run-scan.js';
import { admissionManifests, type ManifestOptions } from './manifests.js';

const OPTS: ManifestOptions = {
  image: `ghcr.io/acme/evident@sha256:${'b'.repeat(64)}`,
  namespace: 'evident-system',
  name: 'evident-admission',
  replicas: 2,
  caBundlePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  failurePolicy: 'Fail',
  timeoutSeconds: 5,
  tlsSecret: 'evident-admission-tls',
  configMap: 'evident-config',
};

test('the generated Deployment passes every built-in Kubernetes rule (evident scan finds no failure)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-manifests-'));
  try {
    writeFileSync(join(dir, 'webhook.yaml'), admissionManifests(OPTS));
    const run = await runScan({ root: dir, now: new Date('2026-06-01T00:00:00Z') });
    const judged = run.result.findings.filter(
      (f) => f.subject.address === 'Deployment/evident-system/evident-admission',
    );
    assert.ok(judged.length >= 10, `verdicts: ${judged.length}`);
    const notPass = judged.filter((f) => f.outcome !== 'pass' && f.outcome !== 'not-applicable');
    assert.deepEqual(
      notPass.map((f) => `${f.checkId}: ${f.message}`),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the ValidatingWebhookConfiguration carries caBundle, failurePolicy, timeout, sideEffects None, v1 reviews and a namespace selector', () => {
  const docs = parseAllDocuments(admissionManifests(OPTS)).map((d) => d.toJS());
  assert.deepEqual(
    docs.map((d) => d.kind),
    ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'ValidatingWebhookConfiguration'],
  );
  const hook = docs[4].webhooks[0];
  assert.equal(Buffer.from(hook.clientConfig.caBundle, 'base64').toString(), OPTS.caBundlePem);
  assert.deepEqual(hook.clientConfig.service, {
    name: 'evident-admission',
    namespace: 'evident-system',
    path: '/validate',
    port: 443,
  });
  assert.equal(hook.failurePolicy, 'Fail');
  assert.equal(hook.timeoutSeconds, 5);
  assert.equal(hook.sideEffects, 'None');
  assert.deepEqual(hook.admissionReviewVersions, ['v1']);
  assert.deepEqual(hook.namespaceSelector.matchExpressions[0].values, [
    'kube-system',
    'kube-public',
    'kube-node-lease',
    'evident-system',
  ]);
  const resources = hook.rules.flatMap((r: { resources: string[] }) => r.resources);
  for (const r of [
    'pods',
    'pods/ephemeralcontainers',
    'persistentvolumes',
    'deployments',
    'statefulsets',
    'daemonsets',
    'replicasets',
    'jobs',
    'cronjobs',
  ])
    assert.ok(resources.includes(r), r);
  assert.equal(docs[3].spec.minAvailable, 1);
});

test('an image not pinned by digest, or a timeout outside 1..30, is a usage error', () => {
  assert.throws(
    () => admissionManifests({ ...OPTS, image: 'ghcr.io/acme/evident:1.0' }),
    (e) => e instanceof EvidentError && e.code === 'E_USAGE',
  );
  assert.throws(() => admissionManifests({ ...OPTS, timeoutSeconds: 31 }), /outside 1\.\.30/);
});

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { defaultAdmissionPolicy } from '../control-map/admission-config.js';
import type { CheckDefinition } from '../core/check.js';
import { loadRuleSet } from '../engine/rule-set.js';
import { verifyEnvelope } from '../evidence/dsse.js';
import { generateKeyPair, keyStoreFromPem } from '../evidence/keys.js';
import { openLedger } from '../evidence/ledger.js';
import { decideContext } from './decide.js';
import {
  ADMISSION_PREDICATE_TYPE,
  type AdmissionDecisionsPredicate,
  openDecisionLog,
} from './decision-log.js';
import { type AdmissionServer, startAdmissionServer } from './server.js';
import { makeCert, reviewOf, send } from './test-support.js';

const schema = JSON.parse(
  readFileSync(new URL('../../docs/schemas/admission-review-v1.schema.json', import.meta.url), 'utf8'),
);
const validateReview = new Ajv({ strict: false }).compile(schema);
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/deployment-create.json', import.meta.url), 'utf8'),
);

const MAP = `version: 1
frameworks: [soc2]
controls:
  - id: K8S-1
    title: Workloads run unprivileged from pinned images
    satisfies: { soc2: [CC6.1] }
    checks: [k8s.no-privileged-containers, k8s.runs-as-non-root, k8s.image-pinned]
waivers:
  - check: k8s.no-privileged-containers
    resource: Deployment/legacy/old-agent
    reason: vendor agent needs privileges until its Q1 replacement
    owner: platform@acme.example
    expires: 2099-01-01
admission:
  namespaces:
    sandbox: { mode: audit }
`;

/** A Deployment in `ns`: privileged and tag-pinned unless told otherwise. */
function deployment(
  name: string,
  ns: string,
  container: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext: { runAsNonRoot: true },
          containers: [
            { name: 'app', image: `registry.example/${name}@sha256:${'a'.repeat(64)}`, ...container },
          ],
        },
      },
    },
  };
}

const THROWS: CheckDefinition = {
  id: 'k8s.test-throws',
  title: 'A rule that throws on objects labelled throw=yes',
  severity: 'high',
  rationale: 'test',
  remediation: 'none',
  input: 'kubernetes',
  mappings: {},
  evaluate(facts) {
    for (const o of facts.kubernetes) {
      const labels = (o.manifest.metadata as { labels?: Record<string, string> }).labels;
      if (labels?.throw === 'yes') throw new Error('boom');
    }
    return [];
  },
};

describe('evident admission webhook over TLS', () => {
  let dir: string;
  let server: AdmissionServer;
  let tls: { cert: string; key: string };
  let publicKeyPem: string;
  let rulesForTests: Awaited<ReturnType<typeof loadRuleSet>>;
  let log: Awaited<ReturnType<typeof openDecisionLog>>;
  const ledgerDir = () => join(dir, 'ledger');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evident-admission-'));
    writeFileSync(join(dir, 'evident.yaml'), MAP);
    tls = makeCert(dir, 'serving');
    const rules = await loadRuleSet({ rootDir: dir, config: join(dir, 'evident.yaml') });
    rulesForTests = rules;
    rules.checks.push(THROWS);
    const policy = rules.map.admission ?? defaultAdmissionPolicy();
    policy.rules['k8s.test-throws'] = 'enforce';
    const keys = generateKeyPair();
    publicKeyPem = keys.publicKeyPem;
    log = await openDecisionLog({
      ledgerDir: ledgerDir(),
      signer: keyStoreFromPem(keys.privateKeyPem),
      batchSize: 4,
      flushMs: 60_000,
    });
    server = await startAdmissionServer({
      ctx: decideContext(rules, policy, 'evident-system'),
      log,
      tlsCert: tls.cert,
      tlsKey: tls.key,
      port: 0,
      host: '127.0.0.1',
      certPollMs: 50,
    });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const review = async (object: Record<string, unknown>, over: Parameters<typeof reviewOf>[1] = {}) => {
    const body = reviewOf(object, over);
    assert.ok(validateReview(body), JSON.stringify(validateReview.errors));
    const res = await send(server.port, tls.cert, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(validateReview(res.body), JSON.stringify(validateReview.errors));
    const response = res.body.response as {
      uid: string;
      allowed: boolean;
      status?: { code: number; message: string };
      warnings?: string[];
    };
    assert.equal(response.uid, (body.request as { uid: string }).uid);
    return response;
  };

  test('the recorded AdmissionReview of a privileged Deployment on the latest tag is denied, one line per failing rule', async () => {
    assert.ok(validateReview(fixture));
    const res = await send(server.port, tls.cert, fixture);
    assert.equal(res.status, 200);
    assert.ok(validateReview(res.body), JSON.stringify(validateReview.errors));
    const r = res.body.response as {
      uid: string;
      allowed: boolean;
      status: { code: number; message: string };
    };
    assert.equal(r.uid, '705ab4f5-6393-11e8-b7cc-42010a800002');
    assert.equal(r.allowed, false);
    assert.equal(r.status.code, 403);
    const lines = r.status.message.split('\n');
    assert.match(lines[0] as string, /^evident denied Deployment payments\/web:/);
    assert.ok(
      lines.some((l) => /^k8s\.no-privileged-containers \[K8S-1\]: .*Fix: /.test(l)),
      r.status.message,
    );
    assert.ok(
      lines.some((l) => /^k8s\.image-pinned \[K8S-1\]: .*nginx:latest/.test(l)),
      r.status.message,
    );
    assert.ok(
      lines.some((l) => /^k8s\.runs-as-non-root \[K8S-1\]/.test(l)),
      r.status.message,
    );
    // rules no control lists are audited by default: a warning, not a denial
    assert.ok(!lines.some((l) => l.startsWith('k8s.cpu-limits-set')), r.status.message);
  });

  test('a compliant Deployment is allowed; uncontrolled rules come back as audit warnings', async () => {
    const r = await review(deployment('api', 'payments'));
    assert.equal(r.allowed, true, r.status?.message);
    assert.equal(r.status, undefined);
    assert.ok(
      r.warnings?.some((w) => w.startsWith('evident (audit) k8s.cpu-limits-set')),
      String(r.warnings),
    );
  });

  test('Pods and CronJobs are judged through their pod spec', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'payments' },
      spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
    };
    const r = await review(pod);
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /k8s\.no-privileged-containers/);
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'payments' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: pod.spec } } } },
    };
    const c = await review(cron);
    assert.equal(c.allowed, false);
    assert.match(
      c.status?.message ?? '',
      /^evident denied CronJob payments\/c:[\s\S]*k8s\.no-privileged-containers/,
    );
  });

  test('a privileged ephemeral container added through pods/ephemeralcontainers (kubectl debug) is denied', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'payments' },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
          },
        ],
        ephemeralContainers: [
          { name: 'debugger', image: 'busybox:1.36', securityContext: { privileged: true } },
        ],
      },
    };
    const r = await review(pod, { operation: 'UPDATE', subResource: 'ephemeralcontainers' });
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /k8s\.no-privileged-containers[^\n]*/);
    assert.match(r.status?.message ?? '', /debugger/);
  });

  test('audit mode in a namespace allows and returns warnings', async () => {
    const r = await review(deployment('web', 'sandbox', { securityContext: { privileged: true } }));
    assert.equal(r.allowed, true);
    assert.ok(
      r.warnings?.some((w) => w.startsWith('evident (audit) k8s.no-privileged-containers [K8S-1]')),
      String(r.warnings),
    );
  });

  test('a waiver from evident.yaml allows the waived object (and only it)', async () => {
    const waived = await review(deployment('old-agent', 'legacy', { securityContext: { privileged: true } }));
    assert.equal(waived.allowed, true, waived.status?.message);
    assert.ok(
      waived.warnings?.some((w) =>
        w.startsWith('evident (waived until 2099-01-01) k8s.no-privileged-containers'),
      ),
    );
    const other = await review(deployment('new-agent', 'legacy', { securityContext: { privileged: true } }));
    assert.equal(other.allowed, false);
  });

  test('an unknown verdict is allowed with a warning (default policy)', async () => {
    const r = await review(
      deployment('tmpl', 'payments', { image: ['registry.example/app:$', '{TAG}'].join('') }),
    );
    assert.equal(r.allowed, true, r.status?.message);
    assert.ok(
      r.warnings?.some((w) => w.startsWith('evident (unknown) k8s.image-pinned')),
      String(r.warnings),
    );
  });

  test('a rule that throws is an error verdict and follows failurePolicy Fail; the server keeps serving', async () => {
    const obj = deployment('odd', 'payments');
    (obj.metadata as { labels: Record<string, string> }).labels.throw = 'yes';
    const r = await review(obj);
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /k8s\.test-throws: .*boom/);
    assert.equal((await review(deployment('fine', 'payments'))).allowed, true);
  });

  test('excluded namespaces (kube-system, the webhook own) and DELETE are allowed without judging', async () => {
    const bad = deployment('x', 'kube-system', { securityContext: { privileged: true } });
    assert.equal((await review(bad)).allowed, true);
    assert.equal(
      (await review({ ...bad, metadata: { name: 'x', namespace: 'evident-system' } })).allowed,
      true,
    );
    assert.equal(
      (await review({ ...bad, metadata: { name: 'x', namespace: 'payments' } }, { operation: 'DELETE' }))
        .allowed,
      true,
    );
  });

  test('malformed, oversized and wrong-version bodies get 400 with a clear message', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"apiVersion": ', /not valid JSON/],
      ['[]', /not a JSON object/],
      [{ ...fixture, apiVersion: 'admission.k8s.io/v1beta1' }, /serves only admission\.k8s\.io\/v1/],
      [{ ...fixture, kind: 'Pod' }, /expected AdmissionReview/],
      [{ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, /no request/],
      [{ ...fixture, request: { ...fixture.request, operation: 'PATCH' } }, /request\.operation/],
      [{ ...fixture, request: { ...fixture.request, uid: 7 } }, /request\.uid/],
      [{ ...fixture, request: { ...fixture.request, object: null } }, /request\.object is missing/],
      [`{"pad":"${'x'.repeat(8 * 1024 * 1024)}"}`, /larger than/],
    ];
    for (const [body, message] of cases) {
      const res = await send(server.port, tls.cert, body);
      assert.equal(res.status, 400, String(message));
      assert.match(String(res.body.error), message);
    }
    assert.equal((await send(server.port, tls.cert, fixture)).status, 200, 'still serving');
  });

  test('health and readiness endpoints answer', async () => {
    assert.deepEqual((await send(server.port, tls.cert, '', '/healthz', 'GET')).body, { status: 'ok' });
    assert.deepEqual((await send(server.port, tls.cert, '', '/readyz', 'GET')).body, { status: 'ready' });
  });

  test('decisions are signed in batches in the evidence log', async () => {
    await log.flush();
    const ledger = await openLedger(ledgerDir());
    try {
      assert.ok(ledger.size >= 2, `batches: ${ledger.size}`);
      const decisions: AdmissionDecisionsPredicate['decisions'] = [];
      for await (const e of ledger.entries()) {
        assert.equal(e.statement.predicateType, ADMISSION_PREDICATE_TYPE);
        assert.ok(verifyEnvelope(e.envelope, publicKeyPem).ok);
        const p = e.statement.predicate as AdmissionDecisionsPredicate;
        assert.ok(p.decisions.length <= 4);
        decisions.push(...p.decisions);
      }
      const denied = decisions.find((d) => d.uid === '705ab4f5-6393-11e8-b7cc-42010a800002');
      assert.equal(denied?.allowed, false);
      assert.ok(
        denied?.results.some((r) => r.rule === 'k8s.no-privileged-containers' && r.effect === 'deny'),
      );
      assert.ok(
        decisions.some((d) => d.namespace === 'legacy' && d.results.some((r) => r.effect === 'waived')),
      );
      assert.ok(decisions.some((d) => d.disposition === 'excluded'));
      assert.match(denied?.objectSha256 ?? '', /^[0-9a-f]{64}$/);
    } finally {
      await ledger.close();
    }
  });

  test('a policy requiring image provenance without a provenance: section is refused at start', () => {
    const policy = { ...defaultAdmissionPolicy(), imageProvenance: 'enforce' as const };
    assert.throws(() => decideContext(rulesForTests, policy), /has no provenance: section/);
  });

  // last: it replaces the certificate files
  test('a renewed certificate is served without a restart; a mismatched pair is ignored', async () => {
    const before = (await send(server.port, tls.cert, '', '/healthz', 'GET')).fingerprint;
    const first = join(dir, 'first.crt');
    copyFileSync(tls.cert, first);
    const next = makeCert(dir, 'renewed');
    const other = makeCert(dir, 'other');
    // half-rotated: new certificate, old key: keeps serving the old pair
    copyFileSync(next.cert, tls.cert);
    copyFileSync(other.key, tls.key);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      (await send(server.port, first, '', '/healthz', 'GET')).fingerprint,
      before,
      'mismatched pair ignored',
    );
    copyFileSync(next.key, tls.key);
    let now = before;
    for (let i = 0; i < 50 && now === before; i++) {
      await new Promise((r) => setTimeout(r, 50));
      now = (await send(server.port, [first, next.cert], '', '/healthz', 'GET')).fingerprint;
    }
    assert.notEqual(now, before);
    // the client now trusts only the renewed certificate
    assert.equal((await send(server.port, next.cert, fixture)).status, 200);
  });
});

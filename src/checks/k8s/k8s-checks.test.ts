import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { corpus, needsCorpora } from '../../../test/support/corpora.js';
import type { CheckDefinition, CheckResult } from '../../core/check.js';
import type { Facts } from '../../core/facts.js';
import { createCheckContext } from '../../engine/check-context.js';
import { loadChecks } from '../registry.js';
import { k8sFacts } from './_lib/test-objects.js';
import { imagePinning } from './image-pinned/check.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const trivyDir = corpus('trivy-checks/checks');

/** Facts with the check context a scan would give them. */
function withContext(facts: Facts): [Facts, ReturnType<typeof createCheckContext>] {
  return [facts, createCheckContext(facts, new Date(0))];
}

const slugs = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .map((d) => d.name)
  .sort();

/** The k8s check `k8s.<slug>` from the registry (a TypeScript check or a rule file). */
async function load(slug: string): Promise<CheckDefinition> {
  const check = (await loadChecks()).find((c) => c.id === `k8s.${slug}`);
  if (!check) throw new Error(`no check k8s.${slug}`);
  return check;
}

function run(check: CheckDefinition, facts: Facts): Record<string, string> {
  return Object.fromEntries(
    check
      .evaluate(facts, createCheckContext(facts, new Date(0)))
      .map((r: CheckResult) => [r.subject.address, r.outcome]),
  );
}

describe('k8s checks: fixtures (parsed with the test helper, independent of the Kubernetes source)', () => {
  for (const slug of slugs) {
    it(`${slug} matches expected.json`, async () => {
      const check = await load(slug);
      assert.equal(check.id, `k8s.${slug}`);
      const expected = JSON.parse(readFileSync(path.join(here, slug, 'expected.json'), 'utf8')) as Record<
        string,
        Record<string, string>
      >;
      // Manifest fixtures only: Terraform kubernetes_* fixtures go through the conformance runner.
      const isYaml = (f: string) => /\.ya?ml$/.test(f);
      const files = readdirSync(path.join(here, slug, 'fixtures'))
        .filter(isYaml)
        .sort();
      assert.deepEqual(Object.keys(expected).filter(isYaml).sort(), files);
      assert.ok(files.some((f) => f.startsWith('pass-')) && files.some((f) => f.startsWith('fail-')));
      for (const f of files) {
        const text = readFileSync(path.join(here, slug, 'fixtures', f), 'utf8');
        assert.deepEqual(run(check, k8sFacts(text, f)), expected[f], f);
      }
    });
  }
});

describe('k8s checks: trivy snippets', { skip: needsCorpora('trivy-checks') }, () => {
  for (const slug of slugs) {
    it(`${slug} agrees with its trivy equivalents`, async () => {
      const check = await load(slug);
      for (const eq of check.trivyEquivalents ?? []) {
        const doc = parse(readFileSync(path.join(trivyDir, `${eq}.yaml`), 'utf8')) as {
          kubernetes: { good?: string[]; bad?: string[] };
        };
        for (const s of doc.kubernetes.good ?? []) {
          const outcomes = Object.values(run(check, k8sFacts(s)));
          assert.ok(outcomes.length > 0 && !outcomes.includes('fail'), `${eq} good: ${outcomes}`);
        }
        for (const s of doc.kubernetes.bad ?? []) {
          assert.ok(Object.values(run(check, k8sFacts(s))).includes('fail'), `${eq} bad`);
        }
      }
    });
  }
});

const POD = (spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
spec:
${spec}`;

describe('k8s checks: wrong types give unknown, never pass or crash', () => {
  const cases: [string, string][] = [
    [
      'no-privileged-containers',
      '  containers:\n    - name: c\n      image: a:1\n      securityContext:\n        privileged: "yes"',
    ],
    [
      'no-privileged-containers',
      '  containers:\n    - name: c\n      image: a:1\n      securityContext: true',
    ],
    ['no-privileged-containers', '  containers: web'],
    [
      'no-privilege-escalation',
      '  containers:\n    - name: c\n      securityContext:\n        allowPrivilegeEscalation: "false"',
    ],
    ['runs-as-non-root', '  securityContext:\n    runAsUser: "1000"\n  containers:\n    - name: c'],
    [
      'runs-as-non-root',
      '  containers:\n    - name: c\n      securityContext:\n        runAsNonRoot: "true"',
    ],
    ['cpu-limits-set', '  containers:\n    - name: c\n      resources:\n        limits: [1]'],
    [
      'memory-limits-set',
      '  containers:\n    - name: c\n      resources:\n        limits:\n          memory: [1]',
    ],
    ['no-host-namespaces', '  hostPID: "true"\n  containers:\n    - name: c'],
    ['no-host-path-volumes', '  volumes: {a: 1}\n  containers:\n    - name: c'],
    ['image-pinned', '  containers:\n    - name: c\n      image: 5'],
    ['dedicated-service-account', '  serviceAccountName: 7\n  containers:\n    - name: c'],
    [
      'service-account-token-not-automounted',
      '  automountServiceAccountToken: "no"\n  containers:\n    - name: c',
    ],
  ];
  for (const [slug, spec] of cases) {
    it(`${slug}: ${spec.trim().split('\n').at(-1)}`, async () => {
      const results = (await load(slug)).evaluate(...withContext(k8sFacts(POD(spec))));
      assert.equal(results.length, 1);
      assert.equal(results[0]!.outcome, 'unknown');
      assert.match(results[0]!.message, /not |no /);
    });
  }

  it('a fail still wins over an unknown in another container', async () => {
    const spec =
      '  containers:\n    - name: a\n      securityContext:\n        privileged: 1\n    - name: b\n      securityContext:\n        privileged: true';
    const [r] = (await load('no-privileged-containers')).evaluate(...withContext(k8sFacts(POD(spec))));
    assert.equal(r!.outcome, 'fail');
    assert.match(r!.message, /container "b" runs privileged/);
  });
});

describe('k8s checks: messages and locations', () => {
  it('names the container and points at the privileged line', async () => {
    const text = POD(
      '  containers:\n    - name: web\n      image: a:1\n      securityContext:\n        privileged: true',
    );
    const [r] = (await load('no-privileged-containers')).evaluate(...withContext(k8sFacts(text, 'pod.yaml')));
    assert.equal(r!.message, 'container "web" runs privileged');
    assert.deepEqual(r!.location, { file: 'pod.yaml', line: 11 });
  });

  it('reads the CronJob pod template and ephemeral containers', async () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: main
              image: a:1
          ephemeralContainers:
            - name: dbg
              image: busybox
`;
    const [r] = (await load('image-pinned')).evaluate(...withContext(k8sFacts(text)));
    assert.equal(r!.subject.address, 'CronJob/~/cj');
    assert.equal(r!.outcome, 'fail');
    assert.match(r!.message, /ephemeral container "dbg" uses image busybox without a tag/);
    assert.equal(r!.location?.line, 16);
  });

  it('container-level runAsNonRoot: false overrides the pod-level true', async () => {
    const text = POD(
      '  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: c\n      securityContext:\n        runAsNonRoot: false',
    );
    const [r] = (await load('runs-as-non-root')).evaluate(...withContext(k8sFacts(text)));
    assert.equal(r!.outcome, 'fail');
  });

  it('a pod-level runAsUser > 0 passes every container', async () => {
    const text = POD(
      '  securityContext:\n    runAsUser: 1001\n  initContainers:\n    - name: i\n  containers:\n    - name: c',
    );
    const [r] = (await load('runs-as-non-root')).evaluate(...withContext(k8sFacts(text)));
    assert.equal(r!.outcome, 'pass');
  });

  it('non-workload objects give no result', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: []\n';
    for (const slug of slugs)
      assert.deepEqual((await load(slug)).evaluate(...withContext(k8sFacts(text))), []);
  });
});

describe('imagePinning', () => {
  it('distinguishes digest, tag, latest and untagged references', () => {
    assert.equal(imagePinning('nginx@sha256:' + 'a'.repeat(64)).kind, 'digest');
    assert.equal(imagePinning('nginx:1.27@sha256:' + 'a'.repeat(64)).kind, 'digest');
    assert.deepEqual(imagePinning('registry:5000/team/app:2.0'), { kind: 'tag', tag: '2.0' });
    assert.equal(imagePinning('registry:5000/team/app').kind, 'untagged');
    assert.equal(imagePinning('nginx').kind, 'untagged');
    assert.equal(imagePinning('nginx:latest').kind, 'latest');
  });
});

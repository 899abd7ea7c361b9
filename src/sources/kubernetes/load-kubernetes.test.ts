import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpus, needsCorpora } from '../../../test/support/corpora.js';
import type { KubernetesObject } from '../../core/facts.js';
import { discoverAndClaim } from '../test-support.js';
import { GO_TEMPLATE_REASON, HELM_TEMPLATE_REASON, looksLikeHelmTemplate } from './helm-template.js';
import { KUSTOMIZE_REASON, loadKubernetes, MAX_YAML_BYTES } from './load-kubernetes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const goat = corpus('kubernetes-goat');

function find(facts: KubernetesObject[], address: string, file?: string): KubernetesObject {
  const f = facts.find((x) => x.address === address && (file === undefined || x.location.file === file));
  assert.ok(f, `no ${address} in ${facts.map((x) => `${x.location.file}:${x.address}`).join(', ')}`);
  return f;
}

describe('loadKubernetes on fixtures', async () => {
  const discovered = await discoverAndClaim(fixtures);
  const r = await loadKubernetes(fixtures, discovered.yamlFiles);

  it('loads every object of a multi-document file with kind, name, namespace and address', () => {
    const inMulti = r.facts.filter((f) => f.location.file === 'multi.yaml');
    assert.deepEqual(
      inMulti.map((f) => f.address),
      [
        'Namespace/~/shop',
        'Deployment/shop/web',
        'CronJob/~/nightly-*',
        'Pod/~/(unnamed)',
        'Service/shop/web',
      ],
    );
    const dep = find(r.facts, 'Deployment/shop/web');
    assert.equal(dep.kind, 'kubernetes');
    assert.equal(dep.apiVersion, 'apps/v1');
    assert.equal(dep.objectKind, 'Deployment');
    assert.equal(dep.name, 'web');
    assert.equal(dep.namespace, 'shop');
    assert.equal((dep.manifest.spec as { replicas: number }).replicas, 2);
    assert.deepEqual(dep.location, { file: 'multi.yaml', line: 9, column: 1, endLine: 25 });
    const ns = find(r.facts, 'Namespace/~/shop');
    assert.equal(ns.namespace, undefined);
    assert.equal('namespace' in ns, false);
  });

  it('finds the pod spec of each workload kind', () => {
    const dep = find(r.facts, 'Deployment/shop/web');
    assert.deepEqual(dep.podSpec?.path, ['spec', 'template', 'spec']);
    assert.equal(dep.podSpec?.spec.hostNetwork, true);
    const cron = find(r.facts, 'CronJob/~/nightly-*');
    assert.deepEqual(cron.podSpec?.path, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    assert.equal(cron.podSpec?.spec.restartPolicy, 'Never');
    const pod = find(r.facts, 'Pod/~/(unnamed)');
    assert.deepEqual(pod.podSpec?.path, ['spec']);
    assert.deepEqual(pod.podSpec?.spec.containers, [{ name: 'c', image: 'i' }]);
    assert.equal(find(r.facts, 'Service/shop/web').podSpec, undefined);
    assert.equal(find(r.facts, 'StatefulSet/data/db').podSpec?.spec.containers !== undefined, true);
  });

  it('locates paths inside the document, falling back to the nearest existing node', () => {
    const dep = find(r.facts, 'Deployment/shop/web');
    assert.deepEqual(
      dep.locate(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']),
      {
        file: 'multi.yaml',
        line: 23,
        column: 25,
      },
    );
    assert.equal(dep.locate(['spec', 'template', 'spec', 'containers', 1]).line, 24);
    assert.equal(dep.locate(['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'x']).line, 24);
    assert.equal(dep.locate(['spec', 'template', 'spec', 'hostNetwork']).line, 18);
    assert.deepEqual(dep.locate([]), dep.location);
    const db = find(r.facts, 'StatefulSet/data/db');
    assert.equal(db.locate(['spec', 'template', 'spec', 'containers', 0, 'image']).line, 18);
  });

  it('expands List and typed *List items', () => {
    const inList = r.facts.filter((f) => f.location.file === 'list.yaml');
    assert.deepEqual(
      inList.map((f) => f.address),
      ['ConfigMap/~/settings', 'StatefulSet/data/db', 'Pod/~/typed-item'],
    );
    const typed = find(r.facts, 'Pod/~/typed-item');
    assert.equal(typed.apiVersion, 'v1');
    assert.deepEqual(typed.location, { file: 'list.yaml', line: 26, column: 5, endLine: 31 });
    assert.deepEqual(typed.podSpec?.spec.containers, [{ name: 'c', image: 'i' }]);
    const kindless = r.diagnostics.find((d) => d.file === 'list.yaml');
    assert.equal(kindless?.severity, 'warning');
    assert.equal(kindless?.line, 20);
    assert.match(kindless?.message ?? '', /List item 3 has no apiVersion\/kind/);
  });

  it('skips Helm templates but loads plain manifests that carry {{ }} in strings', () => {
    assert.deepEqual(r.skipped, [
      { file: 'chart/templates/deployment.yaml', reason: HELM_TEMPLATE_REASON },
      { file: 'chart/templates/quoted.yaml', reason: HELM_TEMPLATE_REASON },
      { file: 'go-template-broken.yaml', reason: GO_TEMPLATE_REASON },
      { file: 'not-k8s/kustomization.yaml', reason: KUSTOMIZE_REASON('not-k8s/kustomization.yaml') },
    ]);
    const policy = find(r.facts, 'ClusterPolicy/~/deny-exec');
    assert.equal(policy.apiVersion, 'kyverno.io/v1');
  });

  it('ignores YAML that is not Kubernetes: no facts, no inputs, no errors', () => {
    for (const file of [
      'chart/Chart.yaml',
      'chart/values.yaml',
      'not-k8s/ci.yml',
      'not-k8s/docker-compose.yaml',
      'not-k8s/kustomization.yaml',
      'not-k8s/kubeconfig.yaml',
    ]) {
      assert.equal(
        r.facts.some((f) => f.location.file === file),
        false,
        file,
      );
      assert.equal(
        r.diagnostics.some((d) => d.file === file),
        false,
        file,
      );
    }
    // A broken non-manifest file is a warning only.
    const broken = r.diagnostics.filter((d) => d.file === 'not-k8s/broken-values.yaml');
    assert.deepEqual(
      broken.map((d) => [d.severity, d.code, d.line]),
      [['warning', 'E_INPUT_PARSE', 3]],
    );
  });

  it('lists as inputs exactly the files holding objects, with digests', async () => {
    assert.deepEqual(
      r.inputs.map((i) => i.file),
      [
        'duplicate-key.yaml',
        'kyverno-policy.yaml',
        'list.yaml',
        'multi.yaml',
        'no-podspec.yaml',
        'syntax-error.yaml',
        'yaml11.yaml',
      ],
    );
    const bytes = await readFile(path.join(fixtures, 'multi.yaml'));
    assert.deepEqual(
      r.inputs.find((i) => i.file === 'multi.yaml'),
      {
        file: 'multi.yaml',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        kind: 'kubernetes',
        bytes: bytes.length,
      },
    );
  });

  it('reports a syntax error with line/column and still loads the other documents', () => {
    assert.deepEqual(
      r.facts.filter((f) => f.location.file === 'syntax-error.yaml').map((f) => f.name),
      ['before', 'after'],
    );
    const d = r.diagnostics.filter((x) => x.file === 'syntax-error.yaml');
    assert.equal(d.length, 1);
    assert.deepEqual(
      [d[0]!.severity, d[0]!.code, d[0]!.line, d[0]!.column],
      ['error', 'E_INPUT_PARSE', 12, 3],
    );
  });

  it('reports duplicate keys as an error and skips only that document', () => {
    const d = r.diagnostics.filter((x) => x.file === 'duplicate-key.yaml');
    assert.equal(d.length, 1);
    assert.deepEqual([d[0]!.severity, d[0]!.line, d[0]!.column], ['error', 7, 3]);
    assert.match(d[0]!.message, /Duplicate key/);
    assert.deepEqual(
      r.facts.filter((f) => f.location.file === 'duplicate-key.yaml').map((f) => f.address),
      ['Secret/~/fine'],
    );
  });

  it('refuses alias bombs without expanding them', () => {
    const d = r.diagnostics.filter((x) => x.file === 'alias-bomb.yaml');
    assert.equal(d.length, 1);
    assert.equal(d[0]!.code, 'E_INPUT_PARSE');
    assert.match(d[0]!.message, /alias/);
    assert.equal(
      r.facts.some((f) => f.location.file === 'alias-bomb.yaml'),
      false,
    );
  });

  it('reads scalars as kubectl does (YAML 1.1 booleans and octal, merge keys, timestamps as strings)', () => {
    const pod = find(r.facts, 'Pod/~/legacy');
    const c = (pod.podSpec!.spec.containers as Record<string, unknown>[])[0]!;
    assert.deepEqual(c, {
      image: 'app:1',
      securityContext: { privileged: true, allowPrivilegeEscalation: false },
      name: 'app',
    });
    const volumes = pod.podSpec?.spec.volumes as { configMap: { defaultMode: number } }[];
    assert.equal(volumes[0]!.configMap.defaultMode, 0o644);
    const annotations = (pod.manifest.metadata as { annotations: Record<string, unknown> }).annotations;
    assert.deepEqual(annotations, { deployed: '2024-05-01', window: '12:30' });
    // plain JSON all the way down
    assert.deepEqual(JSON.parse(JSON.stringify(pod.manifest)), pod.manifest);
  });

  it('warns about a workload without a pod spec', () => {
    const hollow = find(r.facts, 'Deployment/~/hollow');
    assert.equal(hollow.podSpec, undefined);
    const d = r.diagnostics.find((x) => x.file === 'no-podspec.yaml');
    assert.equal(d?.severity, 'warning');
    assert.match(d?.message ?? '', /no pod spec at spec\.template\.spec/);
  });

  it('has no other diagnostics', () => {
    const expected = new Set([
      'list.yaml',
      'not-k8s/broken-values.yaml',
      'syntax-error.yaml',
      'duplicate-key.yaml',
      'alias-bomb.yaml',
      'no-podspec.yaml',
    ]);
    assert.deepEqual(
      r.diagnostics.filter((d) => !expected.has(d.file)),
      [],
    );
  });
});

describe('loadKubernetes robustness', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'evident-k8s-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reports binary files', async () => {
    await writeFile(path.join(tmp, 'bin.yaml'), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x00, 0xff, 0xfe]));
    const r = await loadKubernetes(tmp, ['bin.yaml']);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.file]),
      [['E_INPUT_BINARY', 'bin.yaml']],
    );
    assert.equal(r.inputs.length, 0);
  });

  it('reports files over the size cap without reading them', async () => {
    const big = path.join(tmp, 'big.yaml');
    const fh = await open(big, 'w');
    await fh.truncate(MAX_YAML_BYTES + 1);
    await fh.close();
    const r = await loadKubernetes(tmp, [big]);
    assert.equal(r.diagnostics[0]?.code, 'E_INPUT_TOO_LARGE');
  });

  it('reports unreadable paths as E_IO', async () => {
    const r = await loadKubernetes(tmp, ['missing.yaml']);
    assert.equal(r.diagnostics[0]?.code, 'E_IO');
  });

  it('takes a single file as root and names it by its base name', async () => {
    const f = path.join(tmp, 'one.yaml');
    await writeFile(
      f,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {containers: []}\n',
    );
    const r = await loadKubernetes(f, [f]);
    assert.deepEqual(
      r.facts.map((x) => [x.address, x.location.file]),
      [['Pod/ns/p', 'one.yaml']],
    );
  });

  it('ignores a UTF-8 BOM and CRLF line ends in positions', async () => {
    const f = path.join(tmp, 'bom.yaml');
    await writeFile(
      f,
      '\ufeffapiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: bom\r\nspec:\r\n  containers: []\r\n',
    );
    const r = await loadKubernetes(tmp, [f]);
    const pod = r.facts[0]!;
    assert.deepEqual(pod.location, { file: 'bom.yaml', line: 1, column: 1, endLine: 6 });
    assert.deepEqual(pod.locate(['spec', 'containers']), { file: 'bom.yaml', line: 6, column: 15 });
  });

  it('handles an empty file and a file of comments', async () => {
    await writeFile(path.join(tmp, 'empty.yaml'), '');
    await writeFile(path.join(tmp, 'comments.yaml'), '# nothing\n---\n# here\n');
    const r = await loadKubernetes(tmp, ['empty.yaml', 'comments.yaml']);
    assert.deepEqual(r, { facts: [], inputs: [], skipped: [], diagnostics: [] });
  });
});

describe('loadKubernetes reads documents as kubectl does', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'evident-k8s-kubectl-'));
  });
  after(() => rm(tmp, { recursive: true, force: true }));
  const load = async (name: string, text: string) => {
    await writeFile(path.join(tmp, name), text);
    return loadKubernetes(tmp, [name]);
  };
  const container = (o: KubernetesObject) =>
    (
      (o.podSpec as NonNullable<KubernetesObject['podSpec']>).spec.containers as Record<string, unknown>[]
    )[0] as Record<string, unknown>;

  // Expected values recorded from kubectl 1.32.4 (client-side decoding, no cluster):
  //   kubectl label --local -f merge.yaml x=y -o json
  it('applies YAML merge keys where they appear, as go-yaml v2 (kubectl) does', async () => {
    const r = await load(
      'merge.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: merge-after}
spec:
  hostNetwork: false
  <<: {hostNetwork: true}
  containers:
    - name: app
      image: nginx:1.25
      securityContext:
        privileged: false
        <<: {privileged: true}
---
apiVersion: v1
kind: Pod
metadata: {name: merge-before}
spec:
  <<: {hostNetwork: true}
  hostNetwork: false
  containers:
    - name: app
      image: nginx:1.25
      securityContext:
        <<: {privileged: true}
        privileged: false
---
apiVersion: v1
kind: Pod
metadata: {name: merge-list}
spec:
  containers:
    - name: app
      image: nginx:1.25
      securityContext:
        <<: [{privileged: true}, {privileged: false}]
        "<<": {quoted: true}
`,
    );
    assert.deepEqual(r.diagnostics, []);
    const after_ = find(r.facts, 'Pod/~/merge-after');
    assert.equal(after_.podSpec?.spec.hostNetwork, true, 'kubectl: hostNetwork true');
    assert.deepEqual(container(after_).securityContext, { privileged: true }, 'kubectl: privileged true');
    const before_ = find(r.facts, 'Pod/~/merge-before');
    assert.equal(before_.podSpec?.spec.hostNetwork, false, 'kubectl: hostNetwork false');
    assert.deepEqual(container(before_).securityContext, { privileged: false });
    const list = find(r.facts, 'Pod/~/merge-list');
    assert.deepEqual(
      container(list).securityContext,
      { privileged: true, '<<': { quoted: true } },
      'kubectl: earlier maps of a merge list win; a quoted "<<" is an ordinary key',
    );
  });

  it('decides Helm templates per document: comments and other documents do not hide objects', async () => {
    const r = await load(
      'mixed.yaml',
      `# rendered by {{ .Release.Name }} once upon a time
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: agent:1.0 # {{ .Values.image }}
          securityContext: {privileged: true}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: helpers
data:
  tpl: |
{{ define "x" }}{{ .Values.y }}{{ end }}
`,
    );
    assert.deepEqual(
      r.facts.map((f) => f.address),
      ['DaemonSet/~/agent'],
    );
    assert.deepEqual(r.skipped, [
      { file: 'mixed.yaml', reason: `document at line 13: ${HELM_TEMPLATE_REASON}` },
    ]);
  });

  it('reads JSON manifests and lists kustomizations as not evaluated', async () => {
    await writeFile(
      path.join(tmp, 'pod.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'json-pod' },
        spec: { containers: [{ name: 'c', image: 'c:1', securityContext: { privileged: true } }] },
      }),
    );
    await writeFile(path.join(tmp, 'kustomization.yaml'), 'resources: [pod.json]\n');
    const r = await loadKubernetes(tmp, ['pod.json', 'kustomization.yaml']);
    assert.deepEqual(container(find(r.facts, 'Pod/~/json-pod')).securityContext, { privileged: true });
    assert.deepEqual(r.skipped, [
      { file: 'kustomization.yaml', reason: KUSTOMIZE_REASON('kustomization.yaml') },
    ]);
    assert.match(KUSTOMIZE_REASON('overlays/prod/kustomization.yaml'), /kubectl kustomize overlays\/prod/);
  });

  it('reports a pod spec that is not an object as an input error (Kubernetes rejects it)', async () => {
    const r = await load(
      'list-spec.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  template:\n    spec:\n      - containers: []\n',
    );
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.severity, 'error');
    assert.match(r.diagnostics[0]?.message ?? '', /is a list, not an object; Kubernetes rejects/);
  });

  it('finds the pod template of an OpenShift DeploymentConfig', async () => {
    const r = await load(
      'dc.yaml',
      'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: legacy}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: c:1}]\n',
    );
    assert.deepEqual(find(r.facts, 'DeploymentConfig/~/legacy').podSpec?.path, ['spec', 'template', 'spec']);
  });
});

describe('loadKubernetes on kubernetes-goat (real manifests, read in place)', {
  skip: needsCorpora('kubernetes-goat'),
}, async () => {
  const discovered = await discoverAndClaim(goat);
  const r = await loadKubernetes(goat, discovered.yamlFiles);

  it('loads without errors and skips exactly the Helm templates', () => {
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.deepEqual(
      r.skipped.map((s) => s.file),
      [
        'infrastructure/helm-tiller/pwnchart/templates/clusterrolebinding.yaml',
        'scenarios/metadata-db/templates/deployment.yaml',
        'scenarios/metadata-db/templates/ingress.yaml',
        'scenarios/metadata-db/templates/service.yaml',
        'scenarios/metadata-db/templates/tests/test-connection.yaml',
      ],
    );
    assert.ok(r.skipped.every((s) => s.reason === HELM_TEMPLATE_REASON));
    assert.ok(r.facts.length >= 30, String(r.facts.length));
    // Chart.yaml, values.yaml, FUNDING.yml and the kind cluster config are not Kubernetes objects.
    for (const f of r.facts)
      assert.doesNotMatch(f.location.file, /Chart\.yaml$|values\.yaml$|FUNDING|kind-cluster-setup/);
  });

  it('finds the privileged docker-bench DaemonSet with host namespaces', () => {
    const ds = find(
      r.facts,
      'DaemonSet/~/docker-bench-security',
      'scenarios/docker-bench-security/deployment.yaml',
    );
    const spec = ds.podSpec!.spec;
    assert.equal(spec.hostPID, true);
    assert.equal(spec.hostIPC, true);
    assert.equal(spec.hostNetwork, true);
    const containers = spec.containers as { securityContext?: { privileged?: boolean } }[];
    assert.equal(containers[0]?.securityContext?.privileged, true);
    assert.equal(ds.locate([...ds.podSpec!.path, 'hostPID']).line, 27);
    assert.equal(ds.locate([...ds.podSpec!.path, 'containers', 0, 'securityContext', 'privileged']).line, 45);
  });

  it('finds the system-monitor Deployment in default with hostPID and a host root mount', () => {
    const dep = find(r.facts, 'Deployment/default/system-monitor-deployment');
    assert.equal(dep.location.file, 'scenarios/system-monitor/deployment.yaml');
    assert.equal(dep.location.line, 11);
    assert.equal(dep.podSpec?.spec.hostPID, true);
    assert.equal(dep.podSpec?.spec.hostNetwork, undefined); // commented out in the manifest
    assert.deepEqual(dep.podSpec?.spec.volumes, [{ name: 'host-filesystem', hostPath: { path: '/' } }]);
    find(r.facts, 'Secret/default/goatvault', 'scenarios/system-monitor/deployment.yaml');
  });

  it('finds RBAC objects and the Kyverno policy that quotes {{ }}', () => {
    const sa = find(r.facts, 'ServiceAccount/kube-system/superadmin');
    assert.equal(sa.namespace, 'kube-system');
    find(r.facts, 'ClusterRoleBinding/~/superadmin');
    find(r.facts, 'ClusterRole/~/all-your-base');
    find(r.facts, 'ClusterPolicy/~/deny-exec-in-vault-namespace');
  });
});

describe('looksLikeHelmTemplate', () => {
  it('needs Helm vocabulary, not just braces', () => {
    assert.equal(looksLikeHelmTemplate('name: {{ .Values.name }}'), true);
    assert.equal(looksLikeHelmTemplate('  {{- toYaml .Values.x | nindent 2 }}'), true);
    assert.equal(looksLikeHelmTemplate('name: {{ include "x.name" . }}'), true);
    assert.equal(looksLikeHelmTemplate('key: "{{ request.namespace }}"'), false);
    assert.equal(looksLikeHelmTemplate('summary: "{{ $labels.instance }} down"'), false);
    assert.equal(looksLikeHelmTemplate('no braces at all .Values'), false);
  });
});

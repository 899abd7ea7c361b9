/**
 * `evident admission manifests`: the objects that install the webhook (apps/v1 Deployment, v1 Service,
 * policy/v1 PodDisruptionBudget, admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration). The
 * Deployment passes Evident's own Kubernetes rules (tested): non-root, read-only root filesystem, no privilege
 * escalation, limits, a dedicated service account without a token, digest-pinned image.
 */
import { stringify } from 'yaml';
import { EvidentError } from '../core/errors.js';

/** Options of {@link admissionManifests}. */
export interface ManifestOptions {
  /** Image reference pinned by digest: `REGISTRY/NAME@sha256:<64 hex>` (a tag before `@` is allowed). */
  image: string;
  namespace: string;
  name: string;
  replicas: number;
  /** PEM of the CA that signed the serving certificate (caBundle); omit to leave a placeholder. */
  caBundlePem?: string;
  failurePolicy: 'Fail' | 'Ignore';
  /** 1 to 30 seconds (the API server's range); default 5. */
  timeoutSeconds: number;
  /** Secret (type kubernetes.io/tls) holding tls.crt and tls.key. */
  tlsSecret: string;
  /** ConfigMap holding evident.yaml (and team policies), mounted at /config. */
  configMap: string;
}

const DIGEST_REF = /^[^@\s]+@sha256:[0-9a-f]{64}$/;

/**
 * The four objects as a multi-document YAML string. Throws EvidentError(E_USAGE) for an image not pinned by
 * digest (the webhook's own image must be immutable) or a timeout outside 1..30.
 */
export function admissionManifests(o: ManifestOptions): string {
  if (!DIGEST_REF.test(o.image)) {
    throw new EvidentError('E_USAGE', `--image ${o.image} is not pinned by digest`, {
      hint: 'give NAME@sha256:<64 hex digits> (e.g. from `docker buildx imagetools inspect`)',
    });
  }
  if (!Number.isInteger(o.timeoutSeconds) || o.timeoutSeconds < 1 || o.timeoutSeconds > 30) {
    throw new EvidentError('E_USAGE', `--timeout ${o.timeoutSeconds} is outside 1..30 seconds`);
  }
  const labels = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/part-of': 'evident' };
  const meta = { name: o.name, namespace: o.namespace, labels };
  const serviceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta,
    automountServiceAccountToken: false,
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: o.name,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'webhook',
              image: o.image,
              args: [
                'admission',
                '--tls-cert=/tls/tls.crt',
                '--tls-key=/tls/tls.key',
                '--port=8443',
                '--config=/config/evident.yaml',
                '--ledger=/data/ledger',
              ],
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              ports: [{ name: 'https', containerPort: 8443 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' } },
              livenessProbe: { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' } },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'tls', mountPath: '/tls', readOnly: true },
                { name: 'config', mountPath: '/config', readOnly: true },
                { name: 'data', mountPath: '/data' },
              ],
            },
          ],
          volumes: [
            { name: 'tls', secret: { secretName: o.tlsSecret } },
            { name: 'config', configMap: { name: o.configMap } },
            // the write-ahead file and local log; use a PersistentVolumeClaim (or push to the server) to keep them
            { name: 'data', emptyDir: {} },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: { selector: labels, ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
  };
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta,
    spec: { minAvailable: 1, selector: { matchLabels: labels } },
  };
  const webhook = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: o.name, labels },
    webhooks: [
      {
        name: `${o.name}.${o.namespace}.evident.dev`,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: o.failurePolicy,
        timeoutSeconds: o.timeoutSeconds,
        matchPolicy: 'Equivalent',
        clientConfig: {
          service: { name: o.name, namespace: o.namespace, path: '/validate', port: 443 },
          caBundle: o.caBundlePem
            ? Buffer.from(o.caBundlePem, 'utf8').toString('base64')
            : 'REPLACE-WITH-BASE64-CA-PEM',
        },
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['kube-system', 'kube-public', 'kube-node-lease', o.namespace],
            },
          ],
        },
        rules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            // pods/ephemeralcontainers: `kubectl debug` adds containers to a running Pod through this
            // subresource (an UPDATE whose object is the whole Pod); without it they are never reviewed.
            resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'],
            operations: ['CREATE', 'UPDATE'],
            scope: 'Namespaced',
          },
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
            operations: ['CREATE', 'UPDATE'],
            scope: 'Namespaced',
          },
          // k8s.no-host-path-persistent-volumes judges PersistentVolumes (cluster-scoped: the namespace selector never skips them)
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['persistentvolumes'],
            operations: ['CREATE', 'UPDATE'],
            scope: 'Cluster',
          },
          {
            apiGroups: ['batch'],
            apiVersions: ['v1'],
            resources: ['jobs', 'cronjobs'],
            operations: ['CREATE', 'UPDATE'],
            scope: 'Namespaced',
          },
        ],
      },
    ],
  };
  return [serviceAccount, deployment, service, pdb, webhook].map((d) => stringify(d)).join('---\n');
}

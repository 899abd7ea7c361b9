/**
 * What kubectl's decoder refuses in an object before any server sees it (`kubectl annotate --local`
 * and `kubectl apply --dry-run=client` decode with the same code, k8s.io/apimachinery
 * unstructured + ObjectMeta), and which object kinds Kubernetes itself serves.
 */

/** Why kubectl cannot decode a document that declares a kind or an API version, or undefined when it can. */
export function kindProblem(apiVersion: unknown, kind: unknown): string | undefined {
  if (typeof kind !== 'string' || kind === '')
    return `Object 'Kind' is missing (kind is ${describe(kind)}; kubectl refuses the document)`;
  if (typeof apiVersion !== 'string' || apiVersion === '')
    return `apiVersion is ${describe(apiVersion)}, not a string (kubectl refuses the document: "cannot unmarshal ... apiVersion of type string")`;
  return undefined;
}

/**
 * Why the object's metadata cannot be decoded as ObjectMeta (metadata a map; name, generateName,
 * namespace strings; labels and annotations maps of strings), or undefined. The path is named.
 */
export function metadataProblem(manifest: Record<string, unknown>): string | undefined {
  if (!('metadata' in manifest) || manifest.metadata === null) return undefined;
  const m = manifest.metadata;
  if (!isPlainObject(m)) return `metadata is ${describe(m)}, not a map`;
  for (const k of ['name', 'generateName', 'namespace'] as const) {
    if (k in m && m[k] !== null && typeof m[k] !== 'string')
      return `metadata.${k} is ${describe(m[k])}, not a string`;
  }
  for (const k of ['labels', 'annotations'] as const) {
    const v = m[k];
    if (v === undefined || v === null) continue;
    if (!isPlainObject(v)) return `metadata.${k} is ${describe(v)}, not a map of strings`;
    for (const [key, val] of Object.entries(v)) {
      if (val !== null && typeof val !== 'string')
        return `metadata.${k}.${key} is ${describe(val)}, not a string`;
    }
  }
  return undefined;
}

/**
 * Kinds Kubernetes 1.32 serves, by API group (`''` is the core group, apiVersion `v1`), including
 * removed beta kinds old manifests still use (extensions, PodSecurityPolicy). `*List` kinds are lists.
 */
const BUILT_IN_KINDS: Record<string, readonly string[]> = {
  '': [
    'Binding',
    'ComponentStatus',
    'ConfigMap',
    'Endpoints',
    'Event',
    'LimitRange',
    'Namespace',
    'Node',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'Pod',
    'PodTemplate',
    'ReplicationController',
    'ResourceQuota',
    'Secret',
    'Service',
    'ServiceAccount',
  ],
  apps: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  batch: ['CronJob', 'Job'],
  autoscaling: ['HorizontalPodAutoscaler'],
  policy: ['PodDisruptionBudget', 'PodSecurityPolicy', 'Eviction'],
  extensions: ['DaemonSet', 'Deployment', 'Ingress', 'NetworkPolicy', 'PodSecurityPolicy', 'ReplicaSet'],
  'networking.k8s.io': ['Ingress', 'IngressClass', 'NetworkPolicy', 'IPAddress', 'ServiceCIDR'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'storage.k8s.io': [
    'CSIDriver',
    'CSINode',
    'CSIStorageCapacity',
    'StorageClass',
    'VolumeAttachment',
    'VolumeAttributesClass',
  ],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'scheduling.k8s.io': ['PriorityClass'],
  'coordination.k8s.io': ['Lease', 'LeaseCandidate'],
  'node.k8s.io': ['RuntimeClass'],
  'discovery.k8s.io': ['EndpointSlice'],
  'events.k8s.io': ['Event'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'authentication.k8s.io': ['TokenReview', 'TokenRequest', 'SelfSubjectReview'],
  'authorization.k8s.io': [
    'LocalSubjectAccessReview',
    'SelfSubjectAccessReview',
    'SelfSubjectRulesReview',
    'SubjectAccessReview',
  ],
  'resource.k8s.io': [
    'DeviceClass',
    'PodSchedulingContext',
    'ResourceClaim',
    'ResourceClaimTemplate',
    'ResourceSlice',
  ],
  'internal.apiserver.k8s.io': ['StorageVersion'],
  'storagemigration.k8s.io': ['StorageVersionMigration'],
};

/** The API group of an apiVersion: `apps` for `apps/v1`, `''` for `v1`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * `builtin` for a kind Kubernetes serves in that group, `unknown-in-builtin-group` for a kind a
 * built-in group does not have (a typo, or an API removed long ago: the API server refuses it), and
 * `custom` for a kind of another group (a custom resource).
 */
export function kindStatus(
  apiVersion: string,
  kind: string,
): 'builtin' | 'unknown-in-builtin-group' | 'custom' {
  const kinds = BUILT_IN_KINDS[apiGroup(apiVersion)];
  if (!kinds) return 'custom';
  return kinds.includes(kind) || kind.endsWith('List') ? 'builtin' : 'unknown-in-builtin-group';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (v === '') return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

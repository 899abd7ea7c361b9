// Kubernetes manifests → k8s.workloads: every object with a pod spec (the source fills `podSpec`),
// with its ServiceAccount linked when the scan contains it.
import { subjectOf } from '../../core/check.js';
import type { KubernetesObject } from '../../core/facts.js';
import { type K8sWorkload, k8sWorkloads } from '../../model/k8s/workloads.js';
import { modelObject } from '../../model/object.js';
import { absent, known } from '../../model/value.js';
import { adapter } from '../adapter.js';
import {
  type ContainerFields,
  containers,
  K8S_DEFAULTS,
  type PodFields,
  podRecord,
  quantity,
  volumeType,
} from '../common/pod-spec.js';
import { describeFieldMap, type FieldMap, mapRecord } from '../field-map.js';
import { type FactTree, leafAt } from '../tree.js';

const trees = new WeakMap<KubernetesObject, FactTree>();

/** The fact tree of a manifest object: its parsed document, located by the source's `locate`. */
export function kubernetesTree(obj: KubernetesObject): FactTree {
  let t = trees.get(obj);
  if (!t) {
    t = { dialect: 'kubernetes', root: obj.manifest, locate: (p) => obj.locate(p), name: (p) => p.join('.') };
    trees.set(obj, t);
  }
  return t;
}

const SECURITY_CONTEXT = {
  runAsUser: 'runAsUser',
  runAsGroup: 'runAsGroup',
  runAsNonRoot: 'runAsNonRoot',
  seccompProfile: 'seccompProfile.type',
};

const CONTAINER_MAP: FieldMap<Omit<ContainerFields, 'group'>> = {
  name: 'name',
  image: 'image',
  imagePullPolicy: 'imagePullPolicy',
  securityContext: {
    path: 'securityContext',
    fields: {
      ...SECURITY_CONTEXT,
      privileged: { path: 'privileged', default: K8S_DEFAULTS.privileged },
      allowPrivilegeEscalation: {
        path: 'allowPrivilegeEscalation',
        default: K8S_DEFAULTS.allowPrivilegeEscalation,
      },
      readOnlyRootFilesystem: {
        path: 'readOnlyRootFilesystem',
        default: K8S_DEFAULTS.readOnlyRootFilesystem,
      },
      capabilitiesAdd: { path: 'capabilities.add' },
      capabilitiesDrop: { path: 'capabilities.drop' },
    },
  },
  resources: {
    path: 'resources',
    fields: {
      limitsCpu: quantity('limits.cpu'),
      limitsMemory: quantity('limits.memory'),
      requestsCpu: quantity('requests.cpu'),
      requestsMemory: quantity('requests.memory'),
    },
  },
  ports: {
    path: 'ports',
    item: {
      fields: {
        containerPort: 'containerPort',
        hostPort: 'hostPort',
        protocol: { path: 'protocol', default: K8S_DEFAULTS.protocol },
      },
    },
  },
};

/** Field map of the pod spec in a manifest (Kubernetes API names). */
export const POD_MAP: FieldMap<PodFields> = {
  hostNetwork: { path: 'hostNetwork', default: K8S_DEFAULTS.hostNetwork },
  hostPID: { path: 'hostPID', default: K8S_DEFAULTS.hostPID },
  hostIPC: { path: 'hostIPC', default: K8S_DEFAULTS.hostIPC },
  serviceAccountName: {
    doc: 'serviceAccountName, else the deprecated serviceAccount (an empty string counts as unset)',
    compute: (tree, base) => {
      for (const key of ['serviceAccountName', 'serviceAccount']) {
        const v = leafAt(tree, 'string', key, base);
        if (v.state === 'unknown' || (v.state === 'known' && v.value !== '')) return v;
      }
      return absent(
        () => tree.name([...base, 'serviceAccountName']),
        () => tree.locate(base),
        K8S_DEFAULTS.serviceAccountName,
      );
    },
  },
  automountServiceAccountToken: 'automountServiceAccountToken',
  securityContext: { path: 'securityContext', fields: { ...SECURITY_CONTEXT, fsGroup: 'fsGroup' } },
  volumes: {
    path: 'volumes',
    item: { fields: { name: 'name', type: volumeType('hostPath'), hostPath: 'hostPath.path' } },
  },
  containers: containers(
    [
      { group: 'containers', path: 'containers' },
      { group: 'initContainers', path: 'initContainers' },
      { group: 'ephemeralContainers', path: 'ephemeralContainers' },
    ],
    CONTAINER_MAP,
  ),
};

/**
 * The ServiceAccount object named `name` in the workload's namespace (an absent namespace is
 * `default` on both sides), preferring one in the same file.
 */
function findServiceAccount(
  accounts: readonly KubernetesObject[],
  workload: KubernetesObject,
  name: string,
): KubernetesObject | undefined {
  const ns = workload.namespace ?? 'default';
  const candidates = accounts.filter((o) => o.name === name && (o.namespace ?? 'default') === ns);
  return candidates.find((o) => o.location.file === workload.location.file) ?? candidates[0];
}

/** Kubernetes manifest adapter of `k8s.workloads`. */
export const kubernetesWorkloads = adapter({
  id: 'kubernetes/workloads',
  concern: 'k8s.workloads',
  facts: 'kubernetes',
  reads: [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Job',
    'CronJob',
    'DeploymentConfig',
    'ServiceAccount',
  ],
  sources: [
    { field: 'name', from: 'metadata.name' },
    { field: 'namespace', from: 'metadata.namespace' },
    ...describeFieldMap(k8sWorkloads.fields.pod.fields, POD_MAP as FieldMap<PodFields>, 'pod', '<pod spec>.'),
    {
      field: 'serviceAccount',
      from: 'the ServiceAccount object of the same name and namespace (same file first)',
    },
  ],
  adapt(facts) {
    const accounts = facts.kubernetes.filter((o) => o.objectKind === 'ServiceAccount');
    return facts.kubernetes
      .filter((o) => o.podSpec !== undefined)
      .map((obj): K8sWorkload => {
        const tree = kubernetesTree(obj);
        const pod = podRecord(tree, obj.podSpec!.path, POD_MAP);
        const sa = pod.serviceAccountName;
        const saName = sa.state === 'known' ? sa.value : sa.state === 'absent' ? 'default' : undefined;
        const account = saName === undefined ? undefined : findServiceAccount(accounts, obj, saName);
        const saTree = account ? kubernetesTree(account) : undefined;
        return modelObject(subjectOf(obj), {
          ...mapRecord(
            tree,
            { name: k8sWorkloads.fields.name, namespace: k8sWorkloads.fields.namespace },
            {
              name: 'metadata.name',
              namespace: 'metadata.namespace',
            },
          ),
          pod,
          serviceAccount: {
            source: account
              ? known(account.address, 'metadata.name', account.location)
              : absent('serviceAccount', obj.location),
            automountToken: saTree
              ? leafAt(saTree, 'bool', 'automountServiceAccountToken')
              : absent('automountServiceAccountToken', obj.location),
          },
        });
      });
  },
});

import { concern, field, type ItemOf, type ModelObjectOf } from '../schema.js';

const securityContext = {
  runAsUser: field.number('`runAsUser`: the UID the processes run as (0 is root).'),
  runAsGroup: field.number('`runAsGroup`.'),
  runAsNonRoot: field.bool('`runAsNonRoot`: the kubelet refuses to start a container whose user is root.'),
  seccompProfile: field.string('`seccompProfile.type`.', ['RuntimeDefault', 'Localhost', 'Unconfined']),
};

/** `k8s.workloads`: objects with a pod template, from manifests and from Terraform's kubernetes provider. */
export const k8sWorkloads = concern({
  id: 'k8s.workloads',
  title: 'Kubernetes workloads',
  description:
    'One object per workload with a pod spec: Kubernetes manifests (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) and the Terraform kubernetes provider resources that create them (`kubernetes_pod`, `kubernetes_deployment`, `kubernetes_stateful_set`, `kubernetes_daemonset`/`kubernetes_daemon_set_v1`, `kubernetes_replication_controller`, `kubernetes_job`, `kubernetes_cron_job` and their `_v1` forms). Terraform names are mapped to the Kubernetes API names (`security_context` is `securityContext`, `container` is `containers`).',
  fields: {
    name: field.string('`metadata.name`.'),
    namespace: field.string(
      '`metadata.namespace`. Absent in a manifest: the namespace of the kubectl context (usually `default`); the Terraform provider defaults it to `default`.',
    ),
    pod: field.record('The pod spec.', {
      hostNetwork: field.bool('`hostNetwork`: the pod uses the node network namespace.'),
      hostPID: field.bool('`hostPID`: the pod sees the node processes.'),
      hostIPC: field.bool('`hostIPC`: the pod uses the node IPC namespace.'),
      serviceAccountName: field.string(
        '`serviceAccountName` (or the deprecated `serviceAccount`); Kubernetes uses the namespace `default` account when unset.',
      ),
      automountServiceAccountToken: field.bool(
        '`automountServiceAccountToken` on the pod spec. Unset in a manifest: the ServiceAccount decides (`serviceAccount.automountToken`), then Kubernetes mounts the token.',
      ),
      securityContext: field.record('The pod-level `securityContext`.', {
        ...securityContext,
        fsGroup: field.number('`fsGroup`.'),
      }),
      volumes: field.list(
        '`volumes`.',
        field.record('One volume.', {
          name: field.string('`name`.'),
          type: field.string(
            'The volume source: the key naming it (`hostPath`, `emptyDir`, `configMap`, `secret`, `persistentVolumeClaim`, ...).',
          ),
          hostPath: field.string('`hostPath.path` for hostPath volumes.'),
        }),
      ),
      containers: field.list(
        'Every container: `containers`, then `initContainers`, then `ephemeralContainers` (`group` tells which).',
        field.record('One container.', {
          group: field.string('The list it is in.', ['containers', 'initContainers', 'ephemeralContainers']),
          name: field.string('`name`.'),
          image: field.string('`image`.'),
          imagePullPolicy: field.string('`imagePullPolicy`.', ['Always', 'IfNotPresent', 'Never']),
          securityContext: field.record('The container `securityContext` (it overrides the pod-level one).', {
            ...securityContext,
            privileged: field.bool('`privileged`: all capabilities and host devices.'),
            allowPrivilegeEscalation: field.bool(
              '`allowPrivilegeEscalation`: a process may gain more privileges than its parent (no_new_privs not set).',
            ),
            readOnlyRootFilesystem: field.bool('`readOnlyRootFilesystem`.'),
            capabilitiesAdd: field.list(
              '`capabilities.add`.',
              field.string('A capability, e.g. `NET_ADMIN`.'),
            ),
            capabilitiesDrop: field.list('`capabilities.drop`.', field.string('A capability, e.g. `ALL`.')),
          }),
          resources: field.record('`resources` (quantities as written: `500m`, `256Mi`, `1`).', {
            limitsCpu: field.string('`limits.cpu`.'),
            limitsMemory: field.string('`limits.memory`.'),
            requestsCpu: field.string('`requests.cpu`.'),
            requestsMemory: field.string('`requests.memory`.'),
          }),
          ports: field.list(
            '`ports`.',
            field.record('One port.', {
              containerPort: field.number('`containerPort`.', 'port'),
              hostPort: field.number('`hostPort`.', 'port'),
              protocol: field.string('`protocol`.', ['TCP', 'UDP', 'SCTP']),
            }),
          ),
        }),
      ),
    }),
    serviceAccount: field.record(
      'The ServiceAccount the pod runs as, when the scan contains it (same name and namespace).',
      {
        source: field.string(
          'Address of the ServiceAccount object or resource; absent when not in the scan.',
        ),
        automountToken: field.bool('Its `automountServiceAccountToken`.'),
      },
    ),
  },
});

/** One workload of the model. */
export type K8sWorkload = ModelObjectOf<typeof k8sWorkloads>;
/** One container of a workload. */
export type K8sContainer = ItemOf<K8sWorkload['pod']['containers']>;
/** One volume of a workload. */
export type K8sVolume = ItemOf<K8sWorkload['pod']['volumes']>;

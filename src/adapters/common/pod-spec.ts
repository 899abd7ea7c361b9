// The pod spec part of k8s.workloads, shared by the Kubernetes manifest adapter and the Terraform
// kubernetes provider adapter: both read the same fields, under their own names.
import { type K8sContainer, type K8sWorkload, k8sWorkloads } from '../../model/k8s/workloads.js';
import type { ModelPath } from '../../model/object.js';
import type { DefaultValue, ListValue, Value } from '../../model/value.js';
import { known } from '../../model/value.js';
import { type Computed, type FieldMap, mapRecord } from '../field-map.js';
import { type FactTree, leafOf, listAt, rawAt, recordAt } from '../tree.js';

/** Kubernetes API reference of the pod (the source of the defaults below). */
export const POD_API = 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/';

/** Defaults Kubernetes applies to an unset field (pod v1 API reference). */
export const K8S_DEFAULTS = {
  hostNetwork: { value: false, source: `${POD_API}#hostNetwork ("Default to false")` },
  hostPID: { value: false, source: `${POD_API}#hostPID ("Optional: Default to false")` },
  hostIPC: { value: false, source: `${POD_API}#hostIPC ("Optional: Default to false")` },
  privileged: { value: false, source: `${POD_API}#security-context-1 (privileged: "Defaults to false")` },
  allowPrivilegeEscalation: {
    value: true,
    source: `${POD_API}#security-context-1 (allowPrivilegeEscalation controls the no_new_privs flag; unset, the flag is not set and a process may gain privileges)`,
  },
  readOnlyRootFilesystem: {
    value: false,
    source: `${POD_API}#security-context-1 (readOnlyRootFilesystem: "Default is false")`,
  },
  serviceAccountName: {
    value: 'default',
    source:
      'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts (a pod without a service account runs as the namespace `default` ServiceAccount)',
  },
  protocol: { value: 'TCP', source: `${POD_API}#ports ("Defaults to TCP")` },
} satisfies Record<string, DefaultValue<unknown>>;

export type PodFields = (typeof k8sWorkloads.fields.pod)['fields'];
export type ContainerFields = (typeof k8sWorkloads.fields.pod.fields.containers.item)['fields'];

/** One container list of a pod spec: its model group name and the path the format writes it at. */
export interface ContainerGroup {
  group: 'containers' | 'initContainers' | 'ephemeralContainers';
  path: string;
}

/**
 * The `containers` field: every container of `groups`, in order, with `group` set; an unknown group
 * list is one unknown item, an invalid one (not a list) one invalid item.
 */
export function containers(
  groups: readonly ContainerGroup[],
  map: FieldMap<Omit<ContainerFields, 'group'>>,
): Computed<ListValue<K8sContainer>> {
  const { group: _g, ...fields } = k8sWorkloads.fields.pod.fields.containers.item.fields;
  return {
    doc: `${groups.map((g) => g.path).join(', ')} (group: ${groups.map((g) => g.group).join(', ')})`,
    compute: (tree, base) => {
      const items: Value<K8sContainer>[] = [];
      for (const g of groups) {
        const list = listAt(tree, g.path, base, (p) =>
          recordAt(tree, p, (cp) => ({
            group: known(
              g.group,
              () => tree.name(cp),
              () => tree.locate(cp),
            ),
            ...mapRecord(tree, fields, map, cp),
          })),
        );
        if (list.state === 'known') items.push(...list.value);
        else if (list.state === 'unknown') items.push(list);
      }
      return known(
        items,
        () => tree.name([...base, groups[0]!.path]),
        () => tree.locate(base),
      );
    },
  };
}

/**
 * A quantity (`500m`, `256Mi`, `1`): strings as written, numbers as their decimal text; anything
 * else is invalid. Kubernetes accepts both spellings (resource.Quantity).
 */
export function quantity(path: string): Computed<Value<string>> {
  return {
    doc: `${path} (a quantity: string or number)`,
    compute: (tree, base) => {
      const node = rawAt(tree, path, base);
      if (node.state === 'present' && typeof node.value === 'number' && Number.isFinite(node.value))
        return known(
          String(node.value),
          () => tree.name(node.path),
          () => tree.locate(node.path),
        );
      return leafOf(tree, 'string', node);
    },
  };
}

/**
 * The volume source of the volume at `base`: `hostPath` when a host path is set, else the first key
 * other than `name` with a value (`emptyDir`, `configMap`, ...). `hostPathKey` is how the format
 * spells the hostPath key; `rename` maps the format's keys to the Kubernetes names.
 */
export function volumeType(
  hostPathKey: string,
  rename: (key: string) => string = (k) => k,
): Computed<Value<string>> {
  return {
    doc: `the volume source key (${hostPathKey} is \`hostPath\`)`,
    compute: (tree, base) => {
      const node = rawAt(tree, [], base);
      const name = () => tree.name(base);
      const at = () => tree.locate(base);
      if (node.state !== 'present' || typeof node.value !== 'object' || node.value === null)
        return leafOf(tree, 'string', node);
      const v = node.value as Record<string, unknown>;
      const has = (k: string) =>
        v[k] !== undefined && v[k] !== null && !(Array.isArray(v[k]) && (v[k] as unknown[]).length === 0);
      if (has(hostPathKey)) return known('hostPath', name, () => tree.locate([...base, hostPathKey]));
      const key = Object.keys(v).find((k) => k !== 'name' && has(k));
      return key ? known(rename(key), name, at) : known('', name, at);
    },
  };
}

/** Builds a workload object's `pod` record from a pod spec at `base` of `tree`. */
export function podRecord(tree: FactTree, base: ModelPath, map: FieldMap<PodFields>): K8sWorkload['pod'] {
  return mapRecord(tree, k8sWorkloads.fields.pod.fields, map, base);
}

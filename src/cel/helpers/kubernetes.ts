// Kubernetes helpers for rule expressions: the pod spec and containers of every workload kind,
// as the TypeScript checks read them (src/checks/k8s/_lib/pod.ts, POD_SPEC_PATHS of the source).
import type { DocPath, KubernetesObject } from '../../core/facts.js';
import { describeRaw } from '../../model/value.js';
import { POD_SPEC_PATHS } from '../../sources/kubernetes/load-kubernetes.js';
import type { CallSite, CelFunction } from '../function.js';
import type { RuleHost } from '../host.js';
import { isMap, PartialList, Unknown } from '../value.js';

/** The container lists of a pod spec. */
type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Every container list (ephemeral containers carry a securityContext too). */
const ALL_CONTAINER_GROUPS: readonly ContainerGroup[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

/** Lists whose containers may declare `resources` (the API forbids resources on ephemeral containers). */
const RESOURCE_CONTAINER_GROUPS: readonly ContainerGroup[] = ['containers', 'initContainers'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The containers of `obj`'s pod spec in `groups`, and what could not be read: a group that is not a
 * list, or an item that is not a map (path and reason).
 */
function listContainers(
  obj: KubernetesObject,
  groups: readonly ContainerGroup[],
): { containers: { spec: Record<string, unknown> }[]; problems: { path: DocPath; message: string }[] } {
  const containers: { spec: Record<string, unknown> }[] = [];
  const problems: { path: DocPath; message: string }[] = [];
  const pod = obj.podSpec;
  if (!pod) return { containers, problems };
  for (const group of groups) {
    const list = pod.spec[group];
    const groupPath = [...pod.path, group];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push({
        message: `${groupPath.join('.')} is ${describeRaw(list)}, not a list of containers; fix the manifest`,
        path: groupPath,
      });
      continue;
    }
    list.forEach((item, index) => {
      if (isRecord(item)) containers.push({ spec: item });
      else
        problems.push({
          message: `${group}[${index}] is ${describeRaw(item)}, not a container map; fix the manifest`,
          path: [...groupPath, index],
        });
    });
  }
  return { containers, problems };
}

/** The Kubernetes object whose manifest is `manifest` (the rule's subject), or a throw-away view of another map. */
function objectOf(manifest: unknown, site: CallSite): KubernetesObject | undefined {
  const host = site.a.host as RuleHost;
  if (host.kubernetes?.podSpec && host.kubernetes.manifest === manifest) return host.kubernetes;
  if (!isMap(manifest)) throw new Error('expected a Kubernetes object (resource)');
  const kind = typeof manifest.kind === 'string' ? manifest.kind : '';
  const path = POD_SPEC_PATHS[kind];
  if (!path) return undefined;
  let spec: unknown = manifest;
  for (const step of path) spec = isMap(spec) ? spec[step as string] : undefined;
  if (!isMap(spec)) return undefined;
  const loc = { file: '.', line: 1 };
  return {
    kind: 'kubernetes',
    apiVersion: String(manifest.apiVersion ?? ''),
    objectKind: kind,
    name: '',
    address: '',
    manifest,
    podSpec: { spec, path },
    location: loc,
    locate: () => loc,
  };
}

function containersOf(manifest: unknown, site: CallSite, groups: typeof ALL_CONTAINER_GROUPS): unknown {
  const obj = objectOf(manifest, site);
  if (!obj?.podSpec) return [];
  const { containers, problems } = listContainers(obj, groups);
  const list = containers.map((c) => c.spec);
  if (problems.length === 0) return list;
  return new PartialList(
    list,
    new Unknown(problems.map((p) => ({ path: `resource.${(p.path ?? []).join('.')}`, reason: p.message }))),
  );
}

/** Kubernetes-only helpers (docs/policies.md "Helpers"). */
export const KUBERNETES_FUNCTIONS: readonly CelFunction[] = [
  {
    name: 'podSpec',
    usage: 'podSpec(resource)',
    doc: 'the pod spec of a workload (Pod `spec`; Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job `spec.template.spec`; CronJob `spec.jobTemplate.spec.template.spec`), or null for other kinds',
    signatures: ['podSpec(dyn): dyn'],
    global: true,
    member: false,
    inputs: ['kubernetes'],
    minArgs: 1,
    maxArgs: 1,
    impl: ([m], site) => objectOf(m, site)?.podSpec?.spec ?? null,
  },
  {
    name: 'containers',
    usage: 'containers(resource)',
    doc: "every container of a workload's pod spec: `containers`, `initContainers` and `ephemeralContainers` (empty for kinds without a pod spec); a container list that is not a list of maps makes membership unknown",
    signatures: ['containers(dyn): list<dyn>'],
    global: true,
    member: false,
    inputs: ['kubernetes'],
    minArgs: 1,
    maxArgs: 1,
    impl: ([m], site) => containersOf(m, site, ALL_CONTAINER_GROUPS),
  },
  {
    name: 'resourceContainers',
    usage: 'resourceContainers(resource)',
    doc: 'the containers that may declare `resources`: `containers` and `initContainers` (the API forbids resources on ephemeral containers)',
    signatures: ['resourceContainers(dyn): list<dyn>'],
    global: true,
    member: false,
    inputs: ['kubernetes'],
    minArgs: 1,
    maxArgs: 1,
    impl: ([m], site) => containersOf(m, site, RESOURCE_CONTAINER_GROUPS),
  },
];

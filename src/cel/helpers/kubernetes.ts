// Kubernetes helpers for rule expressions: the pod spec and containers of every workload kind,
// as the TypeScript checks read them (src/checks/k8s/_lib/pod.ts, POD_SPEC_PATHS of the source).
import {
  ALL_CONTAINER_GROUPS,
  listContainers,
  RESOURCE_CONTAINER_GROUPS,
} from '../../checks/k8s/_lib/pod.js';
import type { KubernetesObject } from '../../core/facts.js';
import { POD_SPEC_PATHS } from '../../sources/kubernetes/load-kubernetes.js';
import type { CallSite, CelFunction } from '../function.js';
import type { RuleHost } from '../host.js';
import { isMap, PartialList, Unknown } from '../value.js';

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

// Helpers of the Kubernetes checks over the model (k8s.workloads): manifests and Terraform
// kubernetes provider resources alike.
import type { CheckContext, CheckResult } from '../../../core/check.js';
import type { SourceLocation } from '../../../core/location.js';
import { allOf, type Messages, toResult, type Verdict, verdict } from '../../../core/verdict.js';
import type { K8sContainer, K8sWorkload } from '../../../model/k8s/workloads.js';
import type { Unknown, Value } from '../../../model/value.js';
import { items, unknownVerdict } from '../../_lib/model-verdicts.js';

/** The container lists of a pod spec. */
export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Every container list: for security settings (ephemeral containers carry a securityContext too). */
export const ALL_CONTAINER_GROUPS: readonly ContainerGroup[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

/** Lists whose containers may declare `resources` (the API forbids resources on ephemeral containers). */
export const RESOURCE_CONTAINER_GROUPS: readonly ContainerGroup[] = ['containers', 'initContainers'];

/** Messages every Kubernetes check uses. */
export const POD_MESSAGES: Messages = {
  'no-containers': 'the pod spec declares no containers; nothing could be checked',
};

/** One container of a workload with its label for messages. */
export interface ContainerRef {
  container: K8sContainer;
  /** `container "web"`, `init container "setup"` or `ephemeral container "debug"` (`#<index>` without a name). */
  label: string;
  /** Where the container is written. */
  location: SourceLocation;
}

function label(c: K8sContainer, index: number): string {
  const group = c.group.state === 'known' ? c.group.value : 'containers';
  const kind =
    group === 'initContainers'
      ? 'init container'
      : group === 'ephemeralContainers'
        ? 'ephemeral container'
        : 'container';
  const name = c.name.state === 'known' && c.name.value !== '' ? c.name.value : `#${index}`;
  return `${kind} "${name}"`;
}

/**
 * The `unknown` verdict for a value that is not known statically or has the wrong type (`; fix the
 * manifest` is added for the latter), completed by `consequence`.
 */
export function unknownPart(v: Unknown, consequence?: string): Verdict {
  const fix = 'invalid' in v ? 'fix the manifest' : undefined;
  return unknownVerdict(v, { consequence: [consequence, fix].filter(Boolean).join('; ') || undefined });
}

/**
 * Runs `judge` on every container of the given groups of every workload and folds the verdicts into
 * one result per workload: `fail` when any container fails (all failures listed), else `unknown` when
 * any could not be judged (an unknown or malformed container list or item), else `pass`; a workload
 * without containers is `unknown`.
 */
export function evaluateContainers(
  ctx: CheckContext,
  groups: readonly ContainerGroup[],
  judge: (c: ContainerRef, w: K8sWorkload) => Verdict,
  messages: Messages,
): CheckResult[] {
  const all = { ...POD_MESSAGES, ...messages };
  return ctx.model.get('k8s.workloads').map((w) => {
    const parts: Verdict[] = [];
    const index = new Map<string, number>();
    for (const item of items(w.pod.containers)) {
      if (item.state === 'unknown') {
        parts.push(unknownPart(item));
        continue;
      }
      if (item.state !== 'known') continue;
      const c = item.value;
      const group = (c.group.state === 'known' ? c.group.value : 'containers') as ContainerGroup;
      const i = index.get(group) ?? 0;
      index.set(group, i + 1);
      if (groups.includes(group))
        parts.push(judge({ container: c, label: label(c, i), location: item.location }, w));
    }
    return toResult(w, allOf(parts, { join: true, onEmpty: verdict('unknown', 'no-containers') }), all);
  });
}

/** One result per workload from `judge` (pod-level checks). */
export function evaluateWorkloads(
  ctx: CheckContext,
  judge: (w: K8sWorkload) => Verdict,
  messages: Messages,
): CheckResult[] {
  const all = { ...POD_MESSAGES, ...messages };
  return ctx.model.get('k8s.workloads').map((w) => toResult(w, judge(w), all));
}

/** A pass verdict without location (pass results point at the workload itself). */
export function pass(messageId: string, data?: Record<string, string | number>): Verdict {
  return verdict('pass', messageId, data);
}

/** A verdict located where `v` is written. */
export function at(
  outcome: 'fail' | 'unknown',
  messageId: string,
  v: Value<unknown>,
  data?: Record<string, string | number>,
): Verdict {
  return verdict(outcome, messageId, data, { location: v.location });
}

import type { CheckResult } from '../../../core/check.js';
import { subjectOf } from '../../../core/check.js';
import type { DocPath, Facts, KubernetesObject } from '../../../core/facts.js';

/** The three container lists of a Kubernetes PodSpec (core/v1 `PodSpec`). */
export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Every container list: for security settings (ephemeral containers carry a securityContext too). */
export const ALL_CONTAINER_GROUPS: readonly ContainerGroup[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

/** Lists whose containers may declare `resources` (the API forbids resources on ephemeral containers). */
export const RESOURCE_CONTAINER_GROUPS: readonly ContainerGroup[] = ['containers', 'initContainers'];

/** One container of a pod spec, with its path inside the object's `manifest`. */
export interface ContainerRef {
  group: ContainerGroup;
  index: number;
  /** `name` as written, or `#<index>` when missing or not a string. */
  name: string;
  /** The container object. */
  spec: Record<string, unknown>;
  /** Path of the container in `manifest`, e.g. `['spec', 'template', 'spec', 'containers', 0]`. */
  path: DocPath;
}

/** What a check concluded about one part (a container, a flag) of one workload. */
export interface Verdict {
  outcome: 'pass' | 'fail' | 'unknown';
  /** What was observed, naming the container: `container "web" runs privileged`. */
  message: string;
  /** Path in `manifest` of the attribute the verdict is about (for `locate`). */
  path?: DocPath;
}

/** Workload objects: those for which the Kubernetes source filled `podSpec`. */
export function workloads(facts: Facts): KubernetesObject[] {
  return facts.kubernetes.filter((o) => o.podSpec !== undefined);
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Short rendering of an unexpected value for messages: `the string "yes"`, `42`, `a list`. */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * The containers of `obj`'s pod spec in the given groups. A group that is present but not a list,
 * or an item that is not a map, yields an `unknown` verdict in `problems` instead of a container.
 */
export function listContainers(
  obj: KubernetesObject,
  groups: readonly ContainerGroup[],
): { containers: ContainerRef[]; problems: Verdict[] } {
  const containers: ContainerRef[] = [];
  const problems: Verdict[] = [];
  const pod = obj.podSpec;
  if (!pod) return { containers, problems };
  for (const group of groups) {
    const list = pod.spec[group];
    const groupPath = [...pod.path, group];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push({
        outcome: 'unknown',
        message: `${groupPath.join('.')} is ${describeValue(list)}, not a list of containers; fix the manifest`,
        path: groupPath,
      });
      continue;
    }
    list.forEach((item, index) => {
      const path = [...groupPath, index];
      if (!isRecord(item)) {
        problems.push({
          outcome: 'unknown',
          message: `${group}[${index}] is ${describeValue(item)}, not a container map; fix the manifest`,
          path,
        });
        return;
      }
      const name = typeof item.name === 'string' && item.name !== '' ? item.name : `#${index}`;
      containers.push({ group, index, name, spec: item, path });
    });
  }
  return { containers, problems };
}

/** `container "web"`, `init container "setup"` or `ephemeral container "debug"` for messages. */
export function containerLabel(c: ContainerRef): string {
  const kind =
    c.group === 'initContainers'
      ? 'init container'
      : c.group === 'ephemeralContainers'
        ? 'ephemeral container'
        : 'container';
  return `${kind} "${c.name}"`;
}

/**
 * A field read from a map: `absent` (missing or null), `ok` with the value when it has the wanted
 * type, or `invalid` with the raw value when it has another type.
 */
export type Field<T> = { state: 'absent' } | { state: 'ok'; value: T } | { state: 'invalid'; raw: unknown };

/** Reads `key` of `obj` expecting a boolean (YAML `true`/`false`, not the string `"true"`). */
export function boolField(obj: Record<string, unknown> | undefined, key: string): Field<boolean> {
  const v = obj?.[key];
  if (v === undefined || v === null) return { state: 'absent' };
  return typeof v === 'boolean' ? { state: 'ok', value: v } : { state: 'invalid', raw: v };
}

/** Reads `key` of `obj` expecting an integer. */
export function intField(obj: Record<string, unknown> | undefined, key: string): Field<number> {
  const v = obj?.[key];
  if (v === undefined || v === null) return { state: 'absent' };
  return typeof v === 'number' && Number.isInteger(v)
    ? { state: 'ok', value: v }
    : { state: 'invalid', raw: v };
}

/** Reads `key` of `obj` expecting a map. */
export function mapField(
  obj: Record<string, unknown> | undefined,
  key: string,
): Field<Record<string, unknown>> {
  const v = obj?.[key];
  if (v === undefined || v === null) return { state: 'absent' };
  return isRecord(v) ? { state: 'ok', value: v } : { state: 'invalid', raw: v };
}

/** Reads `key` of `obj` expecting a string. */
export function stringField(obj: Record<string, unknown> | undefined, key: string): Field<string> {
  const v = obj?.[key];
  if (v === undefined || v === null) return { state: 'absent' };
  return typeof v === 'string' ? { state: 'ok', value: v } : { state: 'invalid', raw: v };
}

/** The `unknown` verdict for a field of the wrong type at `path`. */
export function invalidVerdict(path: DocPath, raw: unknown, expected: string, consequence: string): Verdict {
  return {
    outcome: 'unknown',
    message: `${path.join('.')} is ${describeValue(raw)}, not ${expected}: ${consequence}; fix the manifest`,
    path,
  };
}

/** The `unknown` verdict for a boolean field written as something else (e.g. the string `"true"`). */
export function invalidBoolVerdict(path: DocPath, raw: unknown, consequence: string): Verdict {
  return invalidVerdict(path, raw, 'a YAML boolean (true or false without quotes)', consequence);
}

/**
 * Reads the boolean `securityContext.<field>` of container `c`: `value` undefined when absent (also
 * when there is no securityContext), `path` the field's path, `securityContext` the map when present.
 * A securityContext that is not a map, or a field that is not a boolean, gives `problem` (an
 * `unknown` verdict; `consequence` completes the message for the latter).
 */
export function containerSecurityFlag(
  c: ContainerRef,
  field: string,
  consequence: string,
):
  | { problem: Verdict }
  | {
      problem?: undefined;
      value: boolean | undefined;
      path: DocPath;
      securityContext?: Record<string, unknown>;
    } {
  const sc = securityContextOf(c);
  if (sc.problem) return { problem: sc.problem };
  const path = [...c.path, 'securityContext', field];
  const f = boolField(sc.ctx, field);
  if (f.state === 'invalid') return { problem: invalidBoolVerdict(path, f.raw, consequence) };
  return { value: f.state === 'ok' ? f.value : undefined, path, securityContext: sc.ctx };
}

/**
 * Folds the verdicts about one workload into its single result: `fail` if any part fails (all
 * failures listed, location of the first), else `unknown` if any part could not be judged, else
 * `pass`. No verdicts at all gives `unknown` (a workload without containers cannot be judged).
 */
export function combine(obj: KubernetesObject, verdicts: readonly Verdict[]): CheckResult {
  const subject = subjectOf(obj);
  const pick = (o: Verdict['outcome']) => verdicts.filter((v) => v.outcome === o);
  const fails = pick('fail');
  const unknowns = pick('unknown');
  const chosen = fails.length ? fails : unknowns.length ? unknowns : pick('pass');
  if (chosen.length === 0) {
    return {
      subject,
      outcome: 'unknown',
      message: 'the pod spec declares no containers; nothing could be checked',
    };
  }
  const outcome = chosen[0]!.outcome;
  const firstPath = chosen.find((v) => v.path)?.path;
  const result: CheckResult = { subject, outcome, message: chosen.map((v) => v.message).join('; ') };
  if (firstPath && outcome !== 'pass') result.location = obj.locate(firstPath);
  return result;
}

/**
 * Runs `judge` on every container of the given groups of every workload and returns one combined
 * result per workload (see {@link combine}). Malformed container lists become `unknown` verdicts.
 */
export function evaluateContainers(
  facts: Facts,
  groups: readonly ContainerGroup[],
  judge: (c: ContainerRef, obj: KubernetesObject) => Verdict,
): CheckResult[] {
  return workloads(facts).map((obj) => {
    const { containers, problems } = listContainers(obj, groups);
    return combine(obj, [...problems, ...containers.map((c) => judge(c, obj))]);
  });
}

/** The container's `securityContext` map; `invalid` verdict when it is not a map. */
export function securityContextOf(c: ContainerRef): { ctx?: Record<string, unknown>; problem?: Verdict } {
  const f = mapField(c.spec, 'securityContext');
  if (f.state === 'invalid') {
    return {
      problem: invalidVerdict(
        [...c.path, 'securityContext'],
        f.raw,
        'a map',
        `${containerLabel(c)} cannot be judged`,
      ),
    };
  }
  return { ctx: f.state === 'ok' ? f.value : undefined };
}

/** The pod-level `securityContext` map of a workload; `invalid` verdict when it is not a map. */
export function podSecurityContextOf(obj: KubernetesObject): {
  ctx?: Record<string, unknown>;
  problem?: Verdict;
} {
  const pod = obj.podSpec!;
  const f = mapField(pod.spec, 'securityContext');
  if (f.state === 'invalid') {
    return {
      problem: invalidVerdict([...pod.path, 'securityContext'], f.raw, 'a map', 'the pod cannot be judged'),
    };
  }
  return { ctx: f.state === 'ok' ? f.value : undefined };
}

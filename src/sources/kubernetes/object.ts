import type { DocPath, KubernetesObject } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';

/** Pod spec location per workload kind (KubernetesObject.podSpec). */
export const POD_SPEC_PATHS: Record<string, DocPath> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  // OpenShift (apps.openshift.io/v1): a Deployment-like workload with the same pod template path.
  DeploymentConfig: ['spec', 'template', 'spec'],
};

/** Why an object's pod-level checks cannot run: its pod spec is missing, or is not an object. */
export interface PodSpecProblem {
  /** `error`: the API server rejects the object (a pod spec that is not an object); `warning`: no pod spec. */
  severity: 'error' | 'warning';
  message: string;
  location: SourceLocation;
}

/**
 * Builds the {@link KubernetesObject} fact of one parsed object (`manifest`: plain JSON values with string
 * `apiVersion` and `kind`). The one construction both the Kubernetes source (a document of a manifest file) and
 * the admission webhook (an AdmissionReview's `request.object`) use, so every check sees the same fact for the
 * same object. `location` is where the object starts; `locate` maps a path inside `manifest` to a location.
 * Name: `metadata.name`, else `generateName*`, else `(unnamed)`; address `Kind/namespace/name` with `~` for an
 * absent namespace. A workload kind ({@link POD_SPEC_PATHS}) whose pod spec is absent or not an object gets no
 * `podSpec` and a {@link PodSpecProblem}.
 */
export function buildKubernetesObject(
  manifest: Record<string, unknown>,
  location: SourceLocation,
  locate: (path: DocPath) => SourceLocation,
): { object: KubernetesObject; problem?: PodSpecProblem } {
  const objectKind = manifest.kind as string;
  const metadata = isPlainObject(manifest.metadata) ? manifest.metadata : {};
  const name =
    typeof metadata.name === 'string' && metadata.name !== ''
      ? metadata.name
      : typeof metadata.generateName === 'string' && metadata.generateName !== ''
        ? `${metadata.generateName}*`
        : '(unnamed)';
  const namespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const obj: KubernetesObject = {
    kind: 'kubernetes',
    apiVersion: manifest.apiVersion as string,
    objectKind,
    name,
    address: `${objectKind}/${namespace ?? '~'}/${name}`,
    manifest,
    location,
    locate,
  };
  if (namespace !== undefined) obj.namespace = namespace;

  const specPath = POD_SPEC_PATHS[objectKind];
  if (!specPath) return { object: obj };
  const spec = valueAt(manifest, specPath);
  if (isPlainObject(spec)) {
    obj.podSpec = { spec, path: specPath };
    return { object: obj };
  }
  if (spec !== undefined && spec !== null) {
    // The API server rejects a pod spec that is not an object: an input error, never a pass.
    return {
      object: obj,
      problem: {
        severity: 'error',
        message: `${obj.address}: ${specPath.join('.')} is ${Array.isArray(spec) ? 'a list' : `a ${typeof spec}`}, not an object; Kubernetes rejects this workload, and its pod-level checks cannot run. Fix the manifest.`,
        location: locate(specPath),
      },
    };
  }
  return {
    object: obj,
    problem: {
      severity: 'warning',
      message: `${obj.address} has no pod spec at ${specPath.join('.')}: its pod-level checks cannot run. Add the missing spec.`,
      location,
    },
  };
}

function valueAt(value: unknown, p: DocPath): unknown {
  let v = value;
  for (const seg of p) {
    if (!isPlainObject(v)) return undefined;
    v = v[seg as string];
  }
  return v;
}

/** True for a non-null, non-array object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

import type { CheckDefinition } from '../../../core/check.js';
import type { DocPath } from '../../../core/facts.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import {
  ALL_CONTAINER_GROUPS,
  boolField,
  type ContainerRef,
  containerLabel,
  evaluateContainers,
  type Field,
  intField,
  invalidBoolVerdict,
  invalidVerdict,
  podSecurityContextOf,
  securityContextOf,
  type Verdict,
} from '../_lib/pod.js';

/** The effective value of a field: the container's when set, else the pod's (Kubernetes precedence). */
function effective<T>(
  container: Field<T>,
  pod: Field<T>,
  cPath: DocPath,
  pPath: DocPath,
): { f: Field<T>; path: DocPath } {
  return container.state !== 'absent' ? { f: container, path: cPath } : { f: pod, path: pPath };
}

/**
 * Every container runs as a non-root user: the effective `runAsUser` (container over pod) is > 0, or
 * the effective `runAsNonRoot` is true (and `runAsUser` is not 0). Nothing set = the image's user,
 * usually root = fail.
 */
export const check: CheckDefinition = {
  id: 'k8s.runs-as-non-root',
  title: 'Containers run as a non-root user',
  severity: 'medium',
  rationale:
    'A container running as UID 0 is root on the node if it escapes its namespaces, and can modify its own filesystem and binaries; requiring a non-root user limits the blast radius of a compromise.',
  remediation:
    'Set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser`, e.g. 10001) in the pod spec `securityContext` or on each container; build images with a non-root `USER`.',
  input: 'kubernetes',
  adversarial: {
    ordering: [
      'fail-container-overrides-pod-non-root.yaml',
      'fail-container-uid-zero-under-non-root-pod.yaml',
    ],
    spelling: ['fail-uid-zero-octal-spelling.yaml'],
  },
  mappings: CONTAINER_HARDENING_MAPPINGS,
  trivyEquivalents: ['kubernetes/runs_as_root'],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1',
  ],
  evaluate(facts) {
    return evaluateContainers(facts, ALL_CONTAINER_GROUPS, (c: ContainerRef, obj): Verdict => {
      const pod = podSecurityContextOf(obj);
      if (pod.problem) return pod.problem;
      const sc = securityContextOf(c);
      if (sc.problem) return sc.problem;
      const cBase = [...c.path, 'securityContext'];
      const pBase = [...obj.podSpec!.path, 'securityContext'];
      const user = effective(
        intField(sc.ctx, 'runAsUser'),
        intField(pod.ctx, 'runAsUser'),
        [...cBase, 'runAsUser'],
        [...pBase, 'runAsUser'],
      );
      const nonRoot = effective(
        boolField(sc.ctx, 'runAsNonRoot'),
        boolField(pod.ctx, 'runAsNonRoot'),
        [...cBase, 'runAsNonRoot'],
        [...pBase, 'runAsNonRoot'],
      );
      const label = containerLabel(c);
      if (user.f.state === 'invalid') {
        return invalidVerdict(
          user.path,
          user.f.raw,
          'an integer UID',
          `the user ${label} runs as is unknown`,
        );
      }
      if (user.f.state === 'ok' && user.f.value === 0) {
        return { outcome: 'fail', message: `${label} runs as UID 0 (root)`, path: user.path };
      }
      if (user.f.state === 'ok') return { outcome: 'pass', message: `${label} runs as UID ${user.f.value}` };
      if (nonRoot.f.state === 'invalid') {
        return invalidBoolVerdict(nonRoot.path, nonRoot.f.raw, `whether ${label} runs as root is unknown`);
      }
      if (nonRoot.f.state === 'ok' && nonRoot.f.value) {
        return { outcome: 'pass', message: `${label} requires a non-root user (runAsNonRoot: true)` };
      }
      if (nonRoot.f.state === 'ok') {
        return {
          outcome: 'fail',
          message: `${label} sets runAsNonRoot: false and no runAsUser, so it may run as root`,
          path: nonRoot.path,
        };
      }
      return {
        outcome: 'fail',
        message: `${label} sets neither runAsNonRoot nor runAsUser, so it runs as the image's user (root unless the image says otherwise)`,
        path: c.path,
      };
    });
  },
};

import type { CheckDefinition } from '../../../core/check.js';
import { type Messages, verdict } from '../../../core/verdict.js';
import type { Value } from '../../../model/value.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import { ALL_CONTAINER_GROUPS, at, evaluateContainers, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  root: '{{container}} runs as UID 0 (root)',
  uid: '{{container}} runs as UID {{uid}}',
  'non-root': '{{container}} requires a non-root user (runAsNonRoot: true)',
  'non-root-false': '{{container}} sets runAsNonRoot: false and no runAsUser, so it may run as root',
  unset:
    "{{container}} sets neither runAsNonRoot nor runAsUser, so it runs as the image's user (root unless the image says otherwise)",
};

/** The effective value of a field: the container's when set, else the pod's (Kubernetes precedence). */
function effective<T>(container: Value<T>, pod: Value<T>): Value<T> {
  return container.state !== 'absent' ? container : pod;
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
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
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

  evaluate(_facts, ctx) {
    return evaluateContainers(
      ctx,
      ALL_CONTAINER_GROUPS,
      ({ container, label, location }, w) => {
        const user = effective(container.securityContext.runAsUser, w.pod.securityContext.runAsUser);
        const nonRoot = effective(container.securityContext.runAsNonRoot, w.pod.securityContext.runAsNonRoot);
        if (user.state === 'unknown') return unknownPart(user, `the user ${label} runs as is unknown`);
        if (user.state === 'known' && user.value === 0) return at('fail', 'root', user, { container: label });
        if (user.state === 'known') return pass('uid', { container: label, uid: user.value });
        if (nonRoot.state === 'unknown')
          return unknownPart(nonRoot, `whether ${label} runs as root is unknown`);
        if (nonRoot.state === 'known' && nonRoot.value) return pass('non-root', { container: label });
        if (nonRoot.state === 'known') return at('fail', 'non-root-false', nonRoot, { container: label });
        return verdict('fail', 'unset', { container: label }, { location });
      },
      MESSAGES,
    );
  },
};

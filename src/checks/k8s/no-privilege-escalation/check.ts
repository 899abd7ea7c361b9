import type { CheckDefinition } from '../../../core/check.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import {
  ALL_CONTAINER_GROUPS,
  containerLabel,
  containerSecurityFlag,
  evaluateContainers,
} from '../_lib/pod.js';

/**
 * Every container sets `securityContext.allowPrivilegeEscalation: false`. Absent counts as a failure:
 * the Kubernetes default is `true` (no_new_privs is not set on the process).
 */
export const check: CheckDefinition = {
  id: 'k8s.no-privilege-escalation',
  title: 'Containers disallow privilege escalation',
  severity: 'medium',
  rationale:
    'Unless allowPrivilegeEscalation is false, a process in the container can gain more privileges than its parent (setuid binaries, file capabilities), turning a foothold into root inside the container.',
  remediation:
    'Set `securityContext.allowPrivilegeEscalation: false` on every container, initContainer and ephemeralContainer.',
  input: 'kubernetes',
  adversarial: {
    'equivalent-values': ['fail-sys-admin-capability-overrides-false.yaml'],
    spelling: ['pass-yaml11-off-spelling.yaml', 'unknown-quoted-false-string.yaml'],
  },
  mappings: CONTAINER_HARDENING_MAPPINGS,
  trivyEquivalents: ['kubernetes/can_elevate_its_own_privileges'],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  ],
  evaluate(facts) {
    return evaluateContainers(facts, ALL_CONTAINER_GROUPS, (c) => {
      const f = containerSecurityFlag(
        c,
        'allowPrivilegeEscalation',
        `whether ${containerLabel(c)} may escalate is unknown`,
      );
      if (f.problem) return f.problem;
      if (f.value === undefined) {
        return {
          outcome: 'fail',
          message: `${containerLabel(c)} does not set allowPrivilegeEscalation (default true)`,
          path: f.securityContext ? [...c.path, 'securityContext'] : c.path,
        };
      }
      if (f.value)
        return {
          outcome: 'fail',
          message: `${containerLabel(c)} sets allowPrivilegeEscalation: true`,
          path: f.path,
        };
      // Kubernetes: "AllowPrivilegeEscalation is true always when the container is run as privileged,
      // or has CAP_SYS_ADMIN" (Security Context docs); `false` is then not what runs.
      const sc = c.spec.securityContext as Record<string, unknown> | undefined;
      const caps = (sc?.capabilities as Record<string, unknown> | undefined)?.add;
      const adds = Array.isArray(caps) ? caps.filter((x): x is string => typeof x === 'string') : [];
      const sysAdmin = adds.find((x) => ['SYS_ADMIN', 'CAP_SYS_ADMIN', 'ALL'].includes(x.toUpperCase()));
      if (sc?.privileged === true || sysAdmin)
        return {
          outcome: 'fail',
          message: `${containerLabel(c)} sets allowPrivilegeEscalation: false, but ${sysAdmin ? `adds capability ${sysAdmin}` : 'runs privileged'}, so escalation is always allowed`,
          path: [...c.path, 'securityContext'],
        };
      return { outcome: 'pass', message: `${containerLabel(c)} sets allowPrivilegeEscalation: false` };
    });
  },
};

import type { CheckDefinition } from '../../../core/check.js';
import {
  ALL_CONTAINER_GROUPS,
  boolField,
  containerLabel,
  evaluateContainers,
  invalidVerdict,
  securityContextOf,
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
  mappings: {
    soc2: ['CC6.1', 'CC6.8'],
    'iso27001-2022': ['A.8.2', 'A.8.9'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  trivyEquivalents: ['kubernetes/can_elevate_its_own_privileges'],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  ],
  evaluate(facts) {
    return evaluateContainers(facts, ALL_CONTAINER_GROUPS, (c) => {
      const sc = securityContextOf(c);
      if (sc.problem) return sc.problem;
      const path = [...c.path, 'securityContext', 'allowPrivilegeEscalation'];
      const f = boolField(sc.ctx, 'allowPrivilegeEscalation');
      if (f.state === 'invalid') {
        return invalidVerdict(
          path,
          f.raw,
          'a YAML boolean (true or false without quotes)',
          `whether ${containerLabel(c)} may escalate is unknown`,
        );
      }
      if (f.state === 'absent') {
        return {
          outcome: 'fail',
          message: `${containerLabel(c)} does not set allowPrivilegeEscalation (default true)`,
          path: sc.ctx ? [...c.path, 'securityContext'] : c.path,
        };
      }
      if (f.value)
        return { outcome: 'fail', message: `${containerLabel(c)} sets allowPrivilegeEscalation: true`, path };
      return { outcome: 'pass', message: `${containerLabel(c)} sets allowPrivilegeEscalation: false` };
    });
  },
};

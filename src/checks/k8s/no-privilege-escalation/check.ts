import type { CheckDefinition } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import { ALL_CONTAINER_GROUPS, at, evaluateContainers, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  unset: '{{container}} does not set allowPrivilegeEscalation (default true)',
  allowed: '{{container}} sets allowPrivilegeEscalation: true',
  disallowed: '{{container}} sets allowPrivilegeEscalation: false',
};

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
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  mappings: CONTAINER_HARDENING_MAPPINGS,
  trivyEquivalents: ['kubernetes/can_elevate_its_own_privileges'],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  ],

  evaluate(_facts, ctx) {
    return evaluateContainers(
      ctx,
      ALL_CONTAINER_GROUPS,
      ({ container, label }) => {
        const v = container.securityContext.allowPrivilegeEscalation;
        if (v.state === 'unknown') return unknownPart(v, `whether ${label} may escalate is unknown`);
        if (v.state === 'absent') return at('fail', 'unset', v, { container: label });
        if (v.value) return at('fail', 'allowed', v, { container: label });
        return pass('disallowed', { container: label });
      },
      MESSAGES,
    );
  },
};

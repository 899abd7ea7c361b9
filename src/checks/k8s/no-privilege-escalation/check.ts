import type { CheckDefinition } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { CONTAINER_HARDENING_MAPPINGS } from '../../_lib/mappings.js';
import { items } from '../../_lib/model-verdicts.js';
import { ALL_CONTAINER_GROUPS, at, evaluateContainers, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  unset: '{{container}} does not set allowPrivilegeEscalation (default true)',
  allowed: '{{container}} sets allowPrivilegeEscalation: true',
  disallowed: '{{container}} sets allowPrivilegeEscalation: false',
  overridden:
    '{{container}} sets allowPrivilegeEscalation: false, but {{why}}, so escalation is always allowed',
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

  evaluate(_facts, ctx) {
    return evaluateContainers(
      ctx,
      ALL_CONTAINER_GROUPS,
      ({ container, label }) => {
        const v = container.securityContext.allowPrivilegeEscalation;
        if (v.state === 'unknown') return unknownPart(v, `whether ${label} may escalate is unknown`);
        if (v.state === 'absent') return at('fail', 'unset', v, { container: label });
        if (v.value) return at('fail', 'allowed', v, { container: label });
        // Kubernetes: "AllowPrivilegeEscalation is true always when the container is run as privileged,
        // or has CAP_SYS_ADMIN" (Security Context docs); `false` is then not what runs.
        const sc = container.securityContext;
        const sysAdmin = items(sc.capabilitiesAdd)
          .map((c) => (c.state === 'known' ? c.value : ''))
          .find((c) => ['SYS_ADMIN', 'CAP_SYS_ADMIN', 'ALL'].includes(c.toUpperCase()));
        const privileged = sc.privileged.state === 'known' && sc.privileged.value;
        if (privileged || sysAdmin)
          return at('fail', 'overridden', privileged ? sc.privileged : v, {
            container: label,
            why: sysAdmin ? `it adds capability ${sysAdmin}` : 'it runs privileged',
          });
        return pass('disallowed', { container: label });
      },
      MESSAGES,
    );
  },
};

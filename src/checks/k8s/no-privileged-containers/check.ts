import type { CheckDefinition } from '../../../core/check.js';
import {
  ALL_CONTAINER_GROUPS,
  boolField,
  containerLabel,
  evaluateContainers,
  invalidVerdict,
  securityContextOf,
} from '../_lib/pod.js';

/** No container (regular, init or ephemeral) sets `securityContext.privileged: true` (default false). */
export const check: CheckDefinition = {
  id: 'k8s.no-privileged-containers',
  title: 'Containers do not run privileged',
  severity: 'high',
  rationale:
    'A privileged container has all Linux capabilities and the host devices: a compromise of the container is a compromise of the node and every workload on it.',
  remediation:
    'Remove `securityContext.privileged: true` from every container, initContainer and ephemeralContainer (or set it to `false`); grant only the specific capabilities needed via `securityContext.capabilities.add`.',
  input: 'kubernetes',
  mappings: {
    soc2: ['CC6.1', 'CC6.8'],
    'iso27001-2022': ['A.8.2', 'A.8.9'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  trivyEquivalents: ['kubernetes/privileged'],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  ],
  evaluate(facts) {
    return evaluateContainers(facts, ALL_CONTAINER_GROUPS, (c) => {
      const sc = securityContextOf(c);
      if (sc.problem) return sc.problem;
      const path = [...c.path, 'securityContext', 'privileged'];
      const f = boolField(sc.ctx, 'privileged');
      if (f.state === 'invalid') {
        return invalidVerdict(
          path,
          f.raw,
          'a YAML boolean (true or false without quotes)',
          `whether ${containerLabel(c)} runs privileged is unknown`,
        );
      }
      if (f.state === 'ok' && f.value)
        return { outcome: 'fail', message: `${containerLabel(c)} runs privileged`, path };
      return {
        outcome: 'pass',
        message: `${containerLabel(c)} is not privileged${f.state === 'absent' ? ' (privileged not set, default false)' : ''}`,
      };
    });
  },
};

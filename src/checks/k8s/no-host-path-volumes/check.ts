import type { CheckDefinition } from '../../../core/check.js';
import { allOf, type Messages, type Verdict, verdict } from '../../../core/verdict.js';
import { items } from '../../_lib/model-verdicts.js';
import { evaluateWorkloads, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  'host-path': 'volume "{{name}}" mounts host path{{path}}',
  'not-host-path': 'volume "{{name}}" is not a hostPath',
  'no-volumes': 'the pod declares no volumes',
};

/** The pod spec declares no `volumes[].hostPath` volume. */
export const check: CheckDefinition = {
  id: 'k8s.no-host-path-volumes',
  title: 'Pods do not mount hostPath volumes',
  severity: 'medium',
  rationale:
    "A hostPath volume exposes the node's filesystem to the container: it can read other pods' data and credentials, or write to the host (container runtime socket, kubelet config) to escape.",
  remediation:
    'Replace `volumes[].hostPath` with `emptyDir`, a `persistentVolumeClaim`, a `configMap`/`secret` projection or a CSI volume.',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  mappings: {
    soc2: ['CC6.1', 'CC6.8'],
    'iso27001-2022': ['A.8.3', 'A.8.9'],
    hipaa: ['164.312(a)(1)', '164.312(c)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  trivyEquivalents: ['kubernetes/hostpath_volumes_mounted'],
  references: [
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  ],

  evaluate(_facts, ctx) {
    return evaluateWorkloads(
      ctx,
      (w) => {
        const parts = items(w.pod.volumes).map((item, i): Verdict => {
          if (item.state === 'unknown') return unknownPart(item, 'whether a hostPath is mounted is unknown');
          if (item.state !== 'known') return pass('no-volumes');
          const v = item.value;
          const name = v.name.state === 'known' ? v.name.value : `#${i}`;
          if (v.type.state === 'unknown')
            return unknownPart(v.type, 'whether a hostPath is mounted is unknown');
          if (v.type.state === 'known' && v.type.value === 'hostPath') {
            const path = v.hostPath.state === 'known' ? ` ${v.hostPath.value}` : '';
            return verdict('fail', 'host-path', { name, path }, { location: v.type.location });
          }
          return pass('not-host-path', { name });
        });
        return allOf(parts, { join: true, onEmpty: pass('no-volumes') });
      },
      MESSAGES,
    );
  },
};

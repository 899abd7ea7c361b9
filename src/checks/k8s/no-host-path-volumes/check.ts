import type { CheckDefinition } from '../../../core/check.js';
import { combine, describeValue, isRecord, type Verdict, workloads } from '../_lib/pod.js';

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
  adversarial: {
    coverage: ['fail-persistent-volume-host-path.yaml'],
    ordering: ['fail-host-path-after-other-volume.yaml'],
  },
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
  evaluate(facts) {
    // A PersistentVolume with spec.hostPath mounts the node's file system into every pod that claims it.
    const volumes = facts.kubernetes
      .filter((o) => o.objectKind === 'PersistentVolume' && isRecord(o.manifest.spec))
      .map((pv) => {
        const hp = (pv.manifest.spec as Record<string, unknown>).hostPath;
        if (hp === undefined || hp === null)
          return combine(pv, [{ outcome: 'pass', message: 'the PersistentVolume is not a hostPath volume' }]);
        const p = isRecord(hp) && typeof hp.path === 'string' ? ` ${hp.path}` : '';
        return combine(pv, [
          {
            outcome: 'fail',
            message: `the PersistentVolume is a hostPath volume${p}: pods that claim it mount the node's file system`,
            path: ['spec', 'hostPath'],
          },
        ]);
      });
    return [
      ...volumes,
      ...workloads(facts).map((obj) => {
        const pod = obj.podSpec!;
        const volumes = pod.spec.volumes;
        const volPath = [...pod.path, 'volumes'];
        if (volumes === undefined || volumes === null) {
          return combine(obj, [{ outcome: 'pass', message: 'the pod declares no volumes' }]);
        }
        if (!Array.isArray(volumes)) {
          return combine(obj, [
            {
              outcome: 'unknown',
              message: `${volPath.join('.')} is ${describeValue(volumes)}, not a list: whether a hostPath is mounted is unknown; fix the manifest`,
              path: volPath,
            },
          ]);
        }
        const verdicts: Verdict[] = volumes.map((v, i): Verdict => {
          const name = isRecord(v) && typeof v.name === 'string' ? v.name : `#${i}`;
          if (!isRecord(v)) {
            return {
              outcome: 'unknown',
              message: `volumes[${i}] is ${describeValue(v)}, not a map; fix the manifest`,
              path: [...volPath, i],
            };
          }
          if (v.hostPath !== undefined && v.hostPath !== null) {
            const p =
              isRecord(v.hostPath) && typeof v.hostPath.path === 'string' ? ` ${v.hostPath.path}` : '';
            return {
              outcome: 'fail',
              message: `volume "${name}" mounts host path${p}`,
              path: [...volPath, i, 'hostPath'],
            };
          }
          return { outcome: 'pass', message: `volume "${name}" is not a hostPath` };
        });
        if (verdicts.length === 0) verdicts.push({ outcome: 'pass', message: 'the pod declares no volumes' });
        return combine(obj, verdicts);
      }),
    ];
  },
};

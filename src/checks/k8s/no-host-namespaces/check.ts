import type { CheckDefinition } from '../../../core/check.js';
import { allOf, type Messages, type Verdict } from '../../../core/verdict.js';
import { at, evaluateWorkloads, pass, unknownPart } from '../_lib/pod.js';

/** The pod-spec flags that share a host namespace, with what sharing it exposes. */
const FLAGS = [
  { key: 'hostNetwork', what: "the node's network stack" },
  { key: 'hostPID', what: "the node's process table" },
  { key: 'hostIPC', what: "the node's IPC namespace" },
] as const;

const MESSAGES: Messages = {
  shared: '{{key}}: true shares {{what}}',
  'not-shared': '{{key}} {{state}}',
};

/** The pod spec sets none of `hostNetwork`, `hostPID`, `hostIPC` to true (each defaults to false). */
export const check: CheckDefinition = {
  id: 'k8s.no-host-namespaces',
  title: 'Pods do not share host network, PID or IPC namespaces',
  severity: 'high',
  rationale:
    "Sharing the node's network, process or IPC namespace lets a container sniff or bind host traffic, see and signal every process on the node, or read host shared memory: it removes the isolation the container boundary is meant to give.",
  remediation:
    'Remove `hostNetwork: true`, `hostPID: true` and `hostIPC: true` from the pod spec (or set them to `false`). Expose ports through a Service instead of the host network.',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  adversarial: {
    ordering: ['fail-merge-key-host-network.yaml'],
    spelling: ['fail-host-pid-yaml11-yes.yaml', 'unknown-host-ipc-quoted-string.yaml'],
  },
  mappings: {
    soc2: ['CC6.1', 'CC6.8'],
    'iso27001-2022': ['A.8.2', 'A.8.9', 'A.8.22'],
    hipaa: ['164.312(a)(1)'],
    gdpr: ['Art.32(1)(b)'],
  },
  trivyEquivalents: ['kubernetes/host_network', 'kubernetes/host_pid', 'kubernetes/host_ipc'],
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],

  evaluate(_facts, ctx) {
    return evaluateWorkloads(
      ctx,
      (w) =>
        allOf(
          FLAGS.map(({ key, what }): Verdict => {
            const v = w.pod[key];
            if (v.state === 'unknown') return unknownPart(v, `whether the pod shares ${what} is unknown`);
            if (v.state === 'known' && v.value) return at('fail', 'shared', v, { key, what });
            return pass('not-shared', { key, state: v.state === 'known' ? 'is false' : 'not set (false)' });
          }),
          { join: true },
        ),
      MESSAGES,
    );
  },
};

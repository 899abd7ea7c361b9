// Terraform kubernetes provider → k8s.workloads: the provider's pod-creating resources, mapped from
// Terraform names (`spec.0.template.0.spec.0.container.0.security_context.0.privileged`) to the
// Kubernetes API names, so the Kubernetes rules judge them like manifests.
import { subjectOf } from '../../../core/check.js';
import type { TerraformResource } from '../../../core/facts.js';
import { type K8sWorkload, k8sWorkloads } from '../../../model/k8s/workloads.js';
import { type ModelPath, modelObject } from '../../../model/object.js';
import { absent, type DefaultValue, known, unknown } from '../../../model/value.js';
import { adapter } from '../../adapter.js';
import {
  type ContainerFields,
  containers,
  K8S_DEFAULTS,
  type PodFields,
  podRecord,
  volumeType,
} from '../../common/pod-spec.js';
import { type Computed, describeFieldMap, type FieldMap, mapRecord } from '../../field-map.js';
import { leafAt, rawAt } from '../../tree.js';
import { describeProviderVersion, providerMajorAtLeast } from '../provider-version.js';
import { terraformTree } from '../tree.js';

const TEMPLATE: ModelPath = ['spec', 0, 'template', 0, 'spec', 0];

/** Pod spec path per resource type (Terraform kubernetes provider, v1 and v2 names). */
export const POD_SPEC_PATHS: Readonly<Record<string, ModelPath>> = {
  kubernetes_pod: ['spec', 0],
  kubernetes_pod_v1: ['spec', 0],
  kubernetes_deployment: TEMPLATE,
  kubernetes_deployment_v1: TEMPLATE,
  kubernetes_stateful_set: TEMPLATE,
  kubernetes_stateful_set_v1: TEMPLATE,
  kubernetes_daemonset: TEMPLATE,
  kubernetes_daemon_set_v1: TEMPLATE,
  kubernetes_replication_controller: TEMPLATE,
  kubernetes_replication_controller_v1: TEMPLATE,
  kubernetes_job: TEMPLATE,
  kubernetes_job_v1: TEMPLATE,
  kubernetes_cron_job: ['spec', 0, 'job_template', 0, 'spec', 0, 'template', 0, 'spec', 0],
  kubernetes_cron_job_v1: ['spec', 0, 'job_template', 0, 'spec', 0, 'template', 0, 'spec', 0],
};

const PROVIDER = 'https://github.com/hashicorp/terraform-provider-kubernetes';

/** The provider gives `metadata.namespace` the default `default` (schema_metadata.go, namespacedMetadataSchema). */
const NAMESPACE_DEFAULT: DefaultValue<string> = {
  value: 'default',
  source: `${PROVIDER}/blob/main/kubernetes/schema_metadata.go (namespace: Default "default")`,
};

/**
 * `automount_service_account_token` of the pod spec: the provider wrote `false` when unset up to 1.x
 * and writes `true` from 2.0.0 (PR #1054, "Default automount_service_account_token to true"), so the
 * ServiceAccount's setting never applies to an unset Terraform pod spec. Which one applies depends on
 * the provider version the configuration fixes; unknown when that cannot be read.
 */
function automountDefault(r: TerraformResource): Computed<ReturnType<typeof leafAt<'bool'>>> {
  return {
    doc: 'automount_service_account_token (default: false before provider 2.0.0, true from 2.0.0)',
    compute: (tree, base) => {
      const v = leafAt(tree, 'bool', 'automount_service_account_token', base);
      if (v.state !== 'absent') return v;
      const v2 = providerMajorAtLeast(r.providerVersion, 2);
      const version = describeProviderVersion(r.providerVersion);
      if (v2 === undefined)
        return unknown(
          `automount_service_account_token is not set and its default depends on the kubernetes provider version (false before 2.0.0, true from 2.0.0), which the constraints do not fix: ${version}`,
          v.name,
          v.location,
        );
      return absent(v.name, v.location, {
        value: v2,
        source: v2
          ? `${PROVIDER}/pull/1054 (default true from 2.0.0; ${version})`
          : `${PROVIDER}/issues/263 (default false before 2.0.0; ${version})`,
      });
    },
  };
}

const SECURITY_CONTEXT = {
  runAsUser: 'run_as_user',
  runAsGroup: 'run_as_group',
  runAsNonRoot: 'run_as_non_root',
  seccompProfile: 'seccomp_profile.0.type',
};

/** `resources.0.limits.cpu` (provider 2.x map) or `resources.0.limits.0.cpu` (1.x block). */
function tfQuantity(
  kind: 'limits' | 'requests',
  key: 'cpu' | 'memory',
): Computed<ReturnType<typeof leafAt<'string'>>> {
  return {
    doc: `${kind}.${key} (a map in provider 2.x, a block in 1.x)`,
    compute: (tree, base) => {
      const block = rawAt(tree, kind, base);
      const path =
        block.state === 'present' && Array.isArray(block.value) ? `${kind}.0.${key}` : `${kind}.${key}`;
      return leafAt(tree, 'string', path, base);
    },
  };
}

const CONTAINER_MAP: FieldMap<Omit<ContainerFields, 'group'>> = {
  name: 'name',
  image: 'image',
  imagePullPolicy: 'image_pull_policy',
  securityContext: {
    path: 'security_context.0',
    fields: {
      ...SECURITY_CONTEXT,
      privileged: { path: 'privileged', default: K8S_DEFAULTS.privileged },
      allowPrivilegeEscalation: {
        path: 'allow_privilege_escalation',
        default: K8S_DEFAULTS.allowPrivilegeEscalation,
      },
      readOnlyRootFilesystem: {
        path: 'read_only_root_filesystem',
        default: K8S_DEFAULTS.readOnlyRootFilesystem,
      },
      capabilitiesAdd: { path: 'capabilities.0.add' },
      capabilitiesDrop: { path: 'capabilities.0.drop' },
    },
  },
  resources: {
    path: 'resources.0',
    fields: {
      limitsCpu: tfQuantity('limits', 'cpu'),
      limitsMemory: tfQuantity('limits', 'memory'),
      requestsCpu: tfQuantity('requests', 'cpu'),
      requestsMemory: tfQuantity('requests', 'memory'),
    },
  },
  ports: {
    path: 'port',
    item: {
      fields: {
        containerPort: 'container_port',
        hostPort: 'host_port',
        protocol: { path: 'protocol', default: K8S_DEFAULTS.protocol },
      },
    },
  },
};

/** `host_path` → `hostPath`, `empty_dir` → `emptyDir`. */
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function podMap(r: TerraformResource): FieldMap<PodFields> {
  return {
    hostNetwork: { path: 'host_network', default: K8S_DEFAULTS.hostNetwork },
    hostPID: { path: 'host_pid', default: K8S_DEFAULTS.hostPID },
    hostIPC: { path: 'host_ipc', default: K8S_DEFAULTS.hostIPC },
    serviceAccountName: { path: 'service_account_name', default: K8S_DEFAULTS.serviceAccountName },
    automountServiceAccountToken: automountDefault(r),
    securityContext: { path: 'security_context.0', fields: { ...SECURITY_CONTEXT, fsGroup: 'fs_group' } },
    volumes: {
      path: 'volume',
      item: { fields: { name: 'name', type: volumeType('host_path', camel), hostPath: 'host_path.0.path' } },
    },
    containers: containers(
      [
        { group: 'containers', path: 'container' },
        { group: 'initContainers', path: 'init_container' },
      ],
      CONTAINER_MAP,
    ),
  };
}

/** `kubernetes_service_account` resources (v1 and v2 names). */
const SERVICE_ACCOUNT_TYPES = ['kubernetes_service_account', 'kubernetes_service_account_v1'];

/** Terraform kubernetes provider adapter of `k8s.workloads`. */
export const terraformKubernetesWorkloads = adapter({
  id: 'terraform/kubernetes/workloads',
  concern: 'k8s.workloads',
  facts: 'terraform',
  reads: [...Object.keys(POD_SPEC_PATHS), ...SERVICE_ACCOUNT_TYPES],
  sources: [
    { field: 'name', from: 'metadata.0.name' },
    { field: 'namespace', from: 'metadata.0.namespace', default: NAMESPACE_DEFAULT },
    ...describeFieldMap(
      k8sWorkloads.fields.pod.fields,
      podMap({} as TerraformResource) as FieldMap<PodFields>,
      'pod',
      '<pod spec>.',
    ),
    {
      field: 'serviceAccount',
      from: 'the kubernetes_service_account(_v1) of the same name and namespace in the root module',
    },
  ],
  adapt(facts, ctx) {
    const accounts = SERVICE_ACCOUNT_TYPES.flatMap((t) => ctx.terraform.ofType(t));
    const out: K8sWorkload[] = [];
    for (const r of facts.terraform) {
      const base = r.mode === 'managed' ? POD_SPEC_PATHS[r.type] : undefined;
      if (!base) continue;
      const tree = terraformTree(r);
      const meta = mapRecord(
        tree,
        { name: k8sWorkloads.fields.name, namespace: k8sWorkloads.fields.namespace },
        { name: 'metadata.0.name', namespace: { path: 'metadata.0.namespace', default: NAMESPACE_DEFAULT } },
      );
      const pod = podRecord(tree, base, podMap(r));
      const sa = pod.serviceAccountName;
      const ns = meta.namespace.state === 'known' ? meta.namespace.value : 'default';
      const saName = sa.state === 'known' ? sa.value : sa.state === 'absent' ? 'default' : undefined;
      const account = accounts.find((a) => {
        if (a.rootModule !== r.rootModule || saName === undefined) return false;
        const t = terraformTree(a);
        const name = leafAt(t, 'string', 'metadata.0.name');
        const aNs = leafAt(t, 'string', 'metadata.0.namespace', [], NAMESPACE_DEFAULT);
        return (
          name.state === 'known' &&
          name.value === saName &&
          (aNs.state === 'known' ? aNs.value : 'default') === ns
        );
      });
      out.push(
        modelObject(subjectOf(r), {
          ...meta,
          pod,
          serviceAccount: {
            source: account
              ? known(account.address, 'address', account.location)
              : absent('serviceAccount', r.location),
            automountToken: account
              ? leafAt(terraformTree(account), 'bool', 'automount_service_account_token')
              : absent('automount_service_account_token', r.location),
          },
        }),
      );
    }
    return out;
  },
});

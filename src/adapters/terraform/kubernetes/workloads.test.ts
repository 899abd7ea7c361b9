// The Terraform kubernetes provider and a manifest of the same workload give the same model view, so
// one Kubernetes rule judges both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadInput } from '../../../../test/conformance/run-fixture.js';
import { TerraformIndex } from '../../../core/terraform-index.js';
import { view } from '../../../model/view.js';
import { buildModel } from '../../build-model.js';

async function workloads(kind: 'terraform' | 'kubernetes', text: string) {
  const { facts, diagnostics } = await loadInput(kind, text);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return buildModel(facts, { terraform: new TerraformIndex(facts.terraform) }).get('k8s.workloads');
}

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      hostPID: true
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      volumes:
        - name: data
          emptyDir: {}
        - name: sock
          hostPath:
            path: /var/run/docker.sock
      initContainers:
        - name: migrate
          image: registry.example.com/migrate:1.0.0
      containers:
        - name: web
          image: registry.example.com/web:2.4.1
          imagePullPolicy: Always
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
            runAsUser: 1000
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
              add: [NET_BIND_SERVICE]
            seccompProfile:
              type: RuntimeDefault
          resources:
            limits: { cpu: 500m, memory: 256Mi }
            requests: { cpu: 100m }
          ports:
            - containerPort: 8080
              hostPort: 80
`;

const TERRAFORM = `
resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        service_account_name            = "web"
        automount_service_account_token = false
        host_pid                        = true
        security_context {
          run_as_non_root = true
          fs_group        = "2000"
        }
        volume {
          name = "data"
          empty_dir {}
        }
        volume {
          name = "sock"
          host_path {
            path = "/var/run/docker.sock"
          }
        }
        init_container {
          name  = "migrate"
          image = "registry.example.com/migrate:1.0.0"
        }
        container {
          name              = "web"
          image             = "registry.example.com/web:2.4.1"
          image_pull_policy = "Always"
          security_context {
            privileged                 = false
            allow_privilege_escalation = false
            run_as_user                = "1000"
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
              add  = ["NET_BIND_SERVICE"]
            }
            seccomp_profile {
              type = "RuntimeDefault"
            }
          }
          resources {
            limits   = { cpu = "500m", memory = "256Mi" }
            requests = { cpu = "100m" }
          }
          port {
            container_port = 8080
            host_port      = 80
          }
        }
      }
    }
  }
}
`;

describe('k8s.workloads from Terraform and from manifests', () => {
  it('the same workload gives the same view', async () => {
    const [fromYaml] = await workloads('kubernetes', MANIFEST);
    const [fromTf] = await workloads('terraform', TERRAFORM);
    assert.ok(fromYaml && fromTf);
    assert.deepEqual(view(fromTf), view(fromYaml));
    assert.equal(fromTf.subject.kind, 'terraform');
    assert.equal(fromTf.subject.address, 'kubernetes_deployment_v1.web');
    const runAsUserLine = TERRAFORM.split('\n').findIndex((l) => l.includes('run_as_user')) + 1;
    assert.equal(fromTf.locate('pod.containers.0.securityContext.runAsUser').line, runAsUserLine);
  });

  it('the pod-level automount default follows the provider version; unknown when it is not fixed', async () => {
    const pod = (constraint: string) => `
terraform {
  required_providers {
    kubernetes = { source = "hashicorp/kubernetes", version = "${constraint}" }
  }
}
resource "kubernetes_pod" "p" {
  metadata { name = "p" }
  spec {
    container {
      name  = "c"
      image = "busybox:1.36"
    }
  }
}
`;
    const at = async (constraint: string) =>
      (await workloads('terraform', pod(constraint)))[0]!.pod.automountServiceAccountToken;
    const v1 = await at('~> 1.13');
    assert.ok(v1.state === 'absent' && v1.default?.value === false);
    const v2 = await at('>= 2.0');
    assert.ok(v2.state === 'absent' && v2.default?.value === true);
    const unfixed = await at('latest please');
    assert.equal(unfixed.state, 'unknown');
    assert.match(
      unfixed.state === 'unknown' ? unfixed.unresolved.reason : '',
      /depends on the kubernetes provider version/,
    );
  });
});

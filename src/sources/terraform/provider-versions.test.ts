// What the Terraform sources record about provider versions: required_providers constraints of every
// module of a root module, the lock file's selected version, and plan JSON version constraints.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { loadInput } from '../../../test/conformance/run-fixture.js';
import { loadTerraform } from './index.js';
import { normalizeSource } from './provider-versions.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'evident-pv-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

describe('provider versions (HCL)', () => {
  it('collects constraints of the root module and its modules, and the lock file version', async () => {
    const dir = tree({
      'main.tf': `
terraform {
  required_providers {
    k8s = {
      source  = "hashicorp/kubernetes"
      version = ">= 1.13"
    }
    aws = "~> 4.0"
  }
}
module "app" { source = "./modules/app" }
resource "kubernetes_pod" "root" {
  provider = k8s
  metadata { name = "root" }
}
resource "aws_s3_bucket" "b" { bucket = "b" }
`,
      'modules/app/main.tf': `
terraform {
  required_providers {
    kubernetes = { source = "registry.terraform.io/hashicorp/kubernetes", version = "< 3.0" }
  }
}
resource "kubernetes_pod" "child" {
  metadata { name = "child" }
}
`,
      '.terraform.lock.hcl': `
provider "registry.terraform.io/hashicorp/kubernetes" {
  version     = "2.31.0"
  constraints = ">= 1.13, < 3.0"
  hashes      = ["h1:abc"]
}
`,
    });
    try {
      const r = await loadTerraform(dir, ['.', 'modules/app']);
      const by = (a: string) => r.facts.find((f) => f.address === a)?.providerVersion;
      const k8s = { source: 'hashicorp/kubernetes', constraints: ['>= 1.13', '< 3.0'], locked: '2.31.0' };
      assert.deepEqual(by('kubernetes_pod.root'), k8s, 'local name k8s maps to its source');
      assert.deepEqual(by('module.app.kubernetes_pod.child'), k8s, 'the same provider in a module');
      assert.deepEqual(by('aws_s3_bucket.b'), { source: 'hashicorp/aws', constraints: ['~> 4.0'] });
      assert.ok(
        r.inputs.some((i) => i.file === '.terraform.lock.hcl'),
        'the lock file is a scanned input (digest in the evidence)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nothing recorded without required_providers or a lock file', async () => {
    const { facts } = await loadInput('terraform', 'resource "aws_s3_bucket" "b" { bucket = "b" }\n');
    assert.equal(facts.terraform[0]!.providerVersion, undefined);
  });

  it('normalizes source addresses', () => {
    assert.equal(normalizeSource('registry.terraform.io/HashiCorp/AWS'), 'hashicorp/aws');
    assert.equal(normalizeSource('aws'), 'hashicorp/aws');
    assert.equal(normalizeSource('example.com/acme/thing'), 'example.com/acme/thing');
  });
});

describe('provider versions (plan JSON)', () => {
  it('reads provider_config version constraints by provider_config_key', async () => {
    const plan = {
      format_version: '1.2',
      terraform_version: '1.9.0',
      resource_changes: [
        {
          address: 'kubernetes_pod.p',
          mode: 'managed',
          type: 'kubernetes_pod',
          name: 'p',
          provider_name: 'registry.terraform.io/hashicorp/kubernetes',
          change: {
            actions: ['create'],
            before: null,
            after: { metadata: [{ name: 'p' }] },
            after_unknown: {},
          },
        },
      ],
      configuration: {
        provider_config: {
          kubernetes: {
            name: 'kubernetes',
            full_name: 'registry.terraform.io/hashicorp/kubernetes',
            version_constraint: '~> 1.13',
          },
        },
        root_module: {
          resources: [
            {
              address: 'kubernetes_pod.p',
              mode: 'managed',
              type: 'kubernetes_pod',
              name: 'p',
              provider_config_key: 'kubernetes',
              expressions: {},
            },
          ],
        },
      },
    };
    const { facts } = await loadInput('terraform-plan', JSON.stringify(plan));
    assert.deepEqual(facts.terraform[0]!.providerVersion, {
      source: 'hashicorp/kubernetes',
      constraints: ['~> 1.13'],
    });
  });
});

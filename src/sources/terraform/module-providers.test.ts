import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { check as ebsVolumeEncrypted } from '../../checks/aws/ebs-volume-encrypted/check.js';
import type { TerraformResource } from '../../core/facts.js';
import { createCheckContext } from '../../engine/check-context.js';
import { loadTerraform } from './index.js';

/** Writes `files` (relative path -> content) into a fresh temp dir and loads its `root/` directory. */
async function loadRoot(files: Record<string, string>): Promise<TerraformResource[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evident-tf-providers-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(dir, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    const r = await loadTerraform(dir, [path.join(dir, 'root')]);
    return r.facts;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function providerOf(facts: TerraformResource[], address: string): string | undefined {
  const r = facts.find((f) => f.address === address);
  assert.ok(r, `no resource ${address}; have ${facts.map((f) => f.address).join(', ')}`);
  return r.provider;
}

const ROOT_PROVIDERS = `
provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "usw2"
  region = "us-west-2"
}
`;

describe('provider configurations passed into modules', () => {
  it('a providers map makes the module resources use the root configuration it names', async () => {
    const facts = await loadRoot({
      'root/main.tf': `${ROOT_PROVIDERS}
module "west" {
  source    = "../m"
  providers = { aws = aws.usw2 }
}
module "east" {
  source = "../m"
}
module "explicit_default" {
  source    = "../m"
  providers = { aws = aws }
}
resource "aws_ebs_volume" "root" {
  availability_zone = "us-east-1a"
  size              = 1
}
resource "aws_ebs_volume" "root_west" {
  provider          = aws.usw2
  availability_zone = "us-west-2a"
  size              = 1
}
`,
      'm/main.tf': `
resource "aws_ebs_volume" "v" {
  availability_zone = "x"
  size              = 1
}
data "aws_caller_identity" "me" {}
`,
    });
    assert.equal(providerOf(facts, 'module.west.aws_ebs_volume.v'), 'aws.usw2');
    assert.equal(providerOf(facts, 'module.west.data.aws_caller_identity.me'), 'aws.usw2');
    assert.equal(providerOf(facts, 'module.east.aws_ebs_volume.v'), undefined, 'no map: parent default');
    assert.equal(providerOf(facts, 'module.explicit_default.aws_ebs_volume.v'), undefined);
    assert.equal(providerOf(facts, 'aws_ebs_volume.root'), undefined);
    assert.equal(providerOf(facts, 'aws_ebs_volume.root_west'), 'aws.usw2');
  });

  it('nested modules pass the configuration through, unless they remap it', async () => {
    const facts = await loadRoot({
      'root/main.tf': `${ROOT_PROVIDERS}
module "outer" {
  source    = "../outer"
  providers = { aws = aws.usw2 }
}
`,
      'outer/main.tf': `
module "inherit" {
  source = "../leaf"
}
module "remap" {
  source    = "../leaf"
  providers = { aws = aws.other }
}
module "counted" {
  source = "../leaf"
  count  = 2
}
`,
      'outer/versions.tf': `
terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.other]
    }
  }
}
`,
      'leaf/main.tf': `
resource "aws_ebs_volume" "v" {
  availability_zone = "x"
  size              = 1
}
`,
    });
    assert.equal(providerOf(facts, 'module.outer.module.inherit.aws_ebs_volume.v'), 'aws.usw2');
    assert.equal(providerOf(facts, 'module.outer.module.counted[1].aws_ebs_volume.v'), 'aws.usw2');
    // aws.other was never passed to module.outer: not a root configuration, so kept module-scoped
    assert.equal(providerOf(facts, 'module.outer.module.remap.aws_ebs_volume.v'), 'module.outer:aws.other');
  });

  it('a resource-level provider inside a module resolves through the call mapping', async () => {
    const facts = await loadRoot({
      'root/main.tf': `${ROOT_PROVIDERS}
module "x" {
  source    = "../m"
  providers = { aws.inner = aws.usw2, "aws.second" = aws }
}
`,
      'm/main.tf': `
resource "aws_ebs_volume" "inner" {
  provider          = aws.inner
  availability_zone = "x"
  size              = 1
}
resource "aws_ebs_volume" "second" {
  provider          = aws.second
  availability_zone = "x"
  size              = 1
}
resource "aws_ebs_volume" "implicit" {
  availability_zone = "x"
  size              = 1
}
`,
    });
    assert.equal(providerOf(facts, 'module.x.aws_ebs_volume.inner'), 'aws.usw2');
    assert.equal(
      providerOf(facts, 'module.x.aws_ebs_volume.second'),
      undefined,
      'mapped to the root default',
    );
    assert.equal(
      providerOf(facts, 'module.x.aws_ebs_volume.implicit'),
      undefined,
      'default configuration not in the map is still inherited from the parent',
    );
  });

  it('a provider block inside a module is that module’s own configuration, not the root default', async () => {
    const facts = await loadRoot({
      'root/main.tf': `${ROOT_PROVIDERS}
module "legacy" {
  source = "../m"
}
`,
      'm/main.tf': `
provider "aws" { region = "eu-west-1" }
resource "aws_ebs_volume" "v" {
  availability_zone = "x"
  size              = 1
}
`,
    });
    assert.equal(providerOf(facts, 'module.legacy.aws_ebs_volume.v'), 'module.legacy:aws');
  });

  it('aws.ebs-volume-encrypted: a default under aws.usw2 covers volumes of a module mapped to aws.usw2 only', async () => {
    const facts = await loadRoot({
      'root/main.tf': `${ROOT_PROVIDERS}
resource "aws_ebs_encryption_by_default" "west" {
  provider = aws.usw2
  enabled  = true
}
module "west" {
  source    = "../m"
  providers = { aws = aws.usw2 }
}
module "east" {
  source = "../m"
}
`,
      'm/main.tf': `
resource "aws_ebs_volume" "v" {
  availability_zone = "x"
  size              = 1
}
`,
    });
    const all = { terraform: facts, cloudformation: [], kubernetes: [], secrets: [], dependencies: [] };
    const results = ebsVolumeEncrypted.evaluate(
      all,
      createCheckContext(all, new Date('2026-01-01T00:00:00Z')),
    );
    const outcome = (address: string) => results.find((r) => r.subject.address === address)?.outcome;
    assert.equal(outcome('module.west.aws_ebs_volume.v'), 'pass');
    assert.equal(outcome('module.east.aws_ebs_volume.v'), 'unknown');
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CORPORA, needsCorpora } from '../../../test/support/corpora.js';
import type { TerraformResource } from '../../core/facts.js';
import { isUnresolved } from '../../core/unresolved.js';
import { loadTerraform } from './index.js';

const corpora = CORPORA;

/** Every directory under `root` holding a .tf file (what discovery would pass). */
function tfDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) out.push(d);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(d, e.name));
  };
  walk(root);
  return out.sort();
}

function find(facts: TerraformResource[], rootModule: string, address: string): TerraformResource {
  const r = facts.find((f) => f.rootModule === rootModule && f.address === address);
  assert.ok(r, `missing ${rootModule}:${address}`);
  return r;
}

describe('real corpora', () => {
  it('terragoat: evaluates the deliberately vulnerable AWS/Azure/GCP configuration', {
    skip: needsCorpora('terragoat'),
  }, async () => {
    const root = path.join(corpora, 'terragoat/terraform');
    const r = await loadTerraform(root, tfDirs(root));
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.facts.length >= 130, `only ${r.facts.length} resources`);
    assert.equal(r.inputs.length, 47);
    const ds = find(r.facts, 'aws', 'aws_s3_bucket.data_science');
    assert.equal(ds.attributes.acl, 'private');
    assert.deepEqual(ds.attributes.versioning, [{ enabled: true }]);
    assert.equal(ds.location.file, 'aws/s3.tf');
    assert.ok(isUnresolved(ds.attributes.bucket), 'bucket name depends on the caller account id');
    const data = find(r.facts, 'aws', 'aws_s3_bucket.data');
    assert.equal(data.attributes.acl, undefined, 'no acl configured');
    const sg = find(r.facts, 'aws', 'aws_security_group.web-node');
    const ingress = sg.attributes.ingress as { from_port: number; cidr_blocks: string[] }[];
    assert.deepEqual(
      ingress.map((i) => [i.from_port, i.cidr_blocks]),
      [
        [80, ['0.0.0.0/0']],
        [22, ['0.0.0.0/0']],
      ],
    );
    const userPolicy = find(r.facts, 'aws', 'aws_iam_user_policy.userpolicy');
    const doc = JSON.parse(userPolicy.attributes.policy as string);
    assert.equal(doc.Statement[0].Resource, '*');
    assert.ok(doc.Statement[0].Action.includes('s3:*'));
    const gcs = find(r.facts, 'gcp', 'google_storage_bucket.terragoat_website');
    assert.equal(gcs.attributes.force_destroy, true);
    const sa = find(r.facts, 'azure', 'azurerm_storage_account.example');
    assert.equal(sa.attributes.account_replication_type, 'GRS');
  });

  it('trivy-checks: every Terraform example snippet loads without diagnostics', {
    skip: needsCorpora('trivy-checks'),
  }, async () => {
    const checks = path.join(corpora, 'trivy-checks/checks');
    const yamlFiles: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.yaml')) yamlFiles.push(path.join(d, e.name));
      }
    };
    walk(checks);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evident-trivy-'));
    let snippets = 0;
    let facts = 0;
    try {
      for (const f of yamlFiles) {
        let doc: { terraform?: { good?: unknown[]; bad?: unknown[] } } | undefined;
        try {
          doc = parseYaml(fs.readFileSync(f, 'utf8'));
        } catch {
          continue;
        }
        for (const snippet of [...(doc?.terraform?.good ?? []), ...(doc?.terraform?.bad ?? [])]) {
          if (typeof snippet !== 'string') continue;
          const dir = path.join(tmp, String(snippets++));
          fs.mkdirSync(dir);
          fs.writeFileSync(path.join(dir, 'main.tf'), snippet);
          const r = await loadTerraform(dir, [dir]);
          assert.deepEqual(
            r.diagnostics.filter((d) => d.code !== 'E_INPUT_UNSUPPORTED'),
            [],
            f,
          );
          if (/^resource "/m.test(snippet)) assert.ok(r.facts.length > 0, f);
          facts += r.facts.length;
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    assert.ok(snippets > 500, `only ${snippets} snippets`);
    assert.ok(facts > 900, `only ${facts} resources`);
  });

  it('cloudposse components: many root modules, remote modules reported, no crash', {
    skip: needsCorpora('cloudposse-components-0.182.0'),
  }, async () => {
    const root = path.join(corpora, 'cloudposse-components-0.182.0');
    const r = await loadTerraform(root, tfDirs(root));
    assert.ok(r.facts.length > 300, `only ${r.facts.length} resources`);
    assert.ok(r.inputs.length >= 558);
    const bad = r.diagnostics.filter((d) => d.severity !== 'info');
    assert.deepEqual(bad, []);
    assert.ok(r.diagnostics.every((d) => d.code === 'E_INPUT_UNSUPPORTED' && d.line !== undefined));
    const roots = new Set(r.facts.map((f) => f.rootModule));
    assert.ok(roots.size > 40, `only ${roots.size} root modules with resources`);
  });
});

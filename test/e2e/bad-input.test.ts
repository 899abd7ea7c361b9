import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { evident, outcomeOf, scanJson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'evident-e2e-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): void {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
}

// A repository full of hostile or broken input, beside one real violation that must still be found.
write(
  'infra/good.tf',
  `resource "aws_security_group" "all_ports" {
  name = "wide-open"
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
);
write('infra/broken.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = \n}\n}\n');
write('infra/binary.tf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00, 0xff, 0xfe]));
write('recursive/main.tf', 'module "again" {\n  source = "./child"\n}\n');
write(
  'recursive/child/main.tf',
  'module "back" {\n  source = "../child"\n}\nresource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n',
);
write('k8s/broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [unclosed\n');
write('k8s/not-yaml.yml', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]));
write(
  'plans/broken.json',
  '{"format_version":"1.2","terraform_version":"1.9.0","resource_changes":[{"address": }]}',
);
// 10 MB single-line plan JSON with many resources
const changes = [];
for (let i = 0; i < 22000; i++) {
  changes.push({
    address: `aws_ebs_volume.v${i}`,
    mode: 'managed',
    type: 'aws_ebs_volume',
    name: `v${i}`,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: ['create'],
      before: null,
      after: {
        availability_zone: 'eu-west-1a',
        encrypted: i !== 7,
        size: 100,
        tags: { Name: `volume-${i}-${'x'.repeat(300)}` },
      },
      after_unknown: { id: true, arn: true },
    },
  });
}
write(
  'plans/big.json',
  JSON.stringify({ format_version: '1.2', terraform_version: '1.9.0', resource_changes: changes }),
);
mkdirSync(join(dir, 'empty'), { recursive: true });
mkdirSync(join(dir, 'loops'), { recursive: true });
symlinkSync('..', join(dir, 'loops', 'up'));

describe('scan of broken and hostile input', () => {
  const run = scanJson([dir, '--no-evidence']);
  const r = run.result;
  const diag = (file: string) => r.diagnostics.find((d) => d.file.endsWith(file));

  test('completes, still finds the real violation, and exits 2: an incomplete scan is never mistaken for findings', () => {
    assert.equal(run.status, 2, run.stderr);
    assert.equal(r.summary.exitCode, 2);
    assert.ok(r.summary.failing > 0, 'the failing findings are still counted and reported');
    assert.equal(
      outcomeOf(r, 'aws.security-group-no-public-admin-ports', 'aws_security_group.all_ports'),
      'fail',
    );
    assert.equal(outcomeOf(r, 'aws.ebs-volume-encrypted', 'aws_ebs_volume.v7'), 'fail');
    assert.equal(outcomeOf(r, 'aws.ebs-volume-encrypted', 'aws_ebs_volume.v8'), 'pass');
    assert.doesNotMatch(run.stderr, /internal error|at .*\.js:\d+/);
  });

  test('malformed HCL is reported with file, line and column', () => {
    const d = diag('infra/broken.tf');
    assert.ok(d, JSON.stringify(r.diagnostics, null, 1));
    assert.equal(d.code, 'E_INPUT_PARSE');
    assert.ok(d.line && d.line >= 3 && d.line <= 5, `line ${d.line}`);
  });

  test('binary files are refused with a clear message', () => {
    assert.equal(diag('infra/binary.tf')?.code, 'E_INPUT_BINARY');
  });

  test('malformed YAML and JSON are reported with positions', () => {
    const y = diag('k8s/broken.yaml');
    assert.equal(y?.code, 'E_INPUT_PARSE');
    assert.ok(y?.line && y.line >= 5);
    const j = diag('plans/broken.json');
    assert.equal(j?.code, 'E_INPUT_PARSE');
    assert.equal(j?.line, 1);
    assert.ok(j?.column && j.column > 60);
  });

  test('recursive modules and symlink loops are detected, not followed forever', () => {
    assert.ok(
      r.diagnostics.some((d) => d.code === 'E_INPUT_LOOP' && d.file.startsWith('recursive/')),
      JSON.stringify(r.diagnostics, null, 1),
    );
    assert.ok(r.diagnostics.some((d) => d.code === 'E_INPUT_LOOP' && d.file.includes('loops')));
  });

  test('an empty directory exits 2 with a message instead of a false clean pass', () => {
    const e = evident(['scan', join(dir, 'empty'), '--no-evidence', '-q']);
    assert.equal(e.status, 2);
    assert.match(e.stdout + e.stderr, /no inputs found that a source reads/);
  });

  test('a control map error names the file, the line and what to change, and exits 2', () => {
    write('mapped/main.tf', 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n');
    write(
      'mapped/evident.yaml',
      'frameworks: [soc2]\ncontrols:\n  - id: KEY-1\n    title: Keys rotate\n    satisfies: { soc2: [CC6.1] }\n    checks: [aws.kms-rotation]\n',
    );
    const e = evident(['scan', join(dir, 'mapped'), '--no-evidence', '-q']);
    assert.equal(e.status, 2);
    assert.match(e.stderr, /evident\.yaml:6/);
    assert.match(e.stderr, /aws\.kms-key-rotation-enabled/);
  });

  test('usage errors exit 2', () => {
    assert.equal(evident(['scan', dir, '--format', 'pdf']).status, 2);
    assert.equal(evident(['scan', join(dir, 'does-not-exist')]).status, 2);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isUnresolved } from '../../core/unresolved.js';
import { loadTerraform } from './index.js';

/**
 * HCL that Terraform refuses must never be evaluated as if it were fine (issue 7 case 2). Every
 * expectation below is what Terraform 1.11.4 printed for the same files, offline:
 * `terraform validate -json` in the directory (configuration files), or `terraform plan` (variables
 * files, which validate does not read); the summary and the position are copied from its output.
 * Where Terraform points inside an expression, the scan points at the argument holding it (column
 * noted as `argument`).
 */
interface Case {
  name: string;
  files: Record<string, string>;
  /** [file, line, column, summary] as Terraform reports them. */
  expect: [string, number, number, string][];
}

async function load(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evident-tf-validate-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
    return await loadTerraform(root, [root]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const CASES: Case[] = [
  // --- hclsyntax line rules (terraform validate) ---
  {
    name: 'several arguments in a single-line block',
    files: { 'main.tf': 'resource "x" "y" { a = 1  b = 2 }\n' },
    expect: [['main.tf', 1, 27, 'Invalid single-argument block definition']],
  },
  {
    name: 'a single-line block not closed on its line',
    files: { 'main.tf': 'resource "x" "y" { a = 1\n}\n' },
    expect: [['main.tf', 1, 25, 'Invalid single-argument block definition']],
  },
  {
    name: 'a nested block in a single-line block',
    files: { 'main.tf': 'resource "x" "y" { b {} }\n' },
    expect: [['main.tf', 1, 20, 'Argument definition required']],
  },
  {
    name: 'two arguments on one line',
    files: { 'main.tf': 'resource "x" "y" {\n  bucket = "x" acl = "y"\n}\n' },
    expect: [['main.tf', 2, 16, 'Missing newline after argument']],
  },
  {
    name: 'an argument followed by the closing brace',
    files: { 'main.tf': 'resource "x" "y" {\n  a = 1 }\n' },
    expect: [['main.tf', 2, 9, 'Missing newline after argument']],
  },
  {
    name: 'a block followed by an argument on its line',
    files: { 'main.tf': 'resource "x" "y" {\n  b { c = 1 } d = 2\n}\n' },
    expect: [['main.tf', 2, 15, 'Missing newline after block definition']],
  },
  {
    name: 'two top-level blocks on one line',
    files: { 'main.tf': 'locals { a = 1 }\nlocals { b = 2 } locals { c = 3 }\n' },
    expect: [['main.tf', 2, 18, 'Missing newline after block definition']],
  },
  // --- configuration decoding (terraform validate) ---
  {
    name: 'an argument set twice',
    files: {
      'main.tf':
        'resource "aws_db_instance" "b" {\n  publicly_accessible = false\n  publicly_accessible = true\n}\n',
    },
    expect: [['main.tf', 3, 3, 'Attribute redefined']],
  },
  {
    name: 'an argument set twice in a nested block',
    files: { 'main.tf': 'resource "x" "y" {\n  b {\n    c = 1\n    c = 2\n  }\n}\n' },
    expect: [['main.tf', 4, 5, 'Attribute redefined']],
  },
  {
    name: 'two resources with the same type and name',
    files: { 'main.tf': 'resource "aws_s3_bucket" "b" {\n}\nresource "aws_s3_bucket" "b" {\n}\n' },
    expect: [['main.tf', 3, 1, 'Duplicate resource "aws_s3_bucket" configuration']],
  },
  {
    name: 'duplicate data source, variable, output, module, local and providers across files',
    files: {
      'a.tf':
        'data "x" "y" {}\nvariable "v" {}\noutput "o" {\n  value = 1\n}\nmodule "m" {\n  source = "./m"\n}\nlocals {\n  a = 1\n}\nprovider "aws" {}\nprovider "aws" {\n  alias = "w"\n}\n',
      'b.tf':
        'data "x" "y" {}\nvariable "v" {}\noutput "o" {\n  value = 2\n}\nmodule "m" {\n  source = "./m"\n}\nlocals {\n  a = 2\n}\nprovider "aws" {}\nprovider "aws" {\n  alias = "w"\n}\n',
      'm/main.tf': '',
    },
    expect: [
      ['b.tf', 1, 1, 'Duplicate data "x" configuration'],
      ['b.tf', 2, 1, 'Duplicate variable declaration'],
      ['b.tf', 3, 1, 'Duplicate output definition'],
      ['b.tf', 6, 1, 'Duplicate module call'],
      ['b.tf', 10, 3, 'Duplicate local value definition'],
      ['b.tf', 12, 1, 'Duplicate provider configuration'],
      ['b.tf', 13, 1, 'Duplicate provider configuration'],
    ],
  },
  {
    name: 'unknown top-level block type, labels, names',
    files: {
      'main.tf':
        'resourc "x" "y" {}\nresource "x" {}\nresource "x" "y" "z" {}\nresource "x" "1y" {}\nvariable "count" {}\nlocals "x" {}\nfoo = 1\n',
    },
    expect: [
      ['main.tf', 1, 1, 'Unsupported block type'],
      ['main.tf', 2, 14, 'Missing name for resource'],
      ['main.tf', 3, 18, 'Extraneous label for resource'],
      ['main.tf', 4, 14, 'Invalid resource name'],
      ['main.tf', 5, 10, 'Invalid variable name'],
      ['main.tf', 6, 8, 'Extraneous label for locals'],
      ['main.tf', 7, 1, 'Unsupported argument'],
    ],
  },
  {
    name: "count with for_each, Terraform's own blocks checked against their schemas",
    files: {
      'main.tf':
        'resource "x" "y" {\n  count = 1\n  for_each = {}\n  lifecycle {\n    foo = 1\n  }\n  lifecycle {}\n}\nvariable "v" {\n  foo = 1\n}\noutput "o" {}\nmodule "m" {}\nlocals {\n  b {}\n}\nterraform {\n  foo {}\n}\n',
    },
    expect: [
      ['main.tf', 3, 3, 'Invalid combination of "count" and "for_each"'],
      ['main.tf', 5, 5, 'Unsupported argument'],
      ['main.tf', 7, 3, 'Duplicate lifecycle block'],
      ['main.tf', 10, 3, 'Unsupported argument'],
      ['main.tf', 12, 12, 'Missing required argument'],
      ['main.tf', 13, 12, 'Missing required argument'],
      ['main.tf', 15, 3, 'Unexpected "b" block'],
      ['main.tf', 18, 3, 'Unsupported block type'],
    ],
  },
  {
    name: 'type constraints: quoted (Terraform 0.11 syntax), unknown keywords and constructors',
    files: {
      'main.tf': [
        'variable "a" {\n  type = "string"\n}', // 1-3
        'variable "b" {\n  type = strin\n}', // 4-6
        'variable "c" {\n  type = lst(string)\n}', // 7-9
        'variable "d" {\n  type = list(string, number)\n}', // 10-12
        'variable "e" {\n  type = optional(string)\n}', // 13-15
        'variable "f" {\n  type = object({ a = string, b = optional(number, 1), c = tuple([string, bool]) })\n}', // 16-18
        'variable "g" {\n  type = map(any)\n}',
        '',
      ].join('\n'),
    },
    expect: [
      ['main.tf', 2, 3, 'Invalid quoted type constraints'],
      ['main.tf', 5, 3, 'Invalid type specification'],
      ['main.tf', 8, 3, 'Invalid type specification'],
      ['main.tf', 11, 3, 'Invalid type specification'],
      ['main.tf', 14, 3, 'Invalid type specification'],
    ],
  },
  // --- references and functions (terraform validate, with terraform_data so it can check resources
  // offline; it reports a subset of these in one run, the scan all of them) ---
  {
    name: 'references to undeclared objects and unknown functions',
    files: {
      'main.tf': [
        'resource "terraform_data" "y" {',
        '  input = var.nope', // 2
        '  triggers_replace = [aws_s3_bucket.nope.id, module.nope.x, data.x.nope.id]', // 3
        '  output = nofunc(1)', // 4
        '}',
        'locals {',
        '  a = local.b', // 7
        '  c = count.index', // 8
        '  d = each.key', // 9
        '  e = self.id', // 10
        '  f = path.nope', // 11
        '  g = foo', // 12
        '}',
      ].join('\n'),
    },
    expect: [
      ['main.tf', 2, 3, 'Reference to undeclared input variable'],
      ['main.tf', 3, 3, 'Reference to undeclared resource'],
      ['main.tf', 3, 3, 'Reference to undeclared module'],
      ['main.tf', 3, 3, 'Reference to undeclared resource'],
      ['main.tf', 4, 3, 'Call to unknown function'],
      ['main.tf', 7, 3, 'Reference to undeclared local value'],
      ['main.tf', 8, 3, 'Reference to "count" in non-counted context'],
      ['main.tf', 9, 3, 'Reference to "each" in context without for_each'],
      ['main.tf', 10, 3, 'Invalid "self" reference'],
      ['main.tf', 11, 3, 'Invalid "path" attribute'],
      ['main.tf', 12, 3, 'Invalid reference'],
    ],
  },
  {
    name: 'what validate accepts: bound names, meta-arguments, lifecycle addresses (terraform validate: valid=true)',
    files: {
      'main.tf': [
        'variable "list" {',
        '  default = []',
        '  validation {',
        '    condition     = length(var.list) >= 0',
        '    error_message = "x"',
        '  }',
        '}',
        'resource "terraform_data" "y" {',
        '  count = 2',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
        '  input = [for i, v in var.list : "${i}-${v}-${count.index}" if v != null]',
        '  triggers_replace = { for k in var.list : k => upper(k) }',
        '  provider = terraform',
        '  lifecycle {',
        '    ignore_changes = [input]',
        '    postcondition {',
        '      condition     = self.id != ""',
        '      error_message = "x"',
        '    }',
        '  }',
        '  provisioner "local-exec" {',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
        '    command = "echo ${self.id} ${path.module} ${terraform.workspace}"',
        '  }',
        '}',
        'resource "terraform_data" "z" {',
        '  for_each = toset(var.list)',
        '  input    = [terraform_data.y[0].id, each.key, core::abs(-1)]',
        '}',
        'moved {',
        '  from = terraform_data.old',
        '  to   = terraform_data.y',
        '}',
        '',
      ].join('\n'),
    },
    expect: [],
  },
  {
    // Offline, terraform cannot load the aws provider's schema to validate this resource; the
    // iterator rules are the language's (dynamic blocks: the label, or `iterator`, names the element).
    name: 'dynamic block iterators are bound names',
    files: {
      'main.tf': [
        'variable "rules" {',
        '  default = []',
        '}',
        'resource "aws_security_group" "g" {',
        '  dynamic "ingress" {',
        '    for_each = var.rules',
        '    content {',
        '      from_port = ingress.value',
        '    }',
        '  }',
        '  dynamic "egress" {',
        '    for_each = var.rules',
        '    iterator = rule',
        '    content {',
        '      to_port = rule.key',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    },
    expect: [],
  },
  {
    // terraform init -backend=false (a local module installs offline), then terraform validate.
    name: 'a module call with an argument the module does not declare, and without a required one',
    files: {
      'main.tf': 'module "m" {\n  source = "./m"\n  nope = 1\n}\n',
      'm/main.tf':
        'variable "req" {}\nvariable "opt" {\n  default = 1\n}\nvariable "nul" {\n  default = null\n}\n',
    },
    expect: [
      ['main.tf', 1, 12, 'Missing required argument'],
      ['main.tf', 3, 3, 'Unsupported argument'],
    ],
  },
  // --- variables files (terraform plan) ---
  {
    name: 'a locals block, an argument set twice, function calls and references in a .tfvars file',
    files: {
      'main.tf':
        'variable "a" {\n  default = 1\n}\nvariable "c" {\n  default = 1\n}\nvariable "d" {\n  default = 1\n}\n',
      'terraform.tfvars':
        'a = 2\nlocals {\n  b = 1\n}\na = 3\nc = upper("x")\nd = var.x\nundeclared = var.y\n',
    },
    expect: [
      ['terraform.tfvars', 2, 1, 'Unexpected "locals" block'],
      ['terraform.tfvars', 5, 1, 'Attribute redefined'],
      ['terraform.tfvars', 6, 1, 'Function calls not allowed'],
      ['terraform.tfvars', 7, 1, 'Variables not allowed'],
    ],
  },
];

describe('HCL that Terraform refuses (issue 7 case 2)', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.expect.length ? c.expect.map((e) => e[3]).join(', ') : 'accepted'}`, async () => {
      const r = await load(c.files);
      const got = r.diagnostics
        .filter((d) => d.severity === 'error')
        .map(
          (d) =>
            [d.file, d.line ?? 0, d.column ?? 0, d.message.split(':')[0] ?? ''] as [
              string,
              number,
              number,
              string,
            ],
        );
      const cmp = (a: [string, number, number, string], b: [string, number, number, string]) =>
        a[0].localeCompare(b[0]) || a[1] - b[1] || a[2] - b[2] || a[3].localeCompare(b[3]);
      assert.deepEqual(got.sort(cmp), [...c.expect].sort(cmp), JSON.stringify(r.diagnostics, null, 1));
      for (const d of r.diagnostics) assert.equal(d.code === 'E_INPUT_PARSE' || d.severity !== 'error', true);
    });
  }
});

describe('what the scan evaluates from a configuration Terraform refuses', () => {
  it('an argument set twice is unknown, never the first value', async () => {
    const r = await load({
      'main.tf':
        'resource "aws_db_instance" "b" {\n  publicly_accessible = false\n  publicly_accessible = true\n  storage_encrypted = true\n}\n',
    });
    const b = r.facts.find((f) => f.address === 'aws_db_instance.b');
    assert.ok(b && isUnresolved(b.attributes.publicly_accessible));
    assert.equal(b.attributes.storage_encrypted, true);
  });

  it('a duplicate resource is evaluated on its own, not hidden by the first', async () => {
    const r = await load({
      'main.tf':
        'resource "aws_db_instance" "b" {\n  publicly_accessible = false\n}\n\nresource "aws_db_instance" "b" {\n  publicly_accessible = true\n}\n',
    });
    const both = r.facts.filter((f) => f.address === 'aws_db_instance.b');
    assert.deepEqual(
      both.map((f) => [f.location.line, f.attributes.publicly_accessible]),
      [
        [1, false],
        [5, true],
      ],
    );
  });

  it('a duplicate module call is expanded on its own too', async () => {
    const r = await load({
      'main.tf':
        'module "m" {\n  source = "./m"\n  public = false\n}\nmodule "m" {\n  source = "./m"\n  public = true\n}\n',
      'm/main.tf':
        'variable "public" {}\nresource "aws_db_instance" "d" {\n  publicly_accessible = var.public\n}\n',
    });
    assert.deepEqual(
      r.facts
        .filter((f) => f.address === 'module.m.aws_db_instance.d')
        .map((f) => f.attributes.publicly_accessible),
      [false, true],
    );
  });
});

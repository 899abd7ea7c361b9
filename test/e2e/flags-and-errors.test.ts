// One flag vocabulary, help that says what each key and exit code is, raw errors turned into messages
// with hints, and silent no-ops reported: the CLI as a new user meets it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { ScanResult } from '../../src/core/scan-result.js';
import { evident, REPO } from './helpers.js';

const T = mkdtempSync(join(tmpdir(), 'evident-flags-'));
after(() => rmSync(T, { recursive: true, force: true }));
const BIN = fileURLToPath(new URL('../../bin/evident.js', import.meta.url));

const COMMANDS = [
  'scan',
  'init',
  'checks',
  'frameworks',
  'keygen',
  'evidence',
  'evidence add',
  'evidence list',
  'verify',
  'export',
  'policy',
  'policy test',
  'policy new',
];

/** `evident CMD --help` text, rendered in-process by the real command tree (no process per command). */
async function helpOf(path: string): Promise<string> {
  const { buildProgram } = await import('../../src/cli/main.js');
  let cmd: Command = await buildProgram();
  for (const name of path.split(' ').filter(Boolean)) {
    const sub = cmd.commands.find((c) => c.name() === name);
    assert.ok(sub, `no command ${path}`);
    cmd = sub;
  }
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

describe('help', () => {
  test('every command lists its exit codes; every report-writing command has -f/--format and -o/--output', async () => {
    for (const c of ['', ...COMMANDS]) {
      const out = await helpOf(c);
      assert.match(out, /^Exit codes:\n {2}0 {2}\S/m, `evident ${c} --help lists exit codes`);
      assert.match(out, /^ {2}2 {2}usage, configuration or input error/m, `evident ${c} --help: exit 2`);
    }
    for (const c of ['scan', 'checks', 'frameworks', 'verify', 'export', 'evidence list']) {
      const out = await helpOf(c);
      assert.match(out, /-f, --format <format>/, `${c}: -f/--format`);
      assert.match(out, /-o, --output <\w+>/, `${c}: -o/--output`);
    }
    // and the real binary prints the same
    const real = evident(['scan', '--help']);
    assert.equal(real.status, 0);
    assert.equal(real.stdout.replace(/\s+/g, ' '), (await helpOf('scan')).replace(/\s+/g, ' '));
  });

  test('--key is the public key and --key-file the private key, in every help that has them', async () => {
    for (const c of ['scan', 'verify', 'export', 'evidence add', 'keygen']) {
      const out = (await helpOf(c)).replace(/\s+/g, ' ');
      if (out.includes('--key-file <file>')) assert.match(out, /--key-file <file> PRIVATE signing key/, c);
      if (out.includes('--key <file>')) assert.match(out, /--key <file> PUBLIC key/, c);
    }
    const keygen = (await helpOf('keygen')).replace(/\s+/g, ' ');
    assert.match(keygen, /default: \$XDG_CONFIG_HOME\/evident when set, else ~\/\.config\/evident/);
    assert.match(keygen, /evident\.key is the PRIVATE key: pass it as --key-file/);
  });

  test('evident evidence help add shows the subcommand help', () => {
    const r = evident(['evidence', 'help', 'add']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: evident evidence add \[options\] <file>/);
  });

  test('checks --json stays an alias of -f json; -o writes a file', () => {
    const json = evident(['checks', '--json']).stdout;
    assert.equal(evident(['checks', '-f', 'json']).stdout, json);
    const out = join(T, 'lists', 'frameworks.json');
    const r = evident(['frameworks', 'soc2', '-f', 'json', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { id: string }[])[0]?.id, 'soc2');
  });
});

describe('errors are messages with hints, never stack traces', () => {
  test('evident checks | head: a closed pipe ends quietly', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `node ${JSON.stringify(BIN)} checks | head -1`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 2);
    assert.equal(r.stderr, '');
  });

  test('a missing --baseline file, init into a missing folder: exit 2 with a hint, nothing written', () => {
    const b = evident(['scan', 'examples/platform', '--baseline', 'nope.json', '--no-evidence']);
    assert.equal(b.status, 2);
    assert.match(
      b.stderr,
      /--baseline nope\.json does not exist; nothing was scanned\n {2}hint: a baseline is an earlier/,
    );
    const i = evident(['init', join(T, 'missing', 'dir')]);
    assert.equal(i.status, 2);
    assert.match(i.stderr, /does not exist; nothing was written\n {2}hint: pass the root of your repository/);
    assert.equal(existsSync(join(T, 'missing')), false);
    for (const r of [b, i]) assert.doesNotMatch(r.stderr, /\n\s+at |ENOENT/);
  });

  test("no hint suggests init --force (it would overwrite the user's map)", () => {
    const dir = join(T, 'has-map');
    mkdirSync(dir);
    writeFileSync(join(dir, 'evident.yaml'), 'frameworks: [soc2]\ncontrols:\n  - id: X\n');
    const again = evident(['init', dir]);
    assert.equal(again.status, 2);
    const bad = evident(['scan', dir, '--no-evidence']);
    assert.equal(bad.status, 2);
    for (const r of [again, bad]) assert.doesNotMatch(r.stderr, /--force/);
  });
});

describe('silent no-ops are reported', () => {
  const repo = join(T, 'repo');
  cpSync(join(REPO, 'examples', 'platform', 'terraform'), join(repo, 'terraform'), { recursive: true });
  cpSync(join(REPO, 'examples', 'platform', 'kubernetes'), join(repo, 'kubernetes'), { recursive: true });

  test('--exclude that matches nothing is a warning (with the pattern meant when given from the current directory); a matching one excludes by path prefix', () => {
    const r = evident(
      [
        'scan',
        'repo',
        '--exclude',
        'repo/terraform/modules',
        '--exclude',
        'terraform/module',
        '--no-evidence',
        '-f',
        'json',
        '-q',
      ],
      {
        cwd: T,
      },
    );
    const result = JSON.parse(r.stdout) as ScanResult;
    const warnings = result.diagnostics.filter((d) => d.message.includes('--exclude')).map((d) => d.message);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(
      warnings[0]!,
      /--exclude repo\/terraform\/modules matched nothing under the scan path, .* did you mean --exclude terraform\/modules\?/,
    );
    assert.match(
      warnings[1]!,
      /--exclude terraform\/module matched nothing/,
      'a prefix on path segments, not characters',
    );
    const ok = JSON.parse(
      evident(['scan', 'repo', '--exclude', 'kubernetes', '--no-evidence', '-f', 'json', '-q'], { cwd: T })
        .stdout,
    ) as ScanResult;
    assert.ok(ok.inputs.some((i) => i.file.startsWith('terraform/')));
    assert.ok(!ok.inputs.some((i) => i.file.startsWith('kubernetes/')));
    assert.ok(!ok.diagnostics.some((d) => d.message.includes('--exclude')));
  });

  test('--var for a variable no root module declares is a warning', () => {
    const r = evident(['scan', 'repo', '--var', 'enviroment=prod', '--no-evidence', '-f', 'json', '-q'], {
      cwd: T,
    });
    const result = JSON.parse(r.stdout) as ScanResult;
    const w = result.diagnostics.find((d) => d.message.includes('enviroment'));
    assert.equal(w?.severity, 'warning');
    assert.match(
      w!.message,
      /--var enviroment=… sets variable "enviroment", which no root module declares .* the value was not used/,
    );
  });
});

describe('--fail-on-uncontrolled', () => {
  test('failing checks no control lists fail the run by default; --no-fail-on-uncontrolled reports them without failing', () => {
    const dir = join(T, 'uncontrolled');
    mkdirSync(dir);
    // one bucket, encrypted, with public ACLs: the map controls encryption only
    writeFileSync(
      join(dir, 'main.tf'),
      'resource "aws_s3_bucket" "b" { bucket = "b" }\n' +
        'resource "aws_s3_bucket_server_side_encryption_configuration" "b" {\n  bucket = aws_s3_bucket.b.id\n' +
        '  rule {\n    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }\n  }\n}\n',
    );
    writeFileSync(
      join(dir, 'evident.yaml'),
      'frameworks: [soc2]\ncontrols:\n  - id: ENC-1\n    title: Buckets are encrypted at rest\n    satisfies: { soc2: [CC6.1] }\n    checks: [aws.s3-bucket-encrypted]\n',
    );
    const strict = evident(['scan', dir, '--no-evidence', '-f', 'json', '-q']);
    const s = JSON.parse(strict.stdout) as ScanResult;
    assert.equal(strict.status, 1);
    assert.equal(s.summary.failOnUncontrolled, true);
    assert.ok(s.summary.failing > 0);
    assert.ok(s.findings.every((f) => f.checkId !== 'aws.s3-bucket-encrypted' || f.outcome === 'pass'));
    const lax = evident(['scan', dir, '--no-evidence', '-f', 'json', '-q', '--no-fail-on-uncontrolled']);
    const l = JSON.parse(lax.stdout) as ScanResult;
    assert.equal(lax.status, 0, 'only uncontrolled checks fail');
    assert.equal(l.summary.failOnUncontrolled, false);
    assert.equal(l.summary.failing, 0);
    assert.equal(l.summary.uncontrolledFailing, s.summary.failing);
  });
});

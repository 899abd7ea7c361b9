import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EvidentError } from '../core/errors.js';
import { ControlMapError, loadControlMap, parseControlMap } from './parse.js';
import { fakeCheck } from './test-helpers.js';
import { DEFAULT_MAX_AGE_DAYS } from './types.js';

const checks = [
  fakeCheck('aws.s3-bucket-encrypted', { soc2: ['CC6.1'] }, ['iac.s3-bucket-encrypted']),
  fakeCheck('aws.sg-no-public-ssh', { soc2: ['CC6.6'] }),
];
const ctx = { checks };

const VALID = `version: 1
frameworks: [soc2, iso27001-2022]
controls:
  - id: CHG-1
    title: Every change is reviewed
    description: PRs need one approval
    owner: team@example.com
    satisfies: { soc2: [CC8.1], iso27001-2022: [A.8.32] }
    checks: [aws.s3-bucket-encrypted, iac.s3-bucket-encrypted]
  - id: IR-1
    title: Incident response plan
    satisfies: { soc2: [CC7.4, CC7.5] }
    evidence: { manual: docs/ir.md }
notApplicable:
  - { framework: soc2, requirement: P1.1, reason: No consumer personal information }
waivers:
  - check: iac.s3-bucket-encrypted
    resource: aws_s3_bucket.public_*
    scope: infra/prod
    reason: Public marketing assets
    owner: alice@example.com
    expires: 2027-03-31
`;

/** Parses `text` expecting a ControlMapError; returns it. */
function fails(text: string): ControlMapError {
  try {
    parseControlMap(text, 'evident.yaml', ctx);
  } catch (e) {
    assert.ok(e instanceof ControlMapError, `expected ControlMapError, got ${String(e)}`);
    assert.ok(e instanceof EvidentError);
    assert.equal(e.code, 'E_CONFIG');
    assert.equal(e.file, 'evident.yaml');
    return e;
  }
  assert.fail('expected the map to be rejected');
}

describe('parseControlMap: valid map', () => {
  const map = parseControlMap(VALID, 'evident.yaml', ctx);

  it('returns the typed map with defaults applied', () => {
    assert.equal(map.version, 1);
    assert.equal(map.builtIn, false);
    assert.equal(map.file, 'evident.yaml');
    assert.deepEqual(map.frameworks, ['soc2', 'iso27001-2022']);
    assert.equal(map.controls.length, 2);
    const [chg, ir] = map.controls;
    assert.equal(chg?.id, 'CHG-1');
    assert.equal(chg?.owner, 'team@example.com');
    assert.equal(chg?.description, 'PRs need one approval');
    assert.deepEqual(chg?.satisfies, { soc2: ['CC8.1'], 'iso27001-2022': ['A.8.32'] });
    assert.deepEqual(ir?.evidence, { manual: 'docs/ir.md', maxAgeDays: DEFAULT_MAX_AGE_DAYS });
    assert.deepEqual(ir?.checks, []);
  });

  it('resolves check aliases to the canonical id and removes duplicates', () => {
    assert.deepEqual(map.controls[0]?.checks, ['aws.s3-bucket-encrypted']);
    assert.equal(map.waivers[0]?.check, 'aws.s3-bucket-encrypted');
  });

  it('records source locations of controls, notApplicable entries and waivers', () => {
    assert.deepEqual(map.controls[0]?.location, { file: 'evident.yaml', line: 4, column: 5 });
    assert.deepEqual(map.controls[1]?.location, { file: 'evident.yaml', line: 10, column: 5 });
    assert.equal(map.notApplicable[0]?.location?.line, 15);
    assert.deepEqual(map.waivers[0]?.location, { file: 'evident.yaml', line: 17, column: 5 });
  });

  it('keeps notApplicable and waiver fields', () => {
    assert.deepEqual(
      { ...map.notApplicable[0], location: undefined },
      {
        framework: 'soc2',
        requirement: 'P1.1',
        reason: 'No consumer personal information',
        location: undefined,
      },
    );
    const w = map.waivers[0]!;
    assert.equal(w.resource, 'aws_s3_bucket.public_*');
    assert.equal(w.scope, 'infra/prod');
    assert.equal(w.expires, '2027-03-31');
    assert.equal(w.owner, 'alice@example.com');
  });

  it('accepts a quoted date and an absent version, notApplicable and waivers', () => {
    const m = parseControlMap(
      `frameworks: [gdpr]\ncontrols:\n  - id: A\n    title: t\n    checks: [aws.sg-no-public-ssh]\n`,
      'x.yaml',
      ctx,
    );
    assert.deepEqual(m.waivers, []);
    assert.deepEqual(m.notApplicable, []);
  });
});

describe('parseControlMap: errors', () => {
  it('points at an unknown check with line, column and the closest suggestion', () => {
    const e = fails(VALID.replace('checks: [aws.s3-bucket-encrypted,', 'checks: [aws.s3-encrypted,'));
    assert.equal(e.issues.length, 1);
    assert.equal(e.line, 9);
    assert.equal(e.column, 14);
    assert.equal(
      e.message,
      "controls[0].checks[0]: unknown check 'aws.s3-encrypted'. Did you mean 'aws.s3-bucket-encrypted'?",
    );
    assert.match(
      e.describe(),
      /^evident\.yaml:9:14: controls\[0\]\.checks\[0\]: unknown check 'aws\.s3-encrypted'/,
    );
  });

  it('collects every problem in one error, sorted by position', () => {
    const e = fails(`version: 2
frameworks: [soc2, hipa]
controls:
  - id: CHG-1
    title: x
    satisfies: { soc2: [CC8.1, CC6.10] }
    checks: [aws.s3-bucket-encrypted]
    evidance: {}
  - id: CHG-1
    title: ""
waivers:
  - check: aws.s3-bucket-encrypted
    resource: aws_*_bucket
    owner: alice
    expires: 2027-02-30
`);
    const got = e.issues.map((i) => `${i.line}:${i.column} ${i.message}`);
    assert.deepEqual(got, [
      '1:10 unsupported version 2; this Evident reads version 1',
      "2:20 unknown framework 'hipa'; use one of soc2, iso27001-2022, hipaa, gdpr. Did you mean 'hipaa'?",
      "6:32 unknown soc2 requirement 'CC6.10'. Did you mean 'CC6.1'?",
      "8:5 unknown key 'evidance'. Did you mean 'evidence'?",
      "9:5 control 'CHG-1' has neither checks nor evidence, so nothing could show it works; add checks: [...] or evidence: { manual: PATH }",
      "9:9 duplicate control id 'CHG-1' (also controls[0]); control IDs must be unique",
      '10:12 title must not be empty',
      "12:5 missing required key 'reason'",
      "13:15 only a trailing '*' is supported in resource (e.g. aws_s3_bucket.public_*)",
      '14:12 owner must be an email address (e.g. alice@example.com)',
      '15:14 expires must be a real date written YYYY-MM-DD (e.g. 2027-03-31)',
    ]);
    assert.match(e.message, /^version: unsupported version 2/);
    assert.match(
      e.message,
      /10 more problems in evident\.yaml:\n {2}evident\.yaml:2:20: frameworks\[1\]: unknown framework/,
    );
  });

  it('rejects unknown top-level keys (a typo must not drop controls silently)', () => {
    const e = fails(
      'frameworks: [soc2]\ncontorls:\n  - id: A\n    title: t\n    checks: [aws.sg-no-public-ssh]\n',
    );
    const msgs = e.issues.map((i) => `${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`);
    assert.deepEqual(msgs, [
      "1:1 controls: missing required key 'controls'",
      "2:1 contorls: unknown key 'contorls'. Did you mean 'controls'?",
    ]);
  });

  it('rejects requirements of a framework not listed in frameworks, and unknown frameworks in satisfies', () => {
    const e = fails(`frameworks: [soc2]
controls:
  - id: A
    title: t
    satisfies: { soc2: [CC6.1], hipaa: ["164.312(b)"], pci: [x] }
    checks: [aws.sg-no-public-ssh]
notApplicable:
  - { framework: gdpr, requirement: Art.44, reason: no transfers }
`);
    assert.deepEqual(
      e.issues.map((i) => [i.line, i.column, i.message.split(';')[0]]),
      [
        [5, 33, "framework 'hipaa' is not listed in 'frameworks' (soc2)"],
        [5, 56, "unknown framework 'pci'"],
        [8, 18, "framework 'gdpr' is not listed in 'frameworks' (soc2)"],
      ],
    );
  });

  it('rejects unknown requirement IDs in notApplicable and a requirement both satisfied and n/a', () => {
    const e = fails(`frameworks: [soc2]
controls:
  - id: A
    title: t
    satisfies: { soc2: [CC6.1] }
    checks: [aws.sg-no-public-ssh]
notApplicable:
  - { framework: soc2, requirement: CC6.1, reason: no }
  - { framework: soc2, requirement: P9.1, reason: no }
  - { framework: soc2, requirement: P1.1, reason: "" }
`);
    assert.deepEqual(
      e.issues.map((i) => i.path.join('.')),
      ['notApplicable.0.requirement', 'notApplicable.1.requirement', 'notApplicable.2.reason'],
    );
    assert.equal(
      e.issues[0]?.message,
      "soc2 CC6.1 is declared not applicable but control 'A' satisfies it; remove one of the two",
    );
    assert.equal(e.issues[2]?.message, 'reason (why the requirement is out of scope) must not be empty');
    assert.match(e.issues[1]!.message, /^unknown soc2 requirement 'P9\.1'\. Did you mean 'P1\.1'/);
  });

  it('rejects waivers without reason, owner or expires, and wrong types with a readable message', () => {
    const e = fails(`frameworks: [soc2]
controls:
  - id: A
    title: t
    checks: aws.sg-no-public-ssh
waivers:
  - check: aws.sg-no-public-ssh
    resource: aws_security_group.x
    expires: 2027-13-01
  - check: nope
    resource: y
    reason: r
    owner: a@b.co
    expires: 20270101
`);
    assert.deepEqual(
      e.issues.map((i) => `${i.line} ${i.path.join('.')}: ${i.message}`),
      [
        '5 controls.0.checks: expected a list, got string "aws.sg-no-public-ssh"',
        "7 waivers.0.reason: missing required key 'reason'",
        "7 waivers.0.owner: missing required key 'owner'",
        '9 waivers.0.expires: expires must be a real date written YYYY-MM-DD (e.g. 2027-03-31)',
        "10 waivers.1.check: unknown check 'nope'. Run `evident checks` for the list of check IDs.",
        '14 waivers.1.expires: expected a string, got number 20270101',
      ],
    );
  });

  it('reports YAML syntax errors with positions, and empty or non-mapping documents', () => {
    const syntax = fails('frameworks: [soc2\ncontrols: x: y\n');
    assert.ok(syntax.issues.length >= 1);
    assert.match(syntax.message, /^YAML syntax error: /);
    assert.equal(typeof syntax.line, 'number');
    assert.match(fails('').message, /the file is empty/);
    assert.match(fails('# only a comment\n').message, /the file is empty/);
    assert.equal(fails('- a\n- b\n').message, 'expected a mapping, got a list');
    assert.match(fails('a: 1\na: 2\n').message, /YAML syntax error: Map keys must be unique/);
  });

  it('says a key has no value, and rejects multi-document files', () => {
    const e = fails(
      'frameworks: [soc2]\ncontrols:\n  - id: A\n    title:\n    checks: [aws.sg-no-public-ssh]\n',
    );
    assert.equal(e.message, 'controls[0].title: has no value; expected a string');
    assert.equal(e.line, 4);
    assert.match(
      fails('frameworks: [soc2]\ncontrols: []\n---\nx: 1\n').message,
      /more than one YAML document/,
    );
  });

  it('accepts a YAML 1.1 timestamp as the expiry date it spells', () => {
    const text = VALID.replace('version: 1', '%YAML 1.1\n---\nversion: 1');
    assert.equal(parseControlMap(text, 'evident.yaml', ctx).waivers[0]?.expires, '2027-03-31');
  });

  it('rejects malformed control ids and evidence fields', () => {
    const e = fails(`frameworks: [soc2]
controls:
  - id: "bad id"
    title: t
    evidence: { manual: "", maxAgeDays: 0 }
`);
    assert.deepEqual(
      e.issues.map((i) => i.path.join('.')),
      ['controls.0.id', 'controls.0.evidence.manual', 'controls.0.evidence.maxAgeDays'],
    );
  });
});

describe('parseControlMap: resource bounds (issue 7 cases 5 and 9)', () => {
  it('refuses an anchor multiplied through 999 aliases by its expanded size, in well under a second', () => {
    // 1.1 MB on disk, about 1 GB once expanded: it used to run for 30-40 s and reach 2 GB.
    const big = 'x'.repeat(1024 * 1024);
    const text = `${VALID}x-big: &big "${big}"\nx-copies:\n${'  - *big\n'.repeat(999)}`;
    const started = Date.now();
    const e = fails(text);
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    assert.match(e.message, /expand to more than 67108864 bytes once aliases are replaced/);
    assert.match(e.message, /--limit yaml-expanded-bytes=N/);
    // located at the alias whose copy takes the size past the limit: the anchor and 63 copies of 1 MiB
    assert.equal(text.split('\n')[(e.line ?? 0) - 1], '  - *big');
    assert.equal(e.column, 5);
    assert.equal((e.line ?? 0) - text.split('\n').indexOf('x-copies:') - 1, 63);
  });

  it('refuses 10,000 levels of nesting with a depth message, not a stack overflow', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const text of [
      `frameworks: ${deep}\n`,
      `frameworks:\n${Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`,
    ]) {
      const e = fails(text);
      assert.match(e.message, /collections nested more than 256 levels deep.*--limit nesting-depth=N/);
      assert.doesNotMatch(e.message, /call stack/);
    }
  });

  it('refuses an alias inside the node its anchor names', () => {
    const e = fails(`${VALID}x-loop: &loop [1, *loop]\n`);
    assert.match(e.message, /alias \*loop inside the node its anchor names/);
  });

  it('applies the limits it is given', () => {
    const text = `${VALID}x-a: &a [1, 2, 3]\nx-b: [*a, *a, *a, *a]\n`;
    assert.throws(
      () => parseControlMap(text, 'evident.yaml', { ...ctx, limits: { 'yaml-expanded-bytes': 100 } }),
      /expand to more than 100 bytes/,
    );
    assert.throws(
      () => parseControlMap(text, 'evident.yaml', { ...ctx, limits: { 'yaml-nodes': 10 } }),
      /more than 10 YAML nodes.*--limit yaml-nodes=10/,
    );
  });
});

describe('loadControlMap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-map-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and uses its path in locations', () => {
    const file = join(dir, 'evident.yaml');
    writeFileSync(file, VALID);
    const map = loadControlMap(file, ctx);
    assert.equal(map.file, file);
    assert.equal(map.controls[0]?.location?.file, file);
    assert.deepEqual(map.digest, {
      sha256: createHash('sha256').update(VALID).digest('hex'),
      bytes: Buffer.byteLength(VALID),
    });
  });

  it('throws E_CONFIG for a missing, binary or directory path', () => {
    const bin = join(dir, 'bin.yaml');
    writeFileSync(bin, Buffer.from([0x66, 0x00, 0x01]));
    for (const [p, re] of [
      [join(dir, 'missing.yaml'), /does not exist/],
      [bin, /binary file/],
      [dir, /is not a file/],
    ] as const) {
      assert.throws(
        () => loadControlMap(p, ctx),
        (e: unknown) => e instanceof EvidentError && e.code === 'E_CONFIG' && re.test(e.message),
      );
    }
  });

  it('refuses invalid UTF-8 and control characters with their position (issue 7 case 4)', () => {
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.concat([Buffer.from(VALID), Buffer.from('# caf\xe9\n', 'latin1')]));
    const ctl = join(dir, 'ctl.yaml');
    writeFileSync(ctl, `${VALID}# bell \u0007\n`);
    const lines = VALID.split('\n').length;
    for (const [p, re, col] of [
      [latin1, /not valid YAML text: invalid UTF-8 \(byte 0xE9\)/, 6],
      [ctl, /control character U\+0007/, 8],
    ] as const) {
      assert.throws(
        () => loadControlMap(p, ctx),
        (e: unknown) =>
          e instanceof EvidentError &&
          e.code === 'E_CONFIG' &&
          re.test(e.message) &&
          e.line === lines &&
          e.column === col,
      );
    }
  });

  it('strips a UTF-8 BOM', () => {
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, `\uFEFF${VALID}`);
    assert.equal(loadControlMap(file, ctx).controls.length, 2);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { EvidentError } from '../../core/errors.js';
import type { Ecosystem, PackageFact } from '../../core/facts.js';
import { packageKey, readOsvDatabase } from './osv-db.js';
import { matchRecord } from './osv-match.js';
import { purlOf } from './purl.js';
import { rateSeverity } from './severity.js';
import { matchVulnerabilities } from './vulnerabilities.js';

const dir = mkdtempSync(join(tmpdir(), 'evident-osv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rec = (ecosystem: string, name: string, ranges: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'TEST-1',
  modified: '2024-01-01T00:00:00Z',
  affected: [
    { package: { ecosystem, name }, ranges, ...(extra.versions ? { versions: extra.versions } : {}) },
  ],
  ...extra,
});
const affected = (r: Record<string, unknown>, eco: Ecosystem, name: string, v: string) =>
  matchRecord(r, eco, name, v).affected;

test('SEMVER ranges: introduced/fixed, several intervals, last_affected (inclusive), limit', () => {
  const r = rec('npm', 'x', [
    {
      type: 'SEMVER',
      events: [{ introduced: '0' }, { fixed: '1.2.6' }, { introduced: '2.0.0' }, { last_affected: '2.3.0' }],
    },
  ]);
  assert.equal(affected(r, 'npm', 'x', '1.2.5'), true);
  assert.equal(affected(r, 'npm', 'x', '1.2.6'), false);
  assert.equal(affected(r, 'npm', 'x', '1.9.0'), false);
  assert.equal(affected(r, 'npm', 'x', '2.3.0'), true, 'last_affected is affected');
  assert.equal(affected(r, 'npm', 'x', '2.3.1'), false);
  assert.equal(affected(r, 'npm', 'x', '1.0.0-rc.1'), true, 'prereleases order before their release');
  const limited = rec('npm', 'x', [
    { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '1.5.0' }] },
  ]);
  assert.equal(affected(limited, 'npm', 'x', '1.4.9'), true);
  assert.equal(affected(limited, 'npm', 'x', '1.5.0'), false);
  assert.deepEqual(matchRecord(r, 'npm', 'x', '1.0.0').fixed, ['1.2.6']);
});

test("ECOSYSTEM ranges use each ecosystem's own ordering", () => {
  const py = rec('PyPI', 'Django', [
    { type: 'ECOSYSTEM', events: [{ introduced: '4.0' }, { fixed: '4.2.1' }] },
  ]);
  assert.equal(
    affected(py, 'PyPI', 'django', '4.2.1rc1'),
    true,
    'PEP 440: rc sorts before the release; names compare PEP 503-normalised',
  );
  assert.equal(affected(py, 'PyPI', 'django', '4.2.1'), false);
  assert.equal(affected(py, 'PyPI', 'django', '4.2.0.post1'), true, 'PEP 440: post release');
  const gem = rec('RubyGems', 'nokogiri', [
    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.13.2' }] },
  ]);
  assert.equal(
    affected(gem, 'RubyGems', 'nokogiri', '1.13.2.rc1'),
    true,
    'Gem::Version: a letter segment is a prerelease',
  );
  assert.equal(affected(gem, 'RubyGems', 'nokogiri', '1.13.10'), false, 'numeric, not string, comparison');
  const cargo = rec('crates.io', 'time', [
    { type: 'SEMVER', events: [{ introduced: '0.0.0-0' }, { fixed: '0.2.23' }] },
  ]);
  assert.equal(affected(cargo, 'crates.io', 'time', '0.1.44'), true);
  assert.equal(affected(cargo, 'crates.io', 'time', '0.2.23'), false);
  const go = rec('Go', 'golang.org/x/net', [
    { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.7.0' }] },
  ]);
  assert.equal(
    affected(go, 'Go', 'golang.org/x/net', 'v0.0.0-20220101000000-abcdefabcdef'),
    true,
    'Go pseudo-versions',
  );
  assert.equal(affected(go, 'Go', 'golang.org/x/net', 'v0.7.0'), false);
  const composer = rec('Packagist', 'a/b', [
    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.9.2' }] },
  ]);
  assert.equal(affected(composer, 'Packagist', 'a/b', 'v2.9.1'), true);
});

test('a versions list decides alone; unorderable versions are undetermined, never unaffected', () => {
  const listed = rec('PyPI', 'x', [], { versions: ['1.0', '1.1'] });
  assert.equal(affected(listed, 'PyPI', 'x', '1.1'), true);
  assert.equal(affected(listed, 'PyPI', 'x', '1.2'), false);
  const r = rec('npm', 'x', [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }]);
  const m = matchRecord(r, 'npm', 'x', 'not-a-version');
  assert.equal(m.affected, undefined);
  assert.match(m.reason ?? '', /cannot order/);
  assert.equal(
    affected(
      rec('npm', 'x', [{ type: 'GIT', repo: 'r', events: [{ introduced: '0' }] }]),
      'npm',
      'x',
      '1.0.0',
    ),
    false,
    'GIT ranges are ignored',
  );
  assert.equal(affected(r, 'npm', 'y', '0.1.0'), false, 'another package');
});

test('severity: database label first, else the highest CVSS v3/v4 base score, else unrated', () => {
  assert.deepEqual(rateSeverity({ database_specific: { severity: 'MODERATE' } }), {
    severity: 'medium',
    source: 'database',
  });
  assert.deepEqual(
    rateSeverity({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }),
    { severity: 'critical', source: 'cvss-v3', score: 9.8 },
  );
  const v4 = rateSeverity({
    severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N' }],
  });
  assert.equal(v4.source, 'cvss-v4');
  assert.equal(v4.severity, 'medium');
  assert.equal(rateSeverity({ severity: [{ type: 'CVSS_V3', score: 'garbage' }] }).source, 'unrated');
});

test('aliases merge records into one finding; withdrawn records never match', () => {
  const pkg: PackageFact = {
    kind: 'package',
    ecosystem: 'npm',
    name: 'x',
    version: '1.0.0',
    purl: purlOf('npm', 'x', '1.0.0'),
    lockfile: 'package-lock.json',
    location: { file: 'package-lock.json', line: 3 },
  };
  const range = [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }];
  const a = {
    ...rec('npm', 'x', range),
    id: 'GHSA-aaaa-bbbb-cccc',
    aliases: ['CVE-2024-1'],
    database_specific: { severity: 'LOW' },
  };
  const b = {
    ...rec('npm', 'x', range),
    id: 'OSV-2024-9',
    aliases: ['CVE-2024-1'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  };
  const w = { ...rec('npm', 'x', range), id: 'GHSA-with-drawn-xxxx', withdrawn: '2024-02-01T00:00:00Z' };
  const db = {
    byPackage: new Map([[packageKey('npm', 'x'), [a, b, w]]]),
    records: 3,
    kept: 3,
    sha256: '',
    problems: [],
  };
  const v = matchVulnerabilities([pkg], db);
  assert.equal(v.length, 1);
  assert.equal(v[0]!.id, 'GHSA-aaaa-bbbb-cccc');
  assert.deepEqual(v[0]!.aliases, ['CVE-2024-1', 'OSV-2024-9']);
  assert.equal(v[0]!.severity, 'critical', 'the highest rating of the group');
});

function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test('reads an OSV all.zip entry by entry, keeping only records of wanted packages', async () => {
  const file = join(dir, 'all.zip');
  writeFileSync(
    file,
    zip({
      'GHSA-1.json': JSON.stringify(rec('npm', 'lodash', [])),
      'GHSA-2.json': JSON.stringify(rec('npm', 'other', [])),
      'PYSEC-1.json': JSON.stringify(rec('PyPI', 'Jinja2', [])),
      'README.txt': 'not a record',
    }),
  );
  const db = await readOsvDatabase(
    file,
    new Set([packageKey('npm', 'lodash'), packageKey('PyPI', 'jinja2')]),
  );
  assert.equal(db.records, 3);
  assert.equal(db.kept, 2);
  assert.match(db.sha256, /^[0-9a-f]{64}$/);
  assert.ok(db.byPackage.has(packageKey('PyPI', 'JINJA2')));
});

test('a missing database or a file that is not a zip is a configuration error', async () => {
  await assert.rejects(
    readOsvDatabase(join(dir, 'nope'), new Set()),
    (e: unknown) => e instanceof EvidentError && e.code === 'E_CONFIG',
  );
  const bad = join(dir, 'bad.zip');
  writeFileSync(bad, 'not a zip');
  await assert.rejects(
    readOsvDatabase(bad, new Set()),
    (e: unknown) => e instanceof EvidentError && e.code === 'E_CONFIG',
  );
});

test('purls follow the purl spec per ecosystem', () => {
  assert.equal(purlOf('npm', '@babel/core', '7.22.5'), 'pkg:npm/%40babel/core@7.22.5');
  assert.equal(purlOf('PyPI', 'jinja2', '2.11.2'), 'pkg:pypi/jinja2@2.11.2');
  assert.equal(purlOf('Go', 'golang.org/x/text', 'v0.3.7'), 'pkg:golang/golang.org/x/text@v0.3.7');
  assert.equal(purlOf('crates.io', 'serde', '1.0.1'), 'pkg:cargo/serde@1.0.1');
  assert.equal(purlOf('RubyGems', 'rails', '7.0.4'), 'pkg:gem/rails@7.0.4');
  assert.equal(purlOf('Packagist', 'monolog/monolog', '2.9.1'), 'pkg:composer/monolog/monolog@2.9.1');
});

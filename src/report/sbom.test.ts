import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { DependencyFact } from '../core/facts.js';
import { renderCycloneDx } from './sbom.js';

const CDX = createRequire(import.meta.url)(
  '@cyclonedx/cyclonedx-library',
) as typeof import('@cyclonedx/cyclonedx-library');

const loc = { file: 'package-lock.json', line: 4 };
const facts: DependencyFact[] = [
  {
    kind: 'lockfile',
    file: 'package-lock.json',
    format: 'package-lock.json v3',
    ecosystem: 'npm',
    packages: 2,
    location: loc,
  },
  {
    kind: 'package',
    ecosystem: 'npm',
    name: '@babel/core',
    version: '7.22.5',
    purl: 'pkg:npm/%40babel/core@7.22.5',
    direct: true,
    lockfile: 'package-lock.json',
    location: loc,
  },
  {
    kind: 'package',
    ecosystem: 'npm',
    name: 'lodash',
    version: '4.17.20',
    purl: 'pkg:npm/lodash@4.17.20',
    direct: false,
    dev: true,
    lockfile: 'package-lock.json',
    location: loc,
  },
  {
    kind: 'vulnerability',
    id: 'GHSA-35jh-r3h4-6jhm',
    aliases: ['CVE-2021-23337'],
    summary: 'Command injection',
    severity: 'high',
    severitySource: 'database',
    fixed: ['4.17.21'],
    ecosystem: 'npm',
    package: 'lodash',
    version: '4.17.20',
    purl: 'pkg:npm/lodash@4.17.20',
    lockfile: 'package-lock.json',
    location: loc,
  },
];

test('the SBOM is CycloneDX 1.6 JSON that validates against the 1.6 schema, with purls and vulnerabilities', async () => {
  const text = renderCycloneDx(facts, {
    name: 'app',
    toolVersion: '0.1.0',
    timestamp: new Date('2026-01-01T00:00:00Z'),
  });
  const errors = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text);
  assert.equal(errors, null, JSON.stringify(errors));
  const bom = JSON.parse(text);
  assert.equal(bom.specVersion, '1.6');
  assert.deepEqual(
    bom.components.map((c: { purl: string; group?: string; name: string }) => [
      c.purl,
      c.group ?? '',
      c.name,
    ]),
    [
      ['pkg:npm/%40babel/core@7.22.5', '@babel', 'core'],
      ['pkg:npm/lodash@4.17.20', '', 'lodash'],
    ],
  );
  const v = bom.vulnerabilities[0];
  assert.equal(v.id, 'GHSA-35jh-r3h4-6jhm');
  assert.equal(v.ratings[0].severity, 'high');
  assert.deepEqual(v.affects, [{ ref: 'pkg:npm/lodash@4.17.20' }]);
  assert.equal(v.references[0].id, 'CVE-2021-23337');
  assert.equal(
    renderCycloneDx(facts, {
      name: 'app',
      toolVersion: '0.1.0',
      timestamp: new Date('2026-01-01T00:00:00Z'),
    }),
    text,
    'deterministic',
  );
});

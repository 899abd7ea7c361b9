import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadChecks } from '../checks/registry.js';
import { FRAMEWORK_IDS } from '../core/framework-id.js';
import { parseControlMap } from './parse.js';
import { renderStarterYaml, starterControlMap } from './starter.js';
import { fakeCheck } from './test-helpers.js';

const fakes = [
  fakeCheck('aws.s3-bucket-encrypted', { soc2: ['CC6.1', 'C1.1'], gdpr: ['Art.32(1)(a)'] }),
  fakeCheck('aws.rds-encrypted', { soc2: ['C1.1', 'CC6.7'], hipaa: ['164.312(a)(2)(iv)'] }),
  fakeCheck('aws.sg-no-public-ssh', { soc2: ['CC6.6'] }),
  fakeCheck('aws.cloudtrail-enabled', { 'iso27001-2022': ['A.8.15'] }),
  fakeCheck('k8s.no-privileged-containers', { soc2: ['CC6.8'] }),
  fakeCheck('gcp.zzz-something-new', { soc2: ['CC7.1'] }),
  fakeCheck('k8s.zzz-unmatched', {}),
];

describe('starterControlMap', () => {
  it('groups checks into intent-named controls with a per-domain fallback', () => {
    const map = starterControlMap(fakes);
    const byId = Object.fromEntries(map.controls.map((c) => [c.id, c.checks]));
    assert.deepEqual(byId, {
      'K8S-1': ['k8s.no-privileged-containers'],
      'NET-1': ['aws.sg-no-public-ssh'],
      'ENC-1': ['aws.rds-encrypted', 'aws.s3-bucket-encrypted'],
      'LOG-1': ['aws.cloudtrail-enabled'],
      'BASE-GCP': ['gcp.zzz-something-new'],
      'BASE-K8S': ['k8s.zzz-unmatched'],
    });
    assert.equal(map.controls.find((c) => c.id === 'ENC-1')?.title, 'Data at rest is encrypted');
  });

  it("satisfies is the union of the checks' mappings, in catalog order", () => {
    const enc = starterControlMap(fakes).controls.find((c) => c.id === 'ENC-1');
    assert.deepEqual(enc?.satisfies, {
      soc2: ['CC6.1', 'CC6.7', 'C1.1'],
      hipaa: ['164.312(a)(2)(iv)'],
      gdpr: ['Art.32(1)(a)'],
    });
    assert.deepEqual(starterControlMap(fakes).controls.find((c) => c.id === 'BASE-K8S')?.satisfies, {});
  });

  it('covers all four frameworks and is marked built-in, with no waivers', () => {
    const map = starterControlMap(fakes);
    assert.deepEqual(map.frameworks, [...FRAMEWORK_IDS]);
    assert.equal(map.builtIn, true);
    assert.deepEqual(map.waivers, []);
    assert.deepEqual(map.notApplicable, []);
  });

  it('puts every built-in check in exactly one control', async () => {
    const checks = await loadChecks();
    const map = starterControlMap(checks);
    const placed = map.controls.flatMap((c) => c.checks);
    assert.deepEqual([...placed].sort(), checks.map((c) => c.id).sort());
    assert.equal(new Set(placed).size, placed.length);
    assert.equal(new Set(map.controls.map((c) => c.id)).size, map.controls.length);
  });
});

describe('renderStarterYaml', () => {
  it('round-trips: parsing the rendered YAML gives the starter map (built-in checks)', async () => {
    const checks = await loadChecks();
    const text = renderStarterYaml(checks);
    const parsed = parseControlMap(text, 'evident.yaml', { checks });
    const strip = (m: ReturnType<typeof starterControlMap>) => ({
      ...m,
      file: undefined,
      builtIn: undefined,
      controls: m.controls.map(({ location: _l, ...c }) => c),
    });
    assert.deepEqual(strip(parsed), strip(starterControlMap(checks)));
  });

  it('round-trips with checks whose ids and titles need quoting', () => {
    const text = renderStarterYaml(fakes);
    const parsed = parseControlMap(text, 'evident.yaml', { checks: fakes });
    assert.deepEqual(
      parsed.controls.map((c) => [c.id, c.checks, c.satisfies]),
      starterControlMap(fakes).controls.map((c) => [c.id, c.checks, c.satisfies]),
    );
  });

  it('has a commented header, a commented manual-evidence example and an empty waivers list with an example', () => {
    const text = renderStarterYaml(fakes);
    assert.match(text, /^# evident\.yaml: the control map/);
    assert.match(text, /^ {2}# {3}evidence: \{ manual: docs\/incident-response\.md, maxAgeDays: 365 \}$/m);
    assert.match(text, /^# {3}- check: aws\.s3-bucket-encrypted$/m);
    assert.match(text, /^waivers: \[\]$/m);
    const raw = parse(text) as Record<string, unknown>;
    assert.deepEqual(raw.waivers, []);
    assert.equal(raw.version, 1);
  });

  it('renders a valid map even with no checks at all', () => {
    const text = renderStarterYaml([]);
    assert.match(text, /^controls: \[\]$/m);
    assert.deepEqual(parseControlMap(text, 'e.yaml', { checks: [] }).controls, []);
  });
});

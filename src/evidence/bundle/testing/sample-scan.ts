import type { Finding } from '../../../core/finding.js';
import type { ScanResult } from '../../../core/scan-result.js';
import type { BundleModel } from '../period-model.js';

/**
 * A small, hand-made ScanResult for bundle tests: one failing S3 finding (message `message`), one passing,
 * one control `DATA-1` mapped to SOC 2 CC6.1 and ISO A.8.24, and framework statuses for soc2 and
 * iso27001-2022. `inputs` lists `main.tf` with digest `inputSha256`.
 */
export function sampleScanResult(
  opts: { finishedAt?: string; message?: string; inputSha256?: string; address?: string } = {},
): ScanResult {
  const finishedAt = opts.finishedAt ?? '2026-03-10T12:00:00.000Z';
  const location = { file: 'main.tf', line: 3 };
  const subject = {
    kind: 'terraform' as const,
    type: 'aws_s3_bucket',
    address: opts.address ?? 'aws_s3_bucket.logs',
    scope: '.',
    location,
  };
  const failing: Finding = {
    checkId: 'aws.s3-bucket-encrypted',
    title: 'S3 bucket is encrypted at rest',
    severity: 'high',
    outcome: 'fail',
    subject,
    message: opts.message ?? 'bucket has no server-side encryption configuration',
    location,
    fingerprint: 'a'.repeat(64),
  };
  const passing: Finding = {
    ...failing,
    checkId: 'aws.s3-bucket-versioning',
    title: 'S3 bucket has versioning',
    severity: 'medium',
    outcome: 'pass',
    message: 'versioning enabled',
    fingerprint: 'b'.repeat(64),
  };
  const counts = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, error: 0, waived: 0 };
  return {
    schemaVersion: '1',
    tool: { name: 'evident', version: '0.1.0' },
    startedAt: finishedAt,
    finishedAt,
    root: '.',
    controlMap: { builtIn: true },
    inputs: [{ file: 'main.tf', sha256: opts.inputSha256 ?? 'c'.repeat(64), kind: 'terraform', bytes: 42 }],
    skipped: [],
    diagnostics: [],
    checks: [
      {
        id: failing.checkId,
        title: failing.title,
        severity: 'high',
        outcome: 'fail',
        counts: { ...counts, fail: 1 },
        mappings: { soc2: ['CC6.1'], 'iso27001-2022': ['A.8.24'] },
      },
      {
        id: passing.checkId,
        title: passing.title,
        severity: 'medium',
        outcome: 'pass',
        counts: { ...counts, pass: 1 },
        mappings: { soc2: ['CC6.1'] },
      },
    ],
    findings: [failing, passing],
    controls: [
      {
        id: 'DATA-1',
        title: 'Data at rest is encrypted',
        status: 'fail',
        reason: '1 of 2 checks fail',
        satisfies: { soc2: ['CC6.1'], 'iso27001-2022': ['A.8.24'] },
        checks: [
          { id: failing.checkId, outcome: 'fail' },
          { id: passing.checkId, outcome: 'pass' },
        ],
        findings: [failing.fingerprint],
      },
    ],
    frameworks: [
      {
        id: 'soc2',
        name: 'SOC 2',
        requirementsTotal: 2,
        inScope: 2,
        passing: 0,
        compliancePercent: 0,
        counts: { pass: 0, fail: 1, unknown: 1, manual: 0, waived: 0, 'not-applicable': 0 },
        requirements: [
          {
            id: 'CC6.1',
            title: 'Logical access security',
            family: 'CC6',
            status: 'fail',
            reason: 'DATA-1 fails',
            controls: ['DATA-1'],
          },
          {
            id: 'CC7.4',
            title: 'Incident response',
            family: 'CC7',
            status: 'unknown',
            reason: 'no control',
            controls: [],
          },
        ],
      },
      {
        id: 'iso27001-2022',
        name: 'ISO/IEC 27001:2022',
        requirementsTotal: 1,
        inScope: 1,
        passing: 0,
        compliancePercent: 0,
        counts: { pass: 0, fail: 1, unknown: 0, manual: 0, waived: 0, 'not-applicable': 0 },
        requirements: [
          {
            id: 'A.8.24',
            title: 'Use of cryptography',
            family: 'A.8',
            status: 'fail',
            reason: 'DATA-1 fails',
            controls: ['DATA-1'],
          },
        ],
      },
    ],
    summary: { findings: { ...counts, pass: 1, fail: 1 }, failing: 1, failOn: 'low', exitCode: 1 },
  };
}

/** A two-run model over March 2026 built from {@link sampleScanResult}. */
export function sampleModel(message?: string): BundleModel {
  return {
    createdAt: '2026-04-01T00:00:00.000Z',
    period: { from: '2026-03-01', to: '2026-03-31' },
    log: { origin: 'evident.local/test', treeSize: 3, rootHash: 'd'.repeat(64) },
    key: { keyId: 'SHA256:abc', fingerprintHex: 'e'.repeat(64) },
    runs: [
      {
        index: 0,
        envelopeSha256: '1'.repeat(64),
        recordedAt: '2026-03-10T12:00:00.000Z',
        commit: 'f'.repeat(40),
        ciRunUrl: 'https://ci.example/run/1',
        ciProvider: 'github-actions',
        result: sampleScanResult({ message }),
      },
      {
        index: 2,
        envelopeSha256: '2'.repeat(64),
        recordedAt: '2026-03-20T12:00:00.000Z',
        result: sampleScanResult({ finishedAt: '2026-03-20T12:00:00.000Z', message }),
      },
    ],
    manual: [
      {
        index: 1,
        envelopeSha256: '3'.repeat(64),
        recordedAt: '2026-03-15T00:00:00.000Z',
        controlId: 'IR-1',
        path: 'docs/ir.md',
        sha256: '4'.repeat(64),
      },
    ],
  };
}

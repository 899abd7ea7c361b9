/**
 * Synthetic scan runs for store tests and benches: deterministic ScanResults with many findings, framework
 * statuses and controls, signed into DSSE envelopes exactly as `evident scan` records them. Not product code.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../core/finding.js';
import type { ScanResult } from '../../core/scan-result.js';
import { canonicalize } from '../../evidence/canonical-json.js';
import { createEnvelope } from '../../evidence/dsse.js';
import type { KeyStore } from '../../evidence/keys.js';
import { manualEvidenceStatement, scanStatement } from '../../evidence/statement.js';
import type { DsseEnvelope } from '../../evidence/types.js';

const CHECKS = [
  { id: 'aws.s3-bucket-encrypted', severity: 'high', req: 'CC6.1', iso: 'A.8.24' },
  { id: 'aws.s3-no-public-acl', severity: 'critical', req: 'CC6.6', iso: 'A.8.20' },
  { id: 'aws.rds-storage-encrypted', severity: 'high', req: 'CC6.1', iso: 'A.8.24' },
  { id: 'k8s.no-privileged', severity: 'medium', req: 'CC6.8', iso: 'A.8.9' },
  { id: 'aws.cloudtrail-enabled', severity: 'low', req: 'CC7.2', iso: 'A.8.15' },
] as const;

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * A ScanResult at `recordedAt` with `findings` findings over CHECKS: finding i is on resource `res_<i>`; it fails
 * when `failing(i)` (default: every 7th), else passes. Finding i of check c has a fingerprint stable across runs.
 * Controls SEC-<check index> roll the checks up; SOC 2 and ISO requirements roll the controls up.
 */
export function syntheticScan(opts: {
  recordedAt: string;
  findings: number;
  failing?: (i: number) => boolean;
  waived?: (i: number) => boolean;
}): ScanResult {
  const failing = opts.failing ?? ((i: number) => i % 7 === 0);
  const findings: Finding[] = [];
  const checkFails = new Map<string, boolean>();
  for (let i = 0; i < opts.findings; i++) {
    const c = CHECKS[i % CHECKS.length]!;
    const fail = failing(i);
    const waived = fail && (opts.waived?.(i) ?? false);
    const location = { file: `infra/mod${i % 50}/main.tf`, line: (i % 400) + 1 };
    const f: Finding = {
      checkId: c.id,
      title: `${c.id} title`,
      severity: c.severity,
      outcome: fail ? 'fail' : 'pass',
      subject: {
        kind: 'terraform',
        type: 'aws_resource',
        address: `aws_resource.res_${i}`,
        scope: '.',
        location,
      },
      message: fail ? `resource res_${i} violates ${c.id}` : 'ok',
      location,
      fingerprint: hex(`${c.id}|res_${i}`),
    };
    if (waived) {
      f.waiver = { reason: 'accepted risk', owner: 'sec@example.com', expires: '2027-01-31', expired: false };
    }
    if (fail && !waived) checkFails.set(c.id, true);
    findings.push(f);
  }
  const controls = CHECKS.map((c, k) => {
    const fail = checkFails.get(c.id) === true;
    return {
      id: `SEC-${k + 1}`,
      title: `Control for ${c.id}`,
      status: fail ? ('fail' as const) : ('pass' as const),
      reason: fail ? `1 of 1 check fails: ${c.id}` : '1 of 1 check passes',
      satisfies: { soc2: [c.req], 'iso27001-2022': [c.iso] },
      checks: [{ id: c.id, outcome: fail ? ('fail' as const) : ('pass' as const) }],
      findings: findings.filter((f) => f.checkId === c.id && f.outcome === 'fail').map((f) => f.fingerprint),
    };
  });
  const framework = (id: 'soc2' | 'iso27001-2022', key: 'req' | 'iso', name: string) => {
    const reqIds = [...new Set(CHECKS.map((c) => c[key]))];
    const requirements = reqIds.map((rid) => {
      const ctl = controls.filter((_c, k) => CHECKS[k]![key] === rid);
      const fail = ctl.some((c) => c.status === 'fail');
      return {
        id: rid,
        title: `Requirement ${rid}`,
        family: rid.split('.')[0]!,
        status: fail ? ('fail' as const) : ('pass' as const),
        reason: fail ? 'a control fails' : 'all controls pass',
        controls: ctl.map((c) => c.id),
      };
    });
    const passing = requirements.filter((r) => r.status === 'pass').length;
    return {
      id,
      name,
      requirementsTotal: requirements.length,
      inScope: requirements.length,
      passing,
      compliancePercent: Math.round((passing / requirements.length) * 1000) / 10,
      counts: {
        pass: passing,
        fail: requirements.length - passing,
        unknown: 0,
        manual: 0,
        waived: 0,
        'not-applicable': 0,
      },
      requirements,
    };
  };
  const failingCount = findings.filter((f) => f.outcome === 'fail' && !f.waiver).length;
  const counts = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, error: 0, waived: 0 };
  for (const f of findings) {
    counts[f.outcome]++;
    if (f.waiver) counts.waived++;
  }
  return {
    schemaVersion: '1',
    tool: { name: 'evident', version: '0.1.0' },
    startedAt: opts.recordedAt,
    finishedAt: opts.recordedAt,
    root: '.',
    controlMap: { builtIn: false },
    inputs: [],
    skipped: [],
    diagnostics: [],
    checks: [],
    findings,
    controls,
    frameworks: [framework('soc2', 'req', 'SOC 2'), framework('iso27001-2022', 'iso', 'ISO/IEC 27001:2022')],
    summary: { findings: counts, failing: failingCount, failOn: 'info', exitCode: failingCount > 0 ? 1 : 0 },
  };
}

/** A push body for `scan`: the signed envelope and the scan-result blob it references. */
export async function scanPush(
  scan: ScanResult,
  runId: string,
  signer?: KeyStore,
): Promise<{ envelope: DsseEnvelope; blobs: { sha256: string; data: string }[] }> {
  const bytes = Buffer.from(canonicalize(scan), 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const envelope = await createEnvelope(
    scanStatement([], {
      scan,
      resultBlob: sha256,
      recordedAt: scan.finishedAt,
      runId,
      tool: { name: 'evident', version: '0.1.0' },
    }),
    signer,
  );
  return { envelope, blobs: [{ sha256, data: bytes.toString('base64') }] };
}

/** A scan-run envelope for `scan`, signed by `signer` (unsigned without), with the given runId. */
export function scanEnvelope(
  scan: ScanResult,
  runId: string,
  signer?: KeyStore,
  extra: { commit?: string } = {},
): Promise<DsseEnvelope> {
  return createEnvelope(
    scanStatement([], {
      scan,
      resultBlob: hex(runId),
      recordedAt: scan.finishedAt,
      runId,
      tool: { name: 'evident', version: '0.1.0' },
      ...(extra.commit ? { git: { commit: extra.commit } } : {}),
    }),
    signer,
  );
}

/** A manual-evidence envelope for `controlId` with document bytes `doc`. */
export function manualEnvelope(
  controlId: string,
  path: string,
  doc: Buffer,
  collectedAt: string,
  signer?: KeyStore,
): Promise<DsseEnvelope> {
  return createEnvelope(
    manualEvidenceStatement(
      { name: path, digest: { sha256: createHash('sha256').update(doc).digest('hex') } },
      { controlId, path, collectedAt, runId: hex(`${controlId}${collectedAt}`) },
    ),
    signer,
  );
}

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openLedger } from './ledger.js';
import { addManualEvidence, findManualEvidence, isEvidenceFresh } from './manual-evidence.js';
import { recordScan } from './record-scan.js';
import type { ManualEvidencePredicate, ScanPredicate } from './statement.js';
import { fakeScanResult, tempDir, testKey } from './test-support/fixtures.js';
import { SCAN_PREDICATE_TYPE } from './types.js';
import { verifyLog } from './verify-log.js';

const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

function gitRepo(): string {
  const root = tempDir();
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', root, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args])
      .toString()
      .trim();
  git('init', '-q');
  writeFileSync(join(root, 'README.md'), 'hi\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return root;
}

describe('recordScan', () => {
  it('records inputs, control map and git commit as subjects, the result and CI context as predicate; verifies', async () => {
    const root = gitRepo();
    const key = testKey();
    const result = fakeScanResult(root, {
      'main.tf': 'resource "a" "b" {}\n',
      'vars.tf': 'variable "x" {}\n',
    });
    writeFileSync(join(root, 'evident.yaml'), 'frameworks: [soc2]\n');
    result.controlMap = { file: 'evident.yaml', sha256: sha('frameworks: [soc2]\n'), builtIn: false };
    const ledgerDir = join(root, '.evident', 'ledger');
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_RUN_ID: '7',
      GITHUB_ACTOR: 'alice',
    };
    const rec = await recordScan({
      result,
      root,
      ledgerDir,
      signer: key.signer,
      env,
      now: new Date('2026-02-03T04:05:06Z'),
    });
    assert.equal(rec.index, 0);
    assert.equal(rec.signed, true);
    assert.match(rec.envelopeSha256, /^[0-9a-f]{64}$/);
    assert.match(rec.checkpoint, /^evident\.local\/.+\n1\n/);

    const ledger = await openLedger(ledgerDir);
    const entry = await ledger.get(0);
    await ledger.close();
    assert.equal(entry.statement.predicateType, SCAN_PREDICATE_TYPE);
    const names = entry.statement.subject.map((s) => s.name);
    const head = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD']).toString().trim();
    assert.deepEqual(names, ['main.tf', 'vars.tf', 'evident.yaml', `git+commit:${head}`]);
    const commitSubject = entry.statement.subject[3]!;
    assert.equal(commitSubject.digest.gitCommit, head);
    assert.equal(
      commitSubject.digest.sha256,
      sha(execFileSync('git', ['-C', root, 'cat-file', 'commit', head])),
    );
    const p = entry.statement.predicate as ScanPredicate;
    assert.deepEqual(p.scan, result);
    assert.equal(p.recordedAt, '2026-02-03T04:05:06.000Z');
    assert.equal(p.ci?.runUrl, 'https://github.com/acme/infra/actions/runs/7');
    assert.equal(p.ci?.actor, 'alice');
    assert.equal(p.git?.commit, head);
    for (const s of entry.statement.subject) {
      assert.ok(
        existsSync(join(root, '.evident', 'ledger', 'blobs', 'sha256', s.digest.sha256)),
        `blob for ${s.name}`,
      );
    }
    assert.ok(existsSync(join(root, '.evident', 'ledger', 'blobs', 'sha256', p.resultBlob)));
    const report = await verifyLog(ledgerDir, { publicKeyPem: key.publicKeyPem });
    assert.ok(report.ok, JSON.stringify(report.checks));
  });

  it('without a key records unsigned evidence; a changed input is declared unstored, not faked', async () => {
    const root = tempDir();
    const result = fakeScanResult(root, { 'main.tf': 'a\n' });
    writeFileSync(join(root, 'main.tf'), 'changed after the scan\n');
    const ledgerDir = join(root, 'ledger');
    const rec = await recordScan({ result, root, ledgerDir, env: {} });
    assert.equal(rec.signed, false);
    const ledger = await openLedger(ledgerDir);
    const p = (await ledger.get(0)).statement.predicate as ScanPredicate;
    await ledger.close();
    assert.deepEqual(p.unstoredSubjects, ['main.tf']);
    assert.equal(p.git, undefined);
    const strict = await verifyLog(ledgerDir, { allowUnsigned: false });
    assert.equal(strict.ok, false);
    const lax = await verifyLog(ledgerDir, { allowUnsigned: true });
    assert.ok(lax.ok, JSON.stringify(lax.checks));
    assert.equal(lax.unsigned, 1);
  });
});

describe('manual evidence', () => {
  it('adds, finds the latest per control and path, and ages out after maxAgeDays', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'ir.md'), 'v1\n');
    const key = testKey();
    const ledgerDir = join(root, '.evident', 'ledger');
    const base = { root, ledgerDir, signer: key.signer, env: {} };
    const first = await addManualEvidence({
      ...base,
      file: join(root, 'docs', 'ir.md'),
      controlId: 'IR-1',
      now: new Date('2026-01-01T00:00:00Z'),
      addedBy: 'alice',
    });
    assert.equal(first.path, 'docs/ir.md');
    assert.equal(first.sha256, sha('v1\n'));
    writeFileSync(join(root, 'docs', 'ir.md'), 'v2\n');
    await addManualEvidence({
      ...base,
      file: join(root, 'docs', 'ir.md'),
      controlId: 'IR-1',
      now: new Date('2026-03-01T00:00:00Z'),
    });
    writeFileSync(join(root, 'docs', 'bcp.md'), 'bcp\n');
    await addManualEvidence({
      ...base,
      file: join(root, 'docs', 'bcp.md'),
      controlId: 'BC-1',
      now: new Date('2026-02-01T00:00:00Z'),
    });

    const ledger = await openLedger(ledgerDir);
    try {
      assert.deepEqual(await findManualEvidence(ledger, 'IR-1'), {
        sha256: sha('v2\n'),
        collectedAt: '2026-03-01T00:00:00.000Z',
      });
      assert.deepEqual(await findManualEvidence(ledger, 'IR-1', './docs/ir.md'), {
        sha256: sha('v2\n'),
        collectedAt: '2026-03-01T00:00:00.000Z',
      });
      assert.equal(await findManualEvidence(ledger, 'IR-1', 'docs/other.md'), undefined);
      assert.equal((await findManualEvidence(ledger, 'BC-1'))?.sha256, sha('bcp\n'));
      assert.equal(await findManualEvidence(ledger, 'NOPE-1'), undefined);
      const p = (await ledger.get(0)).statement.predicate as ManualEvidencePredicate;
      assert.equal(p.addedBy, 'alice');
      assert.equal(p.controlId, 'IR-1');
    } finally {
      await ledger.close();
    }
    assert.equal(isEvidenceFresh('2026-03-01T00:00:00Z', 365, new Date('2027-02-28T00:00:00Z')), true);
    assert.equal(isEvidenceFresh('2026-03-01T00:00:00Z', 365, new Date('2027-03-02T00:00:00Z')), false);
    assert.equal(isEvidenceFresh('garbage', 365, new Date()), false);
    const report = await verifyLog(ledgerDir, { publicKeyPem: key.publicKeyPem });
    assert.ok(report.ok, JSON.stringify(report.checks));
  });

  it('refuses missing files, files outside the root, and empty control ids with stable codes', async () => {
    const root = tempDir();
    const ledgerDir = join(root, 'ledger');
    const outside = join(tempDir(), 'x.md');
    writeFileSync(outside, 'x');
    writeFileSync(join(root, 'in.md'), 'x');
    const code = (c: string) => (e: Error & { code?: string }) => e.code === c;
    await assert.rejects(
      addManualEvidence({ root, ledgerDir, env: {}, file: join(root, 'missing.md'), controlId: 'A' }),
      code('E_IO'),
    );
    await assert.rejects(
      addManualEvidence({ root, ledgerDir, env: {}, file: outside, controlId: 'A' }),
      code('E_USAGE'),
    );
    await assert.rejects(
      addManualEvidence({ root, ledgerDir, env: {}, file: join(root, 'in.md'), controlId: ' ' }),
      code('E_USAGE'),
    );
    assert.equal(existsSync(ledgerDir), false, 'nothing was logged');
  });
});

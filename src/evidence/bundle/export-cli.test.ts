import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Command } from 'commander';
import { registerExportCommand } from '../../cli/commands/export.js';
import { registerVerifyCommand } from '../../cli/commands/verify.js';
import { EvidentError } from '../../core/errors.js';
import { createEnvelope } from '../dsse.js';
import { keyStoreFromPem } from '../keys.js';
import { appendToLedger } from '../ledger.js';
import { tempDir } from '../test-support/fixtures.js';
import { SCAN_PREDICATE_TYPE } from '../types.js';
import { writeBundleDir } from './archive.js';
import { collectBundle, exportBundle } from './export-bundle.js';
import { buildSampleLedger, type SampleLedger } from './testing/sample-ledger.js';
import { sampleScanResult } from './testing/sample-scan.js';
import { verifyBundle } from './verify-bundle.js';

let L: SampleLedger;
let pubFile: string;
let keyFile: string;
const NOW = new Date('2026-04-05T12:00:00.000Z');

async function tmp(): Promise<string> {
  return tempDir('evident-export-cli-');
}

/** Runs commands in-process, capturing stdout; returns [exit code per process.exitCode or thrown error, output]. */
async function run(args: string[]): Promise<{ code: number; out: string; error?: EvidentError }> {
  const program = new Command('evident').exitOverride();
  registerExportCommand(program);
  registerVerifyCommand(program);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // The CLI writes strings; the test runner's reporter (under --test) writes Buffers, possibly late, from earlier
  // tests: let those through, or their results are lost.
  process.stdout.write = ((s: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof s !== 'string') return (write as (...a: unknown[]) => boolean)(s, ...rest);
    chunks.push(s);
    return true;
  }) as typeof process.stdout.write;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'evident', ...args]);
    return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, out: chunks.join('') };
  } catch (err) {
    if (err instanceof EvidentError) return { code: 2, out: chunks.join(''), error: err };
    return { code: 2, out: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
  }
}

describe('evident export CLI and verify integration', () => {
  before(async () => {
    L = await buildSampleLedger();
    pubFile = path.join(L.root, 'evident.pub');
    await writeFile(pubFile, L.publicKeyPem);
    keyFile = path.join(L.root, 'evident.key');
    await writeFile(keyFile, L.privateKeyPem, { mode: 0o600 });
    // The signing key comes from --key-file in these tests, never from the environment.
    delete process.env.EVIDENT_SIGNING_KEY;
    delete process.env.EVIDENT_SIGNING_KEY_FILE;
  });

  it('exports with --key-file, prints a summary, and `evident verify BUNDLE --key` accepts it', async () => {
    const out = path.join(await tmp(), 'march.tar.gz');
    const r = await run([
      'export',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--ledger',
      L.ledgerDir,
      '--blobs',
      L.blobDir,
      '--key',
      pubFile,
      '--key-file',
      keyFile,
      '--output',
      out,
    ]);
    assert.equal(r.code, 0, r.error?.message);
    assert.match(r.out, /wrote .*march\.tar\.gz/);
    assert.match(r.out, /entries: 3 \(2 scan runs, 1 manual evidence\)/);
    assert.match(r.out, /tree size 5, root [0-9a-f]{64}/);
    assert.match(
      r.out,
      /manifest: signed by SHA256:\S+ \(manifest.dsse.json lists all 3 entries of the period\)/,
    );
    const secret = L.privateKeyPem.split('\n')[1]!;
    assert.ok(!r.out.includes(secret), 'private key material printed');
    const v = await run(['verify', out, '--key', pubFile]);
    assert.equal(v.code, 0, v.out);
    assert.match(v.out, /verdict: OK/);
  });

  it('takes the signing key from $EVIDENT_SIGNING_KEY_FILE (no --key needed)', async () => {
    const dir = path.join(await tmp(), 'env');
    process.env.EVIDENT_SIGNING_KEY_FILE = keyFile;
    try {
      const r = await run([
        'export',
        '--from',
        '2026-03-01',
        '--to',
        '2026-03-31',
        '--ledger',
        L.ledgerDir,
        '--blobs',
        L.blobDir,
        '--dir',
        dir,
      ]);
      assert.equal(r.code, 0, r.error?.message);
      assert.match(r.out, /manifest: signed by/);
    } finally {
      delete process.env.EVIDENT_SIGNING_KEY_FILE;
    }
    assert.equal((await verifyBundle(dir, L.publicKeyPem)).ok, true);
  });

  it('without a private key, exports an unsigned manifest, says what that means, and verify fails it', async () => {
    const out = path.join(await tmp(), 'unsigned.tar.gz');
    const r = await run([
      'export',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--ledger',
      L.ledgerDir,
      '--blobs',
      L.blobDir,
      '--key',
      pubFile,
      '--output',
      out,
    ]);
    assert.equal(r.code, 0, r.error?.message);
    assert.match(r.out, /manifest: UNSIGNED .*\n.*nothing proves the bundle holds ALL entries of the period/);
    const strict = await run(['verify', out, '--key', pubFile]);
    assert.equal(strict.code, 1);
    assert.match(strict.out, /manifest-signature/);
    const lax = await run(['verify', out, '--key', pubFile, '--allow-unsigned']);
    assert.equal(lax.code, 0, lax.out);
    // A signing key that is not the log's key is a usage error, not a bundle auditors cannot verify.
    const otherKey = path.join(await tmp(), 'other.key');
    const { generateKeyPair } = await import('../keys.js');
    await writeFile(otherKey, generateKeyPair().privateKeyPem, { mode: 0o600 });
    const mismatch = await run([
      'export',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--ledger',
      L.ledgerDir,
      '--blobs',
      L.blobDir,
      '--key',
      pubFile,
      '--key-file',
      otherKey,
      '--dir',
      path.join(await tmp(), 'm'),
    ]);
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.error?.message ?? '', /is not the key of the log/);
  });

  it('exits 2 with a clear message on usage errors', async () => {
    const base = ['--ledger', L.ledgerDir, '--blobs', L.blobDir, '--key', pubFile];
    for (const [args, re] of [
      [['--from', '2026-13-01', '--to', '2026-12-31'], /--from "2026-13-01" is not a date/],
      [['--from', '2026-03-31', '--to', '2026-03-01'], /is after --to/],
      [['--from', '2020-01-01', '--to', '2020-01-31'], /no evidence was recorded/],
      [['--from', '2026-03-01', '--to', '2026-03-31', '--framework', 'pci'], /unknown framework/],
    ] as const) {
      const r = await run(['export', ...args, ...base, '--dir', path.join(await tmp(), 'x')]);
      assert.equal(r.code, 2);
      assert.match(r.error?.message ?? '', re);
    }
  });

  it('filters to one framework', async () => {
    const { files } = await collectBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      from: '2026-03-01',
      to: '2026-03-31',
      framework: 'iso27001-2022',
      now: NOW,
    });
    const oscal = JSON.parse(files.get('report/oscal-assessment-results.json')!.toString());
    assert.deepEqual(
      oscal['assessment-results'].results.map((x: { props: { value: string }[] }) => x.props[0]!.value),
      ['iso27001-2022'],
    );
    const dir = path.join(await tmp(), 'b');
    await writeBundleDir(dir, files);
    assert.equal((await verifyBundle(dir, L.publicKeyPem, { allowUnsignedManifest: true })).ok, true);
  });

  it('carries a consistency proof from an earlier checkpoint (--since)', async () => {
    const earlier = L.checkpoints[1]!; // tree size 2
    const dir = path.join(await tmp(), 'b');
    await exportBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      from: '2026-03-01',
      to: '2026-03-31',
      now: NOW,
      sinceCheckpoint: earlier,
      dir,
      signer: keyStoreFromPem(L.privateKeyPem),
    });
    const ok = await verifyBundle(dir, L.publicKeyPem, { since: earlier });
    assert.deepEqual(
      ok.checks.filter((c) => !c.ok),
      [],
    );
    assert.ok(ok.checks.some((c) => c.name === 'consistency' && c.ok));
    // A forged "earlier" checkpoint (other root) is rejected.
    const forged = earlier.replace(
      /^(.*\n.*\n)(.*)\n/,
      (_m, head: string) => `${head}${Buffer.alloc(32, 7).toString('base64')}\n`,
    );
    const bad = await verifyBundle(dir, L.publicKeyPem, { since: forged });
    assert.equal(bad.ok, false);
    // Without a proof in the bundle, --since fails and says how to fix it.
    const plain = path.join(await tmp(), 'p');
    await exportBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      from: '2026-03-01',
      to: '2026-03-31',
      now: NOW,
      dir: plain,
    });
    const noProof = await verifyBundle(plain, L.publicKeyPem, { since: earlier });
    assert.ok(noProof.checks.some((c) => !c.ok && /export it with --since/.test(c.detail)));
  });

  it('refuses --since a checkpoint the log has forked from: no bundle is written (issue 7 case 10)', async () => {
    // The checkpoint a relying party kept at size 2, and the log rewritten since: same origin and
    // size, another root at that size (what a truncated-and-regrown log shows).
    const earlier = L.checkpoints[1]!;
    const forkedView = earlier.replace(
      /^(.*\n.*\n)(.*)\n/,
      (_m, head: string) => `${head}${Buffer.alloc(32, 9).toString('base64')}\n`,
    );
    const dir = path.join(await tmp(), 'forked');
    await assert.rejects(
      exportBundle({
        ledgerDir: L.ledgerDir,
        blobDir: L.blobDir,
        publicKeyPem: L.publicKeyPem,
        from: '2026-03-01',
        to: '2026-03-31',
        now: NOW,
        sinceCheckpoint: forkedView,
        dir,
      }),
      (err: unknown) => {
        assert.ok(err instanceof EvidentError);
        assert.equal(err.code, 'E_EVIDENCE');
        assert.match(err.message, /the log has forked since the --since checkpoint: at size 2/);
        return true;
      },
    );
    assert.equal(existsSync(dir), false, 'nothing written');
  });

  it('reports unsigned entries, and accepts them only with allowUnsigned', async () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1' as const,
      subject: [],
      predicateType: SCAN_PREDICATE_TYPE,
      predicate: {
        scan: { ...sampleScanResult({ finishedAt: '2026-04-03T00:00:00.000Z' }), inputs: [] },
        recordedAt: '2026-04-03T00:00:00.000Z',
      },
    };
    await appendToLedger(L.ledgerDir, [await createEnvelope(statement)], {
      signer: keyStoreFromPem(L.privateKeyPem),
    });
    const dir = path.join(await tmp(), 'b');
    await exportBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      from: '2026-04-03',
      to: '2026-04-03',
      now: NOW,
      dir,
    });
    const strict = await verifyBundle(dir, L.publicKeyPem);
    assert.equal(strict.ok, false);
    assert.equal(strict.unsigned, 1);
    assert.ok(strict.checks.some((c) => !c.ok && /entries\/000005.dsse.json: unsigned/.test(c.detail)));
    const lenient = await verifyBundle(dir, L.publicKeyPem, { allowUnsigned: true });
    assert.deepEqual(
      lenient.checks.filter((c) => !c.ok),
      [],
    );
  });
});

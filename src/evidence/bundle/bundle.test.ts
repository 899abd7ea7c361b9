import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { x as tarExtract } from 'tar';
import { EvidentError } from '../../core/errors.js';
import { createEnvelope, envelopeBytes } from '../dsse.js';
import { generateKeyPair, keyStoreFromPem } from '../keys.js';
import { tempDir } from '../test-support/fixtures.js';
import { type BundleFiles, readBundle, writeBundleArchive, writeBundleDir } from './archive.js';
import { INCLUSION_SCRIPT } from './auditor-md.js';
import type { BundleManifest } from './bundle-files.js';
import { parseSafeCsv } from './csv-safe.js';
import { collectBundle, exportBundle } from './export-bundle.js';
import { oscalValidator } from './testing/oscal-validator.js';
import { buildSampleLedger, type SampleLedger } from './testing/sample-ledger.js';
import { verifyBundle } from './verify-bundle.js';

async function tmp(): Promise<string> {
  return tempDir('evident-bundle-test-');
}

let L: SampleLedger;
let files: BundleFiles;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const NOW = new Date('2026-04-05T12:00:00.000Z');

async function writeVariant(variant: BundleFiles): Promise<string> {
  const dir = path.join(await tmp(), 'evident-bundle');
  await writeBundleDir(dir, variant);
  return dir;
}

function failures(report: { checks: { ok: boolean; detail: string }[] }): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.detail);
}

describe('auditor bundle: export and verify', () => {
  before(async () => {
    L = await buildSampleLedger();
    ({ files } = await collectBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      ...MARCH,
      now: NOW,
    }));
  });

  it('selects the period (inclusive, UTC) and carries the layout', async () => {
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as BundleManifest;
    assert.deepEqual(
      manifest.entries.map((e) => e.index),
      [1, 2, 3],
    );
    assert.equal(manifest.log.treeSize, 5);
    for (const f of [
      'SHA256SUMS',
      'AUDITOR.md',
      'checkpoint.txt',
      'keys/evident.pub',
      'entries/000001.dsse.json',
      'entries/000001.pae.bin',
      'entries/000001.sig.bin',
      'proofs/000003.json',
      'report/index.html',
      'report/findings.csv',
      'report/controls.csv',
      'report/oscal-assessment-results.json',
    ]) {
      assert.ok(files.has(f), f);
    }
    assert.ok([...files.keys()].some((k) => k.startsWith('blobs/sha256/')));
    assert.deepEqual(
      Object.keys(manifest.files).sort(),
      [...files.keys()].filter((k) => k !== 'manifest.json' && k !== 'SHA256SUMS').sort(),
    );
    const html = files.get('report/index.html')!.toString();
    assert.ok(!html.includes('<script>alert'), 'finding message is escaped');
    assert.ok(html.includes('https://github.com/acme/platform/actions/runs/4242'), html.slice(0, 0));
    const findings = parseSafeCsv(files.get('report/findings.csv')!.toString());
    assert.ok(
      findings.some((r) => r.includes('=HYPERLINK("http://evil.example","x") <script>alert(1)</script>')),
    );
    assert.ok(files.get('report/findings.csv')!.toString().includes(`"'=HYPERLINK`));
    const validate = oscalValidator();
    assert.equal(
      validate(JSON.parse(files.get('report/oscal-assessment-results.json')!.toString())),
      true,
      JSON.stringify(validate.errors?.slice(0, 3)),
    );
  });

  it('exports a tar.gz that verifies with the pinned key, and a directory', async () => {
    const out = path.join(await tmp(), 'b.tar.gz');
    const summary = await exportBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      ...MARCH,
      now: NOW,
      output: out,
    });
    assert.equal(summary.entries, 3);
    assert.equal(summary.runs, 2);
    assert.equal(summary.manual, 1);
    const report = await verifyBundle(out, L.publicKeyPem);
    assert.deepEqual(failures(report), []);
    assert.equal(report.ok, true);
    assert.equal(report.entries, 3);
    const names = report.checks.map((c) => c.name);
    for (const n of [
      'file-digest',
      'key',
      'checkpoint-signature',
      'signature',
      'inclusion',
      'blob',
      'derived',
    ])
      assert.ok(names.includes(n), n);
    const dir = path.join(await tmp(), 'out');
    await exportBundle({
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      ...MARCH,
      now: NOW,
      dir,
    });
    assert.equal((await verifyBundle(dir, L.publicKeyPem)).ok, true);
  });

  it('refuses bad usage: bad dates, from > to, empty period, wrong key', async () => {
    const base = { ledgerDir: L.ledgerDir, blobDir: L.blobDir, publicKeyPem: L.publicKeyPem };
    const usage = async (p: Promise<unknown>, re: RegExp, code = 'E_USAGE') =>
      assert.rejects(p, (e: unknown) => e instanceof EvidentError && e.code === code && re.test(e.message));
    await usage(
      collectBundle({ ...base, from: '2026-02-30', to: '2026-03-01' }),
      /--from "2026-02-30" is not a date/,
    );
    await usage(collectBundle({ ...base, from: '2026-04-01', to: '2026-03-01' }), /after --to/);
    await usage(collectBundle({ ...base, from: '2025-01-01', to: '2025-01-31' }), /no evidence was recorded/);
    await usage(
      collectBundle({ ...base, ...MARCH, publicKeyPem: generateKeyPair().publicKeyPem }),
      /checkpoint/,
      'E_EVIDENCE',
    );
  });

  it('detects a flipped byte in EVERY file, naming the file', async () => {
    for (const [rel, bytes] of files) {
      for (const at of new Set([0, Math.floor(bytes.length / 2), bytes.length - 1])) {
        const copy = new Map(files);
        const b = Buffer.from(bytes);
        b[at] = b[at]! ^ 0x01;
        copy.set(rel, b);
        const report = await verifyBundle(await writeVariant(copy), L.publicKeyPem);
        assert.equal(report.ok, false, `${rel}@${at} flip not detected`);
        const f = failures(report);
        const named = rel === 'manifest.json' ? f.length > 0 : f.some((d) => d.includes(rel));
        assert.ok(named, `${rel}@${at}: failures do not name the file: ${f.join(' | ')}`);
      }
    }
  });

  it('detects a deleted, reordered (renamed) or duplicated entry', async () => {
    const del = new Map(files);
    del.delete('entries/000002.dsse.json');
    assert.ok(
      failures(await verifyBundle(await writeVariant(del), L.publicKeyPem)).some((d) =>
        d.includes('entries/000002.dsse.json: entry 2 is missing'),
      ),
    );

    const dir = await writeVariant(files);
    await rename(path.join(dir, 'entries/000001.dsse.json'), path.join(dir, 'tmp'));
    await rename(path.join(dir, 'entries/000002.dsse.json'), path.join(dir, 'entries/000001.dsse.json'));
    await rename(path.join(dir, 'tmp'), path.join(dir, 'entries/000002.dsse.json'));
    const swapped = failures(await verifyBundle(dir, L.publicKeyPem));
    assert.ok(
      swapped.some((d) => /entries\/000001.dsse.json: leaf hash/.test(d)),
      swapped.join('\n'),
    );
    assert.ok(swapped.some((d) => /entries\/000002.dsse.json: sha256/.test(d)));

    const dup = new Map(files);
    dup.set('entries/000004.dsse.json', files.get('entries/000003.dsse.json')!);
    assert.ok(
      failures(await verifyBundle(await writeVariant(dup), L.publicKeyPem)).some((d) =>
        d.includes('entries/000004.dsse.json'),
      ),
    );

    // Duplicated in the manifest itself (and SHA256SUMS adjusted): still caught.
    const m = JSON.parse(files.get('manifest.json')!.toString()) as BundleManifest;
    m.entries.splice(1, 0, m.entries[0]!);
    const dupManifest = new Map(files);
    dupManifest.set('manifest.json', Buffer.from(`${JSON.stringify(m, null, 2)}\n`));
    const f = failures(await verifyBundle(await writeVariant(dupManifest), L.publicKeyPem));
    assert.ok(
      f.some((d) => /entry 1 is listed twice/.test(d)),
      f.join('\n'),
    );
    // Duplicate member in a tar archive: refused by the reader.
  });

  it('detects a replaced key and envelopes re-signed with another key (pinned key wins)', async () => {
    const other = generateKeyPair();
    const signer = keyStoreFromPem(other.privateKeyPem);
    const forged = new Map(files);
    forged.set('keys/evident.pub', Buffer.from(other.publicKeyPem));
    const env = JSON.parse(files.get('entries/000001.dsse.json')!.toString());
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    forged.set('entries/000001.dsse.json', envelopeBytes(await createEnvelope(statement, signer)));
    const f = failures(await verifyBundle(await writeVariant(forged), L.publicKeyPem));
    assert.ok(
      f.some((d) => /keys\/evident.pub: key SHA256:.* is not the pinned key/.test(d)),
      f.join('\n'),
    );
    assert.ok(
      f.some((d) => /entries\/000001.dsse.json: signed by key SHA256:.*but the pinned key is/.test(d)),
      f.join('\n'),
    );
    // And the forger's own key does not make it pass either (checkpoint is signed by the real key).
    assert.equal((await verifyBundle(await writeVariant(forged), other.publicKeyPem)).ok, false);
  });

  it('reports extra and missing files', async () => {
    const extra = new Map(files);
    extra.set('report/extra.txt', Buffer.from('hi'));
    assert.ok(
      failures(await verifyBundle(await writeVariant(extra), L.publicKeyPem)).some((d) =>
        d.startsWith('report/extra.txt: present in the bundle but not listed'),
      ),
    );
    const missing = new Map(files);
    missing.delete('report/controls.csv');
    assert.ok(
      failures(await verifyBundle(await writeVariant(missing), L.publicKeyPem)).some((d) =>
        d.startsWith('report/controls.csv: listed in manifest.json but missing'),
      ),
    );
  });

  it('passes sha256sum -c, the openssl Ed25519 route, the PAE shell check and the Python inclusion recipe', async () => {
    const out = path.join(await tmp(), 'b.tar.gz');
    await writeBundleArchive(out, files, NOW);
    const x = await tmp();
    await tarExtract({ file: out, cwd: x });
    const dir = path.join(x, 'evident-bundle');
    const pub = path.join(x, 'pinned.pub');
    await writeFile(pub, L.publicKeyPem);
    const sh = (cmd: string) =>
      execFileSync('sh', ['-c', cmd], { cwd: dir, env: { ...process.env, PUB: pub } }).toString();
    assert.match(sh('sha256sum -c SHA256SUMS'), /manifest.json: OK/);
    for (const stem of ['000001', '000002', '000003']) {
      assert.match(
        sh(
          `openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in entries/${stem}.pae.bin -sigfile entries/${stem}.sig.bin`,
        ),
        /Signature Verified Successfully/,
      );
    }
    // The commands of AUDITOR.md, run as written.
    const md = (await readFile(path.join(dir, 'AUDITOR.md'), 'utf8')).split('\n');
    const blocks: string[] = [];
    let cur: string[] | undefined;
    for (const line of md) {
      if (/^\s*```sh$/.test(line)) cur = [];
      else if (cur && /^\s*```$/.test(line)) {
        blocks.push(cur.map((l) => l.replace(/^ {3}/, '')).join('\n'));
        cur = undefined;
      } else if (cur) cur.push(line);
    }
    const runnable = blocks.filter((b) => !b.startsWith('evident verify'));
    assert.equal(runnable.length, 6);
    for (const b of runnable) sh(`set -e\n${b}`);
    assert.match(
      sh(
        'openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in /tmp/checkpoint.body -sigfile /tmp/checkpoint.sig',
      ),
      /Verified/,
    );
    // A tampered PAE fails openssl.
    const pae = await readFile(path.join(dir, 'entries/000001.pae.bin'));
    pae[pae.length - 2] = pae[pae.length - 2]! ^ 1;
    await writeFile(path.join(dir, 'entries/000001.pae.bin'), pae);
    assert.throws(() =>
      sh(
        'openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in entries/000001.pae.bin -sigfile entries/000001.sig.bin 2>/dev/null',
      ),
    );
    // Python inclusion recipe, when python3 is present.
    let python = true;
    try {
      execFileSync('python3', ['--version']);
    } catch {
      python = false;
    }
    if (python) {
      await writeFile(path.join(x, 'verify_inclusion.py'), INCLUSION_SCRIPT);
      for (const stem of ['000001', '000002', '000003']) {
        assert.match(
          sh(`python3 ../verify_inclusion.py entries/${stem}.dsse.json proofs/${stem}.json checkpoint.txt`),
          /^OK: entry/,
        );
      }
      await unlink(path.join(dir, 'entries/000002.dsse.json'));
      await writeFile(path.join(dir, 'entries/000002.dsse.json'), files.get('entries/000003.dsse.json')!);
      assert.throws(() =>
        sh(
          'python3 ../verify_inclusion.py entries/000002.dsse.json proofs/000002.json checkpoint.txt 2>/dev/null',
        ),
      );
    }
  });

  it('round-trips through readBundle', async () => {
    const out = path.join(await tmp(), 'b.tar.gz');
    await writeBundleArchive(out, files, NOW);
    const read = await readBundle(out);
    assert.deepEqual([...read.keys()], [...files.keys()]);
  });
});

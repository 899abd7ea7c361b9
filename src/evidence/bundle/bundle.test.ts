import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { x as tarExtract } from 'tar';
import { needsCorpora } from '../../../test/support/corpora.js';
import { EvidentError } from '../../core/errors.js';
import { canonicalize } from '../canonical-json.js';
import { createEnvelope, envelopeBytes } from '../dsse.js';
import { sha256Hex } from '../hash.js';
import { generateKeyPair, keyStoreFromPem } from '../keys.js';
import { tempDir } from '../test-support/fixtures.js';
import { type BundleFiles, readBundle, writeBundleArchive, writeBundleDir } from './archive.js';
import { entryStem, INCLUSION_SCRIPT } from './auditor-md.js';
import { type BundleManifest, blobsReferenced, buildBundleFiles, decodeEntry } from './bundle-files.js';
import { parseSafeCsv } from './csv-safe.js';
import { collectBundle, exportBundle } from './export-bundle.js';
import { attachManifestEnvelope, signBundleManifest } from './manifest-signature.js';
import { oscalValidator } from './testing/oscal-validator.js';
import { buildSampleLedger, type SampleLedger } from './testing/sample-ledger.js';
import { verifyBundle } from './verify-bundle.js';

async function tmp(): Promise<string> {
  return tempDir('evident-bundle-test-');
}

let L: SampleLedger;
/** The March bundle with a signed manifest. */
let files: BundleFiles;
/** The same bundle exported without the private key (unsigned manifest). */
let unsignedFiles: BundleFiles;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const NOW = new Date('2026-04-05T12:00:00.000Z');

async function writeVariant(variant: BundleFiles): Promise<string> {
  const dir = path.join(await tmp(), 'evident-bundle');
  await writeBundleDir(dir, variant);
  return dir;
}

/**
 * What someone who can rewrite every file but cannot sign builds: the bundle without entry `drop`, its manifest,
 * SHA256SUMS, AUDITOR.md and reports rebuilt consistently by the real builder from the remaining signed entries.
 */
function dropEntry(src: BundleFiles, drop: number): BundleFiles {
  const m = JSON.parse(src.get('manifest.json')!.toString()) as BundleManifest;
  const entries = m.entries
    .filter((e) => e.index !== drop)
    .map((e) => ({
      index: e.index,
      bytes: src.get(e.file)!,
      proof: (JSON.parse(src.get(`proofs/${entryStem(e.index)}.json`)!.toString()) as { hashes: string[] })
        .hashes,
    }));
  const decoded = entries.map((e) => decodeEntry(e.index, e.bytes));
  const blobs = new Map(blobsReferenced(decoded).map((h) => [h, src.get(`blobs/sha256/${h}`)!]));
  return buildBundleFiles({
    createdAt: m.createdAt,
    period: m.period,
    checkpointText: src.get('checkpoint.txt')!.toString(),
    publicKeyPem: src.get('keys/evident.pub')!.toString(),
    entries,
    blobs,
    missingBlobs: [],
  });
}

function failures(report: { checks: { ok: boolean; detail: string }[] }): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.detail);
}

describe('auditor bundle: export and verify', () => {
  before(async () => {
    L = await buildSampleLedger();
    const opts = {
      ledgerDir: L.ledgerDir,
      blobDir: L.blobDir,
      publicKeyPem: L.publicKeyPem,
      ...MARCH,
      now: NOW,
    };
    ({ files } = await collectBundle({ ...opts, signer: keyStoreFromPem(L.privateKeyPem) }));
    ({ files: unsignedFiles } = await collectBundle(opts));
  });

  it('selects the period (inclusive, UTC) and carries the layout', async (t) => {
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
      'manifest.dsse.json',
      'manifest.pae.bin',
      'manifest.sig.bin',
    ]) {
      assert.ok(files.has(f), f);
    }
    assert.ok([...files.keys()].some((k) => k.startsWith('blobs/sha256/')));
    const unlisted = [
      'manifest.json',
      'SHA256SUMS',
      'manifest.dsse.json',
      'manifest.pae.bin',
      'manifest.sig.bin',
    ];
    assert.deepEqual(
      Object.keys(manifest.files).sort(),
      [...files.keys()].filter((k) => !unlisted.includes(k)).sort(),
    );
    // The unsigned export is the same bundle without the three signature files (and their SHA256SUMS lines).
    assert.deepEqual(
      [...unsignedFiles.keys()],
      [...files.keys()].filter((k) => !unlisted.slice(2).includes(k)),
    );
    assert.ok(unsignedFiles.get('manifest.json')!.equals(files.get('manifest.json')!));
    const sums = files.get('SHA256SUMS')!.toString();
    for (const f of unlisted.slice(2)) assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${f}$`, 'm'));
    const html = files.get('report/index.html')!.toString();
    assert.ok(!html.includes('<script>alert'), 'finding message is escaped');
    assert.ok(html.includes('https://github.com/acme/platform/actions/runs/4242'), html.slice(0, 0));
    const findings = parseSafeCsv(files.get('report/findings.csv')!.toString());
    assert.ok(
      findings.some((r) => r.includes('=HYPERLINK("http://evil.example","x") <script>alert(1)</script>')),
    );
    assert.ok(files.get('report/findings.csv')!.toString().includes(`"'=HYPERLINK`));
    await t.test(
      "the OSCAL report validates against NIST's schema",
      { skip: needsCorpora('oscal-schemas') },
      () => {
        const validate = oscalValidator();
        assert.equal(
          validate(JSON.parse(files.get('report/oscal-assessment-results.json')!.toString())),
          true,
          JSON.stringify(validate.errors?.slice(0, 3)),
        );
      },
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
      signer: keyStoreFromPem(L.privateKeyPem),
    });
    assert.equal(summary.entries, 3);
    assert.equal(summary.manifestSigned, true);
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
      'manifest-signature',
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
      signer: keyStoreFromPem(L.privateKeyPem),
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
    await usage(
      collectBundle({ ...base, ...MARCH, signer: keyStoreFromPem(generateKeyPair().privateKeyPem) }),
      /the signing key \(SHA256:.*\) is not the key of the log/,
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
    assert.equal(runnable.length, 7);
    for (const b of runnable) sh(`set -e\n${b}`);
    const manifestBlock = runnable.find((b) => b.includes('manifest.pae.bin'));
    assert.ok(manifestBlock);
    assert.match(sh(`set -e\n${manifestBlock}`), /holds exactly the signed entries: 1,2,3/);
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

  it('signs the manifest: subject sha256(manifest.json), predicate with every in-period index', async () => {
    const report = await verifyBundle(await writeVariant(files), L.publicKeyPem);
    assert.deepEqual(failures(report), []);
    const check = report.checks.find((c) => c.name === 'manifest-signature');
    assert.equal(check?.ok, true);
    assert.match(check!.detail, /signed by the pinned key SHA256:.*exactly the 3 entries/);
    const env = JSON.parse(files.get('manifest.dsse.json')!.toString());
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    assert.equal(st.predicateType, 'https://evident.dev/attestations/bundle-manifest/v1');
    assert.deepEqual(st.subject, [
      { name: 'manifest.json', digest: { sha256: sha256Hex(files.get('manifest.json')!) } },
    ]);
    const m = JSON.parse(files.get('manifest.json')!.toString()) as BundleManifest;
    assert.deepEqual(st.predicate, {
      period: MARCH,
      framework: null,
      log: m.log,
      entryIndexes: [1, 2, 3],
      createdAt: NOW.toISOString(),
    });
  });

  it('detects an in-period entry dropped with manifest, SHA256SUMS and reports rebuilt consistently', async () => {
    const rebuilt = dropEntry(files, 2);
    assert.ok(!rebuilt.has('entries/000002.dsse.json') && !rebuilt.has('proofs/000002.json'));
    // Unsigned, the rewrite is consistent: the manifest signature is the only check that can notice.
    const bare = await verifyBundle(await writeVariant(rebuilt), L.publicKeyPem);
    assert.deepEqual(
      bare.checks.filter((c) => !c.ok).map((c) => c.name),
      ['manifest-signature'],
    );
    // With the original signature kept: the signed digest and the signed population both say so.
    const kept = attachManifestEnvelope(rebuilt, files.get('manifest.dsse.json')!);
    const f = failures(await verifyBundle(await writeVariant(kept), L.publicKeyPem));
    assert.ok(
      f.some((d) =>
        /^manifest.dsse.json: signs manifest.json with sha256 [0-9a-f]{64}, but manifest.json hashes to/.test(
          d,
        ),
      ),
      f.join('\n'),
    );
    assert.ok(
      f.some((d) =>
        d.includes(
          'manifest.dsse.json: the signed population of the period is entries [1, 2, 3], but the bundle carries [1, 3]; missing: 2',
        ),
      ),
      f.join('\n'),
    );
    // The original manifest kept instead (only the entry's files removed): the entry is named missing.
    const removed = new Map(files);
    for (const k of [
      'entries/000002.dsse.json',
      'entries/000002.pae.bin',
      'entries/000002.sig.bin',
      'proofs/000002.json',
    ])
      removed.delete(k);
    assert.ok(
      failures(await verifyBundle(await writeVariant(removed), L.publicKeyPem)).some((d) =>
        d.includes('entries/000002.dsse.json: entry 2 is missing'),
      ),
    );
  });

  it('detects a tampered manifest.dsse.json and a manifest signed by another key', async () => {
    const env = JSON.parse(files.get('manifest.dsse.json')!.toString());
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    st.predicate.entryIndexes = [1, 3];
    env.payload = Buffer.from(canonicalize(st)).toString('base64');
    const edited = attachManifestEnvelope(dropEntry(files, 2), Buffer.from(canonicalize(env)));
    const f = failures(await verifyBundle(await writeVariant(edited), L.publicKeyPem));
    assert.ok(
      f.some((d) => /^manifest.dsse.json: signature does not verify with the pinned key/.test(d)),
      f.join('\n'),
    );

    const other = keyStoreFromPem(generateKeyPair().privateKeyPem);
    const forged = await signBundleManifest(dropEntry(files, 2), other);
    const g = failures(await verifyBundle(await writeVariant(forged), L.publicKeyPem));
    assert.ok(
      g.some(
        (d) =>
          d ===
          `manifest.dsse.json: signed by key ${other.keyId()}, but the pinned key is ${keyStoreFromPem(L.privateKeyPem).keyId()}`,
      ),
      g.join('\n'),
    );
    // A stray signature file without its envelope is not part of any bundle.
    const stray = new Map(unsignedFiles);
    stray.set('manifest.sig.bin', files.get('manifest.sig.bin')!);
    assert.ok(
      failures(await verifyBundle(await writeVariant(stray), L.publicKeyPem, { allowUnsigned: true })).some(
        (d) => d.startsWith('manifest.sig.bin: not part of a bundle'),
      ),
    );
  });

  it('fails an unsigned manifest unless allowed, then reports it as UNSIGNED', async () => {
    const dir = await writeVariant(unsignedFiles);
    const strict = await verifyBundle(dir, L.publicKeyPem);
    assert.equal(strict.ok, false);
    const f = strict.checks.filter((c) => !c.ok);
    assert.deepEqual(
      f.map((c) => c.name),
      ['manifest-signature'],
    );
    assert.match(f[0]!.detail, /^manifest.dsse.json: missing — manifest.json is unsigned, so nothing proves/);
    for (const opts of [{ allowUnsignedManifest: true }, { allowUnsigned: true }]) {
      const lax = await verifyBundle(dir, L.publicKeyPem, opts);
      assert.equal(lax.ok, true, JSON.stringify(opts));
      assert.match(lax.checks.find((c) => c.name === 'manifest-signature')!.detail, /UNSIGNED/);
    }
    // Stripping the signature from a signed bundle gives exactly the unsigned bundle: it fails the same way.
    const stripped = new Map([...files].filter(([k]) => !k.startsWith('manifest.') || k === 'manifest.json'));
    stripped.set('SHA256SUMS', unsignedFiles.get('SHA256SUMS')!);
    assert.deepEqual([...stripped], [...unsignedFiles]);
  });

  it('the openssl route for the manifest detects a dropped entry and a tampered signature', async () => {
    const block = (dir: string) => {
      const md = readFileSync(path.join(dir, 'AUDITOR.md'), 'utf8');
      const m = /\n {3}```sh\n( {3}openssl pkeyutl -verify[^\n]*manifest\.pae\.bin[\s\S]*?)\n {3}```/.exec(
        md,
      );
      assert.ok(m, 'manifest block in AUDITOR.md');
      return m[1]!.replace(/^ {3}/gm, '');
    };
    const pub = path.join(await tmp(), 'pinned.pub');
    await writeFile(pub, L.publicKeyPem);
    const sh = (dir: string, cmd: string) =>
      execFileSync('sh', ['-c', `set -e\n${cmd}`], {
        cwd: dir,
        env: { ...process.env, PUB: pub },
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
    const good = await writeVariant(files);
    assert.match(
      sh(good, block(good)),
      /Signature Verified Successfully[\s\S]*exactly the signed entries: 1,2,3/,
    );
    // Entry 2 dropped, manifest and reports rebuilt, original signature kept: the digest check fails.
    const kept = await writeVariant(
      attachManifestEnvelope(dropEntry(files, 2), files.get('manifest.dsse.json')!),
    );
    assert.throws(() => sh(kept, block(kept)));
    // Entry 2's files removed, manifest kept: the signed list differs from entries/.
    const removed = await writeVariant(files);
    for (const k of ['000002.dsse.json', '000002.pae.bin', '000002.sig.bin'])
      await unlink(path.join(removed, 'entries', k));
    assert.throws(() => sh(removed, block(removed)), /Command failed/);
    assert.doesNotThrow(() => sh(removed, block(removed).replace(/\ntest "\$SIGNED"[^\n]*/, '')));
    // A tampered PAE fails openssl.
    const pae = Buffer.from(files.get('manifest.pae.bin')!);
    pae[pae.length - 3] = pae[pae.length - 3]! ^ 1;
    const tampered = await writeVariant(new Map(files).set('manifest.pae.bin', pae));
    assert.throws(() =>
      sh(
        tampered,
        'openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in manifest.pae.bin -sigfile manifest.sig.bin',
      ),
    );
  });

  it('round-trips through readBundle', async () => {
    const out = path.join(await tmp(), 'b.tar.gz');
    await writeBundleArchive(out, files, NOW);
    const read = await readBundle(out);
    assert.deepEqual([...read.keys()], [...files.keys()]);
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { verifyBundle } from '../evidence/bundle/verify-bundle.js';
import { tempDir, testKey } from '../evidence/test-support/fixtures.js';
import { verifyLog } from '../evidence/verify-log.js';
import { rows } from '../store/open-store.js';
import { createToken, upsertRepository } from '../store/repos.js';
import { exportServerLog, latestCheckpoint } from '../store/server-log.js';
import { forEachBackend } from '../store/testing/backends.js';
import { scanEnvelope, scanPush, syntheticScan } from '../store/testing/synthetic.js';
import { type Harness, harness } from './testing/harness.js';

const counts = async (h: Harness) => {
  const [r] = await rows<{ entries: number; runs: number; blobs: number }>(
    h.ctx.store.db,
    sql`select (select count(*)::int from log_entries) as entries, (select count(*)::int from runs) as runs,
               (select count(*)::int from blobs) as blobs`,
  );
  return r!;
};

forEachBackend('push', (b) => {
  const ci = testKey();
  const server = testKey();
  const stranger = testKey();
  let h: Harness;
  let token = '';
  let revoked = '';
  const push = (body: unknown, t = token) =>
    h.app.inject({
      method: 'POST',
      url: '/api/push',
      headers: { authorization: `Bearer ${t}` },
      payload: body as object,
    });

  before(async () => {
    h = await harness(b.store(), { signer: server.signer, now: new Date('2026-03-20T00:00:00Z') });
    const repo = await upsertRepository(b.store().db, 'acme/payments', {
      publicKeyPem: ci.publicKeyPem,
      keyId: ci.keyId,
    });
    token = (await createToken(b.store().db, repo.id)).token;
    const t2 = await createToken(b.store().db, repo.id);
    revoked = t2.token;
    const admin = await h.as('admin');
    const res = await h.app.inject({
      method: 'DELETE',
      url: `/api/repositories/acme%2Fpayments/tokens/${t2.id}`,
      headers: admin,
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a signed run is recorded once: the same envelope again is a duplicate', async () => {
    const body = await scanPush(
      syntheticScan({ recordedAt: '2026-03-10T00:00:00.000Z', findings: 20 }),
      'p-1',
      ci.signer,
    );
    const first = await push(body);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().status, 'appended');
    assert.equal(first.json().index, 0);
    const again = await push(body);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().status, 'duplicate');
    assert.deepEqual(await counts(h), { entries: 1, runs: 1, blobs: 1 });
    const cp = await latestCheckpoint(b.store().db);
    assert.equal(cp.size, 1);
    assert.match(cp.text, /^evident\.test\/server\n1\n/);
  });

  test('bad pushes are refused with a clear error and store nothing', async () => {
    const before = await counts(h);
    const good = await scanEnvelope(
      syntheticScan({ recordedAt: '2026-03-11T00:00:00.000Z', findings: 5 }),
      'p-2',
      ci.signer,
    );
    const doc = Buffer.from('resource "x" "y" {}');
    const docSha = createHash('sha256').update(doc).digest('hex');
    const cases: [
      string,
      () => Promise<{ statusCode: number; json(): { error: string; message: string } }>,
      number,
      string,
    ][] = [
      ['no token', () => push({ envelope: good }, 'evt_' + 'x'.repeat(43)), 401, 'E_UNAUTHENTICATED'],
      ['revoked token', () => push({ envelope: good }, revoked), 401, 'E_UNAUTHENTICATED'],
      [
        'unregistered key',
        async () =>
          push({
            envelope: await scanEnvelope(
              syntheticScan({ recordedAt: '2026-03-11T00:00:00.000Z', findings: 5 }),
              'p-3',
              stranger.signer,
            ),
          }),
        403,
        'E_PUSH_KEY',
      ],
      [
        'unsigned',
        async () =>
          push({
            envelope: await scanEnvelope(
              syntheticScan({ recordedAt: '2026-03-11T00:00:00.000Z', findings: 5 }),
              'p-4',
            ),
          }),
        403,
        'E_PUSH_KEY',
      ],
      [
        'tampered payload',
        () =>
          push({
            envelope: {
              ...good,
              payload: Buffer.from(
                '{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"https://evident.dev/attestations/scan-run/v1","predicate":{}}',
              ).toString('base64'),
            },
          }),
        403,
        'E_PUSH_KEY',
      ],
      [
        'replayed runId',
        async () =>
          push(
            await scanPush(
              syntheticScan({ recordedAt: '2026-03-12T00:00:00.000Z', findings: 3 }),
              'p-1',
              ci.signer,
            ),
          ),
        409,
        'E_PUSH_REPLAY',
      ],
      ['not base64', () => push({ envelope: { ...good, payload: '%%%' } }), 400, 'E_VALIDATION'],
      ['not an envelope', () => push({ hello: 'world' }), 400, 'E_VALIDATION'],
      [
        'malformed JSON',
        () =>
          h.app.inject({
            method: 'POST',
            url: '/api/push',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload: '{"envelope": {',
          }),
        400,
        'E_BAD_REQUEST',
      ],
      [
        'path traversal in a blob name',
        () =>
          push({
            envelope: good,
            blobs: [{ sha256: docSha, name: '../../etc/passwd', data: doc.toString('base64') }],
          }),
        400,
        'E_VALIDATION',
      ],
      [
        'absolute blob name',
        () =>
          push({
            envelope: good,
            blobs: [{ sha256: docSha, name: '/etc/passwd', data: doc.toString('base64') }],
          }),
        400,
        'E_VALIDATION',
      ],
      [
        'blob digest mismatch',
        () => push({ envelope: good, blobs: [{ sha256: 'f'.repeat(64), data: doc.toString('base64') }] }),
        400,
        'E_PUSH_INVALID',
      ],
      [
        'blob not referenced',
        () => push({ envelope: good, blobs: [{ sha256: docSha, data: doc.toString('base64') }] }),
        400,
        'E_PUSH_INVALID',
      ],
      ['result blob not sent', () => push({ envelope: good }), 400, 'E_PUSH_INCOMPLETE'],
      [
        'oversized',
        () => push({ envelope: { ...good, payload: 'A'.repeat(65 * 1024 * 1024) } }),
        413,
        'E_INPUT_TOO_LARGE',
      ],
    ];
    for (const [name, send, status, code] of cases) {
      const res = await send();
      assert.equal(res.statusCode, status, `${name}: ${JSON.stringify(res.json())}`);
      assert.equal(res.json().error, code, name);
      assert.ok(res.json().message.length > 10, `${name} says why`);
    }
    assert.deepEqual(await counts(h), before, 'nothing was stored');
  });

  test('the server log exports to the file format and verifies; an entry re-checks its inclusion; an auditor exports a bundle', async () => {
    const doc = Buffer.from('resource "aws_s3_bucket" "b" {}\n');
    const scan = syntheticScan({ recordedAt: '2026-03-15T00:00:00.000Z', findings: 10 });
    scan.inputs = [
      {
        file: 'main.tf',
        sha256: createHash('sha256').update(doc).digest('hex'),
        kind: 'terraform',
        bytes: doc.length,
      },
    ];
    const { scanStatement } = await import('../evidence/statement.js');
    const { createEnvelope } = await import('../evidence/dsse.js');
    const { canonicalize } = await import('../evidence/canonical-json.js');
    const result = Buffer.from(canonicalize(scan));
    const resultSha = createHash('sha256').update(result).digest('hex');
    const env = await createEnvelope(
      scanStatement([{ name: 'main.tf', digest: { sha256: scan.inputs[0]!.sha256 } }], {
        scan,
        resultBlob: resultSha,
        recordedAt: scan.finishedAt,
        runId: 'p-5',
        tool: { name: 'evident', version: '0.1.0' },
      }),
      ci.signer,
    );
    const res = await push({
      envelope: env,
      blobs: [
        { sha256: scan.inputs[0]!.sha256, name: 'main.tf', data: doc.toString('base64') },
        { sha256: resultSha, data: result.toString('base64') },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const dir = tempDir('evident-serverlog-');
    const out = await exportServerLog(b.store(), join(dir, 'ledger'), join(dir, 'blobs'));
    assert.equal(out.size, 2);
    const report = await verifyLog(join(dir, 'ledger'), {
      publicKeyPem: server.publicKeyPem,
      entryKeys: [ci.publicKeyPem],
      blobDir: join(dir, 'blobs'),
    });
    assert.ok(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok)));
    const withoutCiKey = await verifyLog(join(dir, 'ledger'), {
      publicKeyPem: server.publicKeyPem,
      blobDir: false,
    });
    assert.equal(withoutCiKey.ok, false, 'entries signed by CI do not verify with the server key alone');

    const auditor = await h.as('auditor');
    const runs = (
      await h.app.inject({ method: 'GET', url: '/api/runs?repo=acme/payments', headers: auditor })
    ).json();
    assert.equal(runs.total, 2);
    const inc = (
      await h.app.inject({
        method: 'GET',
        url: `/api/entries/${runs.items[0].entryId}/inclusion`,
        headers: auditor,
      })
    ).json();
    assert.equal(inc.included, true);
    assert.equal(inc.treeSize, 2);
    assert.equal(inc.checkpointSignature.ok, true);

    const bundle = await h.app.inject({
      method: 'GET',
      url: '/api/export?from=2026-03-01&to=2026-03-31&framework=soc2',
      headers: auditor,
    });
    assert.equal(bundle.statusCode, 200, bundle.body.slice(0, 300));
    assert.equal(bundle.headers['content-type'], 'application/gzip');
    const file = join(dir, 'bundle.tar.gz');
    writeFileSync(file, bundle.rawPayload);
    const v = await verifyBundle(file, server.publicKeyPem, { entryKeys: [ci.publicKeyPem] });
    assert.ok(v.ok, JSON.stringify(v.checks.filter((c) => !c.ok)));
  });
});

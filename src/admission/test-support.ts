/** Test helpers for the admission webhook: certificates from openssl, HTTPS requests, AdmissionReview bodies. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** Writes a self-signed EC certificate for localhost/127.0.0.1 as `<dir>/<name>.crt` and `.key` (openssl). */
export function makeCert(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** Response of {@link send}: status, parsed JSON body and the server certificate's SHA-256 fingerprint. */
export interface Sent {
  status: number;
  body: Record<string, unknown>;
  fingerprint: string;
}

/** POSTs `body` (a string is sent as is) to `https://127.0.0.1:port/path`, trusting the certificates `caFile`, on a fresh connection. */
export function send(
  port: number,
  caFile: string | string[],
  body: unknown,
  path = '/validate',
  method = 'POST',
): Promise<Sent> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        ca: (Array.isArray(caFile) ? caFile : [caFile]).map((f) => readFileSync(f)),
        servername: 'localhost',
        agent: false,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { raw: text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, fingerprint });
        });
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? payload : undefined);
  });
}

/** The recorded AdmissionReview fixture (a kubectl-applied Deployment), with `object` and request fields replaced. */
export function reviewOf(
  object: Record<string, unknown>,
  over: { uid?: string; namespace?: string; operation?: string; subResource?: string } = {},
): Record<string, unknown> {
  const base = JSON.parse(
    readFileSync(new URL('./fixtures/deployment-create.json', import.meta.url), 'utf8'),
  );
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const [group, version] = String(object.apiVersion).includes('/')
    ? String(object.apiVersion).split('/')
    : ['', String(object.apiVersion)];
  const kind = { group, version, kind: object.kind };
  base.request = {
    ...base.request,
    uid: over.uid ?? base.request.uid,
    kind,
    requestKind: kind,
    resource: { group, version, resource: `${String(object.kind).toLowerCase()}s` },
    requestResource: { group, version, resource: `${String(object.kind).toLowerCase()}s` },
    name: meta.name,
    namespace: over.namespace ?? meta.namespace ?? 'default',
    operation: over.operation ?? 'CREATE',
    ...(over.subResource ? { subResource: over.subResource, requestSubResource: over.subResource } : {}),
    object,
  };
  return base;
}

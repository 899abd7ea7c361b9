/**
 * `evident attest` and `evident verify-attestation` (docs/provenance.md): SLSA provenance v1 for an artifact file
 * or an image digest, DSSE-signed with the evidence key, appended to the evidence log and written as a
 * `.intoto.jsonl` bundle (one envelope per line, the in-toto attestation bundle format); and its verification
 * against the `provenance:` policy of evident.yaml.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ProvenancePolicy } from '../control-map/admission-config.js';
import { EvidentError } from '../core/errors.js';
import { detectCiContext } from '../evidence/ci-context.js';
import { createEnvelope, decodeStatement, isDsseEnvelope, pinKey } from '../evidence/dsse.js';
import { headCommit } from '../evidence/git-commit.js';
import { sha256Hex } from '../evidence/hash.js';
import type { KeyStore } from '../evidence/keys.js';
import { appendToLedger } from '../evidence/ledger.js';
import type { DsseEnvelope } from '../evidence/types.js';
import { type AttestationCheck, checkAttestation, provenanceStatement } from './slsa.js';

/** What is attested or verified: a file (hashed) or an image reference pinned by digest. */
export type AttestTarget = { artifact: string } | { image: string };

const IMAGE_REF = /^([^@\s]+)@sha256:([0-9a-f]{64})$/;

/** Subject name and sha256 of a target. Throws EvidentError(E_USAGE/E_IO) for a tag-only image or an unreadable file. */
export function subjectOf(t: AttestTarget): { name: string; sha256: string } {
  if ('image' in t) {
    const m = IMAGE_REF.exec(t.image);
    if (!m) {
      throw new EvidentError('E_USAGE', `--image ${t.image} is not pinned by digest`, {
        hint: 'give NAME@sha256:<64 hex digits>: a tag can move, provenance is about exact bytes',
      });
    }
    return { name: m[1] as string, sha256: m[2] as string };
  }
  try {
    return { name: basename(t.artifact), sha256: sha256Hex(readFileSync(t.artifact)) };
  } catch (e) {
    throw new EvidentError('E_IO', `cannot read --artifact ${t.artifact}: ${(e as Error).message}`, {
      file: t.artifact,
    });
  }
}

/** `https://host/owner/name` of a git remote URL (`git@host:owner/name.git`, `https://host/owner/name.git`). */
export function normalizeRepoUrl(url: string): string {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(\.git)?$/.exec(url);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  return url.replace(/\.git$/, '').replace(/^(https?:\/\/)[^@/]+@/, '$1');
}

function originRemote(cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['-C', cwd, 'remote', 'get-url', 'origin'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    return out.toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Result of {@link attest}. */
export interface AttestResult {
  bundle: string;
  subject: { name: string; sha256: string };
  logIndex: number;
  builderId: string;
  sourceUri: string;
}

/**
 * Writes signed provenance for `target`: source URI from `sourceUri`, else the CI context (run URL's origin +
 * repository), else the `origin` remote; commit from CI, else HEAD of `cwd`. Appends the envelope to `ledgerDir`
 * and to the bundle (`out`, default `<artifact>.intoto.jsonl`, or `<image name's last segment>.intoto.jsonl` in
 * `cwd`). Throws EvidentError(E_USAGE) without a signer (unsigned provenance proves nothing) or a source URI.
 */
export async function attest(opts: {
  target: AttestTarget;
  signer?: KeyStore;
  ledgerDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  builderId?: string;
  sourceUri?: string;
  out?: string;
  now?: Date;
}): Promise<AttestResult> {
  if (!opts.signer) {
    throw new EvidentError('E_USAGE', 'evident attest needs a signing key', {
      hint: 'set --key-file, $EVIDENT_SIGNING_KEY_FILE or $EVIDENT_SIGNING_KEY: unsigned provenance proves nothing',
    });
  }
  const subject = subjectOf(opts.target);
  const ci = detectCiContext(opts.env);
  const ciOrigin = ci?.runUrl ? new URL(ci.runUrl).origin : undefined;
  const remote = originRemote(opts.cwd);
  const sourceUri =
    opts.sourceUri ??
    (ciOrigin && ci?.repository
      ? `${ciOrigin}/${ci.repository}`
      : remote
        ? normalizeRepoUrl(remote)
        : undefined);
  if (!sourceUri) {
    throw new EvidentError('E_USAGE', 'the source repository is unknown (not in CI, no git remote origin)', {
      hint: 'pass --source-uri https://host/owner/repo',
    });
  }
  const builderId = opts.builderId ?? `https://evident.dev/builders/${ci?.provider ?? 'local'}`;
  const statement = provenanceStatement({
    subject,
    builderId,
    sourceUri,
    commit: ci?.commit ?? headCommit(opts.cwd)?.sha,
    ref: ci?.ref,
    ci,
    finishedOn: opts.now ?? new Date(),
  });
  const envelope = await createEnvelope(statement, opts.signer);
  const appended = await appendToLedger(opts.ledgerDir, [envelope], { signer: opts.signer });
  const bundle =
    opts.out ??
    ('artifact' in opts.target
      ? `${opts.target.artifact}.intoto.jsonl`
      : join(opts.cwd, `${subject.name.split('/').at(-1)}.intoto.jsonl`));
  appendFileSync(bundle, `${JSON.stringify(envelope)}\n`);
  return { bundle, subject, logIndex: appended.firstIndex, builderId, sourceUri };
}

/** Envelopes of a `.intoto.jsonl` bundle; lines that are not DSSE envelopes are reported as problems. */
export function readBundle(file: string): { envelopes: DsseEnvelope[]; problems: string[] } {
  const envelopes: DsseEnvelope[] = [];
  const problems: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const v = JSON.parse(line) as unknown;
        if (isDsseEnvelope(v)) envelopes.push(v);
        else problems.push(`${file}:${i + 1}: not a DSSE envelope`);
      } catch {
        problems.push(`${file}:${i + 1}: not JSON`);
      }
    });
  return { envelopes, problems };
}

/** Result of {@link verifyAttestation}: one check per envelope naming the subject's digest, `ok` when one passed them all. */
export interface VerifyAttestationResult {
  ok: boolean;
  subject: { name: string; sha256: string };
  checked: (AttestationCheck & { source: string })[];
  problems: string[];
}

/**
 * Verifies `target` against attestations in `bundles`, the artifact's own `.intoto.jsonl`, and the
 * `.intoto.jsonl` files of the policy's `attestations` directories (relative to `policyDir`). Trusted keys are
 * the policy's `trustedKeys` files (relative to `policyDir`). Throws EvidentError(E_CONFIG) for an unreadable key.
 */
export function verifyAttestation(opts: {
  target: AttestTarget;
  policy: ProvenancePolicy;
  policyDir: string;
  bundles?: string[];
}): VerifyAttestationResult {
  const subject = subjectOf(opts.target);
  const keys = opts.policy.trustedKeys.map((k) => {
    const file = resolve(opts.policyDir, k);
    try {
      return pinKey(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new EvidentError(
        'E_CONFIG',
        `provenance.trustedKeys: cannot read ${k}: ${(e as Error).message}`,
        { file },
      );
    }
  });
  const files = [...(opts.bundles ?? [])];
  if ('artifact' in opts.target && existsSync(`${opts.target.artifact}.intoto.jsonl`)) {
    files.push(`${opts.target.artifact}.intoto.jsonl`);
  }
  for (const d of opts.policy.attestations) {
    const dir = resolve(opts.policyDir, d);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.intoto.jsonl')) files.push(join(dir, f));
  }
  const checked: VerifyAttestationResult['checked'] = [];
  const problems: string[] = [];
  for (const file of [...new Set(files.map((f) => resolve(f)))]) {
    const { envelopes, problems: p } = readBundle(file);
    problems.push(...p);
    envelopes.forEach((env, i) => {
      // only attestations about this subject are candidates (a directory holds many artifacts' bundles)
      if (!decodeStatement(env)?.subject?.some((s) => s.digest?.sha256 === subject.sha256)) return;
      checked.push({
        source: `${file}#${i + 1}`,
        ...checkAttestation(env, subject.sha256, keys, opts.policy),
      });
    });
  }
  return { ok: checked.some((c) => c.ok), subject, checked, problems };
}

/** Directory of evident.yaml, against which `provenance:` paths resolve. */
export function policyDirOf(configPath: string): string {
  return dirname(resolve(configPath));
}

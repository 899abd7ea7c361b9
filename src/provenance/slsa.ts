/**
 * SLSA build provenance v1 (https://slsa.dev/spec/v1.0/provenance): the in-toto Statement
 * (`predicateType: https://slsa.dev/provenance/v1`) that `evident attest` writes for an artifact or an image
 * digest, and the checks `evident verify-attestation` applies to one (signature by a trusted key, subject digest,
 * builder and source repository allowed by the `provenance:` policy of evident.yaml).
 */
import type { ProvenancePolicy } from '../control-map/admission-config.js';
import { VERSION } from '../core/version.js';
import type { CiContext } from '../evidence/ci-context.js';
import { decodeStatement, type PinnedKey, verifyEnvelope } from '../evidence/dsse.js';
import type { DsseEnvelope, InTotoStatement } from '../evidence/types.js';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** buildType of provenance Evident writes: the externalParameters below, produced by a CI run. */
export const EVIDENT_BUILD_TYPE = 'https://evident.dev/build-types/ci/v1';

/** SLSA v1 ResourceDescriptor (the fields Evident writes). */
export interface ResourceDescriptor {
  uri?: string;
  name?: string;
  digest?: Record<string, string>;
}

/** The SLSA v1 provenance predicate (buildDefinition + runDetails). */
export interface SlsaProvenance {
  buildDefinition: {
    buildType: string;
    /** `source`: the repository (`uri`, without `@ref`) and `ref`; `workflow`, `job` when known. */
    externalParameters: {
      source: { uri: string; ref?: string };
      workflow?: string;
      job?: string;
      event?: string;
    };
    internalParameters?: { tool: { name: 'evident'; version: string }; ciProvider?: string };
    resolvedDependencies: ResourceDescriptor[];
  };
  runDetails: {
    builder: { id: string };
    metadata: { invocationId?: string; startedOn?: string; finishedOn?: string };
  };
}

/** Inputs of {@link provenanceStatement}. */
export interface ProvenanceInput {
  /** What was built: artifact file name or image name, with its sha256 (hex). */
  subject: { name: string; sha256: string };
  builderId: string;
  /** Source repository URI (e.g. `https://github.com/acme/payments`), without `@ref`. */
  sourceUri: string;
  /** Git commit (hex) of the source that was built. */
  commit?: string;
  ref?: string;
  ci?: CiContext;
  /** Further resolved dependencies (lockfiles, base images) with their digests. */
  dependencies?: ResourceDescriptor[];
  finishedOn: Date;
}

/** Builds the in-toto Statement v1 of SLSA provenance v1 for one subject. */
export function provenanceStatement(p: ProvenanceInput): InTotoStatement<SlsaProvenance> {
  const source: ResourceDescriptor = {
    uri: p.commit ? `git+${p.sourceUri}${p.ref ? `@${p.ref}` : ''}` : p.sourceUri,
    ...(p.commit ? { digest: { gitCommit: p.commit } } : {}),
  };
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: p.subject.name, digest: { sha256: p.subject.sha256 } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: EVIDENT_BUILD_TYPE,
        externalParameters: {
          source: { uri: p.sourceUri, ...(p.ref ? { ref: p.ref } : {}) },
          ...(p.ci?.workflow ? { workflow: p.ci.workflow } : {}),
          ...(p.ci?.job ? { job: p.ci.job } : {}),
          ...(p.ci?.event ? { event: p.ci.event } : {}),
        },
        internalParameters: {
          tool: { name: 'evident', version: VERSION },
          ...(p.ci ? { ciProvider: p.ci.provider } : {}),
        },
        resolvedDependencies: [source, ...(p.dependencies ?? [])],
      },
      runDetails: {
        builder: { id: p.builderId },
        metadata: {
          ...(p.ci?.runUrl ? { invocationId: p.ci.runUrl } : p.ci?.runId ? { invocationId: p.ci.runId } : {}),
          finishedOn: p.finishedOn.toISOString(),
        },
      },
    },
  };
}

/** True when `value` equals `pattern`, or starts with what precedes a trailing `*`. */
export function allowedBy(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? value.startsWith(p.slice(0, -1)) : value === p));
}

/** The outcome of checking one attestation envelope against a subject and a policy. */
export interface AttestationCheck {
  ok: boolean;
  /** One line per check, `✓`/`✗`-free: `signature: ...`, `subject: ...`, `builder: ...`, `source: ...`. */
  details: string[];
}

/**
 * Checks one DSSE envelope: signed by one of `keys` (pinned, never a key named in the envelope), an in-toto
 * Statement of SLSA provenance v1, a subject whose sha256 is `sha256`, `runDetails.builder.id` allowed by
 * `policy.builders` and the source repository (`externalParameters.source.uri`) allowed by
 * `policy.sourceRepositories` (an empty list allows nothing).
 */
export function checkAttestation(
  env: DsseEnvelope,
  sha256: string,
  keys: readonly PinnedKey[],
  policy: ProvenancePolicy,
): AttestationCheck {
  const details: string[] = [];
  let ok = true;
  const fail = (d: string) => {
    ok = false;
    details.push(d);
  };
  const sig = keys.map((k) => verifyEnvelope(env, k));
  const good = sig.find((s) => s.ok);
  if (good) details.push(`signature: ${good.detail}`);
  else
    fail(
      `signature: not signed by a trusted key (${sig.map((s) => s.detail).join('; ') || 'no trusted key'})`,
    );
  const st = decodeStatement(env);
  if (!st || st.predicateType !== SLSA_PROVENANCE_V1) {
    fail(`predicate: not SLSA provenance v1 (${st?.predicateType ?? 'undecodable payload'})`);
    return { ok, details };
  }
  if (st.subject.some((s) => s.digest.sha256 === sha256))
    details.push(`subject: sha256 ${sha256.slice(0, 12)}… matches`);
  else
    fail(
      `subject: no subject has sha256 ${sha256.slice(0, 12)}… (attested: ${st.subject.map((s) => s.name).join(', ')})`,
    );
  const pred = st.predicate as Partial<SlsaProvenance>;
  const builder = pred.runDetails?.builder?.id;
  if (typeof builder === 'string' && allowedBy(policy.builders, builder))
    details.push(`builder: ${builder} is allowed`);
  else fail(`builder: ${builder ?? '(none)'} is not in provenance.builders`);
  const source = pred.buildDefinition?.externalParameters?.source?.uri;
  if (typeof source === 'string' && allowedBy(policy.sourceRepositories, source)) {
    details.push(`source: ${source} is allowed`);
  } else fail(`source: ${source ?? '(none)'} is not in provenance.sourceRepositories`);
  return { ok, details };
}

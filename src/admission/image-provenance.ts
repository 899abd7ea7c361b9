/**
 * The webhook's image provenance requirement (docs/admission.md "Requiring build provenance"): where
 * `admission.imageProvenance` (or `admission.namespaces.N.imageProvenance`) is enforce or audit, every container
 * image of the object must be referenced by digest and have a valid SLSA provenance attestation (trusted key,
 * allowed builder and source repository: `provenance:` of evident.yaml) in the `provenance.attestations`
 * directories. Attestations are indexed by subject digest at start; a digest without a valid one rescans the
 * directories (at most once per `rescanMs`), so an image attested after the webhook started is found without a
 * restart. Valid verdicts are cached per digest.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProvenancePolicy } from '../control-map/admission-config.js';
import { EvidentError } from '../core/errors.js';
import { decodeStatement, type PinnedKey, pinKey } from '../evidence/dsse.js';
import type { DsseEnvelope } from '../evidence/types.js';
import { readBundle } from '../provenance/attest.js';
import { checkAttestation } from '../provenance/slsa.js';

/** The verdict on one image. */
export interface ImageVerdict {
  image: string;
  ok: boolean;
  /** Why it is not valid, or which attestation made it valid. */
  message: string;
}

const DIGEST = /@sha256:([0-9a-f]{64})$/;

/** Checks images against attestations found in the policy's directories. */
export class ProvenanceIndex {
  private byDigest = new Map<string, DsseEnvelope[]>();
  private verdicts = new Map<string, ImageVerdict>();
  private lastScan = 0;
  private readonly keys: PinnedKey[];

  /**
   * `policyDir` is the directory of evident.yaml (paths of the policy are relative to it). Throws
   * EvidentError(E_CONFIG) for a trusted key that cannot be read.
   */
  constructor(
    private readonly policy: ProvenancePolicy,
    private readonly policyDir: string,
    private readonly rescanMs = 5000,
  ) {
    this.keys = policy.trustedKeys.map((k) => {
      const file = resolve(policyDir, k);
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
    this.scan();
  }

  private scan(): void {
    this.lastScan = Date.now();
    const index = new Map<string, DsseEnvelope[]>();
    for (const d of this.policy.attestations) {
      const dir = resolve(this.policyDir, d);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.intoto.jsonl')) continue;
        for (const env of readBundle(join(dir, f)).envelopes) {
          for (const s of decodeStatement(env)?.subject ?? []) {
            const sha = s.digest?.sha256;
            if (sha) index.set(sha, [...(index.get(sha) ?? []), env]);
          }
        }
      }
    }
    this.byDigest = index;
    this.verdicts.clear();
  }

  /** The verdict on `image` (a container's `image` string). */
  check(image: string): ImageVerdict {
    const m = DIGEST.exec(image);
    if (!m)
      return { image, ok: false, message: `image ${image} is not referenced by digest (NAME@sha256:...)` };
    const sha = m[1] as string;
    const cached = this.verdicts.get(sha);
    if (cached) return { ...cached, image };
    // not valid yet: look for new bundles (rate-limited), so an image attested after start is found
    if (Date.now() - this.lastScan >= this.rescanMs) this.scan();
    const envs = this.byDigest.get(sha) ?? [];
    let verdict: ImageVerdict = {
      image,
      ok: false,
      message: `image ${image} has no provenance attestation in ${this.policy.attestations.join(', ') || '(no attestations directory)'}`,
    };
    for (const env of envs) {
      const c = checkAttestation(env, sha, this.keys, this.policy);
      if (c.ok) {
        verdict = {
          image,
          ok: true,
          message: `image ${image} has valid provenance (${c.details.slice(2).join('; ')})`,
        };
        break;
      }
      verdict = {
        image,
        ok: false,
        message: `image ${image}: ${c.details.filter((d) => !d.startsWith('subject:')).join('; ')}`,
      };
    }
    // cache valid verdicts only: an invalid one may be fixed by a new attestation
    if (verdict.ok) this.verdicts.set(sha, verdict);
    return verdict;
  }
}

/** Every container image (containers, initContainers, ephemeralContainers) of a pod spec, with a label. */
export function imagesOf(spec: Record<string, unknown>): { container: string; image: unknown }[] {
  const out: { container: string; image: unknown }[] = [];
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[group];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      const rec = typeof c === 'object' && c !== null ? (c as Record<string, unknown>) : {};
      out.push({ container: typeof rec.name === 'string' ? rec.name : `${group}[${i}]`, image: rec.image });
    });
  }
  return out;
}

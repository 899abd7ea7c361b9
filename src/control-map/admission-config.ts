/**
 * The `admission:` and `provenance:` sections of evident.yaml (docs/admission.md "Configuration"): how the
 * admission webhook enforces the map's rules in the cluster, and which build provenance counts as valid.
 */
import { z } from 'zod';

/** What the webhook does with a rule's failing verdict: deny the request, allow it with a warning, or ignore it. */
export type AdmissionMode = 'enforce' | 'audit' | 'off';
export const ADMISSION_MODES: readonly AdmissionMode[] = ['enforce', 'audit', 'off'];

/** Per-namespace overrides (`admission.namespaces.<name>`). */
export interface NamespaceAdmission {
  /** Mode of every rule in this namespace, unless `rules` names the rule. */
  mode?: AdmissionMode;
  /** Mode per canonical rule id in this namespace (most specific setting). */
  rules: Record<string, AdmissionMode>;
  /** Whether images must carry valid provenance here (overrides `admission.imageProvenance`). */
  imageProvenance?: AdmissionMode;
}

/**
 * `admission:` of evident.yaml, with defaults applied. Mode of rule R in namespace N, most specific first:
 * `namespaces.N.rules.R`, `namespaces.N.mode`, `rules.R`, then `mode` for a rule some control uses, and the
 * milder of `mode` and `audit` for a rule no control uses.
 */
export interface AdmissionPolicy {
  /** Default `enforce`. */
  mode: AdmissionMode;
  rules: Record<string, AdmissionMode>;
  namespaces: Record<string, NamespaceAdmission>;
  /** Namespaces never judged (default: kube-system, kube-public, kube-node-lease; the webhook adds its own). */
  excludeNamespaces: string[];
  /** A request whose verdict is unknown: `allow` (default, with a warning) or `deny`. */
  unknown: 'allow' | 'deny';
  /**
   * `Fail` (default): a rule error, or a webhook failure, denies; `Ignore`: allows with a warning. Also the
   * `failurePolicy` of the generated ValidatingWebhookConfiguration.
   */
  failurePolicy: 'Fail' | 'Ignore';
  /** Whether every container image must be digest-pinned with valid provenance (default `off`). */
  imageProvenance: AdmissionMode;
}

/** `provenance:` of evident.yaml: what `evident verify-attestation` and the webhook accept as valid provenance. */
export interface ProvenancePolicy {
  /** PEM Ed25519 public keys (paths as written, relative to evident.yaml) whose signatures are trusted. */
  trustedKeys: string[];
  /** Allowed `runDetails.builder.id` values; a trailing `*` matches any suffix. Empty: none is allowed. */
  builders: string[];
  /** Allowed source repositories (the provenance's source URI, without `@ref`); trailing `*` as above. */
  sourceRepositories: string[];
  /** Directories of `*.intoto.jsonl` bundles (relative to evident.yaml) searched for attestations. */
  attestations: string[];
}

/** Namespaces the webhook never judges unless `excludeNamespaces` says otherwise. */
export const DEFAULT_EXCLUDED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/** The policy when evident.yaml has no `admission:`. */
export function defaultAdmissionPolicy(): AdmissionPolicy {
  return {
    mode: 'enforce',
    rules: {},
    namespaces: {},
    excludeNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES],
    unknown: 'allow',
    failurePolicy: 'Fail',
    imageProvenance: 'off',
  };
}

/** Allowed keys per section, for "unknown key" messages (parse.ts). */
export const ADMISSION_KEYS = [
  'mode',
  'rules',
  'namespaces',
  'excludeNamespaces',
  'unknown',
  'failurePolicy',
  'imageProvenance',
];
export const NAMESPACE_ADMISSION_KEYS = ['mode', 'rules', 'imageProvenance'];
export const PROVENANCE_KEYS = ['trustedKeys', 'builders', 'sourceRepositories', 'attestations'];

/** RFC 1123 label: what Kubernetes accepts as a namespace name. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * zod schemas of the two sections. `checkRef` validates a rule id (known check or alias) and is supplied by the
 * map parser, which knows the checks.
 */
export function admissionSchemas(checkRef: z.ZodType<string>) {
  const mode = z.enum(['enforce', 'audit', 'off'], {
    message: 'a mode is enforce, audit or off',
  });
  const namespace = z.string().regex(NAMESPACE, {
    message: 'a namespace name is lowercase letters, digits and "-", starting and ending alphanumeric',
  });
  const ruleModes = z.record(z.string(), mode).superRefine((rec, c) => {
    for (const id of Object.keys(rec)) {
      const r = checkRef.safeParse(id);
      if (!r.success) {
        c.addIssue({
          code: 'custom',
          path: [id],
          params: { atKey: true },
          message: r.error.issues[0]?.message ?? `unknown check '${id}'`,
        });
      }
    }
  });
  const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });
  const admission = z.strictObject({
    mode: mode.optional(),
    rules: ruleModes.optional(),
    namespaces: z
      .record(
        z.string(),
        z.strictObject({
          mode: mode.optional(),
          rules: ruleModes.optional(),
          imageProvenance: mode.optional(),
        }),
      )
      .superRefine((rec, c) => {
        for (const ns of Object.keys(rec)) {
          if (!NAMESPACE.test(ns) || ns.length > 63) {
            c.addIssue({
              code: 'custom',
              path: [ns],
              params: { atKey: true },
              message: `'${ns}' is not a namespace name (lowercase letters, digits and "-", at most 63)`,
            });
          }
        }
      })
      .optional(),
    excludeNamespaces: z.array(namespace).optional(),
    unknown: z.enum(['allow', 'deny'], { message: 'unknown is allow or deny' }).optional(),
    failurePolicy: z.enum(['Fail', 'Ignore'], { message: 'failurePolicy is Fail or Ignore' }).optional(),
    imageProvenance: mode.optional(),
  });
  const provenance = z.strictObject({
    trustedKeys: z.array(nonEmpty).min(1, { message: 'list at least one trusted public key file' }),
    builders: z.array(nonEmpty).optional(),
    sourceRepositories: z.array(nonEmpty).optional(),
    attestations: z.array(nonEmpty).optional(),
  });
  return { admission, provenance };
}

/** Builds the typed policy from parsed `admission:` data, canonicalising rule ids with `canonical`. */
export function toAdmissionPolicy(
  raw: z.infer<ReturnType<typeof admissionSchemas>['admission']> | undefined,
  canonical: (id: string) => string,
): AdmissionPolicy {
  const d = defaultAdmissionPolicy();
  if (!raw) return d;
  const rules = (r: Record<string, AdmissionMode> | undefined) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([id, m]) => [canonical(id), m]));
  return {
    mode: raw.mode ?? d.mode,
    rules: rules(raw.rules),
    namespaces: Object.fromEntries(
      Object.entries(raw.namespaces ?? {}).map(([ns, v]) => [
        ns,
        {
          ...(v.mode ? { mode: v.mode } : {}),
          rules: rules(v.rules),
          ...(v.imageProvenance ? { imageProvenance: v.imageProvenance } : {}),
        },
      ]),
    ),
    excludeNamespaces: raw.excludeNamespaces ?? d.excludeNamespaces,
    unknown: raw.unknown ?? d.unknown,
    failurePolicy: raw.failurePolicy ?? d.failurePolicy,
    imageProvenance: raw.imageProvenance ?? d.imageProvenance,
  };
}

/** Builds the typed provenance policy from parsed `provenance:` data. */
export function toProvenancePolicy(
  raw: z.infer<ReturnType<typeof admissionSchemas>['provenance']> | undefined,
): ProvenancePolicy | undefined {
  if (!raw) return undefined;
  return {
    trustedKeys: raw.trustedKeys,
    builders: raw.builders ?? [],
    sourceRepositories: raw.sourceRepositories ?? [],
    attestations: raw.attestations ?? [],
  };
}

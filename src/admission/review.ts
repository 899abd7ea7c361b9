/**
 * AdmissionReview `admission.k8s.io/v1` (k8s.io/api/admission/v1 types.go: AdmissionReview, AdmissionRequest,
 * AdmissionResponse): parsing the API server's request body with clear messages, and building the response.
 * docs/admission-review-v1.schema.json is the JSON Schema of both shapes, written from the same Go types.
 */
import { z } from 'zod';

/** The only version served: the API server sends what the ValidatingWebhookConfiguration's `admissionReviewVersions` lists. */
export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

/** Largest body accepted, in bytes: the API server's own request limit is 3 MiB; an object plus oldObject fits in 7. */
export const MAX_REVIEW_BYTES = 7 * 1024 * 1024;

/** A body the webhook cannot judge: the server answers 400 with `message`. */
export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

const groupVersionKind = z.object({ group: z.string(), version: z.string(), kind: z.string() });
const object = z.record(z.string(), z.unknown());

const request = z.object({
  uid: z.string().min(1, { message: 'request.uid must not be empty' }),
  kind: groupVersionKind,
  resource: z.object({ group: z.string(), version: z.string(), resource: z.string() }),
  subResource: z.string().optional(),
  requestKind: groupVersionKind.optional(),
  requestResource: z.object({ group: z.string(), version: z.string(), resource: z.string() }).optional(),
  requestSubResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'], {
    message: 'request.operation is CREATE, UPDATE, DELETE or CONNECT',
  }),
  userInfo: z.looseObject({
    username: z.string().optional(),
    uid: z.string().optional(),
    groups: z.array(z.string()).optional(),
  }),
  object: object.nullable().optional(),
  oldObject: object.nullable().optional(),
  dryRun: z.boolean().optional(),
  options: object.nullable().optional(),
});

const review = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  request: request.optional(),
});

/** AdmissionRequest (the fields the webhook reads). */
export type AdmissionRequest = z.infer<typeof request>;

/** AdmissionResponse: `status.message` explains a denial, `warnings` reach the client (kubectl prints them). */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string; reason?: string };
  warnings?: string[];
}

/** The AdmissionReview the webhook answers with. */
export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/**
 * Parses a decoded JSON body as an AdmissionReview v1 with a `request`. Throws {@link ReviewError} naming the
 * first problem: another apiVersion (v1beta1 is not served), another kind, no request, a field of the wrong
 * type (with its path), or a CREATE/UPDATE without `request.object`.
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ReviewError('the body is not a JSON object: expected an AdmissionReview');
  }
  const b = body as Record<string, unknown>;
  if (b.apiVersion !== ADMISSION_API_VERSION) {
    throw new ReviewError(
      `apiVersion is ${JSON.stringify(b.apiVersion)}: this webhook serves only ${ADMISSION_API_VERSION} (set admissionReviewVersions: [v1] in the ValidatingWebhookConfiguration)`,
    );
  }
  if (b.kind !== 'AdmissionReview') {
    throw new ReviewError(`kind is ${JSON.stringify(b.kind)}, expected AdmissionReview`);
  }
  const parsed = review.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new ReviewError(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid AdmissionReview'}`);
  }
  const req = parsed.data.request;
  if (!req) throw new ReviewError('the AdmissionReview has no request');
  if ((req.operation === 'CREATE' || req.operation === 'UPDATE') && !req.object) {
    throw new ReviewError(`request.object is missing: a ${req.operation} review carries the object`);
  }
  return req;
}

/** Wraps `response` in an AdmissionReview v1 (the API server requires the request's uid, apiVersion and kind). */
export function reviewResponse(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}

/** Plural resource names of the workload kinds (the `resource` an API server puts in a review). */
const RESOURCES: Record<string, string> = {
  Pod: 'pods',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  ReplicationController: 'replicationcontrollers',
  Job: 'jobs',
  CronJob: 'cronjobs',
};

/**
 * The AdmissionReview v1 an API server sends for a CREATE of `object` (a manifest with `apiVersion` and
 * `kind`) in `namespace` (the object's own, else `defaultNamespace`), with `uid`: what `evident admission
 * review` prints so a webhook can be tried with curl (docs/admission.md).
 */
export function reviewForObject(
  object: Record<string, unknown>,
  uid: string,
  defaultNamespace = 'default',
): Record<string, unknown> {
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const kind = String(object.kind);
  const meta = (
    typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {}
  ) as Record<string, unknown>;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNamespace;
  const gvk = { group, version, kind };
  const gvr = { group, version, resource: RESOURCES[kind] ?? `${kind.toLowerCase()}s` };
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: gvk,
      resource: gvr,
      requestKind: gvk,
      requestResource: gvr,
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'evident-admission-review' },
      object: { ...object, metadata: { ...meta, namespace } },
      oldObject: null,
      dryRun: true,
    },
  };
}

// The list of concerns of the model: adding a concern means a schema file under src/model/<provider>/,
// one line in `Concerns` and one in CONCERNS (docs/model.md and the adapter registry test read it).

import { type S3Bucket, s3Buckets } from './aws/s3.js';
import { type K8sWorkload, k8sWorkloads } from './k8s/workloads.js';
import type { ConcernSchema } from './schema.js';

/** Concern id → the type of its objects. */
export interface Concerns {
  'aws.s3.buckets': S3Bucket;
  'k8s.workloads': K8sWorkload;
}

/** A concern id: `aws.s3.buckets`, `k8s.workloads`, ... */
export type ConcernId = keyof Concerns;

/** Every concern's schema, in documentation order. */
export const CONCERNS: readonly ConcernSchema[] = [s3Buckets, k8sWorkloads];

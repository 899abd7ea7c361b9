// The list of concerns of the model: adding a concern means a schema file under src/model/<provider>/,
// one line in `Concerns` and one in CONCERNS (docs/model.md and the adapter registry test read it).

import { type CloudTrailTrail, cloudtrailTrails } from './aws/cloudtrail.js';
import { type KmsKey, kmsKeys } from './aws/kms.js';
import { type RdsCluster, type RdsInstance, rdsClusters, rdsInstances } from './aws/rds.js';
import { type S3Bucket, type S3DetachedSetting, s3Buckets, s3DetachedSettings } from './aws/s3.js';
import {
  type AzureStorageAccount,
  type AzureStorageContainer,
  azureStorageAccounts,
  azureStorageContainers,
} from './azure/storage.js';
import {
  type GcpStorageAccessGrant,
  type GcpStorageBucket,
  gcpStorageAccessGrants,
  gcpStorageBuckets,
} from './gcp/storage.js';
import { type K8sWorkload, k8sWorkloads } from './k8s/workloads.js';
import type { ConcernSchema } from './schema.js';

/** Concern id → the type of its objects. */
export interface Concerns {
  'aws.cloudtrail.trails': CloudTrailTrail;
  'aws.kms.keys': KmsKey;
  'aws.rds.clusters': RdsCluster;
  'aws.rds.instances': RdsInstance;
  'aws.s3.buckets': S3Bucket;
  'aws.s3.detachedSettings': S3DetachedSetting;
  'azure.storage.accounts': AzureStorageAccount;
  'azure.storage.containers': AzureStorageContainer;
  'gcp.storage.accessGrants': GcpStorageAccessGrant;
  'gcp.storage.buckets': GcpStorageBucket;
  'k8s.workloads': K8sWorkload;
}

/** A concern id: `aws.s3.buckets`, `k8s.workloads`, ... */
export type ConcernId = keyof Concerns;

/** Every concern's schema, in documentation order. */
export const CONCERNS: readonly ConcernSchema[] = [
  cloudtrailTrails,
  kmsKeys,
  rdsInstances,
  rdsClusters,
  s3Buckets,
  s3DetachedSettings,
  azureStorageAccounts,
  azureStorageContainers,
  gcpStorageBuckets,
  gcpStorageAccessGrants,
  k8sWorkloads,
];

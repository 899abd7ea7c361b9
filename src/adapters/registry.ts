import type { CheckDefinition } from '../core/check.js';
import type { FactsKey } from '../core/facts.js';
import type { ConcernId } from '../model/concerns.js';
import type { Adapter } from './adapter.js';
import { cloudformationCloudTrailTrails } from './cloudformation/aws/cloudtrail.js';
import { cloudformationKmsKeys } from './cloudformation/aws/kms.js';
import { cloudformationRdsClusters, cloudformationRdsInstances } from './cloudformation/aws/rds.js';
import { cloudformationS3Buckets } from './cloudformation/aws/s3.js';
import { kubernetesWorkloads } from './kubernetes/workloads.js';
import { terraformCloudTrailTrails } from './terraform/aws/cloudtrail.js';
import { terraformKmsKeys } from './terraform/aws/kms.js';
import { terraformRdsClusters, terraformRdsInstances } from './terraform/aws/rds.js';
import { terraformS3Buckets } from './terraform/aws/s3.js';
import { terraformS3DetachedSettings } from './terraform/aws/s3-detached.js';
import { terraformAzureStorageAccounts, terraformAzureStorageContainers } from './terraform/azure/storage.js';
import { terraformGcpStorageAccessGrants, terraformGcpStorageBuckets } from './terraform/google/storage.js';
import { terraformKubernetesWorkloads } from './terraform/kubernetes/workloads.js';

/**
 * Every registered adapter. Adding an input to an existing concern means one adapter file under
 * `src/adapters/<facts>/...` and one line here; src/adapters/registry.test.ts asserts that every
 * concern has an adapter and every adapter file is registered.
 */
export const ADAPTERS: readonly Adapter[] = [
  terraformCloudTrailTrails,
  terraformKmsKeys,
  terraformRdsInstances,
  terraformRdsClusters,
  terraformS3Buckets,
  terraformS3DetachedSettings,
  cloudformationS3Buckets,
  cloudformationCloudTrailTrails,
  cloudformationKmsKeys,
  cloudformationRdsInstances,
  cloudformationRdsClusters,
  terraformAzureStorageAccounts,
  terraformAzureStorageContainers,
  terraformGcpStorageBuckets,
  terraformGcpStorageAccessGrants,
  kubernetesWorkloads,
  terraformKubernetesWorkloads,
];

/**
 * The facts families whose adapters feed any of `concerns` (`k8s.workloads` is fed by `kubernetes`
 * manifests and by `terraform` kubernetes provider resources), in registry order.
 */
export function factsFeeding(
  concerns: readonly ConcernId[],
  adapters: readonly Adapter[] = ADAPTERS,
): FactsKey[] {
  const out: FactsKey[] = [];
  for (const a of adapters) if (concerns.includes(a.concern) && !out.includes(a.facts)) out.push(a.facts);
  return out;
}

/**
 * The facts families a check judges: those feeding its model concerns, plus its declared `input`
 * (a check over the model may read facts directly too).
 */
export function checkInputs(check: Pick<CheckDefinition, 'input' | 'concerns'>): FactsKey[] {
  const out = factsFeeding(check.concerns ?? []);
  return out.includes(check.input) ? out : [check.input, ...out];
}

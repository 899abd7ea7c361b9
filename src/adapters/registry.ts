import type { Adapter } from './adapter.js';
import { cloudformationS3Buckets } from './cloudformation/aws/s3.js';
import { terraformS3Buckets } from './terraform/aws/s3.js';

/**
 * Every registered adapter. Adding an input to an existing concern means one adapter file under
 * `src/adapters/<facts>/...` and one line here; src/adapters/registry.test.ts asserts that every
 * concern has an adapter and every adapter file is registered.
 */
export const ADAPTERS: readonly Adapter[] = [terraformS3Buckets, cloudformationS3Buckets];

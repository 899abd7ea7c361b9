import { cloudtrailTrails } from '../../../model/aws/cloudtrail.js';
import { terraformFieldMapAdapter } from '../field-map-adapter.js';

const DOC = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail';
const dflt = <T>(value: T, arg: string, text: string) => ({ value, source: `${DOC}#${arg}-1 ("${text}")` });

/** Terraform adapter of `aws.cloudtrail.trails` (declarative). */
export const terraformCloudTrailTrails = terraformFieldMapAdapter({
  id: 'terraform/aws/cloudtrail',
  concern: 'aws.cloudtrail.trails',
  schema: cloudtrailTrails,
  resourceTypes: ['aws_cloudtrail'],
  fields: {
    name: 'name',
    logging: { path: 'enable_logging', default: dflt(true, 'enable_logging', 'Defaults to true') },
    multiRegion: {
      path: 'is_multi_region_trail',
      default: dflt(false, 'is_multi_region_trail', 'Defaults to false'),
    },
    logFileValidation: {
      path: 'enable_log_file_validation',
      default: dflt(false, 'enable_log_file_validation', 'Defaults to false'),
    },
    includeGlobalServiceEvents: {
      path: 'include_global_service_events',
      default: dflt(true, 'include_global_service_events', 'Defaults to true'),
    },
    organizationTrail: {
      path: 'is_organization_trail',
      default: dflt(false, 'is_organization_trail', 'Defaults to false'),
    },
    kmsKeyId: 'kms_key_id',
    cloudWatchLogsGroupArn: 'cloud_watch_logs_group_arn',
    s3BucketName: 's3_bucket_name',
  },
});

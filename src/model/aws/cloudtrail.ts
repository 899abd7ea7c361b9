import { concern, field, type ModelObjectOf } from '../schema.js';

/** `aws.cloudtrail.trails`: CloudTrail trails. */
export const cloudtrailTrails = concern({
  id: 'aws.cloudtrail.trails',
  title: 'CloudTrail trails',
  description: 'One object per CloudTrail trail (Terraform `aws_cloudtrail`).',
  fields: {
    name: field.string('The trail name.'),
    logging: field.bool('The trail records events (`enable_logging` / `IsLogging`).'),
    multiRegion: field.bool('The trail records events of every region (`is_multi_region_trail`).'),
    logFileValidation: field.bool('CloudTrail delivers signed digest files (`enable_log_file_validation`).'),
    includeGlobalServiceEvents: field.bool('Events of global services (IAM, STS) are recorded.'),
    organizationTrail: field.bool('The trail records every account of the organization.'),
    kmsKeyId: field.string('KMS key encrypting the log files (SSE-KMS); absent means SSE-S3.'),
    cloudWatchLogsGroupArn: field.string('CloudWatch Logs log group receiving the events.'),
    s3BucketName: field.string('The bucket receiving the log files.'),
  },
});

/** One CloudTrail trail of the model. */
export type CloudTrailTrail = ModelObjectOf<typeof cloudtrailTrails>;

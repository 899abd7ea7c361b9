import { cloudtrailTrails } from '../../../model/aws/cloudtrail.js';
import { cloudformationFieldMapAdapter } from '../field-map-adapter.js';

/** The CloudTrail API (CreateTrail) states the defaults AWS::CloudTrail::Trail inherits. */
const API = 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html';
const dflt = <T>(value: T, param: string, text: string) => ({
  value,
  source: `${API}#awscloudtrail-CreateTrail-request-${param} ("${text}")`,
});

/**
 * CloudFormation adapter of `aws.cloudtrail.trails`: `AWS::CloudTrail::Trail`. `IsLogging` is a
 * required property (no default): a template without it is read as not known.
 */
export const cloudformationCloudTrailTrails = cloudformationFieldMapAdapter({
  id: 'cloudformation/aws/cloudtrail',
  concern: 'aws.cloudtrail.trails',
  schema: cloudtrailTrails,
  resourceTypes: ['AWS::CloudTrail::Trail'],
  fields: {
    name: 'TrailName',
    logging: 'IsLogging',
    multiRegion: {
      path: 'IsMultiRegionTrail',
      default: dflt(
        false,
        'IsMultiRegionTrail',
        'By default, a trail logs events only in the Region where it was created',
      ),
    },
    logFileValidation: {
      path: 'EnableLogFileValidation',
      default: dflt(false, 'EnableLogFileValidation', 'The default is false'),
    },
    includeGlobalServiceEvents: {
      path: 'IncludeGlobalServiceEvents',
      default: dflt(true, 'IncludeGlobalServiceEvents', 'global service events are included by default'),
    },
    organizationTrail: {
      path: 'IsOrganizationTrail',
      default: dflt(false, 'IsOrganizationTrail', 'The default is false'),
    },
    kmsKeyId: 'KMSKeyId',
    cloudWatchLogsGroupArn: 'CloudWatchLogsLogGroupArn',
    s3BucketName: 'S3BucketName',
  },
});

/**
 * The organization most collect tests run against: a management account with an organization
 * trail, a log-archive account that owns its bucket and key, a member with its own trail (KMS
 * alias, advanced selectors) and a bucket in an account nobody scans, a suspended account.
 */
import { principalFor, regionsOf, type FakeScenario } from '../fake-aws/scenario.ts';

export const MGMT = '111111111111';
export const LOGS = '222222222222';
export const MEMBER = '333333333333';
export const SUSPENDED = '444444444444';
export const OUTSIDER = '999999999999';
export const ROLE = 'TrailgateAudit';
export const ORG_ID = 'o-fake123456';
export const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];
export const ORG_KEY_ID = '0b8c1f6e-1111-4222-8333-944445555666';
export const ORG_KEY_ARN = `arn:aws:kms:us-east-1:${LOGS}:key/${ORG_KEY_ID}`;
export const MEMBER_KEY_ID = '7d2a0c3e-aaaa-4bbb-8ccc-dddd0000eeee';
export const ORG_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
export const MEMBER_TRAIL_ARN = `arn:aws:cloudtrail:us-west-2:${MEMBER}:trail/member-trail`;
export const MGMT_TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${MGMT}:trail/mgmt-regional`;

const trusted = [{ name: ROLE, trustedAccounts: [MGMT] }];

/** A fresh copy of the organization scenario (tests may change it). */
export function orgScenario(): FakeScenario {
  const only = [...REGIONS, 'ap-east-1'];
  return {
    organization: { id: ORG_ID, managementAccountId: MGMT },
    principals: [principalFor(MGMT)],
    accounts: [
      { id: MGMT, regions: regionsOf([], only) },
      { id: LOGS, regions: regionsOf([], only), roles: trusted },
      { id: MEMBER, regions: regionsOf(['ap-east-1'], only), roles: trusted },
      { id: SUSPENDED, regions: regionsOf([], only), roles: trusted, status: 'SUSPENDED' },
    ],
    trails: [
      { account: MGMT, name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, organization: true, bucket: 'org-trail-logs', prefix: 'o', kmsKeyId: ORG_KEY_ARN },
      {
        account: MGMT,
        name: 'mgmt-regional',
        homeRegion: 'eu-west-1',
        bucket: 'mgmt-logs-eu',
        insightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
        eventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }],
      },
      {
        account: MEMBER,
        name: 'member-trail',
        homeRegion: 'us-west-2',
        multiRegion: true,
        bucket: 'member-logs',
        kmsKeyId: 'alias/member-trail',
        logging: false,
        advancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      },
      { account: MEMBER, name: 'to-outsider', homeRegion: 'us-east-1', bucket: 'outsider-logs' },
    ],
    buckets: [
      {
        name: 'org-trail-logs',
        account: LOGS,
        region: 'us-east-1',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::org-trail-logs/o/AWSLogs/*' }] }),
        publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        ownership: 'BucketOwnerEnforced',
        logging: { TargetBucket: 'access-logs', TargetPrefix: 'org-trail-logs/' },
        versioning: { Status: 'Enabled', MfaDelete: 'Disabled' },
      },
      { name: 'mgmt-logs-eu', account: MGMT, region: 'eu-west-1', locationConstraint: 'EU' },
      { name: 'member-logs', account: MEMBER, region: 'us-west-2', versioning: { Status: 'Suspended' }, payer: 'Requester' },
      { name: 'outsider-logs', account: OUTSIDER, region: 'us-west-2', readableBy: [MEMBER], policy: '{"Version":"2012-10-17","Statement":[]}' },
    ],
    keys: [
      { id: ORG_KEY_ID, account: LOGS, region: 'us-east-1', rotation: true, usableBy: [MGMT, MEMBER] },
      { id: MEMBER_KEY_ID, account: MEMBER, region: 'us-west-2', aliases: ['alias/member-trail'], rotation: false },
    ],
  };
}

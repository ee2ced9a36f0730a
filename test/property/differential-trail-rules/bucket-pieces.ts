/**
 * Bucket pieces for the trail-rule differential test (differential-trail-rules.test.ts): ACLs,
 * policies, logging, versioning and policy statuses, each with what the model makes of it. The
 * generator draws indexes into these tables, the build writes the pieces, the model reads the verdicts.
 */
import { ACCOUNTS, ORG } from './world.ts';

const OWNER_GRANT = { Grantee: { Type: 'CanonicalUser', ID: '79a59df900b949e55d96a1e698fbaced' }, Permission: 'FULL_CONTROL' };
const groupGrant = (group: string, permission: string) => ({ Grantee: { Type: 'Group', URI: `http://acs.amazonaws.com/groups/${group}` }, Permission: permission });
const ACL_OWNER = { DisplayName: 'log-archive', ID: '79a59df900b949e55d96a1e698fbaced' };

/** [ACL, grants something to AllUsers or AuthenticatedUsers]. */
export const ACLS: [unknown, boolean][] = [
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT] }, false],
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT, groupGrant('global/AllUsers', 'READ')] }, true],
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT, groupGrant('global/AuthenticatedUsers', 'WRITE_ACP')] }, true],
  [{ Owner: ACL_OWNER, Grants: [groupGrant('global/AllUsers', 'FULL_CONTROL')] }, true],
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT, groupGrant('s3/LogDelivery', 'WRITE')] }, false],
  [{ Owner: ACL_OWNER, Grants: [] }, false],
  [null, false],
];

/** [policy statements, grants something to '*' without pinning the caller]; `b` is the bucket. */
export function policyStatements(b: string): [unknown[], boolean][] {
  const cloudTrail = [
    { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${b}` },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${b}/AWSLogs/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ];
  const anyone = (principal: unknown, condition?: Record<string, unknown>) => ({
    Sid: 'Anyone',
    Effect: 'Allow',
    Principal: principal,
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${b}/*`,
    ...(condition ? { Condition: condition } : {}),
  });
  return [
    [cloudTrail, false],
    [[...cloudTrail, anyone('*')], true],
    [[...cloudTrail, anyone({ AWS: '*' })], true],
    [[anyone({ AWS: ['*'] })], true],
    // Conditions that pin the caller: a fixed account, organization or source ARN.
    [[...cloudTrail, anyone('*', { StringEquals: { 'aws:SourceAccount': ACCOUNTS[0] } })], false],
    [[...cloudTrail, anyone('*', { StringEquals: { 'aws:PrincipalOrgID': ORG } })], false],
    [[...cloudTrail, anyone({ AWS: '*' }, { StringEquals: { 'aws:PrincipalAccount': [ACCOUNTS[0], ACCOUNTS[1]] } })], false],
    [[...cloudTrail, anyone('*', { ArnEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNTS[0]}:trail/main` } })], false],
    // Conditions that pin nothing: transport, or a key any caller can satisfy.
    [[...cloudTrail, anyone('*', { Bool: { 'aws:SecureTransport': 'true' } })], true],
    [[...cloudTrail, anyone('*', { StringLike: { 'aws:SourceAccount': '*' } })], true],
    // A Deny for everyone grants nothing; a named account is not everyone.
    [[...cloudTrail, { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], false],
    [[...cloudTrail, anyone({ AWS: `arn:aws:iam::${ACCOUNTS[3]}:root` })], false],
    // "*" among named principals is still everyone; so is an Allow with NotPrincipal.
    [[...cloudTrail, anyone({ AWS: [`arn:aws:iam::${ACCOUNTS[3]}:root`, '*'] })], true],
    [[...cloudTrail, { Sid: 'AllBut', Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNTS[3]}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }], true],
    // Statement may be one object rather than a list.
    [anyone('*') as never, true],
    [cloudTrail[0] as never, false],
  ];
}

/** A policy read from S3 that is not JSON at all: nothing can be said of what it grants. */
export const MALFORMED_POLICY = '{"Version": "2012-10-17", "Statement": [';

export const LOGGINGS: [unknown, boolean][] = [
  [{}, false],
  [null, false],
  [{ TargetBucket: 'access-logs-444444444444', TargetPrefix: 'trail-logs/' }, true],
];
export const VERSIONINGS: [unknown, boolean][] = [
  [{}, false],
  [null, false],
  [{ Status: 'Enabled' }, false],
  [{ Status: 'Enabled', MFADelete: 'Disabled' }, false],
  [{ Status: 'Enabled', MFADelete: 'Enabled' }, true],
];
export const POLICY_STATUSES: [unknown, boolean][] = [
  [{ IsPublic: false }, false],
  [{ IsPublic: true }, true],
  [null, false],
];

/**
 * Inventories for the bucket-delivery tests, built the way a collector writes them and turned
 * into subjects with the engine's own buildModel, so the built-in sees real TrailSubjects.
 */
import type { BuiltinVerdict } from '../../src/engine/builtin-types.ts';
import { buildModel } from '../../src/engine/model.ts';
import type { Bucket, Inventory, Key, Partition, ReadError, Trail, TrailStatus } from '../../src/inventory/types.ts';
import { bucketDelivery } from '../../src/policy/bucket-delivery.ts';

export const OWNER = '111111111111';
export const MEMBER = '222222222222';
export const LOG_ARCHIVE = '999999999999';
export const ORG = 'o-exampleorgid';
export const BUCKET = 'ct-logs';
export const REGION = 'us-east-1';
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${OWNER}:trail/main`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

type Statement = Record<string, unknown>;

/** The ACL-check statement AWS documents. */
export function aclCheck(over: Statement = {}): Statement {
  return {
    Sid: 'AWSCloudTrailAclCheck20150319',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:GetBucketAcl',
    Resource: `arn:aws:s3:::${BUCKET}`,
    Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    ...over,
  };
}

/** The write statement AWS documents, for an optional prefix and account path. */
export function write(over: Statement = {}, prefix = '', account = OWNER): Statement {
  return {
    Sid: 'AWSCloudTrailWrite20150319',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/${prefix}AWSLogs/${account}/*`,
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
    ...over,
  };
}

/** The organization-path write statement AWS documents. */
export function orgWrite(over: Statement = {}): Statement {
  return write({ Sid: 'AWSCloudTrailOrganizationWrite20150319', Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG}/*`, ...over });
}

/** A policy document (as the JSON text GetBucketPolicy returns) from statements. */
export function policy(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The policy from AWS's user guide for this bucket and trail. */
export function documentedPolicy(prefix = ''): string {
  return policy(aclCheck(), write({}, prefix));
}

export interface Setup {
  trail?: Partial<Trail>;
  status?: TrailStatus;
  /** The bucket entry; `null` leaves the bucket out of the inventory. */
  bucket?: Partial<Bucket> | null;
  errors?: ReadError[];
  organizationId?: string | null;
  keys?: Record<string, Key>;
  partition?: Partition;
  /** The account whose section holds the trail (the owner by default). */
  seenFrom?: string;
  /** `null` leaves collectedAt out of the inventory. */
  collectedAt?: string | null;
}

/** An inventory with one trail and (unless told otherwise) its bucket. */
export function inventory(s: Setup = {}): Inventory {
  const trail: Trail = {
    Name: 'main',
    TrailARN: TRAIL_ARN,
    HomeRegion: REGION,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    S3BucketName: BUCKET,
    LogFileValidationEnabled: true,
    IsOrganizationTrail: false,
    ...s.trail,
  };
  // A key set to undefined here means "not collected": leave it out, as a collector would.
  const bucket = Object.fromEntries(
    Object.entries({ Exists: true, Region: REGION, Policy: documentedPolicy(), RequestPayer: 'BucketOwner', ...s.bucket }).filter(([, v]) => v !== undefined),
  ) as Bucket;
  const owner = s.seenFrom ?? OWNER;
  const inv: Inventory = {
    version: 1,
    ...(s.collectedAt === null ? {} : { collectedAt: s.collectedAt ?? '2026-01-01T00:00:00Z' }),
    partition: s.partition ?? 'aws',
    accounts: [
      {
        accountId: owner,
        organizationId: s.organizationId === null ? undefined : (s.organizationId ?? ORG),
        regions: [REGION],
        trails: [{ Trail: trail, Status: s.status ?? { IsLogging: true } }],
      },
    ],
    buckets: s.bucket === null ? {} : { [BUCKET]: bucket },
    errors: s.errors ?? [],
  };
  if (s.keys) inv.keys = s.keys;
  return inv;
}

/** Judges the inventory's only trail with the bucket-delivery built-in. */
export function judge(inv: Inventory): BuiltinVerdict {
  const model = buildModel(inv);
  if (model.trails.length !== 1) throw new Error(`expected one trail, got ${model.trails.length}`);
  return bucketDelivery.judge(model.trails[0], {});
}

/** A recorded failed read of the bucket. */
export function bucketError(operation: string, code = 'AccessDenied'): ReadError {
  return { accountId: OWNER, service: 's3', operation, resource: BUCKET, code, message: 'Access Denied' };
}

/**
 * The requests CloudTrail makes when it delivers a trail's logs, with the request context it
 * sends (shared/design/rules.md, "bucket-delivery, precisely"). Only the owner's home region is
 * checked: a multi-region trail writes every region's logs under the same path shape, and the
 * region part of it is a literal that policies match with `*` or not at all.
 */
import type { FailedRead } from '../engine/result.ts';
import type { TrailSubject } from '../engine/subjects.ts';
import { ORGANIZATION_KNOWN } from '../engine/trail-reads.ts';
import { requestContext, type PolicyRequest } from './evaluate.ts';
import { collectedTime, requestTime } from './request-time.ts';

/** CloudTrail's service principal. */
export const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

/** One request CloudTrail makes, named for messages. */
export interface DeliveryRequest {
  /** `GetBucketAcl`, `PutObject`, or `PutObject (organization path)`. */
  label: string;
  request: PolicyRequest;
}

/**
 * The requests to check; `problem` says which could not be built (the others still can be
 * judged). The key prefix, problem and members are those of the log paths (LogPaths).
 */
export interface DeliveryRequests extends Pick<LogPaths, 'keyPrefix' | 'problem' | 'problemRead' | 'members'> {
  requests: DeliveryRequest[];
  keyArn?: string;
  /**
   * The trail names its key by an alias or key id that the inventory does not resolve to a key
   * ARN: the `s3:x-amz-server-side-encryption-aws-kms-key-id` CloudTrail sends (the key ARN) is
   * unknown, and a PutObject decision that depends on it cannot be made.
   */
  keyIdUnknown?: boolean;
  /**
   * For an organization trail, the PutObject of each member's logs (under the organization
   * path, same context). Made one at a time on demand: an organization may have thousands of
   * members, and a bucket check needs only the first refused one. Of the home region's logs
   * unless `inRegion` names another.
   */
  memberRequest?: (account: string, inRegion?: string) => DeliveryRequest;
  /**
   * The PutObject requests (own path, and the organization path for an organization trail) of
   * the logs of another region a multi-region trail covers; made on demand, as only a policy
   * that names regions can answer them differently from the home region's.
   */
  regionRequests: (region: string) => DeliveryRequest[];
}

/** The condition key that carries the KMS key ARN of an SSE-KMS upload. */
export const KMS_KEY_ID_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';

const KEY_ARN = /^arn:[^:]+:kms:[^:]+:\d{12}:key\/.+$/;
/** A bare KMS key id: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
const KEY_ID = /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The request context CloudTrail sends, as the service principal acting for trail `t`, with
 * every request it makes for the trail: S3's (GetBucketAcl, PutObject) and KMS's
 * (GenerateDataKey, DescribeKey) alike. rules.md's keys; the service principal's name (AWS's
 * own example policies deny requests whose aws:PrincipalServiceName is not CloudTrail's);
 * aws:ViaAWSService, false for a service calling as itself (IAM sends it with most services'
 * requests, S3's and KMS's included); the
 * owner's organization when the inventory knows it (AWS's confused-deputy Deny compares
 * aws:SourceOrgID); and the time, which AWS always sends, taken from the inventory's
 * collectedAt (the moment the evidence was taken is "now" for it). bucket-delivery and
 * kms-key-usable both start from it, so one delivery is never judged in two different
 * contexts. A new object each call: callers add their own keys.
 */
export function cloudTrailRequestContext(t: TrailSubject): Record<string, string | string[] | boolean> {
  const context: Record<string, string | string[] | boolean> = {
    'aws:SourceArn': t.Trail.TrailARN,
    'aws:SourceAccount': t.accountId,
    'aws:PrincipalIsAWSService': true,
    'aws:SecureTransport': true,
    'aws:PrincipalServiceName': CLOUDTRAIL_PRINCIPAL,
    'aws:PrincipalServiceNamesList': [CLOUDTRAIL_PRINCIPAL],
    // IAM puts aws:ViaAWSService in the context of every request to S3 and KMS, and it is false
    // unless a service acts with an IAM principal's credentials: CloudTrail calls as itself. So
    // AWS's "deny outside these IPs unless via a service" statement (Bool aws:ViaAWSService
    // false, NotIpAddress aws:SourceIp) refuses CloudTrail too.
    'aws:ViaAWSService': false,
  };
  if (t.organizationId !== undefined && t.organizationId !== '') context['aws:SourceOrgID'] = t.organizationId;
  const now = collectedTime(t);
  if (now !== undefined) {
    const time = requestTime(now);
    context['aws:CurrentTime'] = time.current;
    context['aws:EpochTime'] = time.epoch;
  }
  return context;
}

/** The trail owner's organization id, which CloudTrail sends only when the owner is in an organization. */
export const SOURCE_ORG_ID = 'aws:SourceOrgID';

/**
 * The read that leaves aws:SourceOrgID unknown, or undefined when the inventory knows it: the
 * owner's organization id, or that it has none (no id, and no DescribeOrganization failure
 * recorded). When that read failed, the owner may be in an organization or not, so the key may
 * be sent with any value or not at all: a policy that conditions on it is judged both ways
 * (unknown-keys.ts), as for aws:ResourceOrgID of the owner's key, from the same read.
 */
export function sourceOrganizationUnread(t: TrailSubject): FailedRead | undefined {
  const read = t.read(ORGANIZATION_KNOWN);
  return read.ok ? undefined : read.failed;
}

/**
 * Whether an S3 object pattern (a Resource, or a condition value on a log file's ARN) can tell
 * one region's log folder from another's: it names a region (`eu-west-1`, `us-gov-west-1`), says
 * more than `*` after `CloudTrail/` (`CloudTrail/us-*`), or has a wildcard with more after it (a
 * `?` in `us-east-?`, a `*` in `*-1`, or a `*` that stands for the folders before `us-east-1`):
 * only a pattern whose one wildcard ends it, short of the region (`AWSLogs/111122223333/` and a
 * `*`), cannot.
 */
export function tellsRegionsApart(pattern: string): boolean {
  return REGION_SPECIFIC.test(pattern) || WILDCARD_INSIDE.test(pattern.replace(TRAILING_WILDCARDS, ''));
}

const REGION_SPECIFIC = /\b[a-z]{2}(?:-[a-z]+)+-\d\b|CloudTrail\/(?!\*|$)/;
/** A wildcard with more after it, once trailing wildcards (a star, or slash-star repeated) are set aside: they match any rest alike. */
const WILDCARD_INSIDE = /[*?](?=.)/;
const TRAILING_WILDCARDS = /(?:\/?\*)+$/;

/**
 * The requests a multi-region trail makes for the logs of another `region`: its owner's (`own`)
 * and, for an organization trail, each member's (`member`).
 * bucket-delivery and kms-key-usable both check other regions with it.
 */
export function requestsInRegion<R>(region: string, own: (region: string) => R[], members?: readonly string[], member?: (account: string, region: string) => R): R[] {
  return members && member ? [...own(region), ...members.map((m) => member(m, region))] : own(region);
}

/** One log file CloudTrail writes for a trail (the object of a PutObject), named for messages. */
export interface LogPath {
  /** `PutObject`, `PutObject (organization path)`, `PutObject (logs of <region>)`... */
  label: string;
  /** The object's ARN. */
  resource: string;
}

/** Where CloudTrail writes a trail's log files: what bucket-delivery and kms-key-usable both check. */
export interface LogPaths {
  /** The owner's log file of the home region, and for an organization trail its organization path's. */
  paths: LogPath[];
  keyPrefix?: string;
  /** An organization trail whose organization id the inventory lacks: its organization path cannot be named. */
  problem?: string;
  /** The recorded failed read behind `problem`, when there is one. */
  problemRead?: FailedRead;
  /** For an organization trail, the member accounts the inventory lists. */
  members?: readonly string[];
  /** A member's log file under the organization path, of the home region unless `inRegion` names another. */
  memberPath?: (account: string, inRegion?: string) => LogPath;
  /** The log files of another region a multi-region trail covers (own path, and organization path). */
  regionPaths: (region: string) => LogPath[];
}

/**
 * The log files of a trail in `bucket`, without the requests' context: kms-key-usable needs only
 * their names (the encryption context of each data key), and building bucket-delivery's two
 * request contexts for it cost every trail with a key as much again as its own requests.
 */
export function logPaths(t: TrailSubject, bucket: string): LogPaths {
  const owner = t.accountId;
  const region = t.region;
  const keyPrefix = t.Trail.S3KeyPrefix !== undefined && t.Trail.S3KeyPrefix !== '' ? t.Trail.S3KeyPrefix : undefined;
  const prefix = keyPrefix !== undefined ? `${keyPrefix}/` : '';
  const objects = `arn:${t.partition}:s3:::${bucket}/${prefix}AWSLogs`;
  const logFile = `CloudTrail/${region}/2026/01/01/${owner}_CloudTrail_${region}_x.json.gz`;
  const org = t.facts.isOrganizationTrail && t.organizationId !== undefined && t.organizationId !== '' ? t.organizationId : undefined;
  const regionPaths = (other: string): LogPath[] => {
    const file = `CloudTrail/${other}/2026/01/01/${owner}_CloudTrail_${other}_x.json.gz`;
    const own: LogPath = { label: `PutObject (logs of ${other})`, resource: `${objects}/${owner}/${file}` };
    if (org === undefined) return [own];
    return [own, { label: `PutObject (organization path, logs of ${other})`, resource: `${objects}/${org}/${owner}/${file}` }];
  };
  const paths: LogPath[] = [{ label: 'PutObject', resource: `${objects}/${owner}/${logFile}` }];
  if (!t.facts.isOrganizationTrail) return { paths, keyPrefix, regionPaths };
  if (org === undefined) {
    const problem = `the trail is an organization trail but the organization id of its owner account ${owner} is missing from the inventory, so the organization log path AWSLogs/<org-id>/${owner}/... cannot be checked`;
    const problemRead = t.organizationFailure;
    return { paths, keyPrefix, problem, ...(problemRead ? { problemRead } : {}), regionPaths };
  }
  paths.push({ label: 'PutObject (organization path)', resource: `${objects}/${org}/${owner}/${logFile}` });
  const members = t.organizationMembers ?? [];
  const memberPath = (account: string, inRegion = region): LogPath => {
    const file = `CloudTrail/${inRegion}/2026/01/01/${account}_CloudTrail_${inRegion}_x.json.gz`;
    return { label: `PutObject (organization path of member account ${account}${inRegion === region ? '' : `, logs of ${inRegion}`})`, resource: `${objects}/${org}/${account}/${file}` };
  };
  return { paths, keyPrefix, members, memberPath, regionPaths };
}

/**
 * Keys S3 sends with CloudTrail's requests whose value no inventory gives: the user agent, the TLS version it
 * negotiates (1.2 or 1.3: bucket-delivery first settles what both decide alike), and the bucket
 * owner's account as S3 resolves it, under both its names (IAM's global aws:ResourceAccount, and
 * s3:ResourceAccount, which S3's service authorization reference lists for every S3 action): the
 * inventory lists buckets apart from the accounts that own them. Those that may be absent too:
 * the organization path of the trail's account, and the organization id and paths of the
 * bucket owner's account (IAM sends them only when the account is in an organization). A bucket
 * policy that conditions on one is judged both ways (unknown-keys.ts); a decision that hangs on
 * it is an error, never a guess. The region is one too when the bucket's is not in the inventory.
 */
export const TLS_VERSION = 's3:TlsVersion';
export const S3_UNKNOWN_KEYS: readonly string[] = [TLS_VERSION, 'aws:ResourceAccount', 's3:ResourceAccount', 'aws:UserAgent'];
export const S3_MAYBE_ABSENT_KEYS: readonly string[] = ['aws:SourceOrgPaths', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths'];
export const REQUESTED_REGION = 'aws:RequestedRegion';

/**
 * The ARN a trail's KmsKeyId names without the inventory's help: a key ARN is itself, and a bare
 * key id is the key of that id in the trail owner's account and home region, as KMS reads it. An
 * alias needs DescribeKey to say which key it points at: undefined.
 */
export function namedKeyArn(t: TrailSubject, id: string): string | undefined {
  return KEY_ARN.test(id) ? id : KEY_ID.test(id) ? `arn:${t.partition}:kms:${t.region}:${t.accountId}:key/${id}` : undefined;
}

/** Builds the GetBucketAcl and PutObject requests (and the organization-path PutObject) for a trail. */
export function deliveryRequests(t: TrailSubject, bucket: string): DeliveryRequests {
  const trail = t.Trail;
  const base = cloudTrailRequestContext(t);
  const headers: Record<string, string> = { 's3:x-amz-acl': 'bucket-owner-full-control' };
  let keyArn: string | undefined;
  let keyIdUnknown = false;
  if (typeof trail.KmsKeyId === 'string' && trail.KmsKeyId !== '') {
    // A bare key id names a key of the trail's owner in its home region, as KMS reads it; only an
    // alias needs the inventory (DescribeKey) to say which key it points at.
    const id = trail.KmsKeyId;
    keyArn = t.Key?.KeyMetadata?.Arn ?? namedKeyArn(t, id);
    keyIdUnknown = keyArn === undefined;
    headers['s3:x-amz-server-side-encryption'] = 'aws:kms';
    // Unknown: the caller judges only requests whose decision does not depend on this value.
    headers[KMS_KEY_ID_KEY] = keyArn ?? trail.KmsKeyId;
  }
  // Every request CloudTrail makes to S3 is signed with SigV4 in the Authorization header, and
  // sent to the bucket's region: keys S3 puts in the context of any authenticated request.
  base['s3:signatureversion'] = 'AWS4-HMAC-SHA256';
  base['s3:authType'] = 'REST-HEADER';
  if (typeof t.Bucket?.Region === 'string' && t.Bucket.Region !== '') base['aws:RequestedRegion'] = t.Bucket.Region;
  // Built once per trail and shared by the requests that send the same context.
  const aclContext = requestContext(base);
  const putContext = requestContext(headers, aclContext);
  const principal = { Service: CLOUDTRAIL_PRINCIPAL };
  const put = ({ label, resource }: LogPath): DeliveryRequest => ({ label, request: { principal, action: 's3:PutObject', resource, context: putContext } });
  const { paths, keyPrefix, problem, problemRead, members, memberPath, regionPaths } = logPaths(t, bucket);
  const requests: DeliveryRequest[] = [{ label: 'GetBucketAcl', request: { principal, action: 's3:GetBucketAcl', resource: `arn:${t.partition}:s3:::${bucket}`, context: aclContext } }];
  for (const p of paths) requests.push(put(p));
  const regionRequests = (region: string): DeliveryRequest[] => regionPaths(region).map(put);
  if (problem !== undefined) return { requests, keyPrefix, keyArn, keyIdUnknown, problem, ...(problemRead ? { problemRead } : {}), regionRequests };
  if (members !== undefined && memberPath !== undefined) {
    const memberRequest = (account: string, inRegion?: string): DeliveryRequest => put(memberPath(account, inRegion));
    return { requests, keyPrefix, keyArn, keyIdUnknown, members, memberRequest, regionRequests };
  }
  return { requests, keyPrefix, keyArn, keyIdUnknown, regionRequests };
}

/** `2 of the 5 member accounts`, `both other regions`, `all 3 member accounts`: the count of a summary line, said as one would. */
export function someOf(count: number, n: number, noun: string): string {
  if (count < n) return `${count} of the ${n} ${noun}`;
  return n === 2 ? `both ${noun}` : `all ${n} ${noun}`;
}

/**
 * The world the generator of the delivery differential test (differential-delivery.test.ts) draws
 * from: the accounts, organization, bucket and key names, what a case is, and the names a case's
 * policies are written against.
 */
import type { Partition } from '../../../src/inventory/types.ts';

export const MANAGEMENT = '111111111111';
export const MEMBER_A = '222222222222';
export const MEMBER_B = '333333333333';
/** The central log-archive account: its buckets and keys come in a file of their own. */
export const ARCHIVE = '444444444444';
/** An account outside the scan: a bucket it owns is in no inventory file. */
export const OUTSIDER = '555555555555';
export const ORG = 'o-exampleorgid';
export const OTHER_ORG = 'o-otherorg999';
export const BUCKET = 'ct-logs';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const DECOY_KEY_ID = '0987dcba-09fe-87dc-65ba-ab0987654321';
export const ALIAS = 'alias/cloudtrail';
export const TRAIL_NAME = 'main';

export const REGIONS: Record<Partition, [string, string]> = {
  aws: ['us-east-1', 'eu-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
};

/**
 * The regions AWS enables in every account of each partition, which no account can turn off
 * (those launched before March 2019): a multi-region trail writes logs in each of them.
 */
export const DEFAULT_REGIONS: Record<Partition, readonly string[]> = {
  aws: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
};

export type Statement = Record<string, unknown>;

/** How the trail names its KMS key, and what the inventory knows about that key. */
export interface KeySpec {
  form: 'arn' | 'id' | 'alias' | 'aliasArn';
  /** The key lives in the log-archive account (only a key ARN or alias ARN can say so). */
  inArchive: boolean;
  /** The key lives in the other region of the partition (ARN forms only). */
  otherRegion: boolean;
  /**
   * present: collected. absent: not in the inventory, no error recorded. describeDenied /
   * describeNotFound: DescribeKey failed (recorded against the id the trail gives).
   * policyDenied / policyMissing: GetKeyPolicy failed / was not collected. unaliased: the key
   * is there but without the alias, so an alias cannot be resolved through the inventory.
   */
  state: 'present' | 'absent' | 'describeDenied' | 'describeNotFound' | 'policyDenied' | 'policyMissing' | 'unaliased';
  keyState: string;
  keySpec: string;
  multiRegion: boolean;
  /** A key in another account with the same alias name: an alias resolves per account and region. */
  decoy: boolean;
  policy: (w: WorldNames) => Statement[];
}

export interface Case {
  partition: Partition;
  /** Index into REGIONS[partition]. */
  home: 0 | 1;
  /** The trail's owner: the management account, or a member (whose trail is never an organization trail). */
  ownerIsMember: boolean;
  org: boolean;
  /** Which accounts' entries carry organizationId: MANAGEMENT, MEMBER_A, MEMBER_B, ARCHIVE. */
  orgShown: [boolean, boolean, boolean, boolean];
  /** MEMBER_A (always listed when it owns the trail) and MEMBER_B are in the scan. */
  memberAListed: boolean;
  memberBListed: boolean;
  prefix: string | undefined;
  holder: 'owner' | 'archive' | 'outsider';
  /** When the archive holds the bucket: its account entry is in the archive file too. */
  archiveListed: boolean;
  bucket: 'present' | 'gone' | 'noPolicy' | 'policyDenied' | 'policyMissing';
  payer: 'BucketOwner' | 'Requester' | 'denied';
  bucketInOtherRegion: boolean;
  policy: (w: WorldNames) => Statement[];
  policyAsObject: boolean;
  key: KeySpec | undefined;
  /** The files carry collectedAt (2026-01-02); without it the time CloudTrail sends is unknown. */
  collected: boolean;
}

/** The names a case's policies are written against. */
export interface WorldNames {
  p: Partition;
  owner: string;
  trail: string;
  prefix: string | undefined;
  keyArn: string;
  keyAccount: string;
  home: string;
  other: string;
}

export function derive(c: Case): WorldNames & { bucketAccount: string | undefined; keyRegion: string } {
  const [first, second] = REGIONS[c.partition];
  const home = c.home === 0 ? first : second;
  const other = c.home === 0 ? second : first;
  const owner = c.ownerIsMember ? MEMBER_A : MANAGEMENT;
  const keyAccount = c.key?.inArchive ? ARCHIVE : owner;
  const keyRegion = c.key?.otherRegion ? other : home;
  return {
    p: c.partition,
    owner,
    trail: `arn:${c.partition}:cloudtrail:${home}:${owner}:trail/${TRAIL_NAME}`,
    prefix: c.prefix,
    keyArn: `arn:${c.partition}:kms:${keyRegion}:${keyAccount}:key/${KEY_ID}`,
    keyAccount,
    keyRegion,
    home,
    other,
    bucketAccount: c.holder === 'owner' ? owner : c.holder === 'archive' ? ARCHIVE : undefined,
  };
}

/**
 * What the fake AWS endpoint serves: accounts, their regions and roles, trails, buckets and
 * keys. Plain data, so a test states its world in a few lines.
 */

/** A region as account:ListRegions reports it. */
export interface FakeRegion {
  name: string;
  status: 'ENABLED' | 'ENABLED_BY_DEFAULT' | 'DISABLED';
}

/** A role another account may assume. */
export interface FakeRole {
  name: string;
  trustedAccounts: string[];
  externalId?: string;
}

/** An account: its regions, the roles others may assume, its Organizations status. */
export interface FakeAccount {
  id: string;
  regions: FakeRegion[];
  roles?: FakeRole[];
  /** The account's Organizations status; ACTIVE by default. */
  status?: 'ACTIVE' | 'SUSPENDED';
}

/** A trail as its owner created it. */
export interface FakeTrail {
  account: string;
  name: string;
  homeRegion: string;
  multiRegion?: boolean;
  organization?: boolean;
  bucket: string;
  prefix?: string;
  kmsKeyId?: string;
  logging?: boolean;
  logFileValidation?: boolean;
  includeGlobalServiceEvents?: boolean;
  eventSelectors?: Record<string, unknown>[];
  advancedEventSelectors?: Record<string, unknown>[];
  insightSelectors?: Record<string, unknown>[];
  /** Answer GetEventSelectors with [] instead of the default selector, as some emulators do. */
  emptyDefaultSelectors?: boolean;
  /** The partition of its ARN, when not aws (an emulator may answer any). */
  partition?: string;
}

/** A bucket and the settings S3 reports for it (absent ones raise the "not found" errors). */
export interface FakeBucket {
  name: string;
  account: string;
  region: string;
  /** What GetBucketLocation returns when it is not simply the region ("EU", "" or null). */
  locationConstraint?: string | null;
  policy?: string;
  isPublic?: boolean;
  publicAccessBlock?: Record<string, boolean>;
  ownership?: string;
  logging?: { TargetBucket: string; TargetPrefix: string };
  versioning?: { Status?: string; MfaDelete?: string };
  payer?: string;
  /** Accounts the bucket policy lets read the bucket's configuration. */
  readableBy?: string[];
}

/** A KMS key. */
export interface FakeKey {
  id: string;
  account: string;
  region: string;
  aliases?: string[];
  rotation?: boolean;
  policy?: string;
  keySpec?: string;
  manager?: 'CUSTOMER' | 'AWS';
  state?: string;
  /** Accounts the key policy lets describe the key. */
  usableBy?: string[];
}

/** Long-term credentials the fake accepts from the start. */
export interface FakePrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  arn: string;
}

/** Everything the fake serves. */
export interface FakeScenario {
  organization?: { id: string; managementAccountId: string };
  accounts: FakeAccount[];
  trails: FakeTrail[];
  buckets: FakeBucket[];
  keys: FakeKey[];
  principals: FakePrincipal[];
  /** How long AssumeRole's credentials last (s); an hour unless given, as AWS's default. */
  roleSessionSeconds?: number;
}

/** The 17 regions enabled by default in the aws partition (as in 2019), plus opt-in ones. */
export const DEFAULT_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];
/** Opt-in regions, disabled unless an account enables them. */
export const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-south-1'];

/** An account's regions: the defaults enabled, the opt-in ones as given (disabled otherwise). */
export function regionsOf(enabledOptIn: string[] = [], only?: string[]): FakeRegion[] {
  const out: FakeRegion[] = [];
  for (const name of DEFAULT_REGIONS) if (!only || only.includes(name)) out.push({ name, status: 'ENABLED_BY_DEFAULT' });
  for (const name of OPT_IN_REGIONS) if (!only || only.includes(name)) out.push({ name, status: enabledOptIn.includes(name) ? 'ENABLED' : 'DISABLED' });
  return out;
}

/** The ARN of a trail as CloudTrail forms it. */
export function trailArn(t: FakeTrail): string {
  return `arn:${t.partition ?? 'aws'}:cloudtrail:${t.homeRegion}:${t.account}:trail/${t.name}`;
}

/** The ARN of a key. */
export function keyArn(k: FakeKey): string {
  return `arn:aws:kms:${k.region}:${k.account}:key/${k.id}`;
}

/** The starting credentials tests use for `accountId`. */
export function principalFor(accountId: string): FakePrincipal {
  return {
    accessKeyId: `AKIAFAKE${accountId}`,
    secretAccessKey: `fake-secret-${accountId}-do-not-print`,
    accountId,
    arn: `arn:aws:iam::${accountId}:user/auditor`,
  };
}

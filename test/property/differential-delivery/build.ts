/**
 * Building the inventory files of the delivery differential test (differential-delivery.test.ts),
 * as collectors in two places would write them: the accounts' file, and the log-archive
 * account's when it holds anything.
 */
import type { AccountInventory, Bucket, Inventory, Key, ReadError, TrailEntry } from '../../../src/inventory/types.ts';
import { ALIAS, ARCHIVE, BUCKET, type Case, DECOY_KEY_ID, derive, KEY_ID, MANAGEMENT, MEMBER_A, MEMBER_B, ORG, REGIONS, type Statement, TRAIL_NAME } from './world.ts';

export interface Built {
  files: { name: string; inventory: Inventory }[];
  names: ReturnType<typeof derive>;
  kmsKeyId: string | undefined;
  /** Account entries of the scan, over all files. */
  accounts: AccountInventory[];
}

function policyDocument(statements: Statement[], asObject: boolean): string | Record<string, unknown> {
  const doc = { Version: '2012-10-17', Statement: statements };
  return asObject ? doc : JSON.stringify(doc);
}

export function build(c: Case): Built {
  const w = derive(c);
  const isOrg = c.org && !c.ownerIsMember;
  const home = w.home;
  const collectedAt = c.collected ? { collectedAt: '2026-01-02T00:00:00Z' } : {};
  const main: Inventory = { version: 1, ...collectedAt, partition: c.partition, accounts: [], buckets: {}, keys: {}, errors: [] };
  const archive: Inventory = { version: 1, ...collectedAt, partition: c.partition, accounts: [], buckets: {}, keys: {}, errors: [] };
  const fileOf = (account: string) => (account === ARCHIVE ? archive : main);

  const account = (id: string, shown: boolean): AccountInventory => ({ accountId: id, ...(shown ? { organizationId: ORG } : {}), regions: [...REGIONS[c.partition]], trails: [] });
  main.accounts.push(account(MANAGEMENT, c.orgShown[0]));
  if (c.ownerIsMember || c.memberAListed) main.accounts.push(account(MEMBER_A, c.orgShown[1]));
  if (c.memberBListed) main.accounts.push(account(MEMBER_B, c.orgShown[2]));
  if (c.holder === 'archive' && c.archiveListed) archive.accounts.push(account(ARCHIVE, c.orgShown[3]));

  let kmsKeyId: string | undefined;
  if (c.key) {
    const k = c.key;
    const aliasArn = `arn:${c.partition}:kms:${w.keyRegion}:${w.keyAccount}:${ALIAS}`;
    kmsKeyId = { arn: w.keyArn, id: KEY_ID, alias: ALIAS, aliasArn }[k.form];
    const into = fileOf(w.keyAccount);
    const entry: Key = {
      KeyMetadata: { Arn: w.keyArn, KeyId: KEY_ID, KeyState: k.keyState, KeySpec: k.keySpec, KeyManager: 'CUSTOMER', MultiRegion: k.multiRegion },
      KeyRotationEnabled: true,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: k.policy(w) }),
    };
    if (k.form === 'alias' || k.form === 'aliasArn') entry.Aliases = [ALIAS];
    const keyError = (operation: string, code: string, resource: string): ReadError => ({ accountId: w.keyAccount, region: w.keyRegion, service: 'kms', operation, resource, code, message: 'failed' });
    if (k.state === 'present' || k.state === 'policyDenied' || k.state === 'policyMissing' || k.state === 'unaliased') {
      if (k.state === 'policyDenied' || k.state === 'policyMissing') delete entry.Policy;
      if (k.state === 'policyDenied') into.errors!.push(keyError('GetKeyPolicy', 'AccessDeniedException', w.keyArn));
      if (k.state === 'unaliased') delete entry.Aliases;
      into.keys![w.keyArn] = entry;
    } else if (k.state === 'describeDenied') into.errors!.push(keyError('DescribeKey', 'AccessDeniedException', kmsKeyId));
    else if (k.state === 'describeNotFound') into.errors!.push(keyError('DescribeKey', 'NotFoundException', kmsKeyId));
    if (k.decoy) {
      // Same alias name, another account: never the trail's key.
      const decoyArn = `arn:${c.partition}:kms:${home}:${w.keyAccount === ARCHIVE ? MANAGEMENT : ARCHIVE}:key/${DECOY_KEY_ID}`;
      const decoyAccount = decoyArn.split(':')[4];
      fileOf(decoyAccount).keys![decoyArn] = {
        KeyMetadata: { Arn: decoyArn, KeyId: DECOY_KEY_ID, KeyState: 'Disabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyManager: 'CUSTOMER', MultiRegion: false },
        KeyRotationEnabled: false,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        Aliases: [ALIAS],
      };
    }
  }

  const trail: TrailEntry['Trail'] = {
    Name: TRAIL_NAME,
    TrailARN: w.trail,
    HomeRegion: home,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: true,
    S3BucketName: BUCKET,
    IsOrganizationTrail: isOrg,
    HasCustomEventSelectors: false,
  };
  if (c.prefix !== undefined) trail.S3KeyPrefix = c.prefix;
  if (kmsKeyId !== undefined) trail.KmsKeyId = kmsKeyId;
  // Every account of the scan that the trail applies to holds a copy; the owner's has the status.
  const allAccounts = [...main.accounts, ...archive.accounts];
  for (const a of allAccounts) {
    if (a.accountId === w.owner) a.trails.push({ Trail: { ...trail }, Status: { IsLogging: true } });
    else if (isOrg) a.trails.push({ Trail: { ...trail } });
  }

  if (w.bucketAccount !== undefined) {
    const into = fileOf(w.bucketAccount);
    const bucketError = (operation: string, code: string): ReadError => ({ accountId: w.bucketAccount!, region: home, service: 's3', operation, resource: BUCKET, code, message: 'Access Denied' });
    let bucket: Bucket;
    if (c.bucket === 'gone') bucket = { Exists: false };
    else {
      bucket = { Exists: true, Region: c.bucketInOtherRegion ? w.other : home, Policy: policyDocument(c.policy(w), c.policyAsObject), RequestPayer: c.payer === 'Requester' ? 'Requester' : 'BucketOwner' };
      if (c.bucket === 'noPolicy') bucket.Policy = null;
      if (c.bucket === 'policyDenied' || c.bucket === 'policyMissing') delete bucket.Policy;
      if (c.bucket === 'policyDenied') into.errors!.push(bucketError('GetBucketPolicy', 'AccessDenied'));
      if (c.payer === 'denied') {
        delete bucket.RequestPayer;
        into.errors!.push(bucketError('GetBucketRequestPayment', 'AccessDenied'));
      }
    }
    into.buckets![BUCKET] = bucket;
  }

  const files = [{ name: 'accounts.json', inventory: main }];
  const archiveUsed = archive.accounts.length > 0 || Object.keys(archive.buckets!).length > 0 || Object.keys(archive.keys!).length > 0 || archive.errors!.length > 0;
  if (archiveUsed) files.push({ name: 'log-archive.json', inventory: archive });
  return { files, names: w, kmsKeyId, accounts: allAccounts };
}

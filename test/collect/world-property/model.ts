/**
 * The perfect collector's inventory of a world: what live collection must write, worked out from
 * the world and inventory.md alone (not from src/collect).
 */
import type { CollectOptions } from '../../../src/collect/index.ts';
import type { AccountInventory, Bucket, Inventory, Key, ReadError, TrailEntry } from '../../../src/inventory/types.ts';
import { keyArn, trailArn, type FakeScenario, type FakeTrail } from '../../fake-aws/scenario.ts';
import { describedTrail } from '../../fake-aws/cloudtrail.ts';
import type { Fault } from '../../fake-aws/server.ts';
import { FIXED_NOW } from '../harness.ts';
import { MGMT, ORG_ID, type Accounts } from './generate.ts';

/** A fault's code as the SDK reports it, when `call` (by `account`, in `region`) meets a persistent one. */
function persistentFault(faults: Fault[], call: { account: string; region: string; service: string; operation: string; resource?: string }): string | undefined {
  for (const f of faults) {
    if (f.kind === 'throttle') continue;
    if ((f.account ?? call.account) !== call.account || (f.region ?? call.region) !== call.region) continue;
    if (f.service !== call.service || f.operation !== call.operation || (f.resource !== undefined && f.resource !== call.resource)) continue;
    if (f.kind === 'accessDenied') return call.service === 's3' ? 'AccessDenied' : 'AccessDeniedException';
    if (f.kind === 'error') return f.code;
  }
  return undefined;
}


/** GetTrailStatus as the fake's fixed clock answers it, times as ISO strings (inventory.md). */
function statusOf(t: FakeTrail): Record<string, unknown> {
  const started = '2026-01-01T00:00:00.000Z';
  const s: Record<string, unknown> = {
    IsLogging: t.logging ?? true,
    LatestDeliveryTime: '2026-11-20T23:55:00.000Z',
    LatestDigestDeliveryTime: '2026-11-20T23:00:00.000Z',
    StartLoggingTime: started,
    LatestDeliveryAttemptTime: '2026-11-20T23:55:00Z',
    LatestDeliveryAttemptSucceeded: '2026-11-20T23:55:00Z',
    TimeLoggingStarted: started,
  };
  if (t.logging === false) s.StopLoggingTime = '2026-06-01T00:00:00.000Z';
  return s;
}

export const DEFAULT_SELECTOR = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] };

interface Expected {
  inventory: Inventory;
  /** Errors whose account is whichever scanned account read a resource it does not own: checked apart. */
  targets: string[];
}

export function expectedInventory(scenario: FakeScenario, a: Accounts, faults: Fault[], options: CollectOptions): Expected {
  const targets = options.organization ? a.all.filter((id) => id !== a.suspended).sort() : [...new Set(options.accounts)].sort();
  const errors: ReadError[] = [];
  const fail = (e: ReadError) => errors.push(e);
  const withSession = new Set(targets.filter((id) => id === MGMT || id !== a.noRole));
  const accounts: AccountInventory[] = [];
  // Who sees each trail: TrailARN -> accounts (sorted).
  const seenBy = new Map<string, string[]>();
  const byArn = new Map(scenario.trails.map((t) => [trailArn(t), t]));
  for (const id of targets) {
    if (!withSession.has(id)) {
      fail({ accountId: id, service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' });
      // In organization mode the listing already said whose account it is.
      accounts.push(options.organization ? { accountId: id, organizationId: ORG_ID, regions: [], trails: [] } : { accountId: id, regions: [], trails: [] });
      continue;
    }
    const regions = a.enabled.get(id)!;
    const visible = new Set<string>();
    for (const region of regions) {
      const code = persistentFault(faults, { account: id, region, service: 'cloudtrail', operation: 'DescribeTrails' });
      if (code) {
        fail({ accountId: id, region, service: 'cloudtrail', operation: 'DescribeTrails', code });
        continue;
      }
      // DescribeTrails with shadow trails: the region's own trails, every multi-region trail, and
      // the management account's organization trails in every member.
      for (const t of scenario.trails) {
        const mine = t.account === id || (t.organization === true && t.account === MGMT);
        if (mine && (t.homeRegion === region || t.multiRegion === true)) visible.add(trailArn(t));
      }
    }
    const arns = [...visible].sort();
    for (const arn of arns) seenBy.set(arn, [...(seenBy.get(arn) ?? []), id]);
    accounts.push({ accountId: id, organizationId: ORG_ID, regions, trails: arns.map((arn) => ({ Trail: describedTrail(byArn.get(arn)!) })) });
  }
  const entryOf = (accountId: string, arn: string) => accounts.find((x) => x.accountId === accountId)!.trails.find((t) => t.Trail.TrailARN === arn)!;

  // Each trail read once, in its home region, by its owner when scanned and it saw it, else by
  // the first account that did (where the data sits is folded away before comparing).
  for (const [arn, viewers] of seenBy) {
    const t = byArn.get(arn)!;
    const reader = viewers.includes(t.account) ? t.account : viewers[0];
    const entry = entryOf(reader, arn);
    const call = (operation: string) => persistentFault(faults, { account: reader, region: t.homeRegion, service: 'cloudtrail', operation, resource: arn });
    const trailError = (operation: string, code: string) => fail({ accountId: reader, region: t.homeRegion, service: 'cloudtrail', operation, resource: arn, code });
    const status = call('GetTrailStatus');
    if (status) trailError('GetTrailStatus', status);
    else entry.Status = statusOf(t);
    const selectors = call('GetEventSelectors');
    if (selectors) trailError('GetEventSelectors', selectors);
    else if (t.advancedEventSelectors?.length) entry.AdvancedEventSelectors = t.advancedEventSelectors as unknown as TrailEntry['AdvancedEventSelectors'];
    else if (t.eventSelectors?.length) entry.EventSelectors = t.eventSelectors;
    // inventory.md: no custom selectors and none given means AWS's default selector.
    else if (!t.emptyDefaultSelectors) entry.EventSelectors = [DEFAULT_SELECTOR];
    const insights = call('GetInsightSelectors');
    if (insights) trailError('GetInsightSelectors', insights);
    else entry.InsightSelectors = t.insightSelectors ?? [];
  }

  // Buckets and keys the collected trails name, read by their owner when scanned, else by an
  // account that uses them (errors then name that account: see `foreign`).
  const named = accounts.flatMap((x) => x.trails.map((e) => byArn.get(e.Trail.TrailARN)!));
  const buckets: Record<string, Bucket> = {};
  for (const name of [...new Set(named.map((t) => t.bucket))].sort()) {
    const b = scenario.buckets.find((x) => x.name === name);
    if (!b) {
      buckets[name] = { Exists: false };
      continue;
    }
    const owner = withSession.has(b.account);
    const reader = owner ? b.account : '*';
    const fault = (operation: string, region: string) => persistentFault(faults, { account: reader, region, service: 's3', operation, resource: name });
    const location = fault('GetBucketLocation', 'us-east-1') ?? (owner || b.readableBy?.length ? undefined : 'AccessDenied');
    if (location) {
      fail({ accountId: reader, region: 'us-east-1', service: 's3', operation: 'GetBucketLocation', resource: name, code: location });
      continue;
    }
    const bucket: Bucket = { Region: b.region };
    const read = (field: string, operation: string, value: () => unknown, ownerOnly?: string) => {
      const code = fault(operation, b.region) ?? (owner ? undefined : ownerOnly);
      if (code) fail({ accountId: reader, region: b.region, service: 's3', operation, resource: name, code });
      else bucket[field] = value();
    };
    const id = `c${b.account}`.padEnd(64, '0');
    read('Policy', 'GetBucketPolicy', () => b.policy ?? null, 'MethodNotAllowed');
    read('PolicyStatus', 'GetBucketPolicyStatus', () => (b.policy === undefined ? null : { IsPublic: b.isPublic ?? false }), 'MethodNotAllowed');
    read('PublicAccessBlock', 'GetPublicAccessBlock', () => b.publicAccessBlock ?? null, 'AccessDenied');
    read('OwnershipControls', 'GetBucketOwnershipControls', () => (b.ownership ? { Rules: [{ ObjectOwnership: b.ownership }] } : null), 'AccessDenied');
    read('Acl', 'GetBucketAcl', () => ({
      Owner: { ID: id, DisplayName: `owner-${b.account}` },
      Grants: [{ Grantee: { ID: id, DisplayName: `owner-${b.account}`, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
    }));
    read('Logging', 'GetBucketLogging', () => b.logging ?? {});
    read('Versioning', 'GetBucketVersioning', () => (b.versioning ? { Status: b.versioning.Status, MFADelete: b.versioning.MfaDelete } : {}));
    read('RequestPayer', 'GetBucketRequestPayment', () => b.payer ?? 'BucketOwner');
    buckets[name] = bucket;
  }

  const keys: Record<string, Key> = {};
  const keyReads = new Map<string, { keyId: string; account: string; region: string }>();
  for (const t of named) {
    if (t.kmsKeyId === undefined) continue;
    // A key ARN names its account and region; an alias is the trail owner's, in the trail's home region.
    const m = /^arn:aws:kms:([^:]+):(\d{12}):key\//.exec(t.kmsKeyId);
    const read = m ? { keyId: t.kmsKeyId, region: m[1], account: m[2] } : { keyId: t.kmsKeyId, region: t.homeRegion, account: t.account };
    keyReads.set(`${read.account}|${read.region}|${read.keyId}`, read);
  }
  for (const { keyId, account, region } of keyReads.values()) {
    const owner = withSession.has(account);
    const reader = owner ? account : '*';
    const k = scenario.keys.find((x) => x.account === account && x.region === region && (keyArn(x) === keyId || x.aliases?.includes(keyId)));
    const fault = (operation: string, resource: string) => persistentFault(faults, { account: reader, region, service: 'kms', operation, resource });
    const described = fault('DescribeKey', keyId) ?? (!k ? 'NotFoundException' : !owner && !k.usableBy?.length ? 'AccessDeniedException' : undefined);
    if (described || !k) {
      fail({ accountId: reader, region, service: 'kms', operation: 'DescribeKey', resource: keyId, code: described ?? 'NotFoundException' });
      continue;
    }
    const arn = keyArn(k);
    const spec = k.keySpec ?? 'SYMMETRIC_DEFAULT';
    const key: Key = {
      KeyMetadata: {
        AWSAccountId: k.account,
        KeyId: k.id,
        Arn: arn,
        CreationDate: '2025-01-01T00:00:00.000Z',
        Enabled: true,
        Description: 'trail key',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        CustomerMasterKeySpec: spec,
        KeySpec: spec,
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      },
    };
    if (keyId.startsWith('alias/')) key.Aliases = [keyId];
    const rotation = fault('GetKeyRotationStatus', arn);
    if (rotation) fail({ accountId: reader, region, service: 'kms', operation: 'GetKeyRotationStatus', resource: arn, code: rotation });
    // Asymmetric keys have no rotation at all: "read, none".
    else key.KeyRotationEnabled = spec === 'SYMMETRIC_DEFAULT' ? (k.rotation ?? false) : null;
    // GetKeyPolicy works only in the key's own account: another account does not ask, and says so.
    const policy = owner ? fault('GetKeyPolicy', arn) : 'NotCollected';
    if (policy) fail({ accountId: reader, region, service: 'kms', operation: 'GetKeyPolicy', resource: arn, code: policy });
    else key.Policy = k.policy ?? JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${k.account}:root` }, Action: 'kms:*', Resource: '*' }] });
    const seen = keys[arn];
    if (seen) {
      const aliases = [...new Set([...(seen.Aliases ?? []), ...(key.Aliases ?? [])])].sort();
      keys[arn] = { ...seen, ...key, ...(aliases.length ? { Aliases: aliases } : {}) };
    } else keys[arn] = key;
  }
  return { inventory: { version: 1, collectedAt: FIXED_NOW.toISOString(), partition: 'aws', accounts, buckets, keys, errors }, targets };
}

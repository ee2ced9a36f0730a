/**
 * Differential property test of live collection: fast-check draws small organizations (an
 * organization trail owned by the management account, member trails single- and multi-region
 * homed in various regions, shared buckets in a log-archive or outside account, keys named by
 * ARN or alias, opt-in regions some accounts did not enable, accounts whose role cannot be
 * assumed, sometimes more than one ListAccounts page) and faults on random reads (AccessDenied,
 * 5xx past the retries, throttling that recovers). Each world is collected through the fake
 * endpoint by the real collector, in organization and in explicit-accounts mode, and compared
 * with the inventory a perfect collector would write, worked out here from the world and
 * inventory.md alone (not from src/collect):
 *
 * - accounts, their regions and organization id, and every visible trail once per TrailARN;
 * - Status, selectors and insights as read in the trail's home region, the same in every copy
 *   that carries them (which copy does is the collector's choice: the engine folds copies);
 * - buckets and keys with what their reader may see, `null` for "read, none", absent for failed;
 * - errors[]: every persistent fault, and nothing for throttling that recovered;
 * - the verdict of every built-in rule on both inventories, and never `pass` for a trail rule
 *   that reads a datum whose read failed.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result } from '../../src/engine/result.ts';
import type { AccountInventory, Bucket, Inventory, Key, ReadError, Trail, TrailEntry } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import type { CollectOptions } from '../../src/collect/index.ts';
import { keyArn, principalFor, regionsOf, trailArn, type FakeBucket, type FakeKey, type FakeScenario, type FakeTrail } from '../fake-aws/scenario.ts';
import type { Fault, LoggedCall } from '../fake-aws/server.ts';
import { FIXED_NOW, runCollect } from './harness.ts';

const MGMT = '111111111111';
const LOGS = '222222222222';
const OUTSIDER = '999999999999';
const ORG_ID = 'o-world12345';
const ROLE = 'TrailgateAudit';
const DEFAULT = ['eu-west-1', 'us-east-1', 'us-west-2'];
const OPT_IN = 'ap-east-1';
const memberId = (i: number) => `3000000000${String(i).padStart(2, '0')}`;
const idleId = (i: number) => `5000000000${String(i).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------
// The world, as fast-check draws it

type Selectors = 'default' | 'basic' | 'advanced' | 'emptyDefault';
type KeyRef = { none: true } | { arn: number } | { alias: number };

interface TrailSpec {
  owner: number;
  home: number;
  multi: boolean;
  bucket: number;
  prefix: boolean;
  key: KeyRef;
  logging: boolean;
  validation: boolean;
  globals: boolean;
  selectors: Selectors;
  insights: boolean;
}

interface BucketSpec {
  owner: number;
  region: number;
  eu: boolean;
  orgReadable: boolean;
  policy: boolean;
  pab: boolean;
  ownership: boolean;
  logging: boolean;
  versioning: 'none' | 'Enabled' | 'Suspended';
  requester: boolean;
}

interface KeySpec {
  owner: number;
  region: number;
  orgUsable: boolean;
  rotation: boolean;
  asymmetric: boolean;
}

type FaultKind = 'denied' | '5xx' | 'throttle';
type FaultTarget =
  | { on: 'DescribeTrails'; account: number; region: number }
  | { on: 'trail'; trail: number; operation: 'GetTrailStatus' | 'GetEventSelectors' | 'GetInsightSelectors' }
  | { on: 'bucket'; bucket: number; operation: string }
  | { on: 'key'; key: number; operation: 'DescribeKey' | 'GetKeyRotationStatus' | 'GetKeyPolicy' };

interface WorldSpec {
  members: number;
  idle: number;
  optIn: boolean[];
  suspended: boolean;
  noRole: number | null;
  orgTrail: TrailSpec | null;
  trails: TrailSpec[];
  buckets: BucketSpec[];
  dangling: boolean;
  keys: KeySpec[];
  faults: { kind: FaultKind; target: FaultTarget }[];
  explicit: number[];
}

const trailSpec = fc.record({
  owner: fc.nat(),
  home: fc.nat(),
  multi: fc.boolean(),
  bucket: fc.nat(),
  prefix: fc.boolean(),
  key: fc.oneof(fc.constant<KeyRef>({ none: true }), fc.nat().map<KeyRef>((arn) => ({ arn })), fc.nat().map<KeyRef>((alias) => ({ alias }))),
  logging: fc.boolean(),
  validation: fc.boolean(),
  globals: fc.boolean(),
  selectors: fc.constantFrom<Selectors>('default', 'basic', 'advanced', 'emptyDefault'),
  insights: fc.boolean(),
});

const BUCKET_OPERATIONS = ['GetBucketLocation', 'GetBucketPolicy', 'GetBucketPolicyStatus', 'GetPublicAccessBlock', 'GetBucketOwnershipControls', 'GetBucketAcl', 'GetBucketLogging', 'GetBucketVersioning', 'GetBucketRequestPayment'];

const faultTarget: fc.Arbitrary<FaultTarget> = fc.oneof(
  fc.record({ on: fc.constant('DescribeTrails' as const), account: fc.nat(), region: fc.nat() }),
  fc.record({ on: fc.constant('trail' as const), trail: fc.nat(), operation: fc.constantFrom('GetTrailStatus' as const, 'GetEventSelectors' as const, 'GetInsightSelectors' as const) }),
  fc.record({ on: fc.constant('bucket' as const), bucket: fc.nat(), operation: fc.constantFrom(...BUCKET_OPERATIONS) }),
  fc.record({ on: fc.constant('key' as const), key: fc.nat(), operation: fc.constantFrom('DescribeKey' as const, 'GetKeyRotationStatus' as const, 'GetKeyPolicy' as const) }),
);

const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  members: fc.integer({ min: 1, max: 3 }),
  // 2 + members + idle > 20 now and then: ListAccounts answers 20 accounts a page.
  idle: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 16, max: 18 }) }),
  optIn: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  suspended: fc.boolean(),
  noRole: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 4 }),
  orgTrail: fc.option(trailSpec, { freq: 6 }),
  trails: fc.array(trailSpec, { maxLength: 4 }),
  buckets: fc.array(
    fc.record({
      owner: fc.nat(),
      region: fc.nat(),
      eu: fc.boolean(),
      orgReadable: fc.boolean(),
      policy: fc.boolean(),
      pab: fc.boolean(),
      ownership: fc.boolean(),
      logging: fc.boolean(),
      versioning: fc.constantFrom('none' as const, 'Enabled' as const, 'Suspended' as const),
      requester: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  dangling: fc.boolean(),
  keys: fc.array(fc.record({ owner: fc.nat(), region: fc.nat(), orgUsable: fc.boolean(), rotation: fc.boolean(), asymmetric: fc.boolean() }), { maxLength: 3 }),
  faults: fc.array(
    fc.record({
      // Throttling costs the SDK's real back-off (up to a second): rare.
      kind: fc.oneof({ weight: 3, arbitrary: fc.constant<FaultKind>('denied') }, { weight: 3, arbitrary: fc.constant<FaultKind>('5xx') }, { weight: 1, arbitrary: fc.constant<FaultKind>('throttle') }),
      target: faultTarget,
    }),
    { maxLength: 3 },
  ),
  explicit: fc.uniqueArray(fc.nat({ max: 4 }), { minLength: 1, maxLength: 3 }),
});

/** The accounts of a world: management, log archive, members with trails, idle ones; the last suspended. */
interface Accounts {
  /** Accounts that may own trails, buckets and keys (management, log archive, members). */
  core: string[];
  all: string[];
  suspended?: string;
  noRole?: string;
  enabled: Map<string, string[]>;
}

function accountsOf(w: WorldSpec): Accounts {
  const core = [MGMT, LOGS, ...Array.from({ length: w.members }, (_, i) => memberId(i + 1))];
  const idle = Array.from({ length: w.idle }, (_, i) => idleId(i + 1));
  const suspended = w.suspended ? '444444444444' : undefined;
  const all = [...core, ...idle, ...(suspended ? [suspended] : [])];
  const enabled = new Map<string, string[]>();
  for (const id of all) {
    const i = core.indexOf(id);
    enabled.set(id, [...DEFAULT, ...(i >= 0 && w.optIn[i] ? [OPT_IN] : [])].sort());
  }
  const noRole = w.noRole !== null && w.noRole < core.length ? core[w.noRole] : undefined;
  return { core, all, suspended, noRole, enabled };
}

const KEY_IDS = ['0a0a0a0a-1111-4111-8111-000000000001', '0b0b0b0b-2222-4222-8222-000000000002', '0c0c0c0c-3333-4333-8333-000000000003'];
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

/** The fake scenario of a world, and the trail, bucket and key behind each index the faults use. */
function scenarioOf(w: WorldSpec, a: Accounts): { scenario: FakeScenario; trails: FakeTrail[]; buckets: FakeBucket[]; keys: FakeKey[] } {
  const orgAccounts = a.all.filter((id) => id !== a.suspended);
  const keys: FakeKey[] = w.keys.map((k, i) => {
    const owner = pick([...a.core, OUTSIDER], k.owner);
    const key: FakeKey = { id: KEY_IDS[i], account: owner, region: pick(DEFAULT, k.region), aliases: [`alias/key-${i}`], rotation: k.rotation };
    if (k.asymmetric) key.keySpec = 'RSA_2048';
    if (k.orgUsable) key.usableBy = orgAccounts;
    return key;
  });
  const buckets: FakeBucket[] = w.buckets.map((s, i) => {
    const region = pick(DEFAULT, s.region);
    const b: FakeBucket = { name: `logs-${i}`, account: pick([LOGS, ...a.core, OUTSIDER], s.owner), region };
    if (region === 'eu-west-1' && s.eu) b.locationConstraint = 'EU';
    if (s.orgReadable) b.readableBy = orgAccounts;
    if (s.policy) b.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::logs-${i}/*` }] });
    if (s.pab) b.publicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    if (s.ownership) b.ownership = 'BucketOwnerEnforced';
    if (s.logging) b.logging = { TargetBucket: 'access-logs', TargetPrefix: `logs-${i}/` };
    if (s.versioning !== 'none') b.versioning = { Status: s.versioning, MfaDelete: 'Disabled' };
    if (s.requester) b.payer = 'Requester';
    return b;
  });
  const bucketNames = [...buckets.map((b) => b.name), ...(w.dangling ? ['deleted-logs'] : [])];
  const trail = (s: TrailSpec, name: string, organization: boolean): FakeTrail => {
    let owner = organization ? MGMT : pick(a.core, s.owner);
    // A trail lives in a region its owner enabled; the organization trail in a default region,
    // so that every member can read it in its home region.
    let home = pick(organization ? DEFAULT : a.enabled.get(owner)!, s.home);
    let kmsKeyId: string | undefined;
    if ('arn' in s.key && keys.length > 0) kmsKeyId = keyArn(pick(keys, s.key.arn));
    // CloudTrail itself answers a key ARN; an alias is what an emulator or a hand-written
    // inventory may give. An organization trail's alias seen from a member would name a key in
    // the member's account (see the report of this test): kept to trails only their owner sees.
    if ('alias' in s.key && keys.length > 0 && !organization) {
      // An alias names a key of the trail's own account and home region: put the trail there.
      const k = pick(keys, s.key.alias);
      if (k.account !== OUTSIDER) [owner, home] = [k.account, k.region];
      kmsKeyId = k.aliases![0];
    }
    const t: FakeTrail = {
      account: owner,
      name,
      homeRegion: home,
      multiRegion: organization ? s.multi || s.home % 3 !== 0 : s.multi,
      organization,
      bucket: pick(bucketNames, s.bucket),
      logging: s.logging,
      logFileValidation: s.validation,
      includeGlobalServiceEvents: s.globals,
    };
    if (s.prefix) t.prefix = `p-${name}`;
    if (kmsKeyId !== undefined) t.kmsKeyId = kmsKeyId;
    if (s.selectors === 'basic') t.eventSelectors = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }];
    if (s.selectors === 'advanced') t.advancedEventSelectors = [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
    if (s.selectors === 'emptyDefault') t.emptyDefaultSelectors = true;
    if (s.insights) t.insightSelectors = [{ InsightType: 'ApiCallRateInsight' }];
    return t;
  };
  const trails = [...(w.orgTrail ? [trail(w.orgTrail, 'org-trail', true)] : []), ...w.trails.map((s, i) => trail(s, `trail-${i}`, false))];
  const trusted = [{ name: ROLE, trustedAccounts: [MGMT] }];
  const scenario: FakeScenario = {
    organization: { id: ORG_ID, managementAccountId: MGMT },
    principals: [principalFor(MGMT)],
    accounts: a.all.map((id) => ({
      id,
      regions: regionsOf(a.enabled.get(id)!.includes(OPT_IN) ? [OPT_IN] : [], [...DEFAULT, OPT_IN]),
      ...(id !== MGMT && id !== a.noRole ? { roles: trusted } : {}),
      ...(id === a.suspended ? { status: 'SUSPENDED' as const } : {}),
    })),
    trails,
    buckets,
    keys,
  };
  return { scenario, trails, buckets, keys };
}

const FAULT_REPLY: Record<FaultKind, (service: string) => Omit<Fault, keyof import('../fake-aws/server.ts').FaultMatch>> = {
  denied: () => ({ kind: 'accessDenied' }),
  '5xx': (service) => ({ kind: 'error', status: 500, code: service === 's3' ? 'InternalError' : 'InternalFailure' }),
  throttle: () => ({ kind: 'throttle', times: 1 }),
};

/** The faults of a world as the fake takes them. */
function faultsOf(w: WorldSpec, a: Accounts, trails: FakeTrail[], buckets: FakeBucket[], keys: FakeKey[]): Fault[] {
  const out: Fault[] = [];
  for (const { kind, target } of w.faults) {
    let match: import('../fake-aws/server.ts').FaultMatch;
    if (target.on === 'DescribeTrails') {
      const account = pick(a.core, target.account);
      match = { account, region: pick(a.enabled.get(account)!, target.region), service: 'cloudtrail', operation: 'DescribeTrails' };
    } else if (target.on === 'trail') {
      if (trails.length === 0) continue;
      match = { service: 'cloudtrail', operation: target.operation, resource: trailArn(pick(trails, target.trail)) };
    } else if (target.on === 'bucket') {
      match = { service: 's3', operation: target.operation, resource: pick(buckets, target.bucket).name };
    } else {
      if (keys.length === 0) continue;
      match = { service: 'kms', operation: target.operation, resource: keyArn(pick(keys, target.key)) };
    }
    out.push({ ...match, ...FAULT_REPLY[kind](match.service!) } as Fault);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The perfect collector's inventory, from the world and inventory.md

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

/** DescribeTrails' element for a trail: the fields the AWS API reference lists, as the world sets them. */
function describedTrail(t: FakeTrail): Trail {
  const out: Trail = {
    Name: t.name,
    S3BucketName: t.bucket,
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: t.multiRegion ?? false,
    HomeRegion: t.homeRegion,
    TrailARN: trailArn(t),
    LogFileValidationEnabled: t.logFileValidation ?? true,
    HasCustomEventSelectors: Boolean(t.eventSelectors?.length || t.advancedEventSelectors?.length),
    HasInsightSelectors: Boolean(t.insightSelectors?.length),
    IsOrganizationTrail: t.organization ?? false,
  };
  if (t.prefix !== undefined) out.S3KeyPrefix = t.prefix;
  if (t.kmsKeyId !== undefined) out.KmsKeyId = t.kmsKeyId;
  return out;
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

const DEFAULT_SELECTOR = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] };

interface Expected {
  inventory: Inventory;
  /** Errors whose account is whichever scanned account read a resource it does not own: checked apart. */
  targets: string[];
}

function expectedInventory(scenario: FakeScenario, a: Accounts, faults: Fault[], options: CollectOptions): Expected {
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
      accounts.push({ accountId: id, regions: [], trails: [] });
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
    // GetKeyPolicy works only in the key's own account.
    const policy = fault('GetKeyPolicy', arn) ?? (owner ? undefined : 'AccessDeniedException');
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

// ---------------------------------------------------------------------------------------------
// Comparing

const TRAIL_DATA = ['Status', 'EventSelectors', 'AdvancedEventSelectors', 'InsightSelectors'] as const;

/**
 * The inventory with each trail's reads on one copy (its owner's when listed, else the first
 * account's), trails and keys in ARN order, errors without their AWS message and, for resources
 * read by an account that does not own them, without the account (`*`), each distinct error once.
 * Throws when two copies of a trail disagree, or an error names an account that does not use the resource.
 */
function canonical(inv: Inventory, foreignOk: (e: ReadError) => boolean, collected: boolean): { inventory: Inventory; duplicates: string[] } {
  const accounts = structuredClone(inv.accounts).sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
  const data = new Map<string, Partial<TrailEntry>>();
  for (const acc of accounts) {
    acc.trails.sort((x, y) => (x.Trail.TrailARN < y.Trail.TrailARN ? -1 : 1));
    for (const entry of acc.trails) {
      const arn = entry.Trail.TrailARN;
      const d = data.get(arn) ?? {};
      for (const f of TRAIL_DATA) {
        if (entry[f] === undefined) continue;
        if (d[f] !== undefined) expect(entry[f], `${f} of ${arn} in ${acc.accountId}`).to.deep.equal(d[f]);
        (d as Record<string, unknown>)[f] = entry[f];
        delete entry[f];
      }
      data.set(arn, d);
    }
  }
  for (const [arn, d] of data) {
    const owner = accounts.find((x) => x.accountId === arn.split(':')[4] && x.trails.some((t) => t.Trail.TrailARN === arn));
    const holder = owner ?? accounts.find((x) => x.trails.some((t) => t.Trail.TrailARN === arn))!;
    Object.assign(holder.trails.find((t) => t.Trail.TrailARN === arn)!, d);
  }
  const seen = new Map<string, number>();
  const errors: ReadError[] = [];
  for (const e of inv.errors ?? []) {
    if (collected) expect(e.message, `message of ${JSON.stringify(e)}`).to.be.a('string').and.not.equal('');
    const c: ReadError = { ...e };
    delete c.message;
    if (foreignOk(c)) c.accountId = '*';
    const k = JSON.stringify(c);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (seen.get(k) === 1) errors.push(c);
  }
  const key = (e: ReadError) => [e.accountId, e.region ?? '', e.service, e.operation, e.resource ?? '', e.code].join('|');
  errors.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n}x ${k}`);
  return { inventory: { ...inv, accounts, errors }, duplicates };
}

/** Verdicts by rule and subject. */
function verdicts(rules: readonly CompiledRule[], inv: Inventory): Map<string, Result['status']> {
  const out = new Map<string, Result['status']>();
  for (const r of evaluate(rules, inv)) out.set(`${r.ruleId} ${r.subject.kind} ${r.subject.accountId} ${r.subject.region ?? ''} ${r.subject.arn ?? ''}`, r.status);
  return out;
}

/** The datum (as rules name it in `reads`) each read fills; a failed location or DescribeKey loses the whole bucket or key. */
const FIELD_OF: Record<string, string> = {
  GetTrailStatus: 'Status',
  GetEventSelectors: 'EventSelectors',
  GetInsightSelectors: 'InsightSelectors',
  GetBucketLocation: 'Bucket',
  GetBucketPolicy: 'Bucket.Policy',
  GetBucketPolicyStatus: 'Bucket.PolicyStatus',
  GetPublicAccessBlock: 'Bucket.PublicAccessBlock',
  GetBucketOwnershipControls: 'Bucket.OwnershipControls',
  GetBucketAcl: 'Bucket.Acl',
  GetBucketLogging: 'Bucket.Logging',
  GetBucketVersioning: 'Bucket.Versioning',
  GetBucketRequestPayment: 'Bucket.RequestPayer',
  DescribeKey: 'Key',
  GetKeyRotationStatus: 'Key.KeyRotationEnabled',
  GetKeyPolicy: 'Key.Policy',
};
const TRAIL_READS = new Set(['GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors']);

// ---------------------------------------------------------------------------------------------

interface Case {
  spec: WorldSpec;
  mode: 'organization' | 'accounts';
}

async function check({ spec, mode }: Case, rules: readonly CompiledRule[]): Promise<void> {
  const a = accountsOf(spec);
  const { scenario, trails, buckets, keys } = scenarioOf(spec, a);
  const faults = faultsOf(spec, a, trails, buckets, keys);
  const options: CollectOptions =
    mode === 'organization'
      ? { organization: true, roleName: ROLE }
      : { accounts: spec.explicit.map((i) => a.core[i % a.core.length]), roleName: ROLE };
  const { inventory, fake } = await runCollect(scenario, { ...options, requestsPerSecond: 1000, burst: 100, maxAttempts: 3 }, { fake: { faults: structuredClone(faults) } });
  const expected = expectedInventory(scenario, a, faults, options);

  // Bucket and key reads by an account that does not own them: any scanned account that sees a
  // trail naming the resource may be the reader.
  const users = new Map<string, Set<string>>();
  for (const acc of inventory.accounts) {
    for (const { Trail: t } of acc.trails) {
      for (const r of [t.S3BucketName, t.KmsKeyId]) if (r) users.set(r, (users.get(r) ?? new Set()).add(acc.accountId));
    }
  }
  const owners = new Map<string, string>([...scenario.buckets.map((b) => [b.name, b.account] as const), ...scenario.keys.map((k) => [keyArn(k), k.account] as const)]);
  const withSession = new Set(expected.targets.filter((id) => id === MGMT || id !== a.noRole));
  const foreignOk = (e: ReadError): boolean => {
    if (e.service !== 's3' && e.service !== 'kms') return false;
    // An alias belongs to the account of the trail that names it.
    const owned = e.resource?.startsWith('alias/') ? scenario.trails.filter((t) => t.kmsKeyId === e.resource).map((t) => t.account) : [owners.get(e.resource ?? '') ?? e.resource?.split(':')[4]];
    if (owned.some((o) => o !== undefined && withSession.has(o))) return false;
    if (e.accountId === '*') return true;
    const users_ = [...(users.get(e.resource ?? '') ?? [])];
    // A key's later reads name it by ARN; the trail may have named it by alias.
    const aliasUsers = e.service === 'kms' ? [...users].filter(([r]) => r.startsWith('alias/')).flatMap(([, s]) => [...s]) : [];
    expect([...users_, ...aliasUsers], `reader of ${e.resource}`).to.include(e.accountId);
    return true;
  };
  const got = canonical(inventory, foreignOk, true);
  const want = canonical(expected.inventory, () => false, false);
  const world = `\n  mode ${mode}${mode === 'accounts' ? ` ${JSON.stringify(options.accounts)}` : ''}\n  faults ${JSON.stringify(faults)}`;

  expect(got.inventory.accounts, `accounts${world}`).to.deep.equal(want.inventory.accounts);
  expect(got.inventory.buckets, `buckets${world}`).to.deep.equal(want.inventory.buckets);
  expect(got.inventory.keys, `keys${world}`).to.deep.equal(want.inventory.keys);
  expect(got.inventory.errors, `errors${world}`).to.deep.equal(want.inventory.errors);
  expect(inventory.version).to.equal(1);
  expect(inventory.collectedAt).to.equal(FIXED_NOW.toISOString());

  // Every injected persistent fault that met a call is an error once; throttling that recovered leaves none.
  for (const f of faults) {
    const met = fake.calls.filter((c) => matches(f, c));
    if (met.length === 0) continue;
    const hits = (inventory.errors ?? []).filter((e) => e.service === f.service && e.operation === f.operation && (f.resource === undefined || e.resource === f.resource) && (f.region === undefined || e.region === f.region) && (f.account === undefined || e.accountId === f.account));
    if (f.kind === 'throttle') expect(hits, `throttling that recovered${world}`).to.deep.equal([]);
    else expect(new Set(hits.map((e) => e.accountId)).size, `${JSON.stringify(f)} in errors[]${world}`).to.be.greaterThan(0);
  }
  expect(got.duplicates, `the same failed read recorded more than once${world}`).to.deep.equal([]);

  // Trails: the per-trail reads by ARN, in the home region, each by one account.
  const perTrail = fake.calls.filter((c) => c.service === 'cloudtrail' && TRAIL_READS.has(c.operation));
  for (const c of perTrail) {
    expect(c.resource, 'per-trail reads name the trail by ARN').to.match(/^arn:aws:cloudtrail:/);
    expect(c.region, `${c.operation} of ${c.resource} in its home region`).to.equal(c.resource!.split(':')[3]);
  }
  const readers = new Map<string, Set<string>>();
  for (const c of perTrail) readers.set(`${c.operation} ${c.resource}`, (readers.get(`${c.operation} ${c.resource}`) ?? new Set()).add(c.account));
  for (const [what, who] of readers) expect([...who], `${what} read once${world}`).to.have.length(1);

  // The rules: the same verdicts on both inventories, and never a pass on a datum whose read failed.
  const mine = verdicts(rules, got.inventory);
  const theirs = verdicts(rules, want.inventory);
  expect(Object.fromEntries(mine), `verdicts${world}`).to.deep.equal(Object.fromEntries(theirs));
  for (const e of inventory.errors ?? []) {
    const field = FIELD_OF[e.operation];
    if (!field || e.resource === undefined) continue;
    const needs = (reads: string[]) => reads.includes(field) || ((field === 'Bucket' || field === 'Key') && reads.some((x) => x.startsWith(`${field}.`)));
    const subjects = new Set<string>();
    for (const acc of inventory.accounts) {
      for (const { Trail: t } of acc.trails) {
        // inventory.md: HasCustomEventSelectors false settles the selectors (AWS's default) without GetEventSelectors.
        if (e.operation === 'GetEventSelectors' && t.HasCustomEventSelectors === false) continue;
        // An alias names a key in one account and region only: its error touches the trails there.
        const elsewhere = e.resource.startsWith('alias/') && (t.HomeRegion !== e.region || t.TrailARN.split(':')[4] !== e.accountId);
        if ([t.TrailARN, t.S3BucketName, t.KmsKeyId].includes(e.resource) && !elsewhere) subjects.add(t.TrailARN);
      }
    }
    for (const r of evaluate(rules, inventory)) {
      const reads = rules.find((x) => x.meta.id === r.ruleId)!.reads;
      if (r.subject.arn && subjects.has(r.subject.arn) && needs(reads)) {
        expect(r.status, `${r.ruleId} on ${r.subject.arn} with ${e.operation} failed${world}`).not.to.equal('pass');
      }
    }
  }
}

function matches(f: Fault, c: LoggedCall): boolean {
  return (f.account ?? c.account) === c.account && (f.region ?? c.region) === c.region && f.service === c.service && f.operation === c.operation && (f.resource ?? c.resource) === c.resource;
}

describe('collect: random worlds against a model of inventory.md (differential)', function () {
  this.timeout(60_000);
  const rules = loadRules();

  it('collects what a perfect collector would, in organization and explicit-accounts mode', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        await check({ spec, mode: 'organization' }, rules);
        await check({ spec, mode: 'accounts' }, rules);
      }),
      // Each run starts two collections of up to 22 accounts: a few runs keep the file near 5 s.
      { numRuns: 5 },
    );
  });
});

describe('collect: regressions the random worlds found', () => {
  const fast = { requestsPerSecond: 1000, burst: 100 };

  it('reads an organization trail whose owner is not scanned once, by the first member, so a failed read is one errors[] entry', async () => {
    // Minimal world: the organization trail of an unscanned management account, two members scanned.
    const arn = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
    const scenario: FakeScenario = {
      organization: { id: ORG_ID, managementAccountId: MGMT },
      principals: [principalFor(MGMT)],
      accounts: [MGMT, LOGS, memberId(1)].map((id) => ({ id, regions: regionsOf([], DEFAULT), ...(id === MGMT ? {} : { roles: [{ name: ROLE, trustedAccounts: [MGMT] }] }) })),
      trails: [{ account: MGMT, name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, organization: true, bucket: 'logs-0' }],
      buckets: [{ name: 'logs-0', account: LOGS, region: 'us-east-1' }],
      keys: [],
    };
    const { inventory, fake } = await runCollect(scenario, { accounts: [LOGS, memberId(1)], roleName: ROLE, ...fast }, {
      fake: { faults: [{ service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn, kind: 'accessDenied' }] },
    });
    for (const operation of ['GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors']) {
      expect(new Set(fake.calls.filter((c) => c.operation === operation && c.resource === arn).map((c) => c.account)), operation).to.deep.equal(new Set([LOGS]));
    }
    expect(inventory.errors!.filter((e) => e.resource === arn)).to.have.length(1);
    const copies = inventory.accounts.map((x) => x.trails.find((t) => t.Trail.TrailARN === arn)!);
    expect(copies[0].EventSelectors).to.deep.equal([DEFAULT_SELECTOR]);
    expect(copies[1]).to.have.all.keys('Trail');
  });

  it('reads a key named by ARN once, whichever scanned accounts have trails that use it, so a failed read is one errors[] entry', async () => {
    // Minimal world: two scanned accounts whose trails use one key of an account that is not scanned.
    const key: FakeKey = { id: KEY_IDS[0], account: OUTSIDER, region: 'us-east-1' };
    const scenario: FakeScenario = {
      organization: { id: ORG_ID, managementAccountId: MGMT },
      principals: [principalFor(MGMT)],
      accounts: [MGMT, LOGS].map((id) => ({ id, regions: regionsOf([], DEFAULT), ...(id === MGMT ? {} : { roles: [{ name: ROLE, trustedAccounts: [MGMT] }] }) })),
      trails: [MGMT, LOGS].map((account) => ({ account, name: 'trail', homeRegion: 'us-east-1', bucket: 'logs-0', kmsKeyId: keyArn(key) })),
      buckets: [{ name: 'logs-0', account: LOGS, region: 'us-east-1' }],
      keys: [key],
    };
    const { inventory, fake } = await runCollect(scenario, { organization: true, roleName: ROLE, ...fast });
    expect(fake.calls.filter((c) => c.operation === 'DescribeKey').map((c) => c.account)).to.deep.equal([MGMT]);
    expect(inventory.errors!.filter((e) => e.resource === keyArn(key))).to.deep.equal([
      { accountId: MGMT, region: 'us-east-1', service: 'kms', operation: 'DescribeKey', resource: keyArn(key), code: 'AccessDeniedException', message: `User: arn:aws:iam::${MGMT}:user/auditor is not authorized to perform: kms:DescribeKey on resource: ${keyArn(key)}` },
    ]);
  });

  it('reads the rotation and policy of a key named by alias by one trail and by ARN by another once, so a failed read is one errors[] entry', async () => {
    const key: FakeKey = { id: KEY_IDS[0], account: MGMT, region: 'eu-west-1', aliases: ['alias/key-0'] };
    const scenario: FakeScenario = {
      principals: [principalFor(MGMT)],
      accounts: [{ id: MGMT, regions: regionsOf([], DEFAULT) }],
      trails: [
        { account: MGMT, name: 'by-arn', homeRegion: 'eu-west-1', bucket: 'logs-0', kmsKeyId: keyArn(key) },
        { account: MGMT, name: 'by-alias', homeRegion: 'eu-west-1', bucket: 'logs-0', kmsKeyId: 'alias/key-0' },
      ],
      buckets: [{ name: 'logs-0', account: MGMT, region: 'eu-west-1' }],
      keys: [key],
    };
    const { inventory, fake } = await runCollect(scenario, fast, { fake: { faults: [{ service: 'kms', operation: 'GetKeyPolicy', kind: 'error', status: 500, code: 'InternalFailure' }] } });
    expect(fake.calls.filter((c) => c.operation === 'GetKeyRotationStatus')).to.have.length(1);
    expect(inventory.errors!.filter((e) => e.operation === 'GetKeyPolicy')).to.have.length(1);
    expect(inventory.keys![keyArn(key)]).to.include({ KeyRotationEnabled: false }).and.deep.include({ Aliases: ['alias/key-0'] });
  });
});

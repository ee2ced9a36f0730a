/**
 * The worlds the differential collection test draws: small organizations (an organization trail
 * owned by the management account, member trails single- and multi-region homed in various
 * regions, shared buckets in a log-archive or outside account, keys named by ARN or alias,
 * opt-in regions some accounts did not enable, accounts whose role cannot be assumed, sometimes
 * more than one ListAccounts page) and faults on random reads (AccessDenied, 5xx past the
 * retries, throttling that recovers), as fast-check draws them and as the fake endpoint takes them.
 */
import fc from 'fast-check';
import { keyArn, principalFor, regionsOf, trailArn, type FakeBucket, type FakeKey, type FakeScenario, type FakeTrail } from '../../fake-aws/scenario.ts';
import type { Fault } from '../../fake-aws/server.ts';

export const MGMT = '111111111111';
export const LOGS = '222222222222';
export const OUTSIDER = '999999999999';
export const ORG_ID = 'o-world12345';
export const ROLE = 'TrailgateAudit';
export const DEFAULT = ['eu-west-1', 'us-east-1', 'us-west-2'];
const OPT_IN = 'ap-east-1';
export const memberId = (i: number) => `3000000000${String(i).padStart(2, '0')}`;
const idleId = (i: number) => `5000000000${String(i).padStart(2, '0')}`;

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

export interface WorldSpec {
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

export const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
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
export interface Accounts {
  /** Accounts that may own trails, buckets and keys (management, log archive, members). */
  core: string[];
  all: string[];
  suspended?: string;
  noRole?: string;
  enabled: Map<string, string[]>;
}

export function accountsOf(w: WorldSpec): Accounts {
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

export const KEY_IDS = ['0a0a0a0a-1111-4111-8111-000000000001', '0b0b0b0b-2222-4222-8222-000000000002', '0c0c0c0c-3333-4333-8333-000000000003'];
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

/** The fake scenario of a world, and the trail, bucket and key behind each index the faults use. */
export function scenarioOf(w: WorldSpec, a: Accounts): { scenario: FakeScenario; trails: FakeTrail[]; buckets: FakeBucket[]; keys: FakeKey[] } {
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

const FAULT_REPLY: Record<FaultKind, (service: string) => Omit<Fault, keyof import('../../fake-aws/server.ts').FaultMatch>> = {
  denied: () => ({ kind: 'accessDenied' }),
  '5xx': (service) => ({ kind: 'error', status: 500, code: service === 's3' ? 'InternalError' : 'InternalFailure' }),
  throttle: () => ({ kind: 'throttle', times: 1 }),
};

/** The faults of a world as the fake takes them. */
export function faultsOf(w: WorldSpec, a: Accounts, trails: FakeTrail[], buckets: FakeBucket[], keys: FakeKey[]): Fault[] {
  const out: Fault[] = [];
  for (const { kind, target } of w.faults) {
    let match: import('../../fake-aws/server.ts').FaultMatch;
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

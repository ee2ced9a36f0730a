/**
 * A differential (oracle) property test for the trail-scoped built-in rules, other than the two
 * that evaluate policies (bucket-delivery, kms-key-usable). Random but schema-valid inventories
 * (several accounts, an organization trail seen from member accounts, buckets and keys in another
 * account of the inventory or in one that was not scanned, failed reads) go through the real
 * loader and engine, and each (rule, TrailARN) verdict is compared with a small reference model
 * written from shared/design/rules.md and inventory.md alone, not from trailgate's rules.
 *
 * Where the design documents leave room, the model takes the reading trailgate documents, and says
 * so where it does: collected data wins over a failed read recorded elsewhere (README); insight
 * selectors not read are judged by DescribeTrails' HasInsightSelectors; KeyRotationEnabled null
 * ("read, and there is none") is no rotation; a failed GetBucketPolicyStatus leaves PolicyStatus
 * uncollected, which bucket-not-public only consults "when collected"; a bucket that does not exist,
 * or no bucket, is not applicable to the bucket rules (bucket-delivery reports it).
 *
 * To replay a counterexample, pass the seed and path fast-check prints:
 *   TRAILGATE_SEED=<seed> TRAILGATE_PATH=<path> npx mocha ... test/property/differential-trail-rules.test.ts
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result, Status } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory, ReadError, TrailEntry } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';

// ---------------------------------------------------------------------------------------------
// The world the generator draws from
// ---------------------------------------------------------------------------------------------

/** Accounts that may be listed in the inventory; the fourth is the log-archive account. */
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
/** An account never scanned: it may own an organization trail (a management account left out), a bucket or a key. */
const OUTSIDER = '999999999999';
const OWNERS = [...ACCOUNTS, OUTSIDER];
const ORG = 'o-a1b2c3d4e5';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const NOW = Date.parse('2026-01-10T12:00:00Z');
const HOUR = 3600_000;

/** The first two may be collected; the third lives in an account that was not scanned. */
const BUCKETS = ['org-trail-logs', 'team-trail-logs', 'partner-trail-logs'];
const KEY_IDS = ['1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321', 'mrk-5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'];
const KEY_ACCOUNTS = [ACCOUNTS[3], ACCOUNTS[0], OUTSIDER];
const KEY_REGIONS = ['us-east-1', 'eu-west-1', 'us-east-1'];
const KEYS = KEY_IDS.map((id, i) => `arn:aws:kms:${KEY_REGIONS[i]}:${KEY_ACCOUNTS[i]}:key/${id}`);
const ALIASES = ['alias/org-trail', 'alias/team-trail', 'alias/partner-trail'];

const TRAIL_RULES = [
  'log-file-validation',
  'kms-encryption',
  'event-selectors-per-trail',
  'trail-logging',
  'delivery-errors',
  'cloudwatch-logs',
  'bucket-not-public',
  'bucket-access-logging',
  'bucket-mfa-delete',
  'kms-key-rotation',
  'insights-enabled',
  'sns-notifications',
] as const;
type RuleId = (typeof TRAIL_RULES)[number];

// ---------------------------------------------------------------------------------------------
// Generator: a plan, from which both the inventory and the model's verdicts are derived
// ---------------------------------------------------------------------------------------------

type TrailRead = 'GetTrailStatus' | 'GetEventSelectors' | 'GetInsightSelectors';
type BucketRead = 'GetBucketPolicy' | 'GetBucketPolicyStatus' | 'GetBucketAcl' | 'GetBucketLogging' | 'GetBucketVersioning' | 'GetBucketLocation';
type KeyRead = 'DescribeKey' | 'GetKeyRotationStatus' | 'GetKeyPolicy';

/** A failed read; `keep` leaves the datum in place anyway (another shard read it). */
interface Failure<Op> {
  op: Op;
  /** For trail reads: which viewing account recorded it (an index into the trail's viewers). */
  by: number;
  keep: boolean;
}

type Selectors =
  | { kind: 'default'; listed: 'none' | 'empty' | 'default' }
  | { kind: 'basic'; flag: boolean; count: number; dataValues: number }
  | { kind: 'advanced'; flag: boolean; selectors: number; values: number; ops: number[] };

/** A delivery time relative to collectedAt, and how it is written. */
interface CwTime {
  offsetSeconds: number;
  format: 'iso' | 'millis' | 'offset' | 'noZone' | 'epoch' | 'epochFraction' | 'notATime' | 'noSuchDay';
}

type KeyForm = 'arn' | 'id' | 'alias' | 'aliasArn';

interface TrailSpec {
  owner: number;
  name: string;
  home: string;
  multi: boolean;
  org: boolean;
  validation: boolean | undefined;
  bucket: number | undefined;
  key: { index: number; form: KeyForm } | undefined;
  sns: boolean;
  cloudWatch: boolean;
  isLogging: boolean;
  deliveryError: string | undefined;
  digestError: string | undefined;
  cwError: string | undefined;
  cwTime: CwTime | undefined;
  selectors: Selectors;
  insights: number;
  insightsFlag: boolean;
  /** Per account of ACCOUNTS: which of Status, selectors and insight selectors that account's copy holds (bits 1, 2, 4). */
  copies: number[];
  /** 0: listed once per account; otherwise listed twice, the second copy holding mask `twice - 1`. */
  twice: number;
  /** How unset members are written: left out, null (the loader reads it as unset), or "" (nothing named). */
  unset: 'absent' | 'null' | 'empty';
  failures: Failure<TrailRead>[];
}

const cwTimeArb: fc.Arbitrary<CwTime> = fc.record({
  // Just inside and just outside 24 h, exactly 24 h, comfortably inside and outside, a little in the future.
  offsetSeconds: fc.constantFrom(-(24 * 3600 - 1), -(24 * 3600 + 1), -24 * 3600, -3600, -48 * 3600, 300),
  format: fc.constantFrom<CwTime['format']>('iso', 'millis', 'offset', 'noZone', 'epoch', 'epochFraction', 'notATime', 'noSuchDay'),
});

const selectorsArb: fc.Arbitrary<Selectors> = fc.oneof(
  fc.record({ kind: fc.constant('default' as const), listed: fc.constantFrom('none' as const, 'empty' as const, 'default' as const) }),
  fc.record({ kind: fc.constant('basic' as const), flag: fc.boolean(), count: fc.constantFrom(1, 2, 5, 6), dataValues: fc.constantFrom(0, 2, 250, 251) }),
  fc.record({
    kind: fc.constant('advanced' as const),
    flag: fc.boolean(),
    selectors: fc.constantFrom(1, 2),
    values: fc.constantFrom(4, 499, 500, 501),
    ops: fc.array(fc.nat(5), { minLength: 3, maxLength: 3 }),
  }),
);

const trailFailure: fc.Arbitrary<Failure<TrailRead>> = fc.record({
  op: fc.constantFrom('GetTrailStatus' as const, 'GetEventSelectors' as const, 'GetInsightSelectors' as const),
  by: fc.nat(3),
  keep: fc.boolean(),
});

const trailSpecArb: fc.Arbitrary<TrailSpec> = fc.record({
  owner: fc.nat(OWNERS.length - 1),
  name: fc.constantFrom('main', 'org-trail', 'audit'),
  home: fc.constantFrom(...REGIONS),
  multi: fc.boolean(),
  org: fc.boolean(),
  validation: fc.constantFrom(true, false, undefined),
  // Mostly the collected buckets and keys; now and then the ones outside the scan.
  bucket: fc.option(fc.constantFrom(0, 0, 1, 1, 2), { nil: undefined, freq: 8 }),
  key: fc.option(fc.record({ index: fc.constantFrom(0, 0, 1, 1, 2), form: fc.constantFrom<KeyForm>('arn', 'arn', 'id', 'alias', 'aliasArn') }), { nil: undefined, freq: 2 }),
  sns: fc.boolean(),
  cloudWatch: fc.boolean(),
  isLogging: fc.boolean(),
  deliveryError: fc.constantFrom(undefined, undefined, 'AccessDenied', ''),
  digestError: fc.constantFrom(undefined, undefined, undefined, 'AccessDenied'),
  cwError: fc.constantFrom(undefined, undefined, undefined, 'CloudWatchLogsDeliveryFailed'),
  cwTime: fc.option(cwTimeArb, { nil: undefined, freq: 5 }),
  selectors: selectorsArb,
  insights: fc.constantFrom(0, 1, 2),
  insightsFlag: fc.boolean(),
  copies: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(7) }, { weight: 2, arbitrary: fc.nat(7) }), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  twice: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }) }),
  unset: fc.constantFrom('absent' as const, 'null' as const, 'empty' as const),
  failures: fc.oneof({ weight: 3, arbitrary: fc.constant<Failure<TrailRead>[]>([]) }, { weight: 1, arbitrary: fc.array(trailFailure, { minLength: 1, maxLength: 2 }) }),
});

// Bucket pieces, each with what the model makes of it.

const OWNER_GRANT = { Grantee: { Type: 'CanonicalUser', ID: '79a59df900b949e55d96a1e698fbaced' }, Permission: 'FULL_CONTROL' };
const groupGrant = (group: string, permission: string) => ({ Grantee: { Type: 'Group', URI: `http://acs.amazonaws.com/groups/${group}` }, Permission: permission });
const ACL_OWNER = { DisplayName: 'log-archive', ID: '79a59df900b949e55d96a1e698fbaced' };

/** [ACL, grants something to AllUsers or AuthenticatedUsers]. */
const ACLS: [unknown, boolean][] = [
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT] }, false],
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT, groupGrant('global/AllUsers', 'READ')] }, true],
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT, groupGrant('global/AuthenticatedUsers', 'WRITE_ACP')] }, true],
  [{ Owner: ACL_OWNER, Grants: [groupGrant('global/AllUsers', 'FULL_CONTROL')] }, true],
  [{ Owner: ACL_OWNER, Grants: [OWNER_GRANT, groupGrant('s3/LogDelivery', 'WRITE')] }, false],
  [{ Owner: ACL_OWNER, Grants: [] }, false],
  [{ Owner: ACL_OWNER }, false],
  [null, false],
];

/** [policy statements, grants something to '*' without pinning the caller]; `b` is the bucket. */
function policyStatements(b: string): [unknown[], boolean][] {
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
const MALFORMED_POLICY = '{"Version": "2012-10-17", "Statement": [';

const LOGGINGS: [unknown, boolean][] = [
  [{}, false],
  [null, false],
  [{ TargetBucket: 'access-logs-444444444444', TargetPrefix: 'trail-logs/' }, true],
];
const VERSIONINGS: [unknown, boolean][] = [
  [{}, false],
  [null, false],
  [{ Status: 'Enabled' }, false],
  [{ Status: 'Enabled', MFADelete: 'Disabled' }, false],
  [{ Status: 'Enabled', MFADelete: 'Enabled' }, true],
];
const POLICY_STATUSES: [unknown, boolean][] = [
  [{ IsPublic: false }, false],
  [{ IsPublic: true }, true],
  [null, false],
];

interface BucketSpec {
  exists: boolean;
  /** Each field: an index into its table, or undefined when not collected. */
  policy: { index: number; asString: boolean; malformed: boolean } | null | undefined;
  policyStatus: number | undefined;
  acl: number | undefined;
  logging: number | undefined;
  versioning: number | undefined;
  failures: Failure<BucketRead>[];
}

const bucketFailure: fc.Arbitrary<Failure<BucketRead>> = fc.record({
  op: fc.constantFrom(
    'GetBucketPolicy' as const,
    'GetBucketPolicyStatus' as const,
    'GetBucketAcl' as const,
    'GetBucketLogging' as const,
    'GetBucketVersioning' as const,
    'GetBucketLocation' as const,
  ),
  by: fc.constant(0),
  keep: fc.boolean(),
});

const present = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 6 });
const bucketSpecArb: fc.Arbitrary<BucketSpec> = fc.record({
  exists: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  policy: present(
    fc.option(fc.record({ index: fc.nat(policyStatements('b').length - 1), asString: fc.boolean(), malformed: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) }), {
      nil: null,
      freq: 5,
    }),
  ),
  policyStatus: fc.option(fc.nat(POLICY_STATUSES.length - 1), { nil: undefined, freq: 2 }),
  acl: present(fc.nat(ACLS.length - 1)),
  logging: present(fc.nat(LOGGINGS.length - 1)),
  versioning: present(fc.nat(VERSIONINGS.length - 1)),
  failures: fc.oneof({ weight: 3, arbitrary: fc.constant<Failure<BucketRead>[]>([]) }, { weight: 1, arbitrary: fc.array(bucketFailure, { minLength: 1, maxLength: 2 }) }),
});

interface KeySpec {
  metadata: { state: string; spec: string; manager: string; multiRegion: boolean } | undefined;
  rotation: boolean | null | undefined;
  aliased: boolean;
  failures: Failure<KeyRead>[];
}

const keySpecArb: fc.Arbitrary<KeySpec> = fc.record({
  metadata: fc.option(
    fc.record({
      state: fc.constantFrom('Enabled', 'Enabled', 'Disabled', 'PendingDeletion'),
      spec: fc.constantFrom('SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT', 'RSA_2048', 'ECC_NIST_P256', 'HMAC_256'),
      manager: fc.constantFrom('CUSTOMER', 'CUSTOMER', 'AWS'),
      multiRegion: fc.boolean(),
    }),
    { nil: undefined, freq: 10 },
  ),
  rotation: present(fc.constantFrom<boolean | null>(true, false, null)),
  aliased: fc.boolean(),
  failures: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Failure<KeyRead>[]>([]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.record({ op: fc.constantFrom('DescribeKey' as const, 'GetKeyRotationStatus' as const, 'GetKeyPolicy' as const), by: fc.constant(0), keep: fc.boolean() }), {
        minLength: 1,
        maxLength: 2,
      }),
    },
  ),
});

type AccountFailure = { kind: 'describe'; account: number; region: string } | { kind: 'assume'; account: number };

interface Plan {
  listed: number[];
  inOrg: boolean[];
  regions: string[][];
  trails: TrailSpec[];
  /** For BUCKETS[0] and [1]; BUCKETS[2] is never collected. */
  buckets: (BucketSpec | undefined)[];
  /** For KEYS[0] and [1]; KEYS[2] is never collected. */
  keys: (KeySpec | undefined)[];
  accountFailures: AccountFailure[];
  collectedAt: 'z' | 'offset' | 'none';
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  listed: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1 }),
  inOrg: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  regions: fc.array(fc.shuffledSubarray(REGIONS, { minLength: 1 }), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  trails: fc.uniqueArray(trailSpecArb, { minLength: 1, maxLength: 5, selector: (t) => `${t.owner}/${t.home}/${t.name}` }),
  buckets: fc.tuple(fc.option(bucketSpecArb, { nil: undefined, freq: 6 }), fc.option(bucketSpecArb, { nil: undefined, freq: 6 })),
  keys: fc.tuple(fc.option(keySpecArb, { nil: undefined, freq: 10 }), fc.option(keySpecArb, { nil: undefined, freq: 10 })),
  accountFailures: fc.oneof(
    { weight: 4, arbitrary: fc.constant<AccountFailure[]>([]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('describe' as const), account: fc.nat(ACCOUNTS.length - 1), region: fc.constantFrom(...REGIONS) }),
          fc.record({ kind: fc.constant('assume' as const), account: fc.nat(ACCOUNTS.length - 1) }),
        ),
        { minLength: 1, maxLength: 2 },
      ),
    },
  ),
  collectedAt: fc.constantFrom('z' as const, 'z' as const, 'z' as const, 'offset' as const, 'none' as const),
});

// ---------------------------------------------------------------------------------------------
// Building the inventory
// ---------------------------------------------------------------------------------------------

function trailArn(t: TrailSpec): string {
  return `arn:aws:cloudtrail:${t.home}:${OWNERS[t.owner]}:trail/${t.name}`;
}

/** Only a member of the organization can own an organization trail; the outsider is its management account. */
function isOrgTrail(plan: Plan, t: TrailSpec): boolean {
  return t.org && (t.owner === ACCOUNTS.length || plan.inOrg[t.owner]);
}

/** The listed accounts whose DescribeTrails shows the trail, in inventory order. */
function viewersOf(plan: Plan, t: TrailSpec): number[] {
  const org = isOrgTrail(plan, t);
  return plan.listed.filter((a) => {
    if (plan.accountFailures.some((f) => f.kind === 'assume' && f.account === a)) return false;
    // A failed DescribeTrails in the home region hides a single-region trail; a multi-region one shows from elsewhere.
    const regions = plan.regions[a].filter((r) => !plan.accountFailures.some((f) => f.kind === 'describe' && f.account === a && f.region === r));
    const visible = t.multi || org ? regions.length > 0 : regions.includes(t.home);
    return visible && (a === t.owner || (org && plan.inOrg[a]));
  });
}

function formatTime(ms: number, format: CwTime['format']): string | number {
  switch (format) {
    case 'iso':
      return new Date(ms).toISOString().replace('.000Z', 'Z');
    case 'millis':
      return new Date(ms).toISOString();
    case 'offset': {
      // The same instant written in UTC+02:00.
      const local = new Date(ms + 2 * HOUR).toISOString().replace('.000Z', '');
      return `${local}+02:00`;
    }
    case 'noZone':
      // A time without a zone is UTC, as AWS's own are (README).
      return new Date(ms).toISOString().replace('.000Z', '');
    case 'epoch':
      return ms / 1000;
    case 'epochFraction':
      return ms / 1000 + 0.25;
    // No timestamp at all: a relative date, and a calendar day that does not exist.
    case 'notATime':
      return 'yesterday';
    case 'noSuchDay':
      return '2026-02-30T11:00:00Z';
  }
}

function timeMs(c: CwTime): number {
  return NOW + c.offsetSeconds * 1000 + (c.format === 'epochFraction' ? 250 : 0);
}

function eventSelectors(s: Selectors): Pick<TrailEntry, 'EventSelectors' | 'AdvancedEventSelectors'> {
  if (s.kind === 'default') {
    // What GetEventSelectors answers for a trail without custom selectors, or empty lists (read as the default too), or nothing.
    if (s.listed === 'default') return { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] };
    return s.listed === 'empty' ? { EventSelectors: [], AdvancedEventSelectors: [] } : {};
  }
  if (s.kind === 'basic') {
    const values = Array.from({ length: s.dataValues }, (_, i) => `arn:aws:s3:::bucket-${i}/`);
    const half = Math.ceil(values.length / 2);
    const list = Array.from({ length: s.count }, (_, i) => ({ ReadWriteType: i % 2 === 0 ? 'All' : 'WriteOnly', IncludeManagementEvents: i === 0, DataResources: [] as { Type: string; Values: string[] }[] }));
    // Spread the values over two data resources of different selectors, so a per-selector count is not enough.
    if (values.length > 0) {
      list[0].DataResources.push({ Type: 'AWS::S3::Object', Values: values.slice(0, half) });
      list[list.length - 1].DataResources.push({ Type: 'AWS::Lambda::Function', Values: values.slice(half).map((v, i) => `arn:aws:lambda:us-east-1:${ACCOUNTS[0]}:function:f${i}`) });
    }
    return { EventSelectors: list };
  }
  const OPS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'];
  // Each selector: eventCategory and resources.type (one value each), then the rest over three ARN conditions.
  let rest = s.values - 2 * s.selectors;
  return {
    AdvancedEventSelectors: Array.from({ length: s.selectors }, (_, i) => {
      const mine = i === s.selectors - 1 ? rest : Math.floor(rest / 2);
      rest -= mine;
      const fields: Record<string, unknown>[] = [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ];
      const third = Math.floor(mine / 3);
      [third, third, mine - 2 * third].forEach((n, j) => {
        if (n === 0) return;
        fields.push({ Field: 'resources.ARN', [OPS[s.ops[j]]]: Array.from({ length: n }, (_, k) => `arn:aws:s3:::b${i}-${j}-${k}/`) });
      });
      return { Name: `Data ${i}`, FieldSelectors: fields } as never;
    }),
  };
}

function bucketDoc(name: string, spec: BucketSpec): Record<string, unknown> {
  if (!spec.exists) return { Exists: false };
  const out: Record<string, unknown> = { Region: 'us-east-1' };
  if (spec.policy === null) out.Policy = null;
  else if (spec.policy !== undefined) {
    const doc = { Version: '2012-10-17', Statement: policyStatements(name)[spec.policy.index][0] };
    out.Policy = spec.policy.malformed ? MALFORMED_POLICY : spec.policy.asString ? JSON.stringify(doc) : doc;
  }
  if (spec.policyStatus !== undefined) out.PolicyStatus = POLICY_STATUSES[spec.policyStatus][0];
  if (spec.acl !== undefined) out.Acl = ACLS[spec.acl][0];
  if (spec.logging !== undefined) out.Logging = LOGGINGS[spec.logging][0];
  if (spec.versioning !== undefined) out.Versioning = VERSIONINGS[spec.versioning][0];
  return out;
}

const BUCKET_FIELD: Record<BucketRead, string> = {
  GetBucketPolicy: 'Policy',
  GetBucketPolicyStatus: 'PolicyStatus',
  GetBucketAcl: 'Acl',
  GetBucketLogging: 'Logging',
  GetBucketVersioning: 'Versioning',
  GetBucketLocation: 'Region',
};
const KEY_FIELD: Record<KeyRead, string> = { DescribeKey: 'KeyMetadata', GetKeyRotationStatus: 'KeyRotationEnabled', GetKeyPolicy: 'Policy' };
const TRAIL_FIELDS: Record<TrailRead, (keyof TrailEntry)[]> = {
  GetTrailStatus: ['Status'],
  GetEventSelectors: ['EventSelectors', 'AdvancedEventSelectors'],
  GetInsightSelectors: ['InsightSelectors'],
};

/**
 * How the trail names its key. A bare key id or alias name means a key of the trail's own account
 * and home region (as CloudTrail resolves it), so it is written only there; elsewhere the key ARN.
 */
function keyForm(t: TrailSpec): KeyForm | undefined {
  if (t.key === undefined) return undefined;
  const local = KEY_ACCOUNTS[t.key.index] === OWNERS[t.owner] && KEY_REGIONS[t.key.index] === t.home;
  return local ? t.key.form : 'arn';
}

function kmsKeyId(t: TrailSpec): string | undefined {
  if (t.key === undefined) return undefined;
  const form = keyForm(t);
  if (form === 'id') return KEY_IDS[t.key.index];
  if (form === 'alias') return ALIASES[t.key.index];
  if (form === 'aliasArn') return `arn:aws:kms:${KEY_REGIONS[t.key.index]}:${KEY_ACCOUNTS[t.key.index]}:${ALIASES[t.key.index]}`;
  return KEYS[t.key.index];
}

/** The inventory a plan describes, as a collector (or a merge of shards) would write it. */
function build(plan: Plan): Inventory {
  const inv: Inventory = { version: 1, accounts: [] };
  if (plan.collectedAt === 'z') inv.collectedAt = '2026-01-10T12:00:00Z';
  if (plan.collectedAt === 'offset') inv.collectedAt = '2026-01-10T07:00:00-05:00';
  const errors: ReadError[] = [];
  for (const a of plan.listed) {
    inv.accounts.push({ accountId: ACCOUNTS[a], ...(plan.inOrg[a] ? { organizationId: ORG } : {}), regions: [...plan.regions[a]], trails: [] });
  }
  for (const f of plan.accountFailures) {
    if (!plan.listed.includes(f.account)) continue;
    if (f.kind === 'assume') errors.push({ accountId: ACCOUNTS[f.account], service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'not authorized' });
    else errors.push({ accountId: ACCOUNTS[f.account], region: f.region, service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied' });
  }
  for (const t of plan.trails) {
    const viewers = viewersOf(plan, t);
    const org = isOrgTrail(plan, t);
    const trail: Record<string, unknown> = {
      Name: t.name,
      TrailARN: trailArn(t),
      HomeRegion: t.home,
      IsMultiRegionTrail: t.multi || org,
      IncludeGlobalServiceEvents: true,
      IsOrganizationTrail: org,
    };
    if (t.validation !== undefined) trail.LogFileValidationEnabled = t.validation;
    if (t.bucket !== undefined) trail.S3BucketName = BUCKETS[t.bucket];
    const unsetMember = { absent: undefined, null: null, empty: '' }[t.unset];
    const keyId = kmsKeyId(t);
    if (keyId !== undefined) trail.KmsKeyId = keyId;
    else if (unsetMember !== undefined) trail.KmsKeyId = unsetMember;
    if (t.sns) trail.SnsTopicARN = `arn:aws:sns:${t.home}:${OWNERS[t.owner]}:trail-notices`;
    else if (unsetMember !== undefined) trail.SnsTopicARN = unsetMember;
    if (t.cloudWatch) {
      trail.CloudWatchLogsLogGroupArn = `arn:aws:logs:${t.home}:${OWNERS[t.owner]}:log-group:trail-logs:*`;
      trail.CloudWatchLogsRoleArn = `arn:aws:iam::${OWNERS[t.owner]}:role/CloudTrailToLogs`;
    } else if (unsetMember !== undefined) trail.CloudWatchLogsLogGroupArn = unsetMember;
    if (t.selectors.kind === 'default') trail.HasCustomEventSelectors = false;
    else if (t.selectors.flag) trail.HasCustomEventSelectors = true;
    if (t.insightsFlag) trail.HasInsightSelectors = t.insights > 0;

    const status: Record<string, unknown> = { IsLogging: t.isLogging };
    const unset = t.unset === 'null' ? null : undefined;
    status.LatestDeliveryError = t.deliveryError ?? unset;
    status.LatestDigestDeliveryError = t.digestError ?? unset;
    status.LatestCloudWatchLogsDeliveryError = t.cwError ?? unset;
    status.LatestCloudWatchLogsDeliveryTime = t.cwTime !== undefined ? formatTime(timeMs(t.cwTime), t.cwTime.format) : unset;
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    const insights = [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }].slice(0, t.insights);

    const removed = new Map<number, Set<string>>();
    for (const f of t.failures) {
      if (viewers.length === 0) continue;
      const by = viewers[f.by % viewers.length];
      errors.push({ accountId: ACCOUNTS[by], region: t.home, service: 'cloudtrail', operation: f.op, resource: trailArn(t), code: 'AccessDeniedException', message: 'denied' });
      if (!f.keep) for (const field of TRAIL_FIELDS[f.op]) (removed.get(by) ?? removed.set(by, new Set()).get(by)!).add(field);
    }
    for (const a of viewers) {
      const gone = removed.get(a) ?? new Set();
      const masks = a === viewers[0] && t.twice > 0 ? [t.copies[a], t.twice - 1] : [t.copies[a]];
      for (const mask of masks) {
        const entry: TrailEntry = { Trail: structuredClone(trail) as TrailEntry['Trail'] };
        if (mask & 1 && !gone.has('Status')) entry.Status = structuredClone(status);
        if (mask & 2 && !gone.has('EventSelectors')) Object.assign(entry, structuredClone(eventSelectors(t.selectors)));
        if (mask & 4 && !gone.has('InsightSelectors')) entry.InsightSelectors = structuredClone(insights);
        inv.accounts.find((x) => x.accountId === ACCOUNTS[a])!.trails.push(entry);
      }
    }
  }
  plan.buckets.forEach((spec, i) => {
    if (spec === undefined) return;
    const doc = bucketDoc(BUCKETS[i], spec);
    for (const f of spec.failures) {
      errors.push({ accountId: ACCOUNTS[3], region: 'us-east-1', service: 's3', operation: f.op, resource: BUCKETS[i], code: 'AccessDenied', message: 'Access Denied' });
      if (!f.keep) delete doc[BUCKET_FIELD[f.op]];
    }
    (inv.buckets ??= {})[BUCKETS[i]] = doc as never;
  });
  plan.keys.forEach((spec, i) => {
    if (spec === undefined) return;
    const doc: Record<string, unknown> = {};
    if (spec.metadata !== undefined) {
      doc.KeyMetadata = {
        AWSAccountId: KEY_ACCOUNTS[i],
        KeyId: KEY_IDS[i],
        Arn: KEYS[i],
        KeyState: spec.metadata.state,
        Enabled: spec.metadata.state === 'Enabled',
        KeyUsage: { SYMMETRIC_DEFAULT: 'ENCRYPT_DECRYPT', RSA_2048: 'ENCRYPT_DECRYPT', HMAC_256: 'GENERATE_VERIFY_MAC' }[spec.metadata.spec] ?? 'SIGN_VERIFY',
        KeySpec: spec.metadata.spec,
        KeyManager: spec.metadata.manager,
        Origin: 'AWS_KMS',
        MultiRegion: spec.metadata.multiRegion,
      };
    }
    if (spec.rotation !== undefined) doc.KeyRotationEnabled = spec.rotation;
    if (spec.aliased) doc.Aliases = [ALIASES[i]];
    for (const f of spec.failures) {
      errors.push({ accountId: KEY_ACCOUNTS[i], region: KEY_REGIONS[i], service: 'kms', operation: f.op, resource: KEYS[i], code: 'AccessDeniedException' });
      if (!f.keep) delete doc[KEY_FIELD[f.op]];
    }
    (inv.keys ??= {})[KEYS[i]] = doc as never;
  });
  if (errors.length > 0) inv.errors = errors;
  return inv;
}

// ---------------------------------------------------------------------------------------------
// The reference model: rules.md and inventory.md, written out for the subjects above
// ---------------------------------------------------------------------------------------------

/** Kleene truth: true, false, or unknown (a datum not collected or unreadable). */
type K = boolean | 'unknown';

function or3(...xs: K[]): K {
  if (xs.includes(true)) return true;
  return xs.includes('unknown') ? 'unknown' : false;
}

/** A "passes when X" rule: X true is pass, false is fail, unknown is error. */
function verdict(x: K): Status {
  return x === 'unknown' ? 'error' : x ? 'pass' : 'fail';
}

function modelFor(plan: Plan, t: TrailSpec): Record<RuleId, Status> {
  const viewers = viewersOf(plan, t);
  /**
   * Whether a datum of the trail is known: collected in some account's copy. A failed read
   * recorded elsewhere (a member denied GetTrailStatus on the organization trail its owner read)
   * does not unmake what was collected: inventory.md's merge of member shards with the
   * log-archive shard relies on it, and the README says so. An error only explains what is missing.
   */
  const copyHas = (bit: number, op: TrailRead) =>
    viewers.some((a) => {
      // A trail listed twice in one account is one trail: either copy may hold the datum.
      const mask = t.copies[a] | (a === viewers[0] && t.twice > 0 ? t.twice - 1 : 0);
      if ((mask & bit) === 0) return false;
      // The viewer that recorded a failure without keeping the datum has no copy of it.
      return !t.failures.some((f) => f.op === op && !f.keep && viewers[f.by % viewers.length] === a);
    });

  const statusKnown = copyHas(1, 'GetTrailStatus');

  const out = {} as Record<RuleId, Status>;
  out['log-file-validation'] = verdict(t.validation === true);
  out['kms-encryption'] = verdict(t.key !== undefined);
  out['sns-notifications'] = verdict(t.sns);
  out['trail-logging'] = verdict(statusKnown ? t.isLogging : 'unknown');
  const anyError = [t.deliveryError, t.digestError, t.cwError].some((e) => e !== undefined && e !== '');
  out['delivery-errors'] = verdict(statusKnown ? !anyError : 'unknown');

  // cloudwatch-logs: a log group, and a delivery at most maxAgeHours before collectedAt.
  if (!t.cloudWatch) out['cloudwatch-logs'] = 'fail';
  else if (!statusKnown) out['cloudwatch-logs'] = 'error';
  else if (t.cwTime === undefined) out['cloudwatch-logs'] = 'fail';
  // A delivery with no readable time: its age is unknown.
  else if (t.cwTime.format === 'notATime' || t.cwTime.format === 'noSuchDay') out['cloudwatch-logs'] = 'error';
  else if (plan.collectedAt === 'none') out['cloudwatch-logs'] = 'error';
  else out['cloudwatch-logs'] = verdict(NOW - timeMs(t.cwTime) <= 24 * HOUR);

  // event-selectors-per-trail: the default selector (HasCustomEventSelectors false, none given) is one basic selector.
  const s = t.selectors;
  if (s.kind === 'default') out['event-selectors-per-trail'] = 'pass';
  else {
    if (!copyHas(2, 'GetEventSelectors')) out['event-selectors-per-trail'] = 'error';
    else if (s.kind === 'basic') out['event-selectors-per-trail'] = verdict(s.count <= 5 && s.dataValues <= 250);
    else out['event-selectors-per-trail'] = verdict(s.values <= 500);
  }

  // InsightSelectors when collected; otherwise DescribeTrails' own HasInsightSelectors says the
  // same thing (the rule's description says so, and the field is part of the collected Trail).
  const insightsKnown = copyHas(4, 'GetInsightSelectors') || t.insightsFlag;
  out['insights-enabled'] = verdict(insightsKnown ? t.insights > 0 : 'unknown');

  Object.assign(out, bucketModel(plan, t));
  out['kms-key-rotation'] = keyRotationModel(plan, t);
  return out;
}

type BucketRule = 'bucket-not-public' | 'bucket-access-logging' | 'bucket-mfa-delete';

function bucketModel(plan: Plan, t: TrailSpec): Record<BucketRule, Status> {
  const all = (s: Status): Record<BucketRule, Status> => ({ 'bucket-not-public': s, 'bucket-access-logging': s, 'bucket-mfa-delete': s });
  // No bucket to judge: not applicable.
  if (t.bucket === undefined) return all('skipped');
  const spec = t.bucket < plan.buckets.length ? plan.buckets[t.bucket] : undefined;
  // Not collected, or in an account that was not scanned.
  if (spec === undefined) return all('error');
  if (!spec.exists) return all('skipped');
  // What the build left in place (a failure that did not keep its datum took it out).
  const field = <T>(op: BucketRead, value: T | undefined): T | 'unknown' => (value === undefined || spec.failures.some((f) => f.op === op && !f.keep) ? 'unknown' : value);
  const acl = field('GetBucketAcl', spec.acl);
  const aclPublic: K = acl === 'unknown' ? 'unknown' : ACLS[acl][1];
  const policy = field('GetBucketPolicy', spec.policy);
  const policyPublic: K = policy === 'unknown' || policy?.malformed ? 'unknown' : policy === null ? false : policyStatements(BUCKETS[t.bucket])[policy.index][1];
  // PolicyStatus counts only "when collected" (rules.md): a failed GetBucketPolicyStatus leaves it
  // uncollected, and the ACL and policy decide alone.
  const policyStatus = field('GetBucketPolicyStatus', spec.policyStatus);
  const statusPublic: K = policyStatus !== 'unknown' ? POLICY_STATUSES[policyStatus][1] : false;
  const pub = or3(aclPublic, policyPublic, statusPublic);
  const logging = field('GetBucketLogging', spec.logging);
  const versioning = field('GetBucketVersioning', spec.versioning);
  return {
    'bucket-not-public': pub === 'unknown' ? 'error' : pub ? 'fail' : 'pass',
    'bucket-access-logging': verdict(logging === 'unknown' ? 'unknown' : LOGGINGS[logging][1]),
    'bucket-mfa-delete': verdict(versioning === 'unknown' ? 'unknown' : VERSIONINGS[versioning][1]),
  };
}

function keyRotationModel(plan: Plan, t: TrailSpec): Status {
  if (t.key === undefined) return 'skipped';
  const spec = t.key.index < plan.keys.length ? plan.keys[t.key.index] : undefined;
  if (spec === undefined) return 'error';
  // An alias resolves only through the Aliases the collector recorded.
  const form = keyForm(t);
  if ((form === 'alias' || form === 'aliasArn') && !spec.aliased) return 'error';
  const lost = (op: KeyRead) => spec.failures.some((f) => f.op === op && !f.keep);
  const metadata = lost('DescribeKey') ? undefined : spec.metadata;
  if (metadata === undefined) return 'error';
  // Rotation applies to customer-managed symmetric keys only: AWS rotates its own keys itself, and
  // asymmetric and HMAC keys cannot rotate automatically.
  if (metadata.manager !== 'CUSTOMER' || metadata.spec !== 'SYMMETRIC_DEFAULT') return 'skipped';
  const rotation = lost('GetKeyRotationStatus') ? undefined : spec.rotation;
  if (rotation === undefined) return 'error';
  // null is "read, and there is none" (inventory.md): no rotation. The docs do not say more.
  return rotation === true ? 'pass' : 'fail';
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

let rules: CompiledRule[];
before(() => {
  rules = loadRules({
    builtin: true,
    params: {
      'event-selectors-per-trail': { maxSelectors: 5, maxDataResources: 250, maxAdvancedValues: 500 },
      'cloudwatch-logs': { maxAgeHours: 24 },
    },
  }).filter((r) => (TRAIL_RULES as readonly string[]).includes(r.meta.id));
});

/** Loads an inventory the way `scan` does: text through parseInventory (schema and all), then the merge. */
function load(inv: Inventory): Inventory {
  return mergeInventories([parseInventory(JSON.stringify(inv, null, 1), 'inventory.json')]).inventory;
}

function replay(): fc.Parameters<[Plan]> {
  const seed = process.env.TRAILGATE_SEED;
  const path = process.env.TRAILGATE_PATH;
  return seed === undefined ? { numRuns: 200 } : { numRuns: 200, seed: Number(seed), ...(path ? { path } : {}), endOnFailure: true };
}

describe('trail rules against a reference model of rules.md', () => {
  it('all twelve trail rules are loaded', () => {
    expect(rules.map((r) => r.meta.id).sort()).to.deep.equal([...TRAIL_RULES].sort());
    for (const r of rules) expect(r.meta.scope, r.meta.id).to.equal('trail');
  });

  it('gives the verdict rules.md gives, once per TrailARN under its owner', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const inv = load(build(plan));
        const results = evaluate(rules, inv);
        const expected = new Map<string, { owner: string; verdicts: Record<RuleId, Status> }>();
        for (const t of plan.trails) {
          if (viewersOf(plan, t).length === 0) continue;
          expected.set(trailArn(t), { owner: OWNERS[t.owner], verdicts: modelFor(plan, t) });
        }
        const problems: string[] = [];
        for (const id of TRAIL_RULES) {
          const mine = results.filter((r: Result) => r.ruleId === id);
          // Region and account results only stand for trails a failed DescribeTrails may hide.
          for (const r of mine) if (r.subject.kind !== 'trail' && r.status !== 'error') problems.push(`${id}: ${r.subject.kind} result ${r.status}: ${r.message}`);
          const trails = mine.filter((r) => r.subject.kind === 'trail');
          const seen = new Map<string, Result[]>();
          for (const r of trails) seen.set(r.subject.arn ?? '', [...(seen.get(r.subject.arn ?? '') ?? []), r]);
          for (const arn of seen.keys()) if (!expected.has(arn)) problems.push(`${id}: a result for ${arn}, which no account sees`);
          for (const [arn, want] of expected) {
            const got = seen.get(arn) ?? [];
            if (got.length !== 1) {
              problems.push(`${id} ${arn}: ${got.length} results`);
              continue;
            }
            if (got[0].subject.accountId !== want.owner) problems.push(`${id} ${arn}: under ${got[0].subject.accountId}, not its owner ${want.owner}`);
            if (got[0].status !== want.verdicts[id]) problems.push(`${id} ${arn}: trailgate ${got[0].status}, model ${want.verdicts[id]} (${got[0].message})`);
          }
        }
        if (problems.length > 0) expect.fail(`${problems.join('\n')}\ninventory: ${JSON.stringify(build(plan))}`);
      }),
      replay(),
    );
  });
});

/**
 * The generator of the trail-rule differential test (differential-trail-rules.test.ts): a plan,
 * from which both the inventory (build.ts) and the model's verdicts (model.ts) are derived.
 */
import fc from 'fast-check';
import { ACLS, LOGGINGS, policyStatements, POLICY_STATUSES, VERSIONINGS } from './bucket-pieces.ts';
import { ACCOUNTS, OWNERS, REGIONS } from './world.ts';

export type TrailRead = 'GetTrailStatus' | 'GetEventSelectors' | 'GetInsightSelectors';
export type BucketRead = 'GetBucketPolicy' | 'GetBucketPolicyStatus' | 'GetBucketAcl' | 'GetBucketLogging' | 'GetBucketVersioning' | 'GetBucketLocation';
export type KeyRead = 'DescribeKey' | 'GetKeyRotationStatus' | 'GetKeyPolicy';

/** A failed read; `keep` leaves the datum in place anyway (another shard read it). */
export interface Failure<Op> {
  op: Op;
  /** For trail reads: which viewing account recorded it (an index into the trail's viewers). */
  by: number;
  keep: boolean;
}

export type Selectors =
  | { kind: 'default'; listed: 'none' | 'empty' | 'default' }
  | { kind: 'basic'; flag: boolean; count: number; dataValues: number }
  | { kind: 'advanced'; flag: boolean; selectors: number; values: number; ops: number[] };

/** A delivery time relative to collectedAt, and how it is written. */
export interface CwTime {
  offsetSeconds: number;
  format: 'iso' | 'millis' | 'offset' | 'noZone' | 'epoch' | 'epochFraction' | 'notATime' | 'noSuchDay';
}

export type KeyForm = 'arn' | 'id' | 'alias' | 'aliasArn';

export interface TrailSpec {
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

export interface BucketSpec {
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

export interface KeySpec {
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

export type AccountFailure = { kind: 'describe'; account: number; region: string } | { kind: 'assume'; account: number };

export interface Plan {
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

export const planArb: fc.Arbitrary<Plan> = fc.record({
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

/**
 * Small random inventories for the user-rule differential test: one or two accounts (the second a
 * member of the first's organization now and then, seeing its organization trail), trails whose
 * Status and selectors are present, not collected, or recorded as failed in errors[] (sometimes
 * while the data is there too), buckets and keys present, missing, partly collected or failing,
 * and DescribeTrails failures that leave a region's trail list unread.
 */
import fc from 'fast-check';
import type { Inventory, ReadError, TrailEntry } from '../../../src/inventory/types.ts';
import { ACCOUNTS, BUCKETS, KEYS, REGIONS, SNS, TRAIL_NAMES } from './world.ts';

type ReadState = 'present' | 'missing' | 'failed' | 'failed-present';
const readState = fc.constantFrom<ReadState>('present', 'present', 'present', 'missing', 'failed', 'failed-present');

interface TrailSpec {
  name: string;
  home: number;
  multi: boolean;
  org: boolean;
  validation: boolean | undefined;
  sns: boolean;
  bucket: string;
  key: number | undefined;
  status: ReadState;
  logging: boolean | undefined;
  deliveryError: string | undefined;
  selectors: ReadState;
  selectorCount: number;
}

const trailSpec: fc.Arbitrary<TrailSpec> = fc.record({
  name: fc.constantFrom(...TRAIL_NAMES),
  home: fc.nat(REGIONS.length - 1),
  multi: fc.boolean(),
  org: fc.boolean(),
  validation: fc.option(fc.boolean(), { nil: undefined }),
  sns: fc.boolean(),
  bucket: fc.constantFrom(...BUCKETS),
  key: fc.option(fc.nat(KEYS.length - 1), { nil: undefined, freq: 2 }),
  status: readState,
  logging: fc.option(fc.boolean(), { nil: undefined, freq: 8 }),
  deliveryError: fc.option(fc.constantFrom('AccessDenied', ''), { nil: undefined }),
  selectors: readState,
  selectorCount: fc.nat(3),
});

const bucketSpec = fc.option(
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({ Exists: false }) },
    {
      weight: 6,
      arbitrary: fc.record(
        {
          RequestPayer: fc.constantFrom('BucketOwner', 'Requester'),
          Versioning: fc.record({ Status: fc.constantFrom('Enabled', 'Suspended'), MFADelete: fc.constantFrom('Enabled', 'Disabled') }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    },
  ),
  { nil: undefined, freq: 6 },
);

const keySpec = (arn: string) =>
  fc.option(
    fc.record({ KeyMetadata: fc.record({ Arn: fc.constant(arn), KeyId: fc.constant(arn.split('/')[1]), KeyState: fc.constantFrom('Enabled', 'Disabled') }), KeyRotationEnabled: fc.boolean() }, { requiredKeys: [] }),
    { nil: undefined, freq: 6 },
  );

type ErrorSpec =
  | { kind: 'describe'; account: number; region: number }
  | { kind: 'bucket'; bucket: string; operation: 'GetBucketRequestPayment' | 'GetBucketVersioning' }
  | { kind: 'key'; key: number; operation: 'DescribeKey' | 'GetKeyRotationStatus' };

const errorSpec: fc.Arbitrary<ErrorSpec> = fc.oneof(
  fc.record({ kind: fc.constant('describe' as const), account: fc.nat(ACCOUNTS.length - 1), region: fc.nat(REGIONS.length - 1) }),
  fc.record({ kind: fc.constant('bucket' as const), bucket: fc.constantFrom(...BUCKETS), operation: fc.constantFrom('GetBucketRequestPayment' as const, 'GetBucketVersioning' as const) }),
  fc.record({ kind: fc.constant('key' as const), key: fc.nat(KEYS.length - 1), operation: fc.constantFrom('DescribeKey' as const, 'GetKeyRotationStatus' as const) }),
);

export interface Plan {
  listed: number[];
  org: boolean;
  regions: number[][];
  trails: TrailSpec[][];
  buckets: (Record<string, unknown> | undefined)[];
  keys: (Record<string, unknown> | undefined)[];
  errors: ErrorSpec[];
}

export const planArb: fc.Arbitrary<Plan> = fc.record({
  listed: fc.constantFrom([0], [1], [0, 1], [0, 1]),
  org: fc.boolean(),
  regions: fc.tuple(...ACCOUNTS.map(() => fc.subarray([0, 1], { minLength: 1 }))),
  trails: fc.tuple(...ACCOUNTS.map(() => fc.uniqueArray(trailSpec, { maxLength: 3, selector: (t) => t.name }))),
  buckets: fc.tuple(...BUCKETS.map(() => bucketSpec)),
  keys: fc.tuple(...KEYS.map(keySpec)),
  errors: fc.array(errorSpec, { maxLength: 3 }),
});

const arnOf = (owner: number, home: string, name: string) => `arn:aws:cloudtrail:${home}:${ACCOUNTS[owner]}:trail/${name}`;

function entry(owner: number, t: TrailSpec, home: string, org: boolean, errors: ReadError[]): TrailEntry {
  const arn = arnOf(owner, home, t.name);
  const trail: TrailEntry['Trail'] = { Name: t.name, TrailARN: arn, HomeRegion: home, IsMultiRegionTrail: t.multi || org, IsOrganizationTrail: org, S3BucketName: t.bucket, HasCustomEventSelectors: true };
  if (t.validation !== undefined) trail.LogFileValidationEnabled = t.validation;
  if (t.sns) trail.SnsTopicARN = SNS;
  if (t.key !== undefined) trail.KmsKeyId = KEYS[t.key];
  const e: TrailEntry = { Trail: trail };
  const fail = (operation: string) => errors.push({ accountId: ACCOUNTS[owner], region: home, service: 'cloudtrail', operation, resource: arn, code: 'AccessDenied', message: 'denied' });
  if (t.status === 'present' || t.status === 'failed-present') {
    e.Status = {};
    if (t.logging !== undefined) e.Status.IsLogging = t.logging;
    if (t.deliveryError !== undefined) e.Status.LatestDeliveryError = t.deliveryError;
  }
  if (t.status.startsWith('failed')) fail('GetTrailStatus');
  if (t.selectors === 'present' || t.selectors === 'failed-present') e.EventSelectors = Array.from({ length: t.selectorCount }, () => ({ ReadWriteType: 'All', IncludeManagementEvents: true }));
  if (t.selectors.startsWith('failed')) fail('GetEventSelectors');
  return e;
}

/** The inventory a plan describes. */
export function build(plan: Plan): Inventory {
  const inv: Inventory = { version: 1, accounts: [] };
  const errors: ReadError[] = [];
  const both = plan.listed.length === 2 && plan.org;
  for (const a of plan.listed) {
    const regions = plan.regions[a].map((i) => REGIONS[i]);
    inv.accounts.push({ accountId: ACCOUNTS[a], ...(both ? { organizationId: 'o-exampleorg1' } : {}), regions, trails: [] });
  }
  for (const a of plan.listed) {
    const regions = plan.regions[a].map((i) => REGIONS[i]);
    for (const t of plan.trails[a]) {
      // A trail is homed in a region the account was looked at in; only the management account owns an organization trail.
      const home = regions[t.home % regions.length];
      const org = both && a === 0 && t.org;
      const e = entry(a, t, home, org, errors);
      inv.accounts[plan.listed.indexOf(a)].trails.push(e);
      // The member sees the organization trail too, with the same data.
      if (org) inv.accounts[plan.listed.indexOf(1)].trails.push(structuredClone(e));
    }
  }
  BUCKETS.forEach((b, i) => {
    const spec = plan.buckets[i];
    if (spec !== undefined) (inv.buckets ??= {})[b] = structuredClone(spec);
  });
  KEYS.forEach((k, i) => {
    const spec = plan.keys[i];
    if (spec !== undefined) (inv.keys ??= {})[k] = structuredClone(spec);
  });
  for (const e of plan.errors) {
    if (e.kind === 'describe') {
      const acct = inv.accounts.find((x) => x.accountId === ACCOUNTS[e.account]);
      const region = REGIONS[e.region];
      if (acct === undefined || !acct.regions.includes(region)) continue;
      errors.push({ accountId: acct.accountId, region, service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied', message: 'denied' });
    } else if (e.kind === 'bucket') errors.push({ accountId: ACCOUNTS[0], region: 'us-east-1', service: 's3', operation: e.operation, resource: e.bucket, code: 'AccessDenied' });
    else errors.push({ accountId: ACCOUNTS[0], region: 'us-east-1', service: 'kms', operation: e.operation, resource: KEYS[e.key], code: 'AccessDenied' });
  }
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const k = `${e.accountId}/${e.region ?? ''}/${e.operation}/${e.resource ?? ''}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  if (unique.length > 0) inv.errors = unique;
  return inv;
}

export const inventoryArb = planArb.map(build);

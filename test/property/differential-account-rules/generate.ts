/**
 * The generator of the account- and region-rule differential test
 * (differential-account-rules.test.ts): random schema-valid inventories with several accounts, an
 * organization whose trail is seen from its members, three partitions, basic and advanced
 * selectors, failed reads and hand-written gaps. A plan is drawn first, then built into the
 * inventory.
 */
import fc from 'fast-check';
import type { AccountInventory, AdvancedEventSelector, AdvancedFieldSelector, EventSelector, Inventory, Partition, ReadError, Trail, TrailEntry } from '../../../src/inventory/types.ts';
import { ACCOUNT_WIDE, ACCOUNTS, BUCKET, ORG, PARTITIONS } from './world.ts';

/** Values for a partition's S3 ARNs: every bucket (two spellings), one bucket, one prefix, and aws's spelling elsewhere. */
const s3Values = (p: Partition) => [`arn:${p}:s3`, `arn:${p}:s3:::`, `arn:${p}:s3:::${BUCKET}`, `arn:${p}:s3:::${BUCKET}/`, 'arn:aws:s3:::'];

const basicSelectorArb = (p: Partition): fc.Arbitrary<EventSelector> =>
  fc.record(
    {
      ReadWriteType: fc.constantFrom('All', 'ReadOnly', 'WriteOnly'),
      IncludeManagementEvents: fc.boolean(),
      DataResources: fc.array(
        fc.record({ Type: fc.constantFrom('AWS::S3::Object', 'AWS::Lambda::Function'), Values: fc.uniqueArray(fc.constantFrom(...s3Values(p)), { maxLength: 2 }) }),
        { maxLength: 2 },
      ),
      ExcludeManagementEventSources: fc.constantFrom([], ['kms.amazonaws.com'], ['rdsdata.amazonaws.com']),
    },
    // Mostly as GetEventSelectors returns them (every member), sometimes hand-written.
    { requiredKeys: [] },
  );

/** One field selector's operators, without its Field. */
type Condition = Omit<AdvancedFieldSelector, 'Field'>;

const managementSelectorArb = fc
  .record({
    readOnly: fc.option(fc.constantFrom('true', 'false'), { nil: undefined, freq: 2 }),
    eventSource: fc.option(fc.constantFrom<Condition>({ NotEquals: ['kms.amazonaws.com'] }, { Equals: ['iam.amazonaws.com'] }), { nil: undefined, freq: 2 }),
    // Fields AWS does not offer for management events today, but a planned inventory may hold.
    other: fc.option(fc.constantFrom<AdvancedFieldSelector>({ Field: 'eventName', Equals: ['CreateTrail'] }, { Field: 'errorCode', Equals: ['AccessDenied'] }, { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:iam::111122223333:role/x'] }), {
      nil: undefined,
      freq: 4,
    }),
  })
  .map(({ readOnly, eventSource, other }): AdvancedEventSelector['FieldSelectors'] => [
    { Field: 'eventCategory', Equals: ['Management'] },
    ...(readOnly !== undefined ? [{ Field: 'readOnly', Equals: [readOnly] }] : []),
    ...(eventSource !== undefined ? [{ Field: 'eventSource', ...eventSource }] : []),
    ...(other !== undefined ? [other] : []),
  ]);

const dataSelectorArb = (p: Partition) =>
  fc
    .record({
      type: fc.constantFrom('AWS::S3::Object', 'AWS::Lambda::Function'),
      readOnly: fc.option(fc.constantFrom('true', 'false'), { nil: undefined, freq: 2 }),
      narrowed: fc.option(fc.constant<AdvancedFieldSelector>({ Field: 'eventName', Equals: ['PutObject', 'GetObject'] }), { nil: undefined, freq: 5 }),
      arn: fc.option(fc.constantFrom<Condition>({ StartsWith: [`arn:${p}:s3:::`] }, { StartsWith: [`arn:${p}:s3:::${BUCKET}/`] }, { NotStartsWith: [`arn:${p}:s3:::${BUCKET}/`] }, { Equals: [`arn:${p}:s3:::${BUCKET}/x`] }), {
        nil: undefined,
        freq: 2,
      }),
    })
    .map(({ type, readOnly, narrowed, arn }): AdvancedEventSelector['FieldSelectors'] => [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [type] },
      ...(readOnly !== undefined ? [{ Field: 'readOnly', Equals: [readOnly] }] : []),
      ...(arn !== undefined ? [{ Field: 'resources.ARN', ...arn }] : []),
      ...(narrowed !== undefined ? [narrowed] : []),
    ]);

const advancedSelectorArb = (p: Partition): fc.Arbitrary<AdvancedEventSelector> =>
  fc
    .record({
      // The Name says nothing: rules.md says never to decide by it.
      Name: fc.constantFrom('Management events', 'Log all S3 data events', 'Data events'),
      fields: fc.oneof(managementSelectorArb, dataSelectorArb(p)),
      shuffle: fc.boolean(),
    })
    .map(({ Name, fields, shuffle }) => ({ Name, FieldSelectors: shuffle ? [...fields].reverse() : fields }));

type Selectors =
  | { kind: 'default'; flag: 'false' | 'missing'; emptyList: boolean }
  | { kind: 'basic'; list: EventSelector[] }
  | { kind: 'advanced'; list: AdvancedEventSelector[] }
  | { kind: 'none' };

interface TrailSpec {
  owner: number;
  name: string;
  home: number;
  multi: boolean;
  org: boolean;
  global: boolean;
  validation: boolean;
  kms: boolean;
  selectors: Selectors;
  status: 'logging' | 'stopped' | 'noIsLogging';
  /** HomeRegion left out (hand-written): the ARN still names it. */
  homeless: boolean;
  /** Listed twice in an account's list (pieced together from several regions' answers). */
  twice: boolean;
  /** Hand-written without IsMultiRegionTrail (1), IncludeGlobalServiceEvents (2), LogFileValidationEnabled (4). */
  sparse: number;
  /** Per account: whether its copy holds Status (bit 1) and selectors (bit 2); bit 4 leaves a member's copy out of a hand-written list. */
  copies: number[];
}

const trailSpecArb = (p: Partition): fc.Arbitrary<TrailSpec> =>
  fc.record({
    owner: fc.nat(ACCOUNTS.length - 1),
    name: fc.constantFrom('main', 'org', 'audit'),
    home: fc.nat(PARTITIONS[p].regions.length - 1),
    multi: fc.boolean(),
    org: fc.boolean(),
    global: fc.boolean(),
    validation: fc.boolean(),
    kms: fc.boolean(),
    selectors: fc.oneof(
      fc.record({ kind: fc.constant('default' as const), flag: fc.constantFrom('false' as const, 'missing' as const), emptyList: fc.boolean() }),
      fc.record({ kind: fc.constant('basic' as const), list: fc.array(basicSelectorArb(p), { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('advanced' as const), list: fc.array(advancedSelectorArb(p), { minLength: 1, maxLength: 3 }) }),
      fc.constant({ kind: 'none' as const }),
    ),
    status: fc.constantFrom('logging' as const, 'logging' as const, 'stopped' as const, 'noIsLogging' as const),
    homeless: fc.constantFrom(false, false, false, true),
    twice: fc.constantFrom(false, false, false, true),
    sparse: fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 4, 7),
    copies: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.nat(7) }), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  });

type ErrorSpec =
  | { kind: 'describe'; account: number; region: number }
  | { kind: 'account'; account: number; operation: 'AssumeRole' | 'ListRegions' | 'DescribeTrails'; region: boolean }
  | { kind: 'trail'; trail: number; reader: number; operation: 'GetTrailStatus' | 'GetEventSelectors' };

const errorSpecArb: fc.Arbitrary<ErrorSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('describe' as const), account: fc.nat(ACCOUNTS.length - 1), region: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('account' as const), account: fc.nat(ACCOUNTS.length - 1), operation: fc.constantFrom('AssumeRole' as const, 'ListRegions' as const, 'DescribeTrails' as const), region: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('trail' as const), trail: fc.nat(), reader: fc.nat(ACCOUNTS.length - 1), operation: fc.constantFrom('GetTrailStatus' as const, 'GetEventSelectors' as const) }),
  },
);

interface Plan {
  partition: Partition;
  /**
   * Write `partition` out. Left out, aws is the default; for aws-cn or aws-us-gov that makes a
   * hand-written inventory whose envelope disagrees with its ARNs, which then decide.
   */
  partitionWritten: boolean;
  listed: number[];
  inOrg: boolean[];
  orgShown: boolean[];
  /** Per account: indexes into the partition's regions. */
  regions: number[][];
  trails: TrailSpec[];
  errors: ErrorSpec[];
  /** As a collector writes it (an account lists what its answered DescribeTrails calls showed), or by hand (every trail it can see). */
  collected: boolean;
}

const planArb: fc.Arbitrary<Plan> = fc.constantFrom<Partition>('aws', 'aws', 'aws', 'aws-us-gov', 'aws-cn').chain((partition) =>
  fc.record({
    partition: fc.constant(partition),
    partitionWritten: fc.constantFrom(true, true, true, false),
    listed: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1 }),
    inOrg: fc.array(fc.boolean(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
    orgShown: fc.array(fc.boolean(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
    regions: fc.array(
      fc.oneof(
        { weight: 9, arbitrary: fc.shuffledSubarray(PARTITIONS[partition].regions.map((_, i) => i), { minLength: 1 }) },
        { weight: 1, arbitrary: fc.constant<number[]>([]) },
      ),
      { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length },
    ),
    trails: fc.uniqueArray(trailSpecArb(partition), { maxLength: 6, selector: (t) => `${t.owner}/${t.home}/${t.name}` }),
    errors: fc.array(errorSpecArb, { maxLength: 3 }),
    collected: fc.boolean(),
  }),
);

function build(plan: Plan): Inventory {
  const { partition } = plan;
  const regionNames = PARTITIONS[partition].regions;
  const inv: Inventory = { version: 1, accounts: [] };
  if (plan.partitionWritten) inv.partition = partition;
  // Only the management account owns organization trails; there is an organization when it is in one.
  const inOrg = plan.inOrg.map((x) => x && plan.inOrg[0]);
  const arnOf = (t: TrailSpec) => `arn:${partition}:cloudtrail:${regionNames[t.home]}:${ACCOUNTS[t.owner]}:trail/${t.name}`;
  const isOrgTrail = (t: TrailSpec) => t.org && t.owner === 0 && inOrg[0];

  const errors: ReadError[] = [];
  const seen = new Set<string>();
  const push = (e: ReadError) => {
    const k = `${e.accountId}/${e.region ?? ''}/${e.operation}/${e.resource ?? ''}`;
    if (seen.has(k)) return;
    seen.add(k);
    errors.push(e);
  };
  /** Per account and trail: the reads that failed for that account's copy. */
  const failedFor = new Map<string, Set<string>>();
  for (const e of plan.errors) {
    if (e.kind === 'describe') {
      const rs = plan.regions[e.account];
      // Mostly a region that was looked at; sometimes one that was not.
      const region = rs.length > 0 && e.region < 2 ? regionNames[rs[e.region % rs.length]] : regionNames[e.region % regionNames.length];
      push({ accountId: ACCOUNTS[e.account], region, service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied', message: 'denied' });
    } else if (e.kind === 'account') {
      // A failed AssumeRole or ListRegions leaves the account unread whatever region it names; a
      // DescribeTrails that names no region is not tied to one either.
      const err: ReadError = { accountId: ACCOUNTS[e.account], service: e.operation === 'AssumeRole' ? 'sts' : e.operation === 'ListRegions' ? 'account' : 'cloudtrail', operation: e.operation, code: 'AccessDenied' };
      if (e.region && e.operation !== 'DescribeTrails') err.region = regionNames[0];
      push(err);
    } else {
      if (plan.trails.length === 0) continue;
      const t = plan.trails[e.trail % plan.trails.length];
      // The reader is the owner, or a member of the organization reading its trail.
      const reader = isOrgTrail(t) && inOrg[e.reader] ? e.reader : t.owner;
      push({ accountId: ACCOUNTS[reader], region: regionNames[t.home], service: 'cloudtrail', operation: e.operation, resource: arnOf(t), code: 'AccessDenied' });
      const k = `${reader}/${arnOf(t)}`;
      if (!failedFor.has(k)) failedFor.set(k, new Set());
      failedFor.get(k)!.add(e.operation);
    }
  }
  const describeFailed = (a: number) => new Set(errors.filter((e) => e.accountId === ACCOUNTS[a] && e.operation === 'DescribeTrails').map((e) => e.region!));
  const accountWide = (a: number) => errors.some((e) => e.accountId === ACCOUNTS[a] && (ACCOUNT_WIDE.has(e.operation) || (e.region === undefined && e.resource === undefined)));

  for (const a of plan.listed) {
    const regions = plan.regions[a].map((i) => regionNames[i]);
    const account: AccountInventory = { accountId: ACCOUNTS[a], regions, trails: [] };
    if (inOrg[a] && plan.orgShown[a]) account.organizationId = ORG;
    const failed = describeFailed(a);
    for (const t of plan.trails) {
      const org = isOrgTrail(t);
      if (!(t.owner === a || (org && inOrg[a]))) continue;
      const multi = t.multi || org;
      const home = regionNames[t.home];
      if (plan.collected) {
        // What the account's answered DescribeTrails calls list: trails homed there, and every multi-region trail's shadow.
        if (accountWide(a)) continue;
        if (!regions.some((r) => !failed.has(r) && (multi || r === home))) continue;
      } else if (t.owner !== a && t.copies[a] & 4) continue;
      const trail: Trail = {
        Name: t.name,
        TrailARN: arnOf(t),
        HomeRegion: home,
        IsMultiRegionTrail: multi,
        // AWS turns global service events on with multi-region and off with single-region, but either can be changed after.
        IncludeGlobalServiceEvents: t.global,
        LogFileValidationEnabled: t.validation,
        IsOrganizationTrail: org,
        S3BucketName: BUCKET,
      };
      if (t.kms) trail.KmsKeyId = `arn:${partition}:kms:${home}:${ACCOUNTS[t.owner]}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const sel = t.selectors;
      if (sel.kind === 'default') {
        if (sel.flag === 'false') trail.HasCustomEventSelectors = false;
      } else trail.HasCustomEventSelectors = true;
      if (t.homeless) delete trail.HomeRegion;
      if (!plan.collected) {
        if (t.sparse & 1) delete trail.IsMultiRegionTrail;
        if (t.sparse & 2) delete trail.IncludeGlobalServiceEvents;
        if (t.sparse & 4) delete trail.LogFileValidationEnabled;
      }
      const entry: TrailEntry = { Trail: trail };
      const failedHere = failedFor.get(`${a}/${arnOf(t)}`) ?? new Set();
      const mask = t.copies[a];
      if (mask & 1 && !failedHere.has('GetTrailStatus')) {
        entry.Status = t.status === 'noIsLogging' ? { LatestDeliveryTime: '2026-01-10T11:00:00Z' } : { IsLogging: t.status === 'logging' };
      }
      if (mask & 2 && !failedHere.has('GetEventSelectors')) {
        if (sel.kind === 'basic') entry.EventSelectors = structuredClone(sel.list);
        else if (sel.kind === 'advanced') entry.AdvancedEventSelectors = structuredClone(sel.list);
        else if (sel.kind === 'default' && sel.emptyList) entry.EventSelectors = [];
        else if (sel.kind === 'none') entry.EventSelectors = [];
      }
      account.trails.push(entry);
      if (t.twice) account.trails.push(structuredClone(entry));
    }
    inv.accounts.push(account);
  }
  if (errors.length > 0) inv.errors = errors;
  return inv;
}

export const inventoryArb = planArb.map(build);

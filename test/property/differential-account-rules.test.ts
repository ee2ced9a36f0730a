/**
 * A differential (oracle) property test for the account- and region-scoped built-in rules:
 * multi-region-trail, global-service-events, s3-data-events-write, s3-data-events-read,
 * global-events-duplicated, security-trail and trails-per-region.
 *
 * The oracle below is written from the design (the rules' definitions and the inventory format),
 * not from trailgate's rule files or engine, in three-valued (Kleene) logic: every trail fact is
 * true, false or unknown, and an aggregate is decided only when the known facts decide it. Where
 * the design is silent, it follows the README's documented reading, and says so. Random
 * schema-valid inventories (several accounts, an organization whose trail is seen from its
 * members, three partitions, basic and advanced selectors, failed reads, hand-written gaps) go
 * through the real loader and engine, and every account and region subject must get the
 * oracle's verdict. A failure prints fast-check's seed and path: pass them back to fc.assert
 * ({ seed, path }) to replay the counterexample.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import { subjectKey, type Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { AccountInventory, AdvancedEventSelector, AdvancedFieldSelector, EventSelector, Inventory, Partition, ReadError, Trail, TrailEntry } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';

const RULE_IDS = ['multi-region-trail', 'global-service-events', 's3-data-events-write', 's3-data-events-read', 'global-events-duplicated', 'security-trail', 'trails-per-region'] as const;
type RuleId = (typeof RULE_IDS)[number];
type Verdict = 'pass' | 'fail' | 'error';

/** Lowered from the default 5 so that small inventories exceed it too. */
const MAX_TRAILS = 2;

/** Account 0 is the organization's management account whenever there is an organization. */
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
const ORG = 'o-exampleorg1';
const BUCKET = 'team-logs';

const PARTITIONS: Record<Partition, { regions: string[]; global: string }> = {
  aws: { regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], global: 'us-east-1' },
  'aws-us-gov': { regions: ['us-gov-west-1', 'us-gov-east-1'], global: 'us-gov-west-1' },
  'aws-cn': { regions: ['cn-north-1', 'cn-northwest-1'], global: 'cn-north-1' },
};

// ---------------------------------------------------------------------------------------------
// The oracle: rules.md's words, in Kleene logic (undefined is "unknown")
// ---------------------------------------------------------------------------------------------

type K = boolean | undefined;

const and = (...xs: K[]): K => (xs.some((x) => x === false) ? false : xs.every((x) => x === true) ? true : undefined);

/** What the inventory says about one TrailARN, folded over every account's copy of it. */
interface TrailFacts {
  trail: Trail;
  owner: string;
  status: TrailEntry['Status'];
  /** The copy that holds selectors (EventSelectors or AdvancedEventSelectors), if any does. */
  selectors: { basic?: EventSelector[]; advanced?: AdvancedEventSelector[] } | undefined;
}

/**
 * The selectors a trail records with, or undefined when they were not read. inventory.md: an
 * empty list is "collected and empty"; the default selector only when HasCustomEventSelectors is
 * false and no selectors are given (DescribeTrails says so, whether or not GetEventSelectors answered).
 */
function selectorsOf(f: TrailFacts): { basic: EventSelector[]; advanced: AdvancedEventSelector[] } | undefined {
  const basic = f.selectors?.basic ?? [];
  const advanced = f.selectors?.advanced ?? [];
  if (f.trail.HasCustomEventSelectors === false && basic.length === 0 && advanced.length === 0) {
    return { basic: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }], advanced: [] };
  }
  return f.selectors === undefined ? undefined : { basic, advanced };
}

/** AWS's defaults for a basic selector's omitted members (PutEventSelectors: All, true). */
const readWriteOf = (s: EventSelector) => s.ReadWriteType ?? 'All';
const includesManagementOf = (s: EventSelector) => s.IncludeManagementEvents ?? true;

function fieldsNamed(sel: AdvancedEventSelector, field: string) {
  return sel.FieldSelectors.filter((f) => f.Field === field);
}

/** The field is there with exactly `Equals: [value]` (and nothing else constrains it). */
function equalsOnly(sel: AdvancedEventSelector, field: string, value: string): boolean {
  const fs = fieldsNamed(sel, field);
  return fs.length > 0 && fs.every((f) => f.Equals !== undefined && f.Equals.length === 1 && f.Equals[0] === value && Object.keys(f).length === 2);
}

function recordsAllManagement(f: TrailFacts): K {
  const s = selectorsOf(f);
  if (s === undefined) return undefined;
  const basic = s.basic.some((x) => includesManagementOf(x) === true && readWriteOf(x) === 'All' && (x.ExcludeManagementEventSources ?? []).length === 0);
  const advanced = s.advanced.some((x) => equalsOnly(x, 'eventCategory', 'Management') && fieldsNamed(x, 'readOnly').length === 0 && fieldsNamed(x, 'eventSource').length === 0);
  return basic || advanced;
}

/** A resources.ARN condition every S3 object ARN of the partition meets restricts nothing. */
function matchesEveryObject(f: AdvancedFieldSelector, partition: Partition): boolean {
  return Object.keys(f).length === 2 && (f.StartsWith ?? []).includes(`arn:${partition}:s3:::`);
}

function recordsS3(f: TrailFacts, partition: Partition, kind: 'write' | 'read'): K {
  const s = selectorsOf(f);
  if (s === undefined) return undefined;
  const everyBucket = new Set([`arn:${partition}:s3`, `arn:${partition}:s3:::`]);
  const wanted = kind === 'write' ? ['WriteOnly', 'All'] : ['ReadOnly', 'All'];
  const basic = s.basic.some(
    (x) => wanted.includes(readWriteOf(x)) && (x.DataResources ?? []).some((d) => d.Type === 'AWS::S3::Object' && (d.Values ?? []).some((v) => everyBucket.has(v))),
  );
  const advanced = s.advanced.some(
    (x) =>
      equalsOnly(x, 'eventCategory', 'Data') &&
      equalsOnly(x, 'resources.type', 'AWS::S3::Object') &&
      // Only these fields: any other (eventName, a resources.ARN that names a bucket) records some of the events, not all.
      x.FieldSelectors.every((f) => ['eventCategory', 'resources.type', 'readOnly'].includes(f.Field) || (f.Field === 'resources.ARN' && matchesEveryObject(f, partition))) &&
      (fieldsNamed(x, 'readOnly').length === 0 || equalsOnly(x, 'readOnly', kind === 'write' ? 'false' : 'true')),
  );
  return basic || advanced;
}

/**
 * Unknown when no account's copy holds Status (a failed GetTrailStatus in one account does not
 * hide what another account read of the same trail: README). Within a Status, an absent IsLogging
 * counts as not logging: "is logging if Status.IsLogging is true", and the README reads a field
 * AWS leaves out of a Trail or Status as unset. The design itself only says that a missing
 * entry key (Status, EventSelectors) is "not collected".
 */
function isLogging(f: TrailFacts): K {
  if (f.status === undefined) return undefined;
  return f.status.IsLogging === true;
}

const homeOf = (t: Trail) => t.HomeRegion ?? t.TrailARN.split(':')[3];
/** Inside a Trail, AWS leaves unset fields out: an absent flag is false (README, inventory format). */
const isMulti = (t: Trail): K => t.IsMultiRegionTrail === true;
const flag = (v: boolean | undefined): K => v === true;

/** Which trails that apply to an account may be missing from its list. */
type Missing = { all: true } | { all: false; regions: Set<string> };

interface AccountView {
  accountId: string;
  applies: TrailFacts[];
  missing: Missing;
}

/**
 * "Some trail satisfies P": pass if one surely does; fail only if every trail surely does not
 * and no trail can be missing that might; otherwise error. `couldBeMissing` says whether a trail
 * not in the list could satisfy P at all.
 */
function some(v: AccountView, p: (t: TrailFacts) => K, couldBeMissing: boolean): Verdict {
  const values = v.applies.map(p);
  if (values.includes(true)) return 'pass';
  if (couldBeMissing) return 'error';
  return values.every((x) => x === false) ? 'fail' : 'error';
}

/**
 * Whether a trail missing from the account's list could be a single-region trail homed in
 * `region` (a failed DescribeTrails there) or anything at all (nothing was listed).
 * A multi-region trail is listed by DescribeTrails in every region (shadow trails, which
 * inventory.md folds into one entry), so one region that answered lists all of them.
 */
function missingCould(m: Missing, opts: { multiRegion: boolean; homedIn?: string }): boolean {
  if (m.all) return true;
  if (opts.multiRegion) return false;
  if (opts.homedIn === undefined) return m.regions.size > 0;
  return m.regions.has(opts.homedIn);
}

/**
 * A trail's partition is the one its ARN names: an inventory that leaves `partition` out (aws by
 * default) while its ARNs say aws-cn still has aws-cn trails, whose global region is cn-north-1.
 */
const partitionOf = (t: Trail) => t.TrailARN.split(':')[1] as Partition;

function judgeAccount(rule: RuleId, v: AccountView, partition: Partition): Verdict {
  const global = PARTITIONS[partition].global;
  const coversGlobal = (t: TrailFacts): K => isMulti(t.trail) === true || homeOf(t.trail) === PARTITIONS[partitionOf(t.trail)].global;
  const logsGlobal = (t: TrailFacts): K => and(isLogging(t), flag(t.trail.IncludeGlobalServiceEvents), coversGlobal(t));
  switch (rule) {
    case 'multi-region-trail':
      return some(v, (t) => and(isMulti(t.trail), isLogging(t), recordsAllManagement(t)), missingCould(v.missing, { multiRegion: true }));
    case 'global-service-events':
      return some(v, logsGlobal, missingCould(v.missing, { multiRegion: false, homedIn: global }));
    case 's3-data-events-write':
    case 's3-data-events-read':
      return some(
        v,
        (t) => and(isMulti(t.trail), isLogging(t), recordsS3(t, partitionOf(t.trail), rule === 's3-data-events-write' ? 'write' : 'read')),
        missingCould(v.missing, { multiRegion: true }),
      );
    case 'security-trail':
      return some(
        v,
        (t) => and(isMulti(t.trail), isLogging(t), flag(t.trail.IncludeGlobalServiceEvents), flag(t.trail.LogFileValidationEnabled), Boolean(t.trail.KmsKeyId), recordsAllManagement(t)),
        missingCould(v.missing, { multiRegion: true }),
      );
    case 'global-events-duplicated': {
      // "At most one": fail when two surely do; pass when at most one possibly does and none can be missing.
      const values = v.applies.map(logsGlobal);
      const sure = values.filter((x) => x === true).length;
      const possible = values.filter((x) => x !== false).length;
      if (sure >= 2) return 'fail';
      if (possible <= 1 && !missingCould(v.missing, { multiRegion: false, homedIn: global })) return 'pass';
      return 'error';
    }
    case 'trails-per-region':
      throw new Error('region-scoped');
  }
}

/** trails-per-region for one listed region: the account's own trails homed there plus its multi-region trails. */
function judgeRegion(v: AccountView, region: string, listedHere: boolean): Verdict {
  const own = v.applies.filter((t) => t.owner === v.accountId);
  const counted = own.filter((t) => homeOf(t.trail) === region || isMulti(t.trail) === true).length;
  if (counted > MAX_TRAILS) return 'fail';
  // A region whose DescribeTrails answered lists every trail that counts there (its own and the shadows).
  if (!listedHere) return 'error';
  return 'pass';
}

/**
 * A DescribeTrails that failed in any region leaves every account-scoped verdict but pass
 * unknown (the design's "an error recorded for a read makes every rule that needs that datum
 * evaluate to error", with the trail list as the datum). A finer reading is possible, since the
 * regions that answered list every multi-region trail as a shadow, so only single-region trails
 * homed where the call failed can be missing; the design does not choose it, and trailgate does
 * not. false checks that finer reading instead.
 */
const DESCRIBE_FAILURE_HIDES_ALL = true;

const ACCOUNT_WIDE = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'ListRegions', 'DescribeRegions']);

/** Every verdict the oracle expects, keyed `ruleId subjectKey`. */
function oracle(inv: Inventory): Map<string, Verdict> {
  const partition: Partition = inv.partition ?? 'aws';
  const errors = inv.errors ?? [];
  const accountWide = (id: string) => errors.some((e) => e.accountId === id && (ACCOUNT_WIDE.has(e.operation) || (e.resource === undefined && e.region === undefined)));
  const describeFailed = (id: string) => new Set(errors.filter((e) => e.accountId === id && e.operation === 'DescribeTrails' && e.resource === undefined && e.region !== undefined).map((e) => e.region!));

  const facts = new Map<string, TrailFacts>();
  for (const a of inv.accounts) {
    for (const e of a.trails) {
      const arn = e.Trail.TrailARN;
      let f = facts.get(arn);
      if (f === undefined) {
        f = {
          trail: e.Trail,
          owner: arn.split(':')[4],
          status: undefined,
          selectors: undefined,
        };
        facts.set(arn, f);
      }
      if (f.status === undefined && e.Status !== undefined) f.status = e.Status;
      if (f.selectors === undefined && (e.EventSelectors !== undefined || e.AdvancedEventSelectors !== undefined)) f.selectors = { basic: e.EventSelectors, advanced: e.AdvancedEventSelectors };
    }
  }

  const ids = new Set(inv.accounts.map((a) => a.accountId));
  for (const e of errors) if (accountWide(e.accountId) || describeFailed(e.accountId).size > 0) ids.add(e.accountId);

  const out = new Map<string, Verdict>();
  for (const id of ids) {
    const listed = inv.accounts.find((a) => a.accountId === id);
    const failed = describeFailed(id);
    const answered = (listed?.regions ?? []).filter((r) => !failed.has(r));
    const missing: Missing = listed === undefined || accountWide(id) || answered.length === 0 || (DESCRIBE_FAILURE_HIDES_ALL && failed.size > 0) ? { all: true } : { all: false, regions: failed };
    const applies = [...new Set((listed?.trails ?? []).map((e) => e.Trail.TrailARN))].map((arn) => facts.get(arn)!);
    const view: AccountView = { accountId: id, applies, missing };
    for (const rule of RULE_IDS) {
      if (rule === 'trails-per-region') {
        for (const r of listed?.regions ?? []) out.set(`${rule} ${id}/${r}`, judgeRegion(view, r, !accountWide(id) && !failed.has(r)));
      } else out.set(`${rule} ${id}`, judgeAccount(rule, view, partition));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

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
  })
  .map(({ readOnly, eventSource }): AdvancedEventSelector['FieldSelectors'] => [
    { Field: 'eventCategory', Equals: ['Management'] },
    ...(readOnly !== undefined ? [{ Field: 'readOnly', Equals: [readOnly] }] : []),
    ...(eventSource !== undefined ? [{ Field: 'eventSource', ...eventSource }] : []),
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

const inventoryArb = planArb.map(build);

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

let rules: CompiledRule[];
before(() => {
  rules = loadRules({ params: { 'trails-per-region': { max: MAX_TRAILS } } }).filter((r) => (RULE_IDS as readonly string[]).includes(r.meta.id));
  expect(rules.map((r) => r.meta.id).sort()).to.deep.equal([...RULE_IDS].sort());
});

/** Loads an inventory the way `scan` does: text through parseInventory, then mergeInventories. */
function load(inv: Inventory): Inventory {
  return mergeInventories([parseInventory(JSON.stringify(inv, null, 1), 'inventory.json')]).inventory;
}

function actual(inv: Inventory): Map<string, Result> {
  return new Map(evaluate(rules, load(inv)).map((r) => [`${r.ruleId} ${subjectKey(r.subject)}`, r]));
}

describe('account and region rules agree with an oracle written from rules.md', () => {
  it('every account and region subject gets the oracle verdict', () => {
    fc.assert(
      fc.property(inventoryArb, (inv) => {
        const got = actual(inv);
        const want = oracle(inv);
        expect([...got.keys()].sort(), 'subjects').to.deep.equal([...want.keys()].sort());
        for (const [key, verdict] of want) {
          const r = got.get(key)!;
          expect(r.status, `${key}: ${r.message}`).to.equal(verdict);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * `count` bounds in three-valued logic, for user rules too: the count lies between the trails that
 * surely match and those that possibly do, and a bound decides only what it decides for that
 * whole range. Before, any trail of unknown status made every count an error.
 */
describe('count bounds with trails of unknown status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailgate-count-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rule = (bounds: string) => {
    const file = join(dir, `logging-trails-${bounds.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(
      file,
      `id: logging-trails
title: A number of logging trails
severity: low
scope: account
description: Counts logging trails.
remediation:
  text: Start or stop trails.
reads: [Trail, Status]
count:
  where:
    Status.IsLogging: { const: true }
  ${bounds}
`,
    );
    return loadRules({ builtin: false, paths: [file] });
  };
  const trail = (name: string, logging?: boolean): TrailEntry => ({
    Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name}`, HomeRegion: 'us-east-1', IsMultiRegionTrail: true },
    ...(logging === undefined ? {} : { Status: { IsLogging: logging } }),
  });
  const verdict = (bounds: string, trails: TrailEntry[], listFailed = false): string => {
    const inv: Inventory = { version: 1, accounts: [{ accountId: '111111111111', regions: ['us-east-1', 'eu-west-1'], trails }] };
    if (listFailed) inv.errors = [{ accountId: '111111111111', region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied' }];
    const [r] = evaluate(rule(bounds), load(inv));
    return r.status;
  };
  const cases: [string, string, TrailEntry[], boolean, Verdict][] = [
    ['one trail of unknown status is at most one', 'max: 1', [trail('a')], false, 'pass'],
    ['one logging and one unknown may be two', 'max: 1', [trail('a', true), trail('b')], false, 'error'],
    ['two logging are two, whatever the third', 'max: 1', [trail('a', true), trail('b', true), trail('c')], false, 'fail'],
    ['an unread trail list may hide more', 'max: 1', [trail('a', true)], true, 'error'],
    ['one logging is at least one, whatever the others', 'min: 1', [trail('a', true), trail('b')], true, 'pass'],
    ['one unknown may be the one', 'min: 1', [trail('a'), trail('b', false)], false, 'error'],
    ['nothing logging and nothing unknown is none', 'min: 1', [trail('a', false)], false, 'fail'],
    ['one unknown cannot make two', 'min: 2', [trail('a', false), trail('b')], false, 'fail'],
    ['within both bounds whatever the unknown', 'min: 1\n  max: 2', [trail('a', true), trail('b')], false, 'pass'],
  ];
  for (const [name, bounds, trails, listFailed, want] of cases) {
    it(`${name} (${bounds.replace(/\s+/g, ' ')}): ${want}`, () => expect(verdict(bounds, trails, listFailed)).to.equal(want));
  }
});

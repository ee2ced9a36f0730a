/**
 * Property tests for the engine: random but schema-valid inventories (several accounts, some in
 * one organization, organization trails seen from members, basic and advanced selectors, buckets
 * and keys present or missing, failed reads), loaded with the real loader and judged by the
 * built-in rules, against what a user relies on (shared/design/rules.md, inventory.md):
 * one result per subject, merge-order independence, Kleene monotonicity when data goes missing,
 * and determinism.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { evaluate } from '../../src/engine/evaluate.ts';
import { compareResults, type Result } from '../../src/engine/result.ts';
import { loadInventories, parseInventory } from '../../src/inventory/load.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory, ReadError, TrailEntry } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
const ORG = 'o-exampleorg1';
const REGIONS = ['ap-southeast-2', 'eu-west-1', 'us-east-1'];
const BUCKETS = ['org-logs', 'team-logs', 'old-logs'];
const KEY_IDS = ['1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321'];
const KEYS = KEY_IDS.map((id, i) => `arn:aws:kms:${i === 0 ? 'us-east-1' : 'eu-west-1'}:${ACCOUNTS[4]}:key/${id}`);
const COLLECTED_AT = '2026-01-10T12:00:00Z';

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

const basicSelector = fc.record(
  {
    ReadWriteType: fc.constantFrom('All', 'ReadOnly', 'WriteOnly'),
    IncludeManagementEvents: fc.boolean(),
    DataResources: fc.array(
      fc.record({ Type: fc.constantFrom('AWS::S3::Object', 'AWS::Lambda::Function'), Values: fc.array(fc.constantFrom('arn:aws:s3', 'arn:aws:s3:::', 'arn:aws:s3:::org-logs/'), { maxLength: 2 }) }),
      { maxLength: 2 },
    ),
    ExcludeManagementEventSources: fc.array(fc.constantFrom('kms.amazonaws.com', 'rdsdata.amazonaws.com'), { maxLength: 1 }),
  },
  { requiredKeys: [] },
);

const fieldSelector = fc.oneof(
  fc.record({ Field: fc.constant('eventCategory'), Equals: fc.constantFrom(['Management'], ['Data']) }),
  fc.record({ Field: fc.constant('readOnly'), Equals: fc.constantFrom(['true'], ['false']) }),
  fc.record({ Field: fc.constant('resources.type'), Equals: fc.constant(['AWS::S3::Object']) }),
  fc.record({ Field: fc.constant('resources.ARN'), StartsWith: fc.constant(['arn:aws:s3:::org-logs/']) }),
  fc.record({ Field: fc.constant('eventSource'), NotEquals: fc.constant(['kms.amazonaws.com']) }),
);
const advancedSelector = fc.record({ Name: fc.constantFrom('Management', 'S3', 'anything'), FieldSelectors: fc.array(fieldSelector, { minLength: 1, maxLength: 3 }) });

interface TrailSpec {
  owner: number;
  name: string;
  home: string;
  multi: boolean;
  org: boolean;
  global: boolean;
  validation: boolean;
  bucket: string | undefined;
  prefix: string | undefined;
  key: number | undefined;
  keyById: boolean;
  sns: boolean;
  cloudWatch: boolean;
  selectors: { kind: 'default'; flag: boolean } | { kind: 'basic'; list: unknown[] } | { kind: 'advanced'; list: unknown[] };
  status: { IsLogging: boolean; LatestDeliveryError?: string; LatestCloudWatchLogsDeliveryTime?: string };
  insights: boolean;
  insightsFlag: boolean;
  /** Per account of ACCOUNTS: which of Status, selectors and insights that account's copy holds (bits 1, 2, 4). */
  copies: number[];
}

const trailSpec: fc.Arbitrary<TrailSpec> = fc.record({
  owner: fc.nat(ACCOUNTS.length - 1),
  name: fc.constantFrom('main', 'org', 'audit'),
  home: fc.constantFrom(...REGIONS),
  multi: fc.boolean(),
  org: fc.boolean(),
  global: fc.boolean(),
  validation: fc.boolean(),
  bucket: fc.option(fc.constantFrom(...BUCKETS), { nil: undefined, freq: 6 }),
  prefix: fc.option(fc.constantFrom('ct', 'a/b'), { nil: undefined }),
  key: fc.option(fc.nat(KEYS.length - 1), { nil: undefined }),
  keyById: fc.boolean(),
  sns: fc.boolean(),
  cloudWatch: fc.boolean(),
  selectors: fc.oneof(
    fc.record({ kind: fc.constant('default' as const), flag: fc.boolean() }),
    fc.record({ kind: fc.constant('basic' as const), list: fc.array(basicSelector, { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('advanced' as const), list: fc.array(advancedSelector, { minLength: 1, maxLength: 3 }) }),
  ),
  status: fc.record(
    {
      IsLogging: fc.boolean(),
      LatestDeliveryError: fc.constantFrom('', 'AccessDenied'),
      LatestCloudWatchLogsDeliveryTime: fc.constantFrom('2026-01-10T11:00:00Z', '2026-01-01T00:00:00Z'),
    },
    { requiredKeys: ['IsLogging'] },
  ),
  insights: fc.boolean(),
  insightsFlag: fc.boolean(),
  copies: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(7) }, { weight: 2, arbitrary: fc.nat(7) }), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
});

const bucketPolicies = (b: string): unknown[] => {
  const cloudTrail = [
    { Sid: 'AclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${b}` },
    {
      Sid: 'Write',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${b}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ];
  const publicRead = { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` };
  const denyOutsiders = {
    Sid: 'DenyOutsideOrg',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
    Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG } },
  };
  return [
    null,
    { Version: '2012-10-17', Statement: cloudTrail },
    JSON.stringify({ Version: '2012-10-17', Statement: cloudTrail }),
    { Version: '2012-10-17', Statement: [...cloudTrail, publicRead] },
    { Version: '2012-10-17', Statement: [...cloudTrail, denyOutsiders] },
    { Version: '2012-10-17', Statement: [publicRead] },
  ];
};

const bucketSpec = (b: string) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({ Exists: false }) },
    {
      weight: 5,
      arbitrary: fc.record(
        {
          Region: fc.constantFrom(...REGIONS),
          Policy: fc.constantFrom(...bucketPolicies(b)),
          PolicyStatus: fc.record({ IsPublic: fc.boolean() }),
          Acl: fc.constantFrom(
            { Owner: { ID: 'abc' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' }] },
            { Owner: { ID: 'abc' }, Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] },
          ),
          Logging: fc.constantFrom({}, { TargetBucket: 'access-logs', TargetPrefix: `${b}/` }),
          Versioning: fc.constantFrom({ Status: 'Enabled', MFADelete: 'Enabled' }, { Status: 'Enabled', MFADelete: 'Disabled' }, {}),
          RequestPayer: fc.constantFrom('BucketOwner', 'Requester'),
        },
        { requiredKeys: [] },
      ),
    },
  );

const keyPolicies = [
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNTS[4]}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'CloudTrailEncrypt',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:*:trail/*' } },
      },
      { Sid: 'CloudTrailDescribe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  },
  { Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNTS[4]}:root` }, Action: 'kms:*', Resource: '*' }] },
];

const keySpec = (arn: string, id: string) =>
  fc.record(
    {
      KeyMetadata: fc.record({
        Arn: fc.constant(arn),
        KeyId: fc.constant(id),
        KeyState: fc.constantFrom('Enabled', 'Disabled', 'PendingDeletion'),
        KeySpec: fc.constantFrom('SYMMETRIC_DEFAULT', 'RSA_2048'),
        KeyManager: fc.constantFrom('CUSTOMER', 'AWS'),
        MultiRegion: fc.boolean(),
      }),
      KeyRotationEnabled: fc.constantFrom(true, false, null),
      Policy: fc.constantFrom(...keyPolicies),
    },
    { requiredKeys: [] },
  );

type ErrorSpec =
  | { kind: 'describe'; account: number; region: string }
  | { kind: 'assume'; account: number; operation: 'AssumeRole' | 'ListRegions' }
  | { kind: 'trail'; trail: number; operation: 'GetTrailStatus' | 'GetEventSelectors' | 'GetInsightSelectors' }
  | { kind: 'bucket'; bucket: string; operation: 'GetBucketPolicy' | 'GetBucketAcl' | 'GetBucketLocation' | 'GetBucketLogging' | 'GetBucketVersioning' }
  | { kind: 'key'; key: number; operation: 'DescribeKey' | 'GetKeyPolicy' | 'GetKeyRotationStatus' };

const errorSpec: fc.Arbitrary<ErrorSpec> = fc.oneof(
  fc.record({ kind: fc.constant('describe' as const), account: fc.nat(ACCOUNTS.length - 1), region: fc.constantFrom(...REGIONS) }),
  fc.record({ kind: fc.constant('assume' as const), account: fc.nat(ACCOUNTS.length - 1), operation: fc.constantFrom('AssumeRole' as const, 'ListRegions' as const) }),
  fc.record({ kind: fc.constant('trail' as const), trail: fc.nat(), operation: fc.constantFrom('GetTrailStatus' as const, 'GetEventSelectors' as const, 'GetInsightSelectors' as const) }),
  fc.record({
    kind: fc.constant('bucket' as const),
    bucket: fc.constantFrom(...BUCKETS),
    operation: fc.constantFrom('GetBucketPolicy' as const, 'GetBucketAcl' as const, 'GetBucketLocation' as const, 'GetBucketLogging' as const, 'GetBucketVersioning' as const),
  }),
  fc.record({ kind: fc.constant('key' as const), key: fc.nat(KEYS.length - 1), operation: fc.constantFrom('DescribeKey' as const, 'GetKeyPolicy' as const, 'GetKeyRotationStatus' as const) }),
);

interface Plan {
  /** Indexes into ACCOUNTS, in inventory order. */
  listed: number[];
  /** Per account of ACCOUNTS: a member of ORG. */
  inOrg: boolean[];
  /** Per account of ACCOUNTS: its entry says so (organizationId is optional). */
  orgShown: boolean[];
  regions: string[][];
  trails: TrailSpec[];
  buckets: (Record<string, unknown> | undefined)[];
  keys: (Record<string, unknown> | undefined)[];
  /** With the code the read failed with: the same read may be recorded as failing twice, differently. */
  errors: [ErrorSpec, string][];
  collectedAt: boolean;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  listed: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 1 }),
  inOrg: fc.array(fc.boolean(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  orgShown: fc.array(fc.boolean(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  regions: fc.array(fc.oneof({ weight: 8, arbitrary: fc.shuffledSubarray(REGIONS, { minLength: 1 }) }, { weight: 1, arbitrary: fc.constant<string[]>([]) }), {
    minLength: ACCOUNTS.length,
    maxLength: ACCOUNTS.length,
  }),
  trails: fc.uniqueArray(trailSpec, { maxLength: 6, selector: (t) => `${t.owner}/${t.home}/${t.name}` }),
  buckets: fc.tuple(...BUCKETS.map((b) => fc.option(bucketSpec(b), { nil: undefined, freq: 4 }))),
  keys: fc.tuple(...KEYS.map((arn, i) => fc.option(keySpec(arn, KEY_IDS[i]), { nil: undefined, freq: 4 }))),
  errors: fc.array(fc.tuple(errorSpec, fc.constantFrom('AccessDenied', 'ThrottlingException')), { maxLength: 4 }),
  collectedAt: fc.boolean(),
});

function trailArn(t: TrailSpec): string {
  return `arn:aws:cloudtrail:${t.home}:${ACCOUNTS[t.owner]}:trail/${t.name}`;
}

/** The inventory a plan describes: consistent, as a collector would write it. */
function build(plan: Plan): Inventory {
  const inv: Inventory = { version: 1, accounts: [] };
  if (plan.collectedAt) inv.collectedAt = COLLECTED_AT;
  const listed = new Set(plan.listed);
  for (const a of plan.listed) {
    const account: Inventory['accounts'][number] = { accountId: ACCOUNTS[a], regions: [...plan.regions[a]], trails: [] };
    if (plan.inOrg[a] && plan.orgShown[a]) account.organizationId = ORG;
    inv.accounts.push(account);
  }
  for (const t of plan.trails) {
    // Only an account of the organization can own an organization trail.
    const org = t.org && plan.inOrg[t.owner];
    const trail: Record<string, unknown> = {
      Name: t.name,
      TrailARN: trailArn(t),
      HomeRegion: t.home,
      IsMultiRegionTrail: t.multi || org,
      IncludeGlobalServiceEvents: t.global,
      LogFileValidationEnabled: t.validation,
      IsOrganizationTrail: org,
    };
    if (t.bucket !== undefined) trail.S3BucketName = t.bucket;
    if (t.prefix !== undefined) trail.S3KeyPrefix = t.prefix;
    if (t.key !== undefined) trail.KmsKeyId = t.keyById ? KEY_IDS[t.key] : KEYS[t.key];
    if (t.sns) trail.SnsTopicARN = `arn:aws:sns:${t.home}:${ACCOUNTS[t.owner]}:ct`;
    if (t.cloudWatch) trail.CloudWatchLogsLogGroupArn = `arn:aws:logs:${t.home}:${ACCOUNTS[t.owner]}:log-group:ct:*`;
    if (t.selectors.kind === 'default') {
      if (t.selectors.flag) trail.HasCustomEventSelectors = false;
    } else trail.HasCustomEventSelectors = true;
    if (t.insightsFlag) trail.HasInsightSelectors = t.insights;
    const full: Omit<TrailEntry, 'Trail'> = {
      Status: { ...t.status },
      ...(t.selectors.kind === 'basic'
        ? { EventSelectors: t.selectors.list as TrailEntry['EventSelectors'] }
        : t.selectors.kind === 'advanced'
          ? { AdvancedEventSelectors: t.selectors.list as TrailEntry['AdvancedEventSelectors'] }
          : { EventSelectors: [] }),
      InsightSelectors: t.insights ? [{ InsightType: 'ApiCallRateInsight' }] : [],
    };
    ACCOUNTS.forEach((_, a) => {
      if (!listed.has(a)) return;
      const sees = a === t.owner || (org && plan.inOrg[a]);
      if (!sees) return;
      const mask = t.copies[a];
      const entry: TrailEntry = { Trail: { ...(trail as TrailEntry['Trail']) } };
      if (mask & 1) entry.Status = structuredClone(full.Status);
      if (mask & 2) {
        if (full.EventSelectors) entry.EventSelectors = structuredClone(full.EventSelectors);
        if (full.AdvancedEventSelectors) entry.AdvancedEventSelectors = structuredClone(full.AdvancedEventSelectors);
      }
      if (mask & 4) entry.InsightSelectors = structuredClone(full.InsightSelectors);
      inv.accounts.find((x) => x.accountId === ACCOUNTS[a])!.trails.push(entry);
    });
  }
  BUCKETS.forEach((b, i) => {
    const spec = plan.buckets[i];
    if (spec !== undefined) (inv.buckets ??= {})[b] = structuredClone(spec) as never;
  });
  KEYS.forEach((k, i) => {
    const spec = plan.keys[i];
    if (spec !== undefined) (inv.keys ??= {})[k] = structuredClone(spec) as never;
  });
  // Each failure recorded once (a read may fail with two codes, as when it was tried twice).
  const seen = new Set<string>();
  const errors: ReadError[] = [];
  for (const [e, code] of plan.errors) {
    let err: ReadError;
    if (e.kind === 'describe') err = { accountId: ACCOUNTS[e.account], region: e.region, service: 'cloudtrail', operation: 'DescribeTrails', code, message: 'denied' };
    else if (e.kind === 'assume') err = { accountId: ACCOUNTS[e.account], service: e.operation === 'AssumeRole' ? 'sts' : 'account', operation: e.operation, code, message: 'cannot read' };
    else if (e.kind === 'trail') {
      if (plan.trails.length === 0) continue;
      const t = plan.trails[e.trail % plan.trails.length];
      err = { accountId: ACCOUNTS[t.owner], region: t.home, service: 'cloudtrail', operation: e.operation, resource: trailArn(t), code };
    } else if (e.kind === 'bucket') err = { accountId: ACCOUNTS[4], region: 'us-east-1', service: 's3', operation: e.operation, resource: e.bucket, code };
    else err = { accountId: ACCOUNTS[4], region: 'us-east-1', service: 'kms', operation: e.operation, resource: KEYS[e.key], code };
    const k = `${err.accountId}/${err.region ?? ''}/${err.operation}/${err.resource ?? ''}/${code}`;
    if (seen.has(k)) continue;
    seen.add(k);
    errors.push(err);
  }
  if (errors.length > 0) inv.errors = errors;
  return inv;
}

const inventoryArb = planArb.map(build);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

let rules: CompiledRule[];
before(() => {
  // The built-in rules, with the quotas lowered (as a user keeping headroom would) so that small
  // inventories exceed them too.
  rules = loadRules({ params: { 'trails-per-region': { max: 2 }, 'event-selectors-per-trail': { maxSelectors: 2, maxDataResources: 2, maxAdvancedValues: 4 } } });
});

/** Loads an inventory the way `scan` does: text through parseInventory, then mergeInventories. */
function load(inv: Inventory, file = 'inventory.json'): Inventory {
  const text = file.endsWith('.json') ? JSON.stringify(inv, null, 1) : stringify(inv);
  return mergeInventories([parseInventory(text, file)]).inventory;
}

/** Results without where they point in the input, sorted in report order. */
function comparable(results: readonly Result[]): Result[] {
  return [...results].sort(compareResults).map((r) => {
    const { anchor: _anchor, location: _location, ...rest } = r;
    return rest as Result;
  });
}

function keyOf(r: Result): string {
  return `${r.ruleId} ${r.subject.kind} ${r.subject.accountId} ${r.subject.region ?? ''} ${r.subject.arn ?? ''}`;
}

const ACCOUNT_WIDE = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'ListRegions', 'DescribeRegions']);

/** The subjects rules.md promises, worked out from the inventory alone. */
function expectedSubjects(inv: Inventory) {
  const errors = inv.errors ?? [];
  const accountWide = (id: string) => errors.some((e) => e.accountId === id && (ACCOUNT_WIDE.has(e.operation) || (e.resource === undefined && e.region === undefined)));
  const describeFailed = (id: string) => errors.filter((e) => e.accountId === id && e.operation === 'DescribeTrails' && e.region !== undefined && e.resource === undefined).map((e) => e.region!);
  const regionsOf = new Map(inv.accounts.map((a) => [a.accountId, a.regions]));
  const ids = new Set(inv.accounts.map((a) => a.accountId));
  for (const e of errors) if (accountWide(e.accountId) || describeFailed(e.accountId).length > 0) ids.add(e.accountId);
  const accounts = [...ids].sort();
  const regions = accounts.flatMap((id) => (regionsOf.get(id) ?? []).map((r) => `${id} ${r}`));
  const trails = new Map<string, string>();
  for (const a of inv.accounts) for (const e of a.trails) trails.set(e.Trail.TrailARN, e.Trail.TrailARN.split(':')[4]);
  // Where a trail rule cannot see the trails: a region whose DescribeTrails failed (or the whole
  // account, in every listed region), else the account when its list is incomplete some other way.
  const unseenRegions: string[] = [];
  const unseenAccounts: string[] = [];
  for (const id of accounts) {
    const listedRegions = regionsOf.get(id) ?? [];
    const failed = describeFailed(id);
    const inRegions = listedRegions.filter((r) => accountWide(id) || failed.includes(r));
    unseenRegions.push(...inRegions.map((r) => `${id} ${r}`));
    if (inRegions.length === 0 && (accountWide(id) || failed.length > 0 || listedRegions.length === 0)) unseenAccounts.push(id);
  }
  return { accounts, regions, trails, unseenRegions, unseenAccounts };
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('engine properties', () => {
  it('the generator writes schema-valid inventories the loader accepts', () => {
    fc.assert(
      fc.property(inventoryArb, (inv) => {
        const loaded = load(inv);
        expect(loaded.accounts.length).to.equal(inv.accounts.length);
      }),
      { numRuns: 50 },
    );
  });

  it('one result per subject: per TrailARN under its owner, per listed region, per account', () => {
    fc.assert(
      fc.property(inventoryArb, (raw) => {
        const inv = load(raw);
        const results = evaluate(rules, inv);
        const want = expectedSubjects(inv);
        for (const rule of rules) {
          const mine = results.filter((r) => r.ruleId === rule.meta.id);
          const keys = mine.map(keyOf);
          expect(new Set(keys).size, `${rule.meta.id}: a subject judged twice`).to.equal(keys.length);
          if (rule.meta.scope === 'trail') {
            const trails = mine.filter((r) => r.subject.kind === 'trail');
            expect(trails.map((r) => r.subject.arn).sort(), rule.meta.id).to.deep.equal([...want.trails.keys()].sort());
            for (const r of trails) expect(r.subject.accountId, `${rule.meta.id} ${r.subject.arn}`).to.equal(want.trails.get(r.subject.arn!));
            const regions = mine.filter((r) => r.subject.kind === 'region');
            const accounts = mine.filter((r) => r.subject.kind === 'account');
            for (const r of [...regions, ...accounts]) expect(r.status, `${rule.meta.id}: ${r.message}`).to.equal('error');
            expect(regions.map((r) => `${r.subject.accountId} ${r.subject.region}`).sort(), `${rule.meta.id}: region errors`).to.deep.equal([...want.unseenRegions].sort());
            expect(accounts.map((r) => r.subject.accountId).sort(), `${rule.meta.id}: account errors`).to.deep.equal([...want.unseenAccounts].sort());
          } else if (rule.meta.scope === 'region') {
            for (const r of mine) expect(r.subject.kind).to.equal('region');
            expect(mine.map((r) => `${r.subject.accountId} ${r.subject.region}`).sort(), rule.meta.id).to.deep.equal([...want.regions].sort());
          } else {
            for (const r of mine) expect(r.subject.kind).to.equal('account');
            expect(mine.map((r) => r.subject.accountId).sort(), rule.meta.id).to.deep.equal(want.accounts);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Splitting an inventory into files, and taking data away
// ---------------------------------------------------------------------------------------------

const SHARDS = 3;
const EARLIER = '2026-01-09T08:00:00Z';

interface Split {
  /** Per account of ACCOUNTS: its file (SHARDS is the log-archive file). */
  fileOf: number[];
  /** Per bucket and key: the files that hold it (the log-archive file unless given). */
  bucketsIn: number[][];
  keysIn: number[][];
  /** For errors of accounts the inventory does not list. */
  strayErrorsIn: number[];
  /** Per file: collectedAt as collected, an earlier one, or none (one file keeps the real one). */
  clock: ('same' | 'earlier' | 'none')[];
  yaml: boolean[];
  order: number[];
  /** Where each account and each error goes within its file (concatenation keeps a file's own order, so vary it too). */
  rank: number[];
}

const FILES = SHARDS + 1;
const filesArb = fc.uniqueArray(fc.nat(SHARDS), { maxLength: 2 });
const splitArb: fc.Arbitrary<Split> = fc.record({
  fileOf: fc.array(fc.nat(SHARDS), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  bucketsIn: fc.array(filesArb, { minLength: BUCKETS.length, maxLength: BUCKETS.length }),
  keysIn: fc.array(filesArb, { minLength: KEYS.length, maxLength: KEYS.length }),
  strayErrorsIn: fc.array(fc.nat(SHARDS), { minLength: 4, maxLength: 4 }),
  clock: fc.array(fc.constantFrom('same' as const, 'earlier' as const, 'none' as const), { minLength: FILES, maxLength: FILES }),
  yaml: fc.array(fc.boolean(), { minLength: FILES, maxLength: FILES }),
  order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: FILES, maxLength: FILES }),
  rank: fc.array(fc.nat(9), { minLength: 8, maxLength: 8 }),
});

/** The files a split makes of one inventory, each a complete inventory of its own. */
function splitInventory(inv: Inventory, s: Split): Inventory[] {
  const files: Inventory[] = Array.from({ length: FILES }, () => ({ version: 1, accounts: [] }) as Inventory);
  const fileOfAccount = (id: string) => s.fileOf[ACCOUNTS.indexOf(id)];
  for (const a of inv.accounts) files[fileOfAccount(a.accountId)].accounts.push(a);
  for (const [kind, names, where] of [
    ['buckets', BUCKETS, s.bucketsIn],
    ['keys', KEYS, s.keysIn],
  ] as const) {
    names.forEach((name, i) => {
      const value = inv[kind]?.[name];
      if (value === undefined) return;
      for (const f of where[i].length > 0 ? where[i] : [SHARDS]) ((files[f][kind] ??= {}) as Record<string, unknown>)[name] = structuredClone(value);
    });
  }
  const listed = new Set(inv.accounts.map((a) => a.accountId));
  (inv.errors ?? []).forEach((e, i) => {
    const f = listed.has(e.accountId) ? fileOfAccount(e.accountId) : s.strayErrorsIn[i % s.strayErrorsIn.length];
    (files[f].errors ??= []).push(e);
  });
  const rankOf = (i: number) => s.rank[i % s.rank.length];
  const ranked = <T>(xs: T[], key: (x: T) => number) => xs.map((x, i) => ({ x, r: key(x) * 100 + i })).sort((a, b) => a.r - b.r).map((e) => e.x);
  const errorIndex = new Map((inv.errors ?? []).map((e, i) => [e, i]));
  for (const f of files) {
    f.accounts = ranked(f.accounts, (a) => rankOf(ACCOUNTS.indexOf(a.accountId)));
    if (f.errors) f.errors = ranked(f.errors, (e) => rankOf(errorIndex.get(e)! + 3));
  }
  if (inv.collectedAt !== undefined) {
    s.clock.forEach((c, f) => {
      if (c === 'same' || f === s.order[0]) files[f].collectedAt = inv.collectedAt;
      else if (c === 'earlier') files[f].collectedAt = EARLIER;
    });
  }
  return files;
}

interface Removal {
  kind: 'entry' | 'bucket' | 'key';
  index: number;
  field: number;
}

const ENTRY_FIELDS = ['Status', 'EventSelectors', 'InsightSelectors'] as const;
const BUCKET_FIELDS = ['Region', 'Policy', 'PolicyStatus', 'Acl', 'Logging', 'Versioning', 'RequestPayer'];
const KEY_FIELDS = ['KeyMetadata', 'KeyRotationEnabled', 'Policy'];
const removalArb: fc.Arbitrary<Removal> = fc.record({ kind: fc.constantFrom('entry' as const, 'bucket' as const, 'key' as const), index: fc.nat(), field: fc.nat() });

/**
 * Takes one collected datum out of the inventory, as if it had not been collected: a trail's
 * status, selectors or insight selectors (from every account's copy of it), a field of a bucket
 * or key, or the whole bucket or key. Returns the reads (as rules declare them) that lose data.
 */
function remove(inv: Inventory, r: Removal): string[] {
  if (r.kind === 'entry') {
    const arns = [...new Set(inv.accounts.flatMap((a) => a.trails.map((e) => e.Trail.TrailARN)))];
    if (arns.length === 0) return [];
    const arn = arns[r.index % arns.length];
    const field = ENTRY_FIELDS[r.field % ENTRY_FIELDS.length];
    for (const a of inv.accounts) {
      for (const e of a.trails) {
        if (e.Trail.TrailARN !== arn) continue;
        delete e[field];
        if (field === 'EventSelectors') delete e.AdvancedEventSelectors;
      }
    }
    return [field];
  }
  const [names, fields, map, root] =
    r.kind === 'bucket' ? [BUCKETS, BUCKET_FIELDS, inv.buckets as Record<string, Record<string, unknown>> | undefined, 'Bucket'] : [KEYS, KEY_FIELDS, inv.keys as Record<string, Record<string, unknown>> | undefined, 'Key'];
  const name = names[r.index % names.length];
  if (map?.[name] === undefined) return [];
  const k = r.field % (fields.length + 1);
  if (k === fields.length) {
    delete map[name];
    return [root, ...fields.map((f) => `${root}.${f}`)];
  }
  delete map[name][fields[k]];
  return [`${root}.${fields[k]}`];
}

/** Everything but DescribeTrails' own output and the failed reads, gone. */
function stripAll(inv: Inventory): void {
  for (const a of inv.accounts) for (const e of a.trails) for (const f of [...ENTRY_FIELDS, 'AdvancedEventSelectors'] as const) delete e[f];
  delete inv.buckets;
  delete inv.keys;
}

function byKey(results: readonly Result[]): Map<string, Result> {
  return new Map(results.map((r) => [keyOf(r), r]));
}

/** With less data, a verdict may only stay as it was or become an error (Kleene: unknown). */
function expectWeaker(before: Result, after: Result | undefined, what: string): void {
  expect(after, `${what}: the subject disappeared`).to.not.equal(undefined);
  if (after!.status === before.status || after!.status === 'error') return;
  expect.fail(`${what}: ${before.status} became ${after!.status}\n  before: ${before.message}\n  after:  ${after!.message}`);
}

describe('engine properties: merging, missing data, determinism', () => {
  it('splitting an inventory into files and loading them in any order gives the same results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailgate-prop-'));
    try {
      let run = 0;
      fc.assert(
        fc.property(inventoryArb, splitArb, (raw, split) => {
          const whole = comparable(evaluate(rules, load(raw)));
          const files = splitInventory(structuredClone(raw), split).map((inv, f) => {
            const name = `run${run}-${f}.${split.yaml[f] ? 'yaml' : 'json'}`;
            writeFileSync(join(dir, name), split.yaml[f] ? stringify(inv) : JSON.stringify(inv));
            return name;
          });
          run++;
          const merged = loadInventories(split.order.map((f) => files[f]), { cwd: dir }).inventory;
          expect(merged.collectedAt).to.equal(raw.collectedAt);
          expect(comparable(evaluate(rules, merged))).to.deep.equal(whole);
        }),
        { numRuns: 100 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('taking a collected datum away never turns a verdict into another verdict, only into an error', () => {
    fc.assert(
      fc.property(inventoryArb, removalArb, (raw, removal) => {
        const before = evaluate(rules, load(raw));
        const less = structuredClone(raw);
        const lost = remove(less, removal);
        const after = byKey(evaluate(rules, load(less)));
        expect(after.size).to.equal(before.length);
        const name = `${removal.kind} ${removal.index} ${removal.field} (${lost.join(', ')})`;
        for (const r of before) {
          const rule = rules.find((x) => x.meta.id === r.ruleId)!;
          const b = after.get(keyOf(r));
          if (rule.reads.some((x) => lost.includes(x))) expectWeaker(r, b, `${keyOf(r)} without ${name}`);
          // Whatever a rule reads, a datum taken away never settles what was unknown.
          else if (r.status === 'error') expect(b?.status, `${keyOf(r)} without ${name}: ${b?.message}`).to.not.equal('pass');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with nothing collected beyond the trail lists, no verdict changes except into an error, and no trail rule passes on missing reads', () => {
    fc.assert(
      fc.property(inventoryArb, (raw) => {
        const before = evaluate(rules, load(raw));
        const none = structuredClone(raw);
        stripAll(none);
        const loaded = load(none);
        const after = evaluate(rules, loaded);
        const index = byKey(after);
        for (const r of before) expectWeaker(r, index.get(keyOf(r)), `${keyOf(r)} with nothing collected`);
        const trails = new Map(loaded.accounts.flatMap((a) => a.trails.map((e) => [e.Trail.TrailARN, e.Trail] as const)));
        for (const r of after) {
          if (r.subject.kind !== 'trail') continue;
          const rule = rules.find((x) => x.meta.id === r.ruleId)!;
          const t = trails.get(r.subject.arn!)!;
          // The reads that have something to read for this trail: all of them are now missing.
          const applicable = rule.reads.filter(
            (x) =>
              x !== 'Trail' &&
              !(x.startsWith('Bucket') && !t.S3BucketName) &&
              !(x.startsWith('Key') && !t.KmsKeyId) &&
              !(x === 'EventSelectors' && t.HasCustomEventSelectors === false),
          );
          if (applicable.length > 0) expect(r.status, `${keyOf(r)}: ${r.message}`).to.not.equal('pass');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same inventory twice, or as JSON and as YAML, gives equal results, and is not modified', () => {
    fc.assert(
      fc.property(inventoryArb, (raw) => {
        const inv = load(raw, 'inventory.json');
        const copy = structuredClone(inv);
        const first = evaluate(rules, inv);
        const second = evaluate(rules, inv);
        expect(second).to.deep.equal(first);
        expect(inv).to.deep.equal(copy);
        expect(evaluate(rules, load(raw, 'inventory.yaml'))).to.deep.equal(first);
      }),
      { numRuns: 100 },
    );
  });
});

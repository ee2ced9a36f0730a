/**
 * The generator of the engine property tests: random but schema-valid inventories (several
 * accounts, some in one organization, organization trails seen from members, basic and advanced
 * selectors, buckets and keys present or missing, failed reads), drawn as a plan and built as a
 * collector would write them.
 */
import fc from 'fast-check';
import type { Inventory, ReadError, TrailEntry } from '../../../src/inventory/types.ts';

export const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
const ORG = 'o-exampleorg1';
const REGIONS = ['ap-southeast-2', 'eu-west-1', 'us-east-1'];
export const BUCKETS = ['org-logs', 'team-logs', 'old-logs'];
const KEY_IDS = ['1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321'];
export const KEYS = KEY_IDS.map((id, i) => `arn:aws:kms:${i === 0 ? 'us-east-1' : 'eu-west-1'}:${ACCOUNTS[4]}:key/${id}`);
const COLLECTED_AT = '2026-01-10T12:00:00Z';

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

export const inventoryArb = planArb.map(build);

/**
 * Synthetic organization inventories for the benchmarks: an organization trail owned by the
 * management account and visible in every member account, plus 1-3 trails of each account's
 * own, half of them careless, with the buckets and keys they use. Deterministic for a seed.
 *
 * Usage: node --import tsx bench/generate.ts --accounts 1000 [--seed 1] [-o bench/out/org-1000.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type {
  AccountInventory,
  AdvancedEventSelector,
  Bucket,
  EventSelector,
  Inventory,
  Key,
  ReadError,
  TrailEntry,
  TrailStatus,
} from '../src/inventory/types.ts';

/** The 17 commercial regions enabled by default (opt-in regions are not). */
export const DEFAULT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'sa-east-1',
];

const COLLECTED_AT = '2026-11-20T02:00:00Z';
const COLLECTED_MS = Date.parse(COLLECTED_AT);
const CLOUDTRAIL = { Service: 'cloudtrail.amazonaws.com' };

/** A seeded generator: a Weyl sequence through the murmur3 finaliser, good enough for test data. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
  /** An ISO time up to `hours` before collection. */
  before(hours: number): string {
    return new Date(COLLECTED_MS - Math.floor(this.next() * hours * 3600_000)).toISOString().replace('.000Z', 'Z');
  }
}

function status(r: Random, logging: boolean, deliveryError?: string): TrailStatus {
  const started = r.before(24 * 400);
  const s: TrailStatus = {
    IsLogging: logging,
    LatestDeliveryTime: r.before(1),
    LatestDigestDeliveryTime: r.before(1),
    StartLoggingTime: started,
    LatestDeliveryAttemptTime: r.before(1),
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: r.before(1),
    TimeLoggingStarted: started,
    TimeLoggingStopped: '',
  };
  if (!logging) {
    s.StopLoggingTime = r.before(24 * 30);
    s.TimeLoggingStopped = s.StopLoggingTime;
  }
  if (deliveryError) s.LatestDeliveryError = deliveryError;
  return s;
}

const DEFAULT_SELECTOR: EventSelector = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] };

interface Selectors {
  custom: boolean;
  EventSelectors: EventSelector[];
  AdvancedEventSelectors: AdvancedEventSelector[];
}

function basic(...selectors: EventSelector[]): Selectors {
  return { custom: true, EventSelectors: selectors, AdvancedEventSelectors: [] };
}

function advanced(...selectors: AdvancedEventSelector[]): Selectors {
  return { custom: true, EventSelectors: [], AdvancedEventSelectors: selectors };
}

const MANAGEMENT_ADVANCED: AdvancedEventSelector = { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };

function s3Values(r: Random, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `arn:aws:s3:::data-${r.hex(6)}-${i}/`);
}

/** Selectors of a well-kept trail: the default, all S3 writes, or the advanced equivalent. */
function goodSelectors(r: Random): Selectors {
  const kind = r.int(0, 2);
  if (kind === 0) return { custom: false, EventSelectors: [DEFAULT_SELECTOR], AdvancedEventSelectors: [] };
  if (kind === 1) {
    return basic({ ...DEFAULT_SELECTOR, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] });
  }
  return advanced(MANAGEMENT_ADVANCED, {
    Name: 'S3 object writes',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'readOnly', Equals: ['false'] },
    ],
  });
}

/**
 * Selectors of a careless trail. Quota breakers are the rare kind (as in real organizations);
 * missing read events or the bare default are the common one.
 */
function carelessSelectors(r: Random): Selectors {
  const roll = r.next();
  if (roll < 0.1) {
    // Six basic selectors: one over the quota of five.
    return basic(...Array.from({ length: 6 }, (_, i) => ({
      ReadWriteType: i === 0 ? 'All' : 'WriteOnly',
      IncludeManagementEvents: i === 0,
      DataResources: [{ Type: 'AWS::Lambda::Function', Values: [`arn:aws:lambda:us-east-1:000000000000:function:fn-${i}`] }],
      ExcludeManagementEventSources: [],
    })));
  }
  if (roll < 0.15) {
    return basic({ ...DEFAULT_SELECTOR, DataResources: [{ Type: 'AWS::S3::Object', Values: s3Values(r, r.int(240, 260)) }] });
  }
  if (roll < 0.2) {
    return advanced(MANAGEMENT_ADVANCED, {
      Name: 'Selected buckets',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN', StartsWith: s3Values(r, r.int(490, 510)) },
      ],
    });
  }
  if (roll < 0.4) {
    return advanced({ Name: 'Write-only management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] });
  }
  if (roll < 0.6) return basic({ ...DEFAULT_SELECTOR, ReadWriteType: 'WriteOnly' });
  return { custom: false, EventSelectors: [DEFAULT_SELECTOR], AdvancedEventSelectors: [] };
}

interface TrailSpec {
  account: string;
  name: string;
  home: string;
  multiRegion: boolean;
  globalEvents: boolean;
  validation: boolean;
  logging: boolean;
  bucket: string;
  prefix?: string;
  key?: string;
  organization: boolean;
  selectors: Selectors;
  deliveryError?: string;
}

function trailArn(account: string, home: string, name: string): string {
  return `arn:aws:cloudtrail:${home}:${account}:trail/${name}`;
}

function trailEntry(r: Random, t: TrailSpec): TrailEntry {
  const arn = trailArn(t.account, t.home, t.name);
  const trail: TrailEntry['Trail'] = {
    Name: t.name,
    S3BucketName: t.bucket,
    ...(t.prefix ? { S3KeyPrefix: t.prefix } : {}),
    IncludeGlobalServiceEvents: t.globalEvents,
    IsMultiRegionTrail: t.multiRegion,
    HomeRegion: t.home,
    TrailARN: arn,
    LogFileValidationEnabled: t.validation,
    ...(t.organization
      ? {
          CloudWatchLogsLogGroupArn: `arn:aws:logs:${t.home}:${t.account}:log-group:aws-cloudtrail-logs-${t.account}-org:*`,
          CloudWatchLogsRoleArn: `arn:aws:iam::${t.account}:role/CloudTrailRoleForCloudWatchLogs_org`,
        }
      : {}),
    ...(t.key ? { KmsKeyId: t.key } : {}),
    HasCustomEventSelectors: t.selectors.custom,
    HasInsightSelectors: false,
    IsOrganizationTrail: t.organization,
  };
  const entry: TrailEntry = {
    Trail: trail,
    Status: status(r, t.logging, t.deliveryError),
    EventSelectors: t.selectors.EventSelectors,
    AdvancedEventSelectors: t.selectors.AdvancedEventSelectors,
    InsightSelectors: [],
  };
  if (t.organization) entry.Status!.LatestCloudWatchLogsDeliveryTime = r.before(1);
  return entry;
}

/** How a bucket policy can be wrong; `ok` is the policy the CloudTrail user guide documents. */
type PolicyFlaw = 'ok' | 'wrong-account' | 'no-acl-check' | 'first-trail-only' | 'org-deny' | 'none' | 'gone' | 'requester-pays' | 'unreadable';

/** The bucket policy of the CloudTrail user guide ("Amazon S3 bucket policy for CloudTrail"). */
function bucketPolicy(bucket: string, writers: { account: string; prefix?: string; arns: string[]; orgId?: string }, flaw: PolicyFlaw): string {
  const condition = (arns: string[]) => ({ 'aws:SourceArn': arns.length === 1 ? arns[0] : arns });
  const arns = flaw === 'first-trail-only' ? writers.arns.slice(0, 1) : writers.arns;
  const owner = flaw === 'wrong-account' ? '123456789012' : writers.account;
  const base = `arn:aws:s3:::${bucket}/${writers.prefix ? `${writers.prefix}/` : ''}AWSLogs`;
  const statements: Record<string, unknown>[] = [];
  if (flaw !== 'no-acl-check') {
    statements.push({ Sid: 'AWSCloudTrailAclCheck20150319', Effect: 'Allow', Principal: CLOUDTRAIL, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringEquals: condition(arns) } });
  }
  statements.push({ Sid: 'AWSCloudTrailWrite20150319', Effect: 'Allow', Principal: CLOUDTRAIL, Action: 's3:PutObject', Resource: `${base}/${owner}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...condition(arns) } } });
  if (writers.orgId) {
    statements.push({ Sid: 'AWSCloudTrailOrganizationWrite20150319', Effect: 'Allow', Principal: CLOUDTRAIL, Action: 's3:PutObject', Resource: `${base}/${writers.orgId}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...condition(arns) } } });
  }
  statements.push({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  if (flaw === 'org-deny') {
    // The classic mistake: pinning callers to the organization also locks out the service principal.
    statements.push({ Sid: 'DenyOutsideOrganization', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-aaaaaaaaaa' } } });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function bucket(r: Random, account: string, policy: string | null, flaw: PolicyFlaw): Bucket {
  if (flaw === 'gone') return { Exists: false };
  const canonical = r.hex(64);
  const b: Bucket = {
    Region: 'us-east-1',
    Policy: policy,
    PolicyStatus: { IsPublic: false },
    PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    Acl: { Owner: { ID: canonical }, Grants: [{ Grantee: { ID: canonical, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }] },
    Logging: r.chance(0.5) ? { TargetBucket: `s3-access-logs-${account}`, TargetPrefix: `cloudtrail/`, TargetGrants: [] } : {},
    Versioning: r.chance(0.7) ? { Status: 'Enabled', MFADelete: r.chance(0.1) ? 'Enabled' : 'Disabled' } : {},
    RequestPayer: flaw === 'requester-pays' ? 'Requester' : 'BucketOwner',
  };
  if (flaw === 'unreadable') {
    delete b.Policy;
    delete b.PolicyStatus;
  }
  return b;
}

/** A customer-managed symmetric key whose policy lets CloudTrail encrypt for `account`'s trails. */
function key(r: Random, account: string, arns: string[], careless: boolean): [string, Key] {
  const id = r.uuid();
  const arn = `arn:aws:kms:us-east-1:${account}:key/${id}`;
  const state = careless && r.chance(0.2) ? r.pick(['Disabled', 'PendingDeletion']) : 'Enabled';
  const policy = {
    Version: '2012-10-17',
    Id: 'Key policy created by CloudTrail',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Allow CloudTrail to encrypt logs', Effect: 'Allow', Principal: CLOUDTRAIL, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': [`arn:aws:cloudtrail:*:${account}:trail/*`] }, StringEquals: { 'aws:SourceArn': arns.length === 1 ? arns[0] : arns } } },
      { Sid: 'Allow CloudTrail to describe key', Effect: 'Allow', Principal: CLOUDTRAIL, Action: 'kms:DescribeKey', Resource: '*' },
      { Sid: 'Enable CloudTrail log decrypt permissions', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': account }, Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } } },
    ],
  };
  return [arn, {
    KeyMetadata: {
      AWSAccountId: account, KeyId: id, Arn: arn, CreationDate: r.before(24 * 900), Enabled: state === 'Enabled',
      Description: 'CloudTrail log encryption', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: state, Origin: 'AWS_KMS', KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false,
      ...(state === 'PendingDeletion' ? { DeletionDate: '2026-12-01T00:00:00Z', PendingDeletionWindowInDays: 30 } : {}),
    },
    KeyRotationEnabled: careless ? r.chance(0.3) : true,
    Policy: JSON.stringify(policy),
  }];
}

/** What S3 tells a logging trail whose bucket has `flaw` (the `index`th trail of the account). */
function deliveryError(flaw: PolicyFlaw, index: number): string | undefined {
  switch (flaw) {
    case 'ok':
    case 'unreadable':
      return undefined;
    case 'gone':
      return 'NoSuchBucket';
    case 'first-trail-only':
      return index > 0 ? 'AccessDenied' : undefined;
    default:
      return 'AccessDenied';
  }
}

const TRAIL_NAMES = ['management-events', 'security-audit', 'data-events', 'ops-trail', 'legacy-trail', 'test'];

/** An organization inventory of `accounts` accounts (at least 1), the same for the same seed. */
export function generateInventory({ accounts, seed }: { accounts: number; seed: number }): Inventory {
  const r = new Random(seed);
  const ids = new Set<string>();
  while (ids.size < accounts) ids.add(String(r.int(100_000_000_000, 999_999_999_999)));
  const accountIds = [...ids];
  const management = accountIds[0];
  const organizationId = `o-${r.hex(10)}`;
  const buckets: Record<string, Bucket> = {};
  const keys: Record<string, Key> = {};
  const errors: ReadError[] = [];

  const orgBucket = `org-trail-logs-${management}`;
  const orgArn = trailArn(management, 'us-east-1', 'org-trail');
  const [orgKeyArn, orgKey] = key(r, management, [orgArn], false);
  keys[orgKeyArn] = orgKey;
  buckets[orgBucket] = bucket(r, management, bucketPolicy(orgBucket, { account: management, prefix: 'org', arns: [orgArn], orgId: organizationId }, 'ok'), 'ok');
  const orgTrail = trailEntry(r, {
    account: management, name: 'org-trail', home: 'us-east-1', multiRegion: true, globalEvents: true, validation: true,
    logging: true, bucket: orgBucket, prefix: 'org', key: orgKeyArn, organization: true, selectors: basic(DEFAULT_SELECTOR),
  });

  const inventoryAccounts: AccountInventory[] = accountIds.map((account) => {
    const own: TrailSpec[] = [];
    const count = r.int(1, 3);
    const bucketName = `aws-cloudtrail-logs-${account}-${r.hex(8)}`;
    const flaw: PolicyFlaw = r.chance(0.8) ? 'ok' : r.pick(['wrong-account', 'no-acl-check', 'first-trail-only', 'org-deny', 'none', 'gone', 'requester-pays', 'unreadable']);
    const names = [...TRAIL_NAMES];
    const encrypted: boolean[] = [];
    let anyCareless = false;
    for (let k = 0; k < count; k++) {
      const name = names.splice(r.int(0, names.length - 1), 1)[0];
      const careless = r.chance(0.5);
      anyCareless ||= careless;
      const home = k === 0 ? 'us-east-1' : r.pick(DEFAULT_REGIONS);
      // A careless trail has at least one flaw; which one is drawn first, the rest are coin flips.
      const forced = careless ? r.int(0, 4) : -1;
      const flawed = (i: number, p: number) => careless && (forced === i || r.chance(p));
      const multiRegion = !flawed(0, 0.6) && (k === 0 || r.chance(0.6));
      encrypted.push(!flawed(4, 0.6));
      own.push({
        account, name, home: multiRegion ? home : r.pick(DEFAULT_REGIONS), multiRegion,
        globalEvents: multiRegion ? !flawed(1, 0.3) : r.chance(0.2),
        validation: !flawed(2, 0.6),
        logging: !flawed(3, 0.4),
        bucket: bucketName,
        ...(r.chance(0.3) ? { prefix: 'cloudtrail' } : {}),
        organization: false,
        selectors: careless ? carelessSelectors(r) : goodSelectors(r),
      });
    }
    // Trails sharing a bucket share its prefix: the policy names one path per account.
    const prefix = own[0].prefix;
    for (const t of own) t.prefix = prefix;
    const arns = own.map((t) => trailArn(t.account, t.home, t.name));
    const policy = flaw === 'none' || flaw === 'gone' ? null : bucketPolicy(bucketName, { account, prefix, arns }, flaw);
    buckets[bucketName] = bucket(r, account, policy, flaw);
    if (flaw === 'unreadable') {
      errors.push({ accountId: account, region: 'us-east-1', service: 's3', operation: 'GetBucketPolicy', resource: bucketName, code: 'AccessDenied', message: 'Access Denied' });
    }
    let keyArn: string | undefined;
    if (encrypted.includes(true)) {
      const [arn, k] = key(r, account, arns, anyCareless);
      keys[arn] = k;
      keyArn = arn;
    }
    const entries = own.map((t, i) => trailEntry(r, {
      ...t,
      key: encrypted[i] ? keyArn : undefined,
      deliveryError: t.logging ? deliveryError(flaw, i) : undefined,
    }));
    return { accountId: account, organizationId, regions: [...DEFAULT_REGIONS], trails: [orgTrail, ...entries] };
  });

  return { version: 1, collectedAt: COLLECTED_AT, partition: 'aws', accounts: inventoryAccounts, buckets, keys, errors };
}

/** The text `trailgate snapshot` writes: 2-space JSON with a final newline. */
export function inventoryText(inventory: Inventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}

const USAGE = 'usage: node --import tsx bench/generate.ts --accounts N [--seed S] [-o FILE]\n';

function main(argv: string[]): void {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (e) {
    // A mistyped option is told with the usage, not as a stack trace.
    process.stderr.write(`generate.ts: ${(e as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { accounts, seed, out } = parsed;
  const text = inventoryText(generateInventory({ accounts, seed }));
  if (out) {
    // bench/out/ is git-ignored: on a fresh clone the README's `-o bench/out/...` names a folder
    // that is not there yet.
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  else process.stdout.write(text);
}

function parseOptions(argv: string[]): { help: boolean; accounts: number; seed: number; out: string | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: { accounts: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  const accounts = Number(values.accounts);
  if (!Number.isInteger(accounts) || accounts < 1) throw new Error('--accounts must be a positive integer');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  return { help: values.help === true, accounts, seed, out: values.output };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));

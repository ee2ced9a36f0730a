/**
 * The generator of the cross-format consistency test: a plan, then the inventory files (one or
 * two shards), config and baseline it describes, full of strings each format has to escape.
 */
import { sep } from 'node:path';
import fc from 'fast-check';
import type { Any } from './decode.ts';

// ---------------------------------------------------------------------------------------------
// Untrusted strings
// ---------------------------------------------------------------------------------------------

/**
 * Pieces of text that each format has to escape or strip: XML specials and `]]>`, line breaks,
 * C0 and C1 controls, ESC sequences, bidi controls, BOM, invisible format characters (zero-width
 * space, soft hyphen, tag characters, which are astral), lone and paired surrogates, the
 * noncharacters XML forbids, workflow-command syntax, Markdown table syntax, SARIF placeholders
 * and embedded links, and backslash
 * sequences that look like the text report's own escapes.
 */
const PIECES = [
  'main', 'prod', ' ', '<b>', '&amp;', '&', '"', "'", ']]>', '\n', '\r', '\r\n', '\t', '\u0000', '\u001b[31m', '\u0007',
  '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', '\ufeff', '\ud800', '\udc00', '\ud83d\ude80', '\ufffe', '\uffff',
  '::', '::stop-commands::x', '%', '%0A', ',', ':', '\\', '\\x1b', '|', '`', 'é', '/',
  '##[error]', '#', '#[', '\u00a0::', '\u3000::add-mask::x', '\u200b', '\u200f', '\u061c', '\u00ad', '\u2060', '\u{e0041}',
  '{0}', '}', '[l](https://evil.example)',
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
);

/** A name that is sometimes plain, so that ordinary runs are generated too. */
const someName = (plain: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...plain), hostile);

// ---------------------------------------------------------------------------------------------
// The generator: a plan, then the inventory files, config and baseline it describes
// ---------------------------------------------------------------------------------------------

export const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
export const ORG = 'o-exampleorg1';
const REGIONS = ['eu-west-1', 'us-east-1'];
const KEY = `arn:aws:kms:us-east-1:${ACCOUNTS[0]}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const RULE_PATTERNS = ['log-file-validation', 'kms-encryption', 'multi-region-trail', 'trails-per-region', 'bucket-delivery', 'trail-logging', 'bucket-*', '*'];
/** File names a user could give: spaces, URI-reserved and workflow-command characters, bidi, a line break. */
const FILE_NAMES = ['inv', 'shard a', 'dir/b%3A,x:y', 'ünï\u202e', 'new\nline', '#frag?q', '[x]&y', ...(sep === '/' ? ['back\\slash'] : [])];

interface TrailSpec {
  owner: number;
  name: string;
  home: string;
  multi: boolean;
  org: boolean;
  global: boolean;
  validation: boolean;
  bucket: number | undefined;
  key: boolean;
  logging: boolean;
  /** present; missing (not collected); missing with the failed GetTrailStatus recorded. */
  status: 'present' | 'missing' | 'failed';
  /** Per account of ACCOUNTS, for an organization trail: whether that member's copy holds the status too, or its own failed read. */
  memberCopies: boolean[];
}

interface BucketSpec {
  exists: boolean;
  /** null: no policy; 'failed': GetBucketPolicy failed; 'allow'/'deny': a policy whose Sids are untrusted; 'garbage': not JSON. */
  policy: null | 'failed' | 'allow' | 'deny' | 'garbage';
  sids: [string, string];
  logging: boolean;
  requester: boolean;
}

interface ErrorSpec {
  kind: 'describe' | 'assume';
  account: number;
  region: string;
}

export interface Plan {
  accounts: number[];
  inOrg: boolean[];
  regions: string[][];
  trails: TrailSpec[];
  bucketNames: [string, string];
  buckets: (BucketSpec | undefined)[];
  keyPresent: boolean;
  errors: ErrorSpec[];
  /** The code and message of every recorded failed read, in order (cycled). */
  codes: string[];
  messages: (string | undefined)[];
  collectedAt: boolean;
  /** Per account: which shard file holds it (0 or 1); buckets, keys and errors likewise. */
  shardOf: number[];
  twoShards: boolean;
  fileNames: [string, string];
  yaml: [boolean, boolean];
  failOn: string;
  verbose: boolean;
  suppressions: { rule: number; subject: number; reason: string; owner: string | undefined; expires: string | undefined }[];
  baseline: { rule: number; subject: number }[];
}

const trailSpec: fc.Arbitrary<TrailSpec> = fc.record({
  owner: fc.nat(ACCOUNTS.length - 1),
  name: someName(['main', 'org', 'audit']),
  home: fc.constantFrom(...REGIONS),
  multi: fc.boolean(),
  org: fc.boolean(),
  global: fc.boolean(),
  validation: fc.boolean(),
  bucket: fc.option(fc.nat(1), { nil: undefined, freq: 5 }),
  key: fc.boolean(),
  logging: fc.boolean(),
  status: fc.constantFrom('present' as const, 'present' as const, 'missing' as const, 'failed' as const),
  memberCopies: fc.array(fc.boolean(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
});

const bucketSpec: fc.Arbitrary<BucketSpec> = fc.record({
  exists: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  policy: fc.constantFrom(null, 'failed' as const, 'allow' as const, 'allow' as const, 'deny' as const, 'garbage' as const),
  sids: fc.tuple(someName(['AclCheck']), someName(['Write'])),
  logging: fc.boolean(),
  requester: fc.boolean(),
});

export const planArb: fc.Arbitrary<Plan> = fc.record({
  accounts: fc.shuffledSubarray([0, 1, 2], { minLength: 1 }),
  inOrg: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  regions: fc.array(fc.shuffledSubarray(REGIONS, { minLength: 1 }), { minLength: 3, maxLength: 3 }),
  trails: fc.uniqueArray(trailSpec, { maxLength: 4, selector: (t) => `${t.owner}/${t.home}/${t.name}` }),
  bucketNames: fc.uniqueArray(someName(['org-logs', 'team-logs']), { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[string, string]>,
  buckets: fc.array(fc.option(bucketSpec, { nil: undefined, freq: 5 }), { minLength: 2, maxLength: 2 }),
  keyPresent: fc.boolean(),
  errors: fc.array(fc.record({ kind: fc.constantFrom('describe' as const, 'assume' as const), account: fc.nat(2), region: fc.constantFrom(...REGIONS) }), { maxLength: 2 }),
  codes: fc.array(someName(['AccessDenied', 'ThrottlingException']), { minLength: 1, maxLength: 3 }),
  messages: fc.array(fc.option(hostile, { nil: undefined }), { minLength: 1, maxLength: 3 }),
  collectedAt: fc.boolean(),
  shardOf: fc.array(fc.nat(1), { minLength: 8, maxLength: 8 }),
  twoShards: fc.boolean(),
  fileNames: fc.uniqueArray(fc.constantFrom(...FILE_NAMES), { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[string, string]>,
  yaml: fc.tuple(fc.boolean(), fc.boolean()),
  failOn: fc.constantFrom('critical', 'high', 'medium', 'low', 'info', 'never'),
  verbose: fc.boolean(),
  suppressions: fc.array(
    fc.record({
      rule: fc.nat(),
      subject: fc.nat(),
      // The config schema wants a reason with something other than white space in it.
      reason: someName(['accepted risk']).map((r) => (/\S/u.test(r) ? r : `ok${r}`)),
      owner: fc.option(someName(['platform']), { nil: undefined }),
      expires: fc.option(fc.constantFrom('2027-03-31', '2026-01-01'), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  baseline: fc.array(fc.record({ rule: fc.nat(), subject: fc.nat() }), { maxLength: 3 }),
});

function trailArn(t: TrailSpec): string {
  // The schema wants at least one character after `trail/` that is not a line terminator.
  const name = /^[\n\r\u2028\u2029]/.test(t.name) ? `x${t.name}` : t.name;
  return `arn:aws:cloudtrail:${t.home}:${ACCOUNTS[t.owner]}:trail/${name}`;
}

function bucketPolicy(name: string, spec: BucketSpec): unknown {
  const arn = `arn:aws:s3:::${name}`;
  const principal = { Service: 'cloudtrail.amazonaws.com' };
  if (spec.policy === 'garbage') return '{"Statement": [';
  if (spec.policy === 'deny') return { Version: '2012-10-17', Statement: [{ Sid: spec.sids[0], Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`] }] };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: spec.sids[0], Effect: 'Allow', Principal: principal, Action: 's3:GetBucketAcl', Resource: arn },
      { Sid: spec.sids[1], Effect: 'Allow', Principal: principal, Action: 's3:PutObject', Resource: `${arn}/*` },
    ],
  };
}

type Inventory = Record<string, Any>;

/** The inventory shards a plan describes (one or two), as a collector would write them. */
export function build(plan: Plan): Inventory[] {
  const shards: Inventory[] = [{ version: 1, accounts: [] }, { version: 1, accounts: [] }];
  const shard = (i: number): Inventory => shards[plan.twoShards ? plan.shardOf[i % plan.shardOf.length] : 0];
  // Every shard carries a collectedAt (the latest wins when they merge), or none does.
  if (plan.collectedAt) shards.forEach((s, i) => (s.collectedAt = i === 0 ? '2026-11-20T02:00:00Z' : '2026-11-19T02:00:00Z'));
  let failure = 0;
  const failed = (e: Record<string, string>): Record<string, string> => {
    const message = plan.messages[failure % plan.messages.length];
    const err = { ...e, code: plan.codes[failure % plan.codes.length], ...(message === undefined ? {} : { message }) };
    failure++;
    return err;
  };
  const errors: Record<string, string>[] = [];
  const accountEntries = new Map<number, Inventory>();
  for (const a of plan.accounts) {
    const entry: Inventory = { accountId: ACCOUNTS[a], regions: [...plan.regions[a]], trails: [] };
    if (plan.inOrg[a]) entry.organizationId = ORG;
    accountEntries.set(a, entry);
    shard(a).accounts.push(entry);
  }
  for (const t of plan.trails) {
    const org = t.org && plan.inOrg[t.owner];
    const arn = trailArn(t);
    const trail: Record<string, unknown> = {
      Name: t.name,
      TrailARN: arn,
      HomeRegion: t.home,
      IsMultiRegionTrail: t.multi || org,
      IncludeGlobalServiceEvents: t.global,
      LogFileValidationEnabled: t.validation,
      IsOrganizationTrail: org,
      HasCustomEventSelectors: false,
    };
    if (t.bucket !== undefined) trail.S3BucketName = plan.bucketNames[t.bucket];
    if (t.key) trail.KmsKeyId = KEY;
    for (const [a, entry] of accountEntries) {
      if (a !== t.owner && !(org && plan.inOrg[a])) continue;
      const copy: Inventory = { Trail: { ...trail }, EventSelectors: [], InsightSelectors: [] };
      // A member's copy may hold the status the owner could not read, or record its own failure
      // (another code, another message), so that copies and failures of one trail sit in both shards.
      const own = a === t.owner || !t.memberCopies[a];
      // One member (the second account) even saw it differently: which copy wins must not depend on file order.
      if (t.status === 'present' || (!own && t.status === 'failed')) copy.Status = { IsLogging: own || a !== 1 ? t.logging : !t.logging };
      if (!own && t.status === 'missing') errors.push(failed({ accountId: ACCOUNTS[a], region: t.home, service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn }));
      entry.trails.push(copy);
    }
    if (t.status === 'failed') errors.push(failed({ accountId: ACCOUNTS[t.owner], region: t.home, service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn }));
  }
  plan.buckets.forEach((spec, i) => {
    if (spec === undefined) return;
    const name = plan.bucketNames[i];
    const bucket: Inventory = spec.exists
      ? {
          Region: 'us-east-1',
          Acl: { Owner: { ID: 'abc' }, Grants: [] },
          Logging: spec.logging ? { TargetBucket: 'access-logs' } : {},
          Versioning: {},
          RequestPayer: spec.requester ? 'Requester' : 'BucketOwner',
        }
      : { Exists: false };
    if (spec.exists && spec.policy === 'failed') errors.push(failed({ accountId: ACCOUNTS[0], region: 'us-east-1', service: 's3', operation: 'GetBucketPolicy', resource: name }));
    else if (spec.exists) bucket.Policy = spec.policy === null ? null : bucketPolicy(name, spec);
    (shard(3 + i).buckets ??= {})[name] = bucket;
  });
  if (plan.keyPresent) {
    (shard(5).keys ??= {})[KEY] = {
      KeyMetadata: { Arn: KEY, KeyId: KEY.split('/')[1], KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyManager: 'CUSTOMER', MultiRegion: false },
      KeyRotationEnabled: false,
    };
  }
  const seen = new Set<string>();
  for (const e of plan.errors) {
    const k = `${e.kind}/${e.account}/${e.region}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (e.kind === 'describe') errors.push(failed({ accountId: ACCOUNTS[e.account], region: e.region, service: 'cloudtrail', operation: 'DescribeTrails' }));
    else errors.push(failed({ accountId: ACCOUNTS[e.account], service: 'sts', operation: 'AssumeRole' }));
  }
  errors.forEach((e, i) => (shard(6 + i).errors ??= []).push(e));
  return plan.twoShards ? shards : [shards[0]];
}

/** The subjects a suppression or baseline entry may name (patterns too, for suppressions). */
export function subjectsOf(plan: Plan): { kind: 'trail' | 'region' | 'account'; accountId: string; region?: string; resource?: string }[] {
  const out: ReturnType<typeof subjectsOf> = [];
  for (const a of plan.accounts) {
    out.push({ kind: 'account', accountId: ACCOUNTS[a] });
    for (const r of plan.regions[a]) out.push({ kind: 'region', accountId: ACCOUNTS[a], region: r });
  }
  for (const t of plan.trails) out.push({ kind: 'trail', accountId: ACCOUNTS[t.owner], region: t.home, resource: trailArn(t) });
  return out;
}

export function suppressionResource(s: ReturnType<typeof subjectsOf>[number]): string {
  return s.resource ?? (s.region === undefined ? s.accountId : `${s.accountId}/${s.region}`);
}

/** Rule ids a baseline entry may name, by the kind of subject they judge. */
export const BASELINE_RULES = { trail: ['log-file-validation', 'kms-encryption', 'bucket-delivery', 'trail-logging'], region: ['trails-per-region'], account: ['multi-region-trail', 'global-service-events'] };

/**
 * Differential (oracle) test of the requests behind bucket-delivery and kms-key-usable.
 *
 * The reference model is written from shared/design/rules.md ("bucket-delivery, precisely" and
 * the kms-key-usable row) and inventory.md alone, without reading how trailgate builds its
 * requests: this file works out, for a random inventory, which requests CloudTrail makes to S3
 * and KMS, asks the independent simulator @cloud-copilot/iam-simulate for each decision, and
 * combines the decisions with the rest of the rule (bucket gone, Requester Pays, unreadable
 * policy, key state...) in Kleene logic. trailgate is the real thing: the inventory goes through
 * parseInventory and mergeInventories as `scan` loads it, and the built-in rules judge it. They
 * must agree on pass / fail / error for every trail.
 *
 * A counterexample prints the inventory files it was built from, and fast-check the seed and
 * path that replay it: DIFF_SEED=<seed> DIFF_PATH=<path> reruns just that case, DIFF_DUMP=<dir>
 * writes its files there (to scan them with the CLI), DIFF_RUNS=<n> runs longer, DIFF_SHOW=1
 * prints how often each outcome came up.
 *
 * Where rules.md leaves a choice open, the model follows trailgate (each place says so): a gone
 * bucket does not fail the key's region clause, and a bare key id the inventory does not hold
 * leaves the key ARN unknown rather than inferred from the trail's account and region.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { assert } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { AccountInventory, Bucket, Inventory, Key, Partition, ReadError, TrailEntry } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';

// ---------------------------------------------------------------------------------------------
// The world the generator draws from
// ---------------------------------------------------------------------------------------------

const MANAGEMENT = '111111111111';
const MEMBER_A = '222222222222';
const MEMBER_B = '333333333333';
/** The central log-archive account: its buckets and keys come in a file of their own. */
const ARCHIVE = '444444444444';
/** An account outside the scan: a bucket it owns is in no inventory file. */
const OUTSIDER = '555555555555';
const ORG = 'o-exampleorgid';
const OTHER_ORG = 'o-otherorg999';
const BUCKET = 'ct-logs';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const DECOY_KEY_ID = '0987dcba-09fe-87dc-65ba-ab0987654321';
const ALIAS = 'alias/cloudtrail';
const TRAIL_NAME = 'main';

const REGIONS: Record<Partition, [string, string]> = {
  aws: ['us-east-1', 'eu-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
};

type Statement = Record<string, unknown>;

/** How the trail names its KMS key, and what the inventory knows about that key. */
interface KeySpec {
  form: 'arn' | 'id' | 'alias' | 'aliasArn';
  /** The key lives in the log-archive account (only a key ARN or alias ARN can say so). */
  inArchive: boolean;
  /** The key lives in the other region of the partition (ARN forms only). */
  otherRegion: boolean;
  /**
   * present: collected. absent: not in the inventory, no error recorded. describeDenied /
   * describeNotFound: DescribeKey failed (recorded against the id the trail gives).
   * policyDenied / policyMissing: GetKeyPolicy failed / was not collected. unaliased: the key
   * is there but without the alias, so an alias cannot be resolved through the inventory.
   */
  state: 'present' | 'absent' | 'describeDenied' | 'describeNotFound' | 'policyDenied' | 'policyMissing' | 'unaliased';
  keyState: string;
  keySpec: string;
  multiRegion: boolean;
  /** A key in another account with the same alias name: an alias resolves per account and region. */
  decoy: boolean;
  policy: (w: WorldNames) => Statement[];
}

interface Case {
  partition: Partition;
  /** Index into REGIONS[partition]. */
  home: 0 | 1;
  /** The trail's owner: the management account, or a member (whose trail is never an organization trail). */
  ownerIsMember: boolean;
  org: boolean;
  /** Which accounts' entries carry organizationId: MANAGEMENT, MEMBER_A, MEMBER_B, ARCHIVE. */
  orgShown: [boolean, boolean, boolean, boolean];
  /** MEMBER_A (always listed when it owns the trail) and MEMBER_B are in the scan. */
  memberAListed: boolean;
  memberBListed: boolean;
  prefix: string | undefined;
  holder: 'owner' | 'archive' | 'outsider';
  /** When the archive holds the bucket: its account entry is in the archive file too. */
  archiveListed: boolean;
  bucket: 'present' | 'gone' | 'noPolicy' | 'policyDenied' | 'policyMissing';
  payer: 'BucketOwner' | 'Requester' | 'denied';
  bucketInOtherRegion: boolean;
  policy: (w: WorldNames) => Statement[];
  policyAsObject: boolean;
  key: KeySpec | undefined;
}

/** The names a case's policies are written against. */
interface WorldNames {
  p: Partition;
  owner: string;
  trail: string;
  prefix: string | undefined;
  keyArn: string;
  keyAccount: string;
  home: string;
  other: string;
}

function derive(c: Case): WorldNames & { bucketAccount: string | undefined; keyRegion: string } {
  const [first, second] = REGIONS[c.partition];
  const home = c.home === 0 ? first : second;
  const other = c.home === 0 ? second : first;
  const owner = c.ownerIsMember ? MEMBER_A : MANAGEMENT;
  const keyAccount = c.key?.inArchive ? ARCHIVE : owner;
  const keyRegion = c.key?.otherRegion ? other : home;
  return {
    p: c.partition,
    owner,
    trail: `arn:${c.partition}:cloudtrail:${home}:${owner}:trail/${TRAIL_NAME}`,
    prefix: c.prefix,
    keyArn: `arn:${c.partition}:kms:${keyRegion}:${keyAccount}:key/${KEY_ID}`,
    keyAccount,
    keyRegion,
    home,
    other,
    bucketAccount: c.holder === 'owner' ? owner : c.holder === 'archive' ? ARCHIVE : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Bucket policies: the user guide's statements, and the ways real ones differ from them
// ---------------------------------------------------------------------------------------------

const CT = { Service: 'cloudtrail.amazonaws.com' };
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** A statement builder that needs the case's names. */
type Build = (w: WorldNames) => Statement;
/** Conditions (operator to key to values) a builder adds to a statement. */
type Conditions = (w: WorldNames) => Record<string, Record<string, unknown>>;

/** The path part a policy writes for the prefix: the trail's own, none, or another. */
const prefixPart = pick<(w: WorldNames) => string>(
  (w) => (w.prefix ? `${w.prefix}/` : ''),
  (w) => (w.prefix ? `${w.prefix}/` : ''),
  (w) => (w.prefix ? `${w.prefix}/` : ''),
  () => '',
  () => 'other/',
);

/** Who a statement is for. Mostly CloudTrail; sometimes everyone, or a service that is not CloudTrail. */
const principal = fc.oneof(
  { weight: 6, arbitrary: fc.constant<unknown>(CT) },
  { weight: 1, arbitrary: pick<unknown>('*', { AWS: '*' }, { Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'] }, { Service: 'config.amazonaws.com' }) },
);

/** Conditions pinning the trail: none, aws:SourceArn right or wrong, ArnLike wildcards, aws:SourceAccount. */
const sourceCondition = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Conditions>(() => ({})) },
  { weight: 4, arbitrary: fc.constant<Conditions>((w) => ({ StringEquals: { 'aws:SourceArn': w.trail } })) },
  {
    weight: 3,
    arbitrary: pick<Conditions>(
      (w: WorldNames) => ({ StringEquals: { 'aws:SourceArn': w.trail.replace(`trail/${TRAIL_NAME}`, 'trail/other') } }),
      (w: WorldNames) => ({ StringEquals: { 'aws:SourceArn': [w.trail.replace(`trail/${TRAIL_NAME}`, 'trail/other'), w.trail] } }),
      (w: WorldNames) => ({ ArnLike: { 'aws:SourceArn': `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*` } }),
      (w: WorldNames) => ({ ArnLike: { 'aws:SourceArn': `arn:${w.p}:cloudtrail:${w.other}:${w.owner}:trail/*` } }),
      (w: WorldNames) => ({ ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${w.owner}:trail/*` } }),
      (w: WorldNames) => ({ StringLike: { 'aws:SourceArn': `arn:${w.p}:cloudtrail:*:*:trail/*` } }),
      (w: WorldNames) => ({ StringEquals: { 'aws:SourceAccount': w.owner } }),
      () => ({ StringEquals: { 'aws:SourceAccount': OUTSIDER } }),
      (w: WorldNames) => ({ StringEquals: { 'aws:SourceAccount': [OUTSIDER, w.owner] } }),
    ),
  },
);

const aclHeader = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Record<string, unknown>>({ 's3:x-amz-acl': 'bucket-owner-full-control' }) },
  { weight: 1, arbitrary: pick<Record<string, unknown>>({}, { 's3:x-amz-acl': 'private' }) },
);

function joinConditions(...parts: Record<string, Record<string, unknown>>[]): Record<string, Record<string, unknown>> | undefined {
  const out: Record<string, Record<string, unknown>> = {};
  for (const part of parts) for (const [op, keys] of Object.entries(part)) out[op] = { ...(out[op] ?? {}), ...keys };
  return Object.keys(out).length > 0 ? out : undefined;
}

function statement(sid: string, effect: string, who: unknown, action: unknown, resource: unknown, condition?: Record<string, unknown>): Statement {
  const s: Statement = { Sid: sid, Effect: effect, Principal: who, Action: action, Resource: resource };
  if (condition) s.Condition = condition;
  return s;
}

const aclCheckArb: fc.Arbitrary<Build> = fc
  .record({
    who: principal,
    cond: sourceCondition,
    resource: fc.oneof(
      { weight: 6, arbitrary: fc.constant((w: WorldNames) => `arn:${w.p}:s3:::${BUCKET}`) },
      { weight: 1, arbitrary: pick((w: WorldNames) => `arn:${w.p}:s3:::other-logs`, () => `arn:aws:s3:::${BUCKET}`, () => '*', (w: WorldNames) => `arn:${w.p}:s3:::${BUCKET}/*`) },
    ),
  })
  .map(({ who, cond, resource }) => (w) => statement('AWSCloudTrailAclCheck20150319', 'Allow', who, 's3:GetBucketAcl', resource(w), joinConditions(cond(w))));

/** The account part of a write statement's path: the owner's, a member's, any, or the policy variable. */
const accountPart = fc.oneof(
  { weight: 6, arbitrary: fc.constant((w: WorldNames): string => w.owner) },
  { weight: 1, arbitrary: pick((w: WorldNames): string => (w.owner === MANAGEMENT ? MEMBER_A : MANAGEMENT), () => '*', () => '${aws:SourceAccount}') },
);

const writeArb: fc.Arbitrary<Build> = fc
  .record({ who: principal, cond: sourceCondition, acl: aclHeader, prefix: prefixPart, account: accountPart, action: pick('s3:PutObject', 's3:PutObject', 's3:Put*', 's3:PutObjectAcl') })
  .map(({ who, cond, acl, prefix, account, action }) => (w) =>
    statement('AWSCloudTrailWrite20150319', 'Allow', who, action, `arn:${w.p}:s3:::${BUCKET}/${prefix(w)}AWSLogs/${account(w)}/*`, joinConditions({ StringEquals: acl }, cond(w))),
  );

/** The organization-path write: the organization's whole folder, one account's, another organization's. */
const orgWriteArb: fc.Arbitrary<Build> = fc
  .record({
    who: principal,
    cond: sourceCondition,
    acl: aclHeader,
    prefix: prefixPart,
    path: fc.oneof(
      { weight: 5, arbitrary: fc.constant(`${ORG}/*`) },
      { weight: 4, arbitrary: pick(`${ORG}/${MANAGEMENT}/*`, `${ORG}/${MANAGEMENT}/*`, `${ORG}/${MEMBER_A}/*`, `${OTHER_ORG}/*`, `${ORG}/*/CloudTrail/*`) },
    ),
  })
  .map(({ who, cond, acl, prefix, path }) => (w) =>
    statement('AWSCloudTrailOrganizationWrite20150319', 'Allow', who, 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/${prefix(w)}AWSLogs/${path}`, joinConditions({ StringEquals: acl }, cond(w))),
  );

/** One write for the whole bucket, as a log-archive account often writes it. */
const wideWriteArb: fc.Arbitrary<Build> = fc
  .record({ cond: sourceCondition, acl: aclHeader })
  .map(({ cond, acl }) => (w) => statement('CloudTrailWriteAnywhere', 'Allow', CT, 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/*`, joinConditions({ StringEquals: acl }, cond(w))));

const both = (w: WorldNames) => [`arn:${w.p}:s3:::${BUCKET}`, `arn:${w.p}:s3:::${BUCKET}/*`];

/** Deny statements found in real log buckets. */
const denyArb: fc.Arbitrary<Build> = pick<Build>(
  // Deny outside the organization: blocks CloudTrail (no aws:PrincipalOrgID) unless AWS services are exempt.
  (w) => statement('DenyOutsideOrg', 'Deny', '*', 's3:*', both(w), { StringNotEquals: { 'aws:PrincipalOrgID': ORG } }),
  (w) => statement('DenyOutsideOrg', 'Deny', '*', 's3:*', both(w), { StringNotEquals: { 'aws:PrincipalOrgID': ORG }, Bool: { 'aws:PrincipalIsAWSService': 'false' } }),
  (w) => statement('DenyOutsideOrg', 'Deny', '*', 's3:*', both(w), { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } }),
  // TLS only, and the same written backwards.
  (w) => statement('DenyInsecureTransport', 'Deny', '*', 's3:*', both(w), { Bool: { 'aws:SecureTransport': 'false' } }),
  (w) => statement('DenyInsecureTransport', 'Deny', '*', 's3:*', both(w), { Bool: { 'aws:SecureTransport': 'true' } }),
  // Encryption headers: SSE-KMS required, a given key required.
  (w) => statement('DenyUnencrypted', 'Deny', '*', 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/*`, { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }),
  (w) => statement('DenyOtherKeys', 'Deny', '*', 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/*`, { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': w.keyArn } }),
  (w) => statement('DenyOtherKeys', 'Deny', '*', 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/*`, { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': w.keyArn.replace(KEY_ID, DECOY_KEY_ID) } }),
  (w) => statement('DenyOtherKeys', 'Deny', '*', 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/*`, { StringNotLikeIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:${w.p}:kms:*:${w.keyAccount}:key/*` } }),
  // The object ACL must hand the bucket owner control.
  (w) => statement('DenyForeignAcl', 'Deny', '*', 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/*`, { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }),
  // CloudTrail only for this owner's trails.
  (w) => statement('DenyOtherTrails', 'Deny', CT, 's3:*', both(w), { ArnNotLike: { 'aws:SourceArn': `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*` } }),
  (w) => statement('DenyOtherTrails', 'Deny', CT, 's3:*', both(w), { StringNotEquals: { 'aws:SourceAccount': [w.owner, MANAGEMENT] } }),
  // Writes only under AWSLogs/.
  (w) => ({ Sid: 'DenyOutsideLogs', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', NotResource: `arn:${w.p}:s3:::${BUCKET}/*AWSLogs/*` }),
);

const documented: Build[] = [
  (w) => statement('AWSCloudTrailAclCheck20150319', 'Allow', CT, 's3:GetBucketAcl', `arn:${w.p}:s3:::${BUCKET}`, { StringEquals: { 'aws:SourceArn': w.trail } }),
  (w) =>
    statement('AWSCloudTrailWrite20150319', 'Allow', CT, 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/${w.prefix ? `${w.prefix}/` : ''}AWSLogs/${w.owner}/*`, {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': w.trail },
    }),
  (w) =>
    statement('AWSCloudTrailOrganizationWrite20150319', 'Allow', CT, 's3:PutObject', `arn:${w.p}:s3:::${BUCKET}/${w.prefix ? `${w.prefix}/` : ''}AWSLogs/${ORG}/*`, {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': w.trail },
    }),
];

/** A bucket policy: the user guide's, or a mix of its statements, their variants and denies. */
const bucketPolicyArb: fc.Arbitrary<(w: WorldNames) => Statement[]> = fc.oneof(
  { weight: 2, arbitrary: fc.array(denyArb, { maxLength: 1 }).map((denies) => (w: WorldNames) => [...documented.map((b) => b(w)), ...denies.map((b) => b(w))]) },
  {
    weight: 5,
    arbitrary: fc
      .record({
        acl: fc.option(aclCheckArb, { nil: undefined, freq: 8 }),
        write: fc.option(writeArb, { nil: undefined, freq: 6 }),
        org: fc.option(orgWriteArb, { nil: undefined, freq: 3 }),
        wide: fc.option(wideWriteArb, { nil: undefined, freq: 1 }),
        denies: fc.array(denyArb, { maxLength: 2 }),
      })
      .chain((r) => fc.shuffledSubarray([r.acl, r.write, r.org, r.wide, ...r.denies].filter((b): b is Build => b !== undefined), { minLength: 0 }).map((list) => list))
      .map((builds) => (w: WorldNames) => builds.map((b) => b(w))),
  },
);

// ---------------------------------------------------------------------------------------------
// Key policies
// ---------------------------------------------------------------------------------------------

/** Conditions on the encryption context CloudTrail sends. */
const contextCondition = pick<(w: WorldNames) => Record<string, Record<string, unknown>>>(
  () => ({}),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': [`arn:${w.p}:cloudtrail:*:${OUTSIDER}:trail/*`, `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*`] } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${w.p}:cloudtrail:*:${OUTSIDER}:trail/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${w.owner}:trail/*` } }),
  (w) => ({ StringEquals: { 'kms:EncryptionContext:aws:cloudtrail:arn': w.trail } }),
  (w) => ({ StringEquals: { 'kms:EncryptionContext:aws:cloudtrail:arn': w.trail.replace(`trail/${TRAIL_NAME}`, 'trail/other') } }),
  (w) => ({ ArnLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${w.p}:cloudtrail:${w.home}:${w.owner}:trail/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:${w.p}:s3:::${BUCKET}/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:${w.p}:s3:::other-logs/*` } }),
  () => ({ Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } }),
);

const keySourceCondition = pick<(w: WorldNames) => Record<string, Record<string, unknown>>>(
  () => ({}),
  () => ({}),
  (w) => ({ StringEquals: { 'aws:SourceArn': w.trail } }),
  (w) => ({ StringEquals: { 'aws:SourceArn': w.trail.replace(`trail/${TRAIL_NAME}`, 'trail/other') } }),
  (w) => ({ StringEquals: { 'aws:SourceAccount': w.owner } }),
);

const encryptArb: fc.Arbitrary<Build> = fc
  .record({
    who: fc.oneof({ weight: 6, arbitrary: fc.constant<unknown>(CT) }, { weight: 1, arbitrary: pick<unknown>('*', { Service: 'config.amazonaws.com' }) }),
    action: fc.oneof(
      { weight: 5, arbitrary: fc.constant<unknown>('kms:GenerateDataKey*') },
      { weight: 2, arbitrary: pick<unknown>('kms:GenerateDataKey', 'kms:*', ['kms:GenerateDataKey*', 'kms:DescribeKey'], 'kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext') },
    ),
    resource: fc.oneof({ weight: 4, arbitrary: fc.constant((_: WorldNames) => '*') }, { weight: 1, arbitrary: pick((w: WorldNames) => w.keyArn, (w: WorldNames) => w.keyArn.replace(KEY_ID, DECOY_KEY_ID)) }),
    context: contextCondition,
    source: keySourceCondition,
  })
  .map(({ who, action, resource, context, source }) => (w) => statement('Allow CloudTrail to encrypt logs', 'Allow', who, action, resource(w), joinConditions(context(w), source(w))));

const describeArb: fc.Arbitrary<Build> = fc
  .record({ source: keySourceCondition, action: pick('kms:DescribeKey', 'kms:DescribeKey', 'kms:Describe*', 'kms:Get*') })
  .map(({ source, action }) => (w) => statement('Allow CloudTrail access', 'Allow', CT, action, '*', joinConditions(source(w))));

const keyDenyArb = pick<Build>(
  () => statement('DenyOutsideOrg', 'Deny', '*', 'kms:*', '*', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } }),
  () => statement('DenyOutsideOrg', 'Deny', '*', 'kms:*', '*', { StringNotEquals: { 'aws:PrincipalOrgID': ORG }, Bool: { 'aws:PrincipalIsAWSService': 'false' } }),
  () => statement('DenyInsecure', 'Deny', '*', 'kms:*', '*', { Bool: { 'aws:SecureTransport': 'false' } }),
  (w) => statement('DenyOtherTrails', 'Deny', CT, 'kms:GenerateDataKey*', '*', { StringNotLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*` } }),
);

/** The key policy the CloudTrail user guide gives (encrypt for the owner's trails, describe). */
const documentedKeyPolicy = (w: WorldNames): Statement[] => [
  statement('Enable IAM User Permissions', 'Allow', { AWS: `arn:${w.p}:iam::${w.keyAccount}:root` }, 'kms:*', '*'),
  statement('Allow CloudTrail to encrypt logs', 'Allow', CT, 'kms:GenerateDataKey*', w.keyArn, {
    StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': [`arn:${w.p}:cloudtrail:*:${w.owner}:trail/*`] },
    StringEquals: { 'aws:SourceArn': w.trail },
  }),
  statement('Allow CloudTrail access', 'Allow', CT, 'kms:DescribeKey', w.keyArn, { StringEquals: { 'aws:SourceArn': w.trail } }),
];

const mixedKeyPolicyArb: fc.Arbitrary<(w: WorldNames) => Statement[]> = fc
  .record({
    encrypt: fc.option(encryptArb, { nil: undefined, freq: 8 }),
    describe: fc.option(describeArb, { nil: undefined, freq: 5 }),
    denies: fc.array(keyDenyArb, { maxLength: 1 }),
  })
  .map(({ encrypt, describe, denies }) => (w: WorldNames) => [
    statement('Enable IAM User Permissions', 'Allow', { AWS: `arn:${w.p}:iam::${w.keyAccount}:root` }, 'kms:*', '*'),
    ...[encrypt, describe, ...denies].filter((b): b is Build => b !== undefined).map((b) => b(w)),
  ]);

const keyPolicyArb = fc.oneof({ weight: 2, arbitrary: fc.constant(documentedKeyPolicy) }, { weight: 3, arbitrary: mixedKeyPolicyArb });

const keySpecArb: fc.Arbitrary<KeySpec> = fc
  .record({
    form: pick<KeySpec['form']>('arn', 'arn', 'id', 'alias', 'aliasArn'),
    inArchive: fc.boolean(),
    otherRegion: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    state: fc.oneof(
      { weight: 9, arbitrary: fc.constant<KeySpec['state']>('present') },
      { weight: 2, arbitrary: pick<KeySpec['state']>('absent', 'describeDenied', 'describeNotFound', 'policyDenied', 'policyMissing', 'unaliased') },
    ),
    keyState: fc.oneof({ weight: 8, arbitrary: fc.constant('Enabled') }, { weight: 1, arbitrary: pick('Disabled', 'PendingDeletion') }),
    keySpec: fc.oneof({ weight: 8, arbitrary: fc.constant('SYMMETRIC_DEFAULT') }, { weight: 1, arbitrary: pick('RSA_2048', 'HMAC_256') }),
    multiRegion: fc.boolean(),
    decoy: fc.boolean(),
    policy: keyPolicyArb,
  })
  // A bare key id or alias name can only mean a key of the trail's own account and home region.
  .map((k) => (k.form === 'id' || k.form === 'alias' ? { ...k, inArchive: false, otherRegion: false } : k));

const caseArb: fc.Arbitrary<Case> = fc.record({
  partition: pick<Partition>('aws', 'aws', 'aws-cn', 'aws-us-gov'),
  home: pick<0 | 1>(0, 1),
  ownerIsMember: fc.boolean(),
  org: fc.boolean(),
  orgShown: fc.tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  ),
  memberAListed: fc.boolean(),
  memberBListed: fc.boolean(),
  prefix: fc.option(pick('', 'ct', 'a/b', 'org-trail/2026'), { nil: undefined }),
  holder: fc.oneof({ weight: 4, arbitrary: fc.constant<Case['holder']>('owner') }, { weight: 3, arbitrary: fc.constant<Case['holder']>('archive') }, { weight: 1, arbitrary: fc.constant<Case['holder']>('outsider') }),
  archiveListed: fc.boolean(),
  bucket: fc.oneof({ weight: 12, arbitrary: fc.constant<Case['bucket']>('present') }, { weight: 1, arbitrary: pick<Case['bucket']>('gone', 'noPolicy', 'policyDenied', 'policyMissing') }),
  payer: fc.oneof({ weight: 12, arbitrary: fc.constant<Case['payer']>('BucketOwner') }, { weight: 1, arbitrary: pick<Case['payer']>('Requester', 'denied') }),
  bucketInOtherRegion: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  policy: bucketPolicyArb,
  policyAsObject: fc.boolean(),
  key: fc.option(keySpecArb, { nil: undefined, freq: 4 }),
});

// ---------------------------------------------------------------------------------------------
// Building the inventory files, as collectors in two places would write them
// ---------------------------------------------------------------------------------------------

interface Built {
  files: { name: string; inventory: Inventory }[];
  names: ReturnType<typeof derive>;
  kmsKeyId: string | undefined;
  /** Account entries of the scan, over all files. */
  accounts: AccountInventory[];
}

function policyDocument(statements: Statement[], asObject: boolean): string | Record<string, unknown> {
  const doc = { Version: '2012-10-17', Statement: statements };
  return asObject ? doc : JSON.stringify(doc);
}

function build(c: Case): Built {
  const w = derive(c);
  const isOrg = c.org && !c.ownerIsMember;
  const home = w.home;
  const main: Inventory = { version: 1, collectedAt: '2026-01-02T00:00:00Z', partition: c.partition, accounts: [], buckets: {}, keys: {}, errors: [] };
  const archive: Inventory = { version: 1, collectedAt: '2026-01-02T00:00:00Z', partition: c.partition, accounts: [], buckets: {}, keys: {}, errors: [] };
  const fileOf = (account: string) => (account === ARCHIVE ? archive : main);

  const account = (id: string, shown: boolean): AccountInventory => ({ accountId: id, ...(shown ? { organizationId: ORG } : {}), regions: [...REGIONS[c.partition]], trails: [] });
  main.accounts.push(account(MANAGEMENT, c.orgShown[0]));
  if (c.ownerIsMember || c.memberAListed) main.accounts.push(account(MEMBER_A, c.orgShown[1]));
  if (c.memberBListed) main.accounts.push(account(MEMBER_B, c.orgShown[2]));
  if (c.holder === 'archive' && c.archiveListed) archive.accounts.push(account(ARCHIVE, c.orgShown[3]));

  let kmsKeyId: string | undefined;
  if (c.key) {
    const k = c.key;
    const aliasArn = `arn:${c.partition}:kms:${w.keyRegion}:${w.keyAccount}:${ALIAS}`;
    kmsKeyId = { arn: w.keyArn, id: KEY_ID, alias: ALIAS, aliasArn }[k.form];
    const into = fileOf(w.keyAccount);
    const entry: Key = {
      KeyMetadata: { Arn: w.keyArn, KeyId: KEY_ID, KeyState: k.keyState, KeySpec: k.keySpec, KeyManager: 'CUSTOMER', MultiRegion: k.multiRegion },
      KeyRotationEnabled: true,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: k.policy(w) }),
    };
    if (k.form === 'alias' || k.form === 'aliasArn') entry.Aliases = [ALIAS];
    const keyError = (operation: string, code: string, resource: string): ReadError => ({ accountId: w.keyAccount, region: w.keyRegion, service: 'kms', operation, resource, code, message: 'failed' });
    if (k.state === 'present' || k.state === 'policyDenied' || k.state === 'policyMissing' || k.state === 'unaliased') {
      if (k.state === 'policyDenied' || k.state === 'policyMissing') delete entry.Policy;
      if (k.state === 'policyDenied') into.errors!.push(keyError('GetKeyPolicy', 'AccessDeniedException', w.keyArn));
      if (k.state === 'unaliased') delete entry.Aliases;
      into.keys![w.keyArn] = entry;
    } else if (k.state === 'describeDenied') into.errors!.push(keyError('DescribeKey', 'AccessDeniedException', kmsKeyId));
    else if (k.state === 'describeNotFound') into.errors!.push(keyError('DescribeKey', 'NotFoundException', kmsKeyId));
    if (k.decoy) {
      // Same alias name, another account: never the trail's key.
      const decoyArn = `arn:${c.partition}:kms:${home}:${w.keyAccount === ARCHIVE ? MANAGEMENT : ARCHIVE}:key/${DECOY_KEY_ID}`;
      const decoyAccount = decoyArn.split(':')[4];
      fileOf(decoyAccount).keys![decoyArn] = {
        KeyMetadata: { Arn: decoyArn, KeyId: DECOY_KEY_ID, KeyState: 'Disabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyManager: 'CUSTOMER', MultiRegion: false },
        KeyRotationEnabled: false,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        Aliases: [ALIAS],
      };
    }
  }

  const trail: TrailEntry['Trail'] = {
    Name: TRAIL_NAME,
    TrailARN: w.trail,
    HomeRegion: home,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: true,
    S3BucketName: BUCKET,
    IsOrganizationTrail: isOrg,
    HasCustomEventSelectors: false,
  };
  if (c.prefix !== undefined) trail.S3KeyPrefix = c.prefix;
  if (kmsKeyId !== undefined) trail.KmsKeyId = kmsKeyId;
  // Every account of the scan that the trail applies to holds a copy; the owner's has the status.
  const allAccounts = [...main.accounts, ...archive.accounts];
  for (const a of allAccounts) {
    if (a.accountId === w.owner) a.trails.push({ Trail: { ...trail }, Status: { IsLogging: true } });
    else if (isOrg) a.trails.push({ Trail: { ...trail } });
  }

  if (w.bucketAccount !== undefined) {
    const into = fileOf(w.bucketAccount);
    const bucketError = (operation: string, code: string): ReadError => ({ accountId: w.bucketAccount!, region: home, service: 's3', operation, resource: BUCKET, code, message: 'Access Denied' });
    let bucket: Bucket;
    if (c.bucket === 'gone') bucket = { Exists: false };
    else {
      bucket = { Exists: true, Region: c.bucketInOtherRegion ? w.other : home, Policy: policyDocument(c.policy(w), c.policyAsObject), RequestPayer: c.payer === 'Requester' ? 'Requester' : 'BucketOwner' };
      if (c.bucket === 'noPolicy') bucket.Policy = null;
      if (c.bucket === 'policyDenied' || c.bucket === 'policyMissing') delete bucket.Policy;
      if (c.bucket === 'policyDenied') into.errors!.push(bucketError('GetBucketPolicy', 'AccessDenied'));
      if (c.payer === 'denied') {
        delete bucket.RequestPayer;
        into.errors!.push(bucketError('GetBucketRequestPayment', 'AccessDenied'));
      }
    }
    into.buckets![BUCKET] = bucket;
  }

  const files = [{ name: 'accounts.json', inventory: main }];
  const archiveUsed = archive.accounts.length > 0 || Object.keys(archive.buckets!).length > 0 || Object.keys(archive.keys!).length > 0 || archive.errors!.length > 0;
  if (archiveUsed) files.push({ name: 'log-archive.json', inventory: archive });
  return { files, names: w, kmsKeyId, accounts: allAccounts };
}

// ---------------------------------------------------------------------------------------------
// The reference model
// ---------------------------------------------------------------------------------------------

type Tri = 'pass' | 'fail' | 'error';
type Decision = 'allow' | 'refuse' | 'unknown';

/** Kleene conjunction of the rule's conditions: one surely false fails, else one unknown errs. */
function all(parts: Tri[]): Tri {
  if (parts.includes('fail')) return 'fail';
  if (parts.includes('error')) return 'error';
  return 'pass';
}

/** One request to the simulator. Context values are strings, or lists for multi-valued keys. */
interface OracleRequest {
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
}

/**
 * iam-simulate drops `kms:EncryptionContext:<key>` from the request (it only knows variable keys
 * of the `prefix/name` form), so both the request and the policy say `aws:RequestTag/ec-<key>`
 * instead: same string operators, same case-insensitive key name, a key it keeps.
 */
const EC = /^kms:encryptioncontext:/i;
function renameContextKeys(policy: unknown): unknown {
  if (Array.isArray(policy)) return policy.map(renameContextKeys);
  if (policy === null || typeof policy !== 'object') return policy;
  return Object.fromEntries(Object.entries(policy).map(([k, v]) => [k.replace(EC, 'aws:RequestTag/ec-'), renameContextKeys(v)]));
}

const ORACLE: Record<string, 'allow' | 'refuse'> = { Allowed: 'allow', ExplicitlyDenied: 'refuse', ImplicitlyDenied: 'refuse' };
const memo = new Map<string, 'allow' | 'refuse'>();

async function simulate(policy: object, req: OracleRequest): Promise<'allow' | 'refuse'> {
  const renamed = renameContextKeys(policy) as object;
  const context = Object.fromEntries(Object.entries(req.context).map(([k, v]) => [k.replace(EC, 'aws:RequestTag/ec-'), v]));
  const id = JSON.stringify([renamed, req.action, req.resource, req.resourceAccount, context]);
  const known = memo.get(id);
  if (known) return known;
  const r = await runSimulation(
    {
      request: { principal: 'cloudtrail.amazonaws.com', action: req.action, resource: { resource: req.resource, accountId: req.resourceAccount }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: renamed,
    },
    {},
  );
  if (r.resultType !== 'single') throw new Error(`the simulator rejected ${req.action} on ${req.resource}: ${JSON.stringify(r).slice(0, 500)}`);
  if (r.result.ignoredContextKeys?.length) throw new Error(`the simulator ignored ${r.result.ignoredContextKeys.join(', ')} for ${req.action}`);
  const verdict = ORACLE[r.overallResult];
  if (!verdict) throw new Error(`unexpected simulator result ${r.overallResult}`);
  memo.set(id, verdict);
  return verdict;
}

/** Asks for each candidate request (one per value an unknown datum could take): agreeing answers decide. */
async function decide(policy: object, candidates: OracleRequest[]): Promise<Decision> {
  const answers = new Set(await Promise.all(candidates.map((r) => simulate(policy, r))));
  return answers.size === 1 ? [...answers][0] : 'unknown';
}

/** The key a trail's KmsKeyId names, resolved through the inventory as DescribeKey would. */
function resolveKey(inv: Inventory, b: Built): { arn: string | undefined; entry: Key | undefined } {
  const id = b.kmsKeyId!;
  const { p, owner, home } = b.names;
  const keys = inv.keys ?? {};
  const aliasHolder = (account: string, region: string, alias: string): string | undefined =>
    Object.keys(keys).find((arn) => {
      const [, , , r, a] = arn.split(':');
      return r === region && a === account && (keys[arn].Aliases ?? []).includes(alias);
    });
  let arn: string | undefined;
  if (id.startsWith('arn:') && id.includes(':key/')) arn = id;
  else if (id.startsWith('arn:')) {
    const [, , , region, account, resource] = id.split(':');
    arn = aliasHolder(account, region, resource);
  } else if (id.startsWith('alias/')) arn = aliasHolder(owner, home, id);
  else {
    // A bare key id means the owner's key in the home region; trailgate still takes the ARN only
    // from the inventory (see the report: rules.md does not say it may infer one).
    const inferred = `arn:${p}:kms:${home}:${owner}:key/${id}`;
    arn = Object.hasOwn(keys, inferred) ? inferred : undefined;
  }
  return { arn, entry: arn === undefined ? undefined : keys[arn] };
}

/**
 * The values an unresolved key's ARN could take, as far as this policy can tell them apart: every
 * value its conditions compare the key-id header with, a new key of the trail's owner, and one
 * of an account outside the scan.
 */
function possibleKeyArns(policy: object, w: WorldNames): string[] {
  const out = new Set([`arn:${w.p}:kms:${w.home}:${w.owner}:key/00000000-0000-0000-0000-000000000000`, `arn:${w.p}:kms:${w.home}:${OUTSIDER}:key/00000000-0000-0000-0000-000000000000`]);
  const walk = (v: unknown, underKeyId: boolean): void => {
    if (typeof v === 'string' && underKeyId) out.add(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, underKeyId);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, underKeyId || k.toLowerCase() === 's3:x-amz-server-side-encryption-aws-kms-key-id');
  };
  walk(policy, false);
  return [...out];
}

function policyOf(v: unknown): object {
  return typeof v === 'string' ? (JSON.parse(v) as object) : (v as object);
}

/** The organization id of the trail's organization: its owner's, else that of a member that sees it. */
function organizationOf(inv: Inventory, b: Built): string | undefined {
  const owner = inv.accounts.find((a) => a.accountId === b.names.owner);
  if (owner?.organizationId) return owner.organizationId;
  for (const a of inv.accounts) if (a.organizationId && a.trails.some((t) => t.Trail.TrailARN === b.names.trail)) return a.organizationId;
  return undefined;
}

/** rules.md, "bucket-delivery, precisely". */
async function modelBucketDelivery(inv: Inventory, b: Built, isOrg: boolean): Promise<Tri> {
  const w = b.names;
  const bucket = inv.buckets?.[BUCKET];
  const account = w.bucketAccount ?? OUTSIDER;
  if (bucket === undefined) return 'error';
  if (bucket.Exists === false) return 'fail';
  const payer: Tri = bucket.RequestPayer === 'Requester' ? 'fail' : bucket.RequestPayer === undefined ? 'error' : 'pass';
  if (bucket.Policy === null) return 'fail';
  if (bucket.Policy === undefined) return all([payer, 'error']);
  const policy = policyOf(bucket.Policy);
  const base: Record<string, string> = { 'aws:SourceArn': w.trail, 'aws:SourceAccount': w.owner, 'aws:PrincipalIsAWSService': 'true', 'aws:SecureTransport': 'true' };
  const parts: Tri[] = [payer];
  const acl = await decide(policy, [{ action: 's3:GetBucketAcl', resource: `arn:${w.p}:s3:::${BUCKET}`, resourceAccount: account, context: base }]);
  parts.push(acl === 'allow' ? 'pass' : acl === 'refuse' ? 'fail' : 'error');

  // The PutObject headers; with a key the inventory cannot resolve, its ARN is unknown, so ask
  // for the key it most likely is and for another: the answer stands only if they agree.
  const headerSets: Record<string, string>[] = [];
  const acl0 = { 's3:x-amz-acl': 'bucket-owner-full-control' };
  if (b.kmsKeyId === undefined) headerSets.push(acl0);
  else {
    const { arn } = resolveKey(inv, b);
    const sse = (keyArn: string) => ({ ...acl0, 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn });
    if (arn !== undefined) headerSets.push(sse(arn));
    else for (const candidate of possibleKeyArns(policy, w)) headerSets.push(sse(candidate));
  }
  const object = (folder: string, acct: string) => `arn:${w.p}:s3:::${BUCKET}/${w.prefix ? `${w.prefix}/` : ''}AWSLogs/${folder}/CloudTrail/${w.home}/2026/01/01/${acct}_CloudTrail_${w.home}_x.json.gz`;
  const put = (resource: string) => decide(policy, headerSets.map((h) => ({ action: 's3:PutObject', resource, resourceAccount: account, context: { ...base, ...h } })));
  const paths = [object(w.owner, w.owner)];
  let orgUnknown = false;
  if (isOrg) {
    const org = organizationOf(inv, b);
    if (org === undefined) orgUnknown = true;
    else {
      // Every account of the organization that the scan shows: the owner, accounts naming the
      // organization, and accounts that see the organization trail.
      const members = new Set([w.owner]);
      for (const a of inv.accounts) if (a.organizationId === org || a.trails.some((t) => t.Trail.TrailARN === w.trail)) members.add(a.accountId);
      for (const m of [...members].sort()) paths.push(object(`${org}/${m}`, m));
    }
  }
  for (const d of await Promise.all(paths.map(put))) parts.push(d === 'allow' ? 'pass' : d === 'refuse' ? 'fail' : 'error');
  if (orgUnknown) parts.push('error');
  return all(parts);
}

/** rules.md, the kms-key-usable row. */
async function modelKmsKeyUsable(inv: Inventory, b: Built): Promise<Tri | 'skipped'> {
  if (b.kmsKeyId === undefined) return 'skipped';
  const w = b.names;
  const { arn, entry } = resolveKey(inv, b);
  if (entry === undefined) {
    const notFound = (inv.errors ?? []).some((e) => e.operation === 'DescribeKey' && e.code === 'NotFoundException' && (e.resource === b.kmsKeyId || e.resource === arn));
    return notFound ? 'fail' : 'error';
  }
  const meta = entry.KeyMetadata ?? {};
  const parts: Tri[] = [meta.KeyState === 'Enabled' ? 'pass' : 'fail', meta.KeySpec === 'SYMMETRIC_DEFAULT' ? 'pass' : 'fail'];
  const keyRegion = arn!.split(':')[3];
  const bucket = inv.buckets?.[BUCKET];
  // A bucket that is gone has no region to be in: that is bucket-delivery's failure, and rules.md
  // leaves the key's clause open there; trailgate does not hold it against the key (see the report).
  if (meta.MultiRegion === true || bucket?.Exists === false) parts.push('pass');
  else if (bucket === undefined || bucket.Region === undefined) parts.push('error');
  else parts.push(bucket.Region === keyRegion ? 'pass' : 'fail');
  if (entry.Policy === undefined || entry.Policy === null) parts.push('error');
  else {
    const policy = policyOf(entry.Policy);
    const keyAccount = arn!.split(':')[4];
    const base: Record<string, string | string[]> = { 'aws:SourceArn': w.trail, 'aws:SourceAccount': w.owner, 'aws:PrincipalIsAWSService': 'true', 'aws:SecureTransport': 'true' };
    // What S3 sends on CloudTrail's behalf when it encrypts a log file (KMS guide, "CloudTrail puts a log file").
    const logFile = `arn:${w.p}:s3:::${BUCKET}/${w.prefix ? `${w.prefix}/` : ''}AWSLogs/${w.owner}/CloudTrail/${w.home}/2026/01/01/${w.owner}_CloudTrail_${w.home}_x.json.gz`;
    const generate = await decide(policy, [
      {
        action: 'kms:GenerateDataKey',
        resource: arn!,
        resourceAccount: keyAccount,
        context: { ...base, 'kms:EncryptionContext:aws:cloudtrail:arn': w.trail, 'kms:EncryptionContext:aws:s3:arn': logFile, 'kms:EncryptionContextKeys': ['aws:cloudtrail:arn', 'aws:s3:arn'] },
      },
    ]);
    const describe = await decide(policy, [{ action: 'kms:DescribeKey', resource: arn!, resourceAccount: keyAccount, context: base }]);
    for (const d of [generate, describe]) parts.push(d === 'allow' ? 'pass' : d === 'refuse' ? 'fail' : 'error');
  }
  return all(parts);
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

let rules: CompiledRule[];
before(() => {
  rules = loadRules({ builtin: true }).filter((r) => r.meta.id === 'bucket-delivery' || r.meta.id === 'kms-key-usable');
  assert.lengthOf(rules, 2);
});

/** Loads the files the way `scan` does: each parsed (and schema-checked), then merged. */
function load(b: Built): Inventory {
  return mergeInventories(b.files.map((f) => parseInventory(JSON.stringify(f.inventory, null, 1), f.name))).inventory;
}

function resultFor(results: Result[], ruleId: string, arn: string): Result {
  const mine = results.filter((r) => r.ruleId === ruleId && r.subject.arn === arn);
  assert.lengthOf(mine, 1, `${ruleId}: one result for ${arn}`);
  return mine[0];
}

describe('bucket-delivery and kms-key-usable agree with a model built from rules.md and iam-simulate', function () {
  this.timeout(60_000);

  it('on random inventories: partitions, prefixes, organization trails, log-archive buckets, keys by ARN, id and alias', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const b = build(c);
        const inv = load(b);
        const isOrg = c.org && !c.ownerIsMember;
        const results = evaluate(rules, inv);
        const delivery = resultFor(results, 'bucket-delivery', b.names.trail);
        const usable = resultFor(results, 'kms-key-usable', b.names.trail);
        const expected = { delivery: await modelBucketDelivery(inv, b, isOrg), usable: await modelKmsKeyUsable(inv, b) };
        if (process.env.DIFF_DUMP) for (const f of b.files) writeFileSync(join(process.env.DIFF_DUMP, f.name), JSON.stringify(f.inventory, null, 1));
        const where = `\n${b.files.map((f) => `${f.name}: ${JSON.stringify(f.inventory)}`).join('\n')}`;
        assert.strictEqual(delivery.status, expected.delivery, `bucket-delivery: ${delivery.message}${where}`);
        assert.strictEqual(usable.status, expected.usable, `kms-key-usable: ${usable.message}${where}`);
        for (const [rule, s] of [['delivery', delivery.status], ['usable', usable.status]]) seen[`${rule} ${s}`] = (seen[`${rule} ${s}`] ?? 0) + 1;
      }),
      {
        numRuns: Number(process.env.DIFF_RUNS ?? 150),
        ...(process.env.DIFF_SEED ? { seed: Number(process.env.DIFF_SEED), path: process.env.DIFF_PATH, endOnFailure: true } : {}),
      },
    );
    if (process.env.DIFF_SHOW) console.log(seen);
    // Agreement proves little unless every outcome comes up.
    for (const k of ['delivery pass', 'delivery fail', 'delivery error', 'usable pass', 'usable fail', 'usable error']) assert.isAtLeast(seen[k] ?? 0, 3, `too few "${k}": ${JSON.stringify(seen)}`);
  });
});

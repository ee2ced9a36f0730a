/**
 * Policies for the delivery differential test (differential-delivery.test.ts): bucket policies
 * (the user guide's statements, and the ways real ones differ from them) and key policies.
 */
import fc from 'fast-check';
import { BUCKET, DECOY_KEY_ID, KEY_ID, MANAGEMENT, MEMBER_A, ORG, OTHER_ORG, OUTSIDER, TRAIL_NAME, type Statement, type WorldNames } from './world.ts';

const CT = { Service: 'cloudtrail.amazonaws.com' };
export const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
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
  ...serviceDenies('s3:*', both),
  ...timeDenies('s3:*', both),
);

/**
 * Denies AWS writes for service principals: its confused-deputy protection (a service acting for
 * an account outside the organization; for another organization, and the same with no
 * organization known to the scan) and its "no service but CloudTrail" example.
 */
function serviceDenies(action: string, resource: (w: WorldNames) => unknown): Build[] {
  const deputy = (org: string): Build => (w) =>
    statement('EnforceConfusedDeputyProtection', 'Deny', '*', action, resource(w), { StringNotEqualsIfExists: { 'aws:SourceOrgID': org }, Null: { 'aws:SourceAccount': 'false' }, Bool: { 'aws:PrincipalIsAWSService': 'true' } });
  const onlyService = (name: string): Build => (w) =>
    statement('ExpectedServicePrincipal', 'Deny', '*', action, resource(w), { StringNotEquals: { 'aws:PrincipalServiceName': name }, Bool: { 'aws:PrincipalIsAWSService': 'true' } });
  return [deputy(ORG), deputy(OTHER_ORG), onlyService('cloudtrail.amazonaws.com'), onlyService('config.amazonaws.com')];
}

/** Time windows, before and after the cases' collectedAt (2026-01-02): a Deny from a date on, in either key. */
function timeDenies(action: string, resource: (w: WorldNames) => unknown): Build[] {
  const from = (condition: Record<string, Record<string, unknown>>): Build => (w) => statement('DenyFromDate', 'Deny', '*', action, resource(w), condition);
  return [
    from({ DateGreaterThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
    from({ DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } }),
    from({ NumericGreaterThanEquals: { 'aws:EpochTime': '1700000000' } }),
  ];
}

/** Conditions that hold only before a date: an Allow for a window that closed, or is still open. */
const windowCondition = pick<(w: WorldNames) => Record<string, Record<string, unknown>>>(
  () => ({ DateLessThan: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' } }),
  () => ({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }),
  () => ({ NumericLessThan: { 'aws:EpochTime': '1900000000' } }),
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
export const bucketPolicyArb: fc.Arbitrary<(w: WorldNames) => Statement[]> = fc.oneof(
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

/**
 * Conditions on the log file's folder (kms:EncryptionContext:aws:s3:arn): the owner's only, the
 * owner's and the organization's, one region's, any region's. A trail writes to several folders
 * (every member's, every region's): each one's data key must be allowed.
 */
const folderCondition = pick<(w: WorldNames) => Record<string, Record<string, unknown>>>(
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:${w.p}:s3:::${BUCKET}/${w.prefix ? `${w.prefix}/` : ''}AWSLogs/${w.owner}/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:${w.p}:s3:::${BUCKET}/*AWSLogs/${w.owner}/*`, `arn:${w.p}:s3:::${BUCKET}/*AWSLogs/${ORG}/*`] } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:${w.p}:s3:::${BUCKET}/*/CloudTrail/${w.home}/*` } }),
  (w) => ({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:${w.p}:s3:::${BUCKET}/*/CloudTrail/*-1/*` } }),
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
    context: fc.oneof({ weight: 3, arbitrary: contextCondition }, { weight: 1, arbitrary: folderCondition }),
    source: keySourceCondition,
    window: fc.option(windowCondition, { nil: undefined, freq: 4 }),
  })
  .map(({ who, action, resource, context, source, window }) => (w) =>
    statement('Allow CloudTrail to encrypt logs', 'Allow', who, action, resource(w), joinConditions(context(w), source(w), window?.(w) ?? {})),
  );

const describeArb: fc.Arbitrary<Build> = fc
  .record({ source: keySourceCondition, action: pick('kms:DescribeKey', 'kms:DescribeKey', 'kms:Describe*', 'kms:Get*') })
  .map(({ source, action }) => (w) => statement('Allow CloudTrail access', 'Allow', CT, action, '*', joinConditions(source(w))));

const keyDenyArb = pick<Build>(
  () => statement('DenyOutsideOrg', 'Deny', '*', 'kms:*', '*', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } }),
  () => statement('DenyOutsideOrg', 'Deny', '*', 'kms:*', '*', { StringNotEquals: { 'aws:PrincipalOrgID': ORG }, Bool: { 'aws:PrincipalIsAWSService': 'false' } }),
  () => statement('DenyInsecure', 'Deny', '*', 'kms:*', '*', { Bool: { 'aws:SecureTransport': 'false' } }),
  (w) => statement('DenyOtherTrails', 'Deny', CT, 'kms:GenerateDataKey*', '*', { StringNotLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${w.p}:cloudtrail:*:${w.owner}:trail/*` } }),
  ...serviceDenies('kms:*', () => '*'),
  ...timeDenies('kms:*', () => '*'),
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

/** The documented key policy, its encrypt statement also pinned to some log folders. */
const pinnedKeyPolicyArb: fc.Arbitrary<(w: WorldNames) => Statement[]> = folderCondition.map((folder) => (w: WorldNames) => {
  const [root, encrypt, describe] = documentedKeyPolicy(w);
  const condition = encrypt.Condition as Record<string, Record<string, unknown>>;
  const pinned = folder(w);
  return [root, { ...encrypt, Condition: { ...condition, StringLike: { ...condition.StringLike, ...pinned.StringLike } } }, describe];
});

export const keyPolicyArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(documentedKeyPolicy) },
  { weight: 1, arbitrary: pinnedKeyPolicyArb },
  { weight: 3, arbitrary: mixedKeyPolicyArb },
);

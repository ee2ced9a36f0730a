/**
 * Whether each read (GetTrailStatus, GetBucketPolicy, DescribeKey...) is usable for one trail:
 * collected and not failed. What a rule's `reads` names is resolved here.
 */
import { parseStatusTime, parseTimestamp } from '../input/timestamp.ts';
import type { Bucket, Key, ReadError, Trail, TrailEntry } from '../inventory/types.ts';
import type { Selectors } from './facts.ts';
import type { FailedRead } from './result.ts';
import { BUCKET_OPERATIONS, ErrorIndex, failedFrom, KEY_OPERATIONS, notCollected, READ_OK, TRAIL_OPERATIONS, type ReadState } from './reads.ts';

/**
 * The read behind `facts.cloudWatchLogsDeliveryAgeHours`: GetTrailStatus plus the inventory's
 * collectedAt, trailgate's only "now". Without collectedAt an age cannot be judged: `error`.
 */
const STATUS_AT_COLLECTION = 'Status.collectedAt';

/**
 * The read behind `facts.hasInsightSelectors`: usable when DescribeTrails said whether the
 * trail has insight selectors, or when GetInsightSelectors was read; otherwise that read fails.
 */
const INSIGHTS_KNOWN = 'Trail.HasInsightSelectors';

/**
 * The read behind the `organizationId` path: DescribeOrganization in the trail's owner account.
 * Its id is absent when the account is in no organization, unknown when that read failed.
 */
export const ORGANIZATION_KNOWN = 'Trail.organizationId';

/**
 * The read behind `facts.knownToSkipManagementEvents`: usable unless the trail's selectors are
 * missing because reading them failed (an error recorded for GetEventSelectors). Selectors a
 * hand-written inventory simply leaves out are taken as recording management events (the fact
 * is false), so that only a count that then leans towards failing uses it; a recorded failure
 * makes the count unknown instead, as inventory.md wants of every failed read.
 */
export const SELECTORS_UNLESS_UNREAD = 'Trail.selectorsUnlessUnread';

/**
 * The read behind `Status.IsLogging`: GetTrailStatus answered, with IsLogging in its answer. AWS
 * always gives it (the collector records an answer without it as a failed read), so a Status
 * written without it leaves logging unknown: not "not logging", as inventory.md wants of every
 * datum that is not in the inventory. The other Status fields stay usable.
 */
export const STATUS_IS_LOGGING = 'Status.IsLogging';

/** The read behind the `collectedAt` path: the inventory saying when it was collected. */
export const COLLECTED_AT_KNOWN = 'Trail.collectedAt';

/** The bucket fields that only a collected read fills. */
const BUCKET_FIELDS = Object.keys(BUCKET_OPERATIONS);

/** What to do about a bucket or key the inventory holds no entry for: most often another account's (a log archive's, a security account's). */
const ANOTHER_ACCOUNT = "; if another account owns it, add that account's snapshot to the scan";

/** Whether the datum behind a read is usable for this trail. */
export function resolveRead(
  name: string,
  entry: TrailEntry,
  selectors: Selectors | undefined,
  bucket: Bucket | undefined,
  key: Key | undefined,
  t: Trail,
  collectedAt: string | undefined,
  errors: ErrorIndex,
  /** Every account that lists the trail, the owner first: whose region-wide failures explain a missing datum. */
  viewers: readonly string[] = [],
  /** In a merged scan whose files differ in collectedAt: the account whose file gives this trail's clock. */
  clockAccount?: string,
): ReadState {
  if (name === STATUS_AT_COLLECTION) {
    const status = resolveRead('Status', entry, selectors, bucket, key, t, collectedAt, errors, viewers, clockAccount);
    return status.ok ? deliveryAgeState(entry, t.TrailARN, collectedAt, clockAccount) : status;
  }
  if (name === STATUS_IS_LOGGING) {
    const status = resolveRead('Status', entry, selectors, bucket, key, t, collectedAt, errors, viewers, clockAccount);
    if (!status.ok || typeof entry.Status?.IsLogging === 'boolean') return status;
    return notCollected('GetTrailStatus', t.TrailARN, `Status.IsLogging of trail ${t.Name || t.TrailARN}`);
  }
  if (name === COLLECTED_AT_KNOWN) return clockState(collectedAt, clockAccount, 'a condition on collectedAt cannot be judged');
  if (name === SELECTORS_UNLESS_UNREAD) {
    const state = resolveRead('EventSelectors', entry, selectors, bucket, key, t, collectedAt, errors, viewers, clockAccount);
    return state.ok || state.failed.code === 'NotCollected' ? READ_OK : state;
  }
  if (name === INSIGHTS_KNOWN) {
    return typeof t.HasInsightSelectors === 'boolean' ? READ_OK : resolveRead('InsightSelectors', entry, selectors, bucket, key, t, collectedAt, errors, viewers, clockAccount);
  }
  const [root, field] = readParts(name);
  if (root === 'Trail') return READ_OK;
  const trailOperation = TRAIL_OPERATIONS[root];
  if (trailOperation !== undefined) return trailOperationState(root, trailOperation, entry, selectors, t, errors, viewers);
  if (root === 'Bucket') return bucketState(field, bucket, t, errors);
  if (root === 'Key') return keyState(field, key, t, errors);
  return READ_OK;
}

/**
 * A read's name split at its first dot (`Bucket.Policy` -> `Bucket`, `Policy`), kept: the same
 * few names are resolved for every trail and rule, each split a new array and strings. Bounded,
 * since a rule may name any read.
 */
function readParts(name: string): readonly [string, string | undefined] {
  let parts = splitReads.get(name);
  if (parts === undefined) {
    const split = name.split('.', 2);
    // A split has a first part.
    parts = [split[0]!, split[1]];
    if (splitReads.size < 1000) splitReads.set(name, parts);
  }
  return parts;
}

const splitReads = new Map<string, readonly [string, string | undefined]>();

/** Whether the age of the trail's last CloudWatch Logs delivery can be judged, its status being read: a delivery time and a clock that agree. */
function deliveryAgeState(entry: TrailEntry, arn: string, collectedAt: string | undefined, clockAccount: string | undefined): ReadState {
  // A delivery time that is no timestamp says a delivery happened, but not when: its age is
  // unknown, which is not the same as long ago. (The schema takes any string here.)
  const delivered = entry.Status?.LatestCloudWatchLogsDeliveryTime;
  const deliveredMs = typeof delivered === 'string' && delivered !== '' ? parseStatusTime(delivered) : undefined;
  if (typeof delivered === 'string' && delivered !== '' && deliveredMs === undefined) {
    const millis = /^\d{12,}$/.test(delivered) ? ' (it looks like milliseconds since the epoch; an inventory gives seconds, or ISO 8601)' : '';
    const message = `LatestCloudWatchLogsDeliveryTime ${JSON.stringify(delivered)} is not a timestamp${millis}, so the age of the delivery cannot be judged`;
    // No read failed: the value the inventory holds cannot be used (InvalidValue, said message first).
    return { ok: false, failed: { operation: 'GetTrailStatus', resource: arn, code: 'InvalidValue', message } };
  }
  const clock = clockState(collectedAt, clockAccount);
  if (!clock.ok || deliveredMs === undefined) return clock;
  // A delivery after the inventory was taken cannot have been seen then: one of the two times is
  // wrong, and a negative age would pass any limit. A few minutes of clock skew are allowed.
  const ahead = (deliveredMs - parseTimestamp(collectedAt!)!) / 60_000;
  if (ahead > FUTURE_SKEW_MINUTES) {
    const message = `LatestCloudWatchLogsDeliveryTime ${delivered} is ${minutesAndSeconds(ahead)} after collectedAt ${collectedAt}, more than the ${FUTURE_SKEW_MINUTES} minutes of clock skew allowed, so one of them is wrong and the age of the delivery cannot be judged`;
    return { ok: false, failed: { operation: 'GetTrailStatus', resource: arn, code: 'InvalidValue', message } };
  }
  return READ_OK;
}

/** Whether a read of the trail itself (GetTrailStatus, GetEventSelectors, GetInsightSelectors) is usable: held by the entry, else the failure recorded for it. */
function trailOperationState(root: string, op: string, entry: TrailEntry, selectors: Selectors | undefined, t: Trail, errors: ErrorIndex, viewers: readonly string[]): ReadState {
  const arn = t.TrailARN;
  const home = t.HomeRegion ?? arn.split(':')[3] ?? '';
  // The default selector is inferred (HasCustomEventSelectors: false with no lists), not read:
  // a recorded GetEventSelectors failure outweighs it, as it would outweigh any absent datum.
  const inferred = root === 'EventSelectors' && entry.EventSelectors === undefined && entry.AdvancedEventSelectors === undefined;
  const present = root === 'EventSelectors' ? selectors !== undefined && !inferred : entry[root as 'Status' | 'InsightSelectors'] !== undefined;
  // What the entry holds was read by an account that recorded no failure of that read: the
  // folding of a trail's copies (trail-subject.ts) leaves out what only contradicted copies hold.
  if (present) return READ_OK;
  const failedFor = (account: string): ReadError | undefined => trailReadFailure(errors, op, arn, home, account);
  const e = errors.forResource(op, arn) ?? firstDefined(viewers, failedFor);
  if (selectors !== undefined && inferred && e === undefined) return READ_OK;
  if (e) return failedFrom(e);
  // A hand-written trail often leaves the selectors out meaning AWS's default: say how to write that.
  const hint = root === 'EventSelectors' && t.HasCustomEventSelectors === undefined ? ", and its Trail entry does not set HasCustomEventSelectors: false, which would mean AWS's default selector" : '';
  // "the EventSelectors list ... is": the name is plural, the sentence's verb is not.
  return notCollected(op, arn, `the ${root}${root.endsWith('Selectors') ? ' list' : ''} of trail ${t.Name || arn}`, hint);
}

/** Whether the trail's bucket, or one field of it (`field`), was read: the bucket is known, or the failure recorded for it. */
function bucketState(field: string | undefined, bucket: Bucket | undefined, t: Trail, errors: ErrorIndex): ReadState {
  const arn = t.TrailARN;
  const name = t.S3BucketName;
  // Every trail names a bucket (CreateTrail requires one; DescribeTrails always gives it): an
  // entry without the name was not read whole, and its bucket is unknown, not "no bucket".
  if (name === undefined || name === '') return notCollected('DescribeTrails', arn, `the S3BucketName of trail ${t.Name || arn}`);
  const ops = field !== undefined ? [BUCKET_OPERATIONS[field]] : ['HeadBucket', 'GetBucketLocation'];
  if (bucket !== undefined) {
    if (bucket.Exists === false) return READ_OK;
    if (field !== undefined && bucket[field] !== undefined) return READ_OK;
    // The bucket as a whole stands when some read of it was collected (its location, or any other
    // answer, which only a bucket that is there gives), or when none was recorded as failing. A
    // failed GetBucketLocation must not outweigh the versioning or ACL that was read: only a rule
    // that names Bucket.Region needs the location.
    if (field === undefined && (BUCKET_FIELDS.some((f) => bucket[f] !== undefined) || !ops.some((op) => op !== undefined && errors.forResource(op, name)))) return READ_OK;
  }
  for (const op of ops) {
    const e = op && errors.forResource(op, name);
    if (e) return failedFrom(e);
  }
  if (bucket === undefined) {
    // A bucket with no entry but a failed read recorded for it (a hand-made inventory; the
    // collector always writes the entry) was looked at, so it is no other account's bucket to
    // bring in: say what is recorded. (That read may not be the one this rule needs.)
    const recorded = Object.values(BUCKET_OPERATIONS).map((op) => errors.forResource(op, name)).find((e) => e !== undefined);
    if (recorded !== undefined) return notCollected('GetBucketLocation', name, `bucket ${name}`, `: only a failed ${recorded.operation} (${recorded.code}) is recorded for it`);
    // Named by the first read trailgate makes of a bucket (HeadBucket is only looked for in errors[] other tools wrote).
    // Most often the bucket of another account (a log-archive account): say how to bring it in.
    return notCollected('GetBucketLocation', name, `bucket ${name}`, ANOTHER_ACCOUNT);
  }
  return notCollected(BUCKET_OPERATIONS[field!] ?? field!, name, `the ${field} of bucket ${name}`);
}

/** Whether the trail's KMS key, or one field of it (`field`), was read: the key is known, or the failure recorded for it. */
function keyState(field: string | undefined, key: Key | undefined, t: Trail, errors: ErrorIndex): ReadState {
  if (!t.KmsKeyId) return READ_OK; // no key: nothing to read
  if (key !== undefined && (field === undefined || key[field] !== undefined)) return READ_OK;
  const arn = t.TrailARN;
  const keyArn = (key?.KeyMetadata?.Arn as string | undefined) ?? t.KmsKeyId;
  const ops = field !== undefined ? [KEY_OPERATIONS[field]] : ['DescribeKey'];
  // An alias or bare key id names a key of the trail owner's account and home region: another
  // account's failure to resolve it (a member that sees an organization trail asks in its own
  // account) says nothing of the owner's key, nor does the owner's in another region (where the
  // same alias names another key), and its NotFound must not read as "the key does not exist".
  const asked = t.KmsKeyId.startsWith('arn:') ? undefined : arn.split(':')[4];
  const home = t.HomeRegion ?? arn.split(':')[3] ?? '';
  for (const op of ops) {
    const e = op && ((keyArn.startsWith('arn:') ? errors.forResource(op, keyArn) : undefined) ?? errors.forResource(op, t.KmsKeyId, asked, asked === undefined ? undefined : home, true) ?? keyFailureByOtherName(errors, op, t.KmsKeyId, arn, home));
    if (e) return failedFrom(e);
  }
  if (key === undefined) {
    // A key of an account whose whole read failed (its role could not be assumed, or assumed
    // again when its credentials were renewed) was not read for that reason: name it.
    const stopped = errors.forAccount((keyArn.startsWith('arn:') ? keyArn : arn).split(':')[4] ?? '');
    if (stopped) return failedFrom(stopped);
    // Often a key of another account (a security account's): say how to bring it in, as for a bucket.
    // An alias is found only through the Aliases a key's entry lists: a hand-written entry may leave them out.
    // An alias ARN says whose alias it is (a key of another account is named so); a bare alias is the trail owner's, in its home region.
    const aliasArn = /^arn:[^:]*:kms:([^:]*):([^:]*):alias\//.exec(t.KmsKeyId);
    const aliasOf = aliasArn ? `an alias ARN names a key of the account and region it gives (${aliasArn[2]}, ${aliasArn[1]})` : "an alias names a key of the trail's own account and home region";
    const byAlias = /(^|:)alias\//.test(t.KmsKeyId) ? `; ${aliasOf}, found through the Aliases its entry lists (Aliases: [${t.KmsKeyId.replace(/^arn:[^:]*:kms:[^:]*:[^:]*:/, '')}])` : '';
    return notCollected('DescribeKey', t.KmsKeyId, `KMS key ${t.KmsKeyId}`, `${byAlias}${ANOTHER_ACCOUNT}`);
  }
  return notCollected(KEY_OPERATIONS[field!] ?? field!, keyArn, `the ${field} of key ${keyArn}`);
}

/**
 * A failure recorded for the trail's key under another of its names. A bare key id or alias name
 * means the key of that name in the trail owner's account and home region (as keyIndex looks the
 * key up, and as CloudTrail resolves it), so a failure recorded for its ARN is a failure of the
 * same read; and a key or alias ARN is the bare name as its own account records it in its region.
 */
function keyFailureByOtherName(errors: ErrorIndex, operation: string, keyId: string, trailArn: string, home: string): ReadError | undefined {
  const named = /^arn:[^:]+:kms:([^:]*):([^:]*):(key\/|alias\/)(.+)$/.exec(keyId);
  if (named) {
    // Every group of the expression is not optional: a match has them all.
    const [, region, account, kind, name] = named;
    return errors.forResource(operation, kind === 'key/' ? name! : `alias/${name}`, account, region);
  }
  if (keyId.startsWith('arn:')) return undefined;
  const [, partition, , , owner] = trailArn.split(':');
  return errors.forResource(operation, `arn:${partition}:kms:${home}:${owner}:${keyId.startsWith('alias/') ? keyId : `key/${keyId}`}`);
}

/**
 * Whether a trail's `organizationId` is known: read, or surely absent (no DescribeOrganization
 * failure recorded for its owner, and not an organization trail, which always has one).
 */
export function organizationState(
  t: { accountId: string; organizationId?: string; organizationFailure?: FailedRead; facts: { isOrganizationTrail: boolean } },
  errors: ErrorIndex,
): ReadState {
  if (t.organizationId !== undefined) return READ_OK;
  const e = errors.forAccountOperation(t.accountId, 'DescribeOrganization');
  if (e) return failedFrom(e);
  // An organization trail seen from a member: the failure of whichever account could have said.
  if (t.organizationFailure) return { ok: false, failed: t.organizationFailure };
  if (t.facts.isOrganizationTrail) return notCollected('DescribeOrganization', t.accountId, `the organization id of account ${t.accountId}`);
  return READ_OK;
}

/**
 * A failure of a trail read that one account recorded: on the trail itself, or region-wide in the
 * trail's home region (where its status and selectors are read; `resource` is absent for
 * region-wide calls).
 */
export function trailReadFailure(errors: ErrorIndex, operation: string, arn: string, home: string, account: string): ReadError | undefined {
  return errors.forResource(operation, arn, account) ?? errors.forRegion(account, home, operation);
}

/** The first value `f` gives for the items, in order. */
function firstDefined<T, R>(items: readonly T[], f: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const r = f(item);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** How far a delivery time may run ahead of collectedAt (clocks of different hosts differ a little). */
const FUTURE_SKEW_MINUTES = 15;

/** Usable when the inventory says when it was collected; otherwise the missing datum, named, with what it leaves unjudged. */
function clockState(collectedAt: string | undefined, account: string | undefined, unjudged = 'the age of a delivery cannot be judged'): ReadState {
  if (collectedAt !== undefined && !Number.isNaN(Date.parse(collectedAt))) return READ_OK;
  // In a merged scan whose files differ in collectedAt, whose inventory lacks it.
  const inventory = account === undefined ? 'the inventory' : `the inventory of account ${account}`;
  const what = collectedAt === undefined ? `${inventory} has no collectedAt` : `${inventory}'s collectedAt ${JSON.stringify(collectedAt)} is not a date`;
  return { ok: false, failed: { operation: 'collectedAt', code: 'NotCollected', message: `${what}, so ${unjudged}` } };
}

/** `15 minutes 20 seconds`, to the millisecond: rounded, a time just past the allowance would read as the allowance. */
function minutesAndSeconds(minutes: number): string {
  const ms = Math.round(minutes * 60_000);
  const whole = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${whole} minute${whole === 1 ? '' : 's'}${seconds > 0 ? ` ${seconds} second${seconds === 1 ? '' : 's'}` : ''}`;
}

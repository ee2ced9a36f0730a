/**
 * The `kms-key-usable` built-in: can CloudTrail encrypt this trail's logs with its KMS key?
 * The key must exist and be Enabled, be a symmetric encryption key, live in the bucket's
 * region (or be a multi-Region key), and its key policy must let the CloudTrail service
 * principal call kms:GenerateDataKey with the encryption context that names this trail, and
 * kms:DescribeKey. Policies are judged with the same evaluator as bucket-delivery, so an
 * explicit Deny wins and conditions on encryption context, aws:SourceArn, the key's own
 * properties (kms:KeySpec, kms:MultiRegion...) or keys CloudTrail does not send behave as IAM
 * says; a decision that hangs on a value the inventory cannot give is an error, never a guess.
 */
import type { Key } from '../../inventory/types.ts';
import type { BuiltinVerdict, TrailBuiltin } from '../builtin-types.ts';
import type { FailedRead } from '../result.ts';
import type { TrailSubject } from '../subjects.ts';
import { arnRegion, trailName } from '../trail-subject.ts';
import { describeStatement, describeStatements, evaluate, parsePolicy, type ParseResult, type Policy } from '../../policy/index.ts';
import { namedKeyArn, requestsInRegion, someOf } from '../../policy/delivery-requests.ts';
import { collectedTime, TIME_KEYS } from '../../policy/request-time.ts';
import { bounded, type BoundedDecision } from '../../policy/unknown-keys.ts';
import { hangsOn } from '../../policy/hangs.ts';
import { boundsOf, describingKeys, keyOwnerKeys, sourceOwnerKeys, unknownValues, type Undecided } from './kms-request-keys.ts';
import { denial, keyRequests, pathsTold, type KeyLogPaths, type KeyRequest } from './kms-key-requests.ts';
import { describeFailedRead, sameRead } from '../reads.ts';
import { presentRead, readErrorVerdict } from './reads.ts';

/** The label of the GenerateDataKey for the owner's own log path; other paths' labels extend it. */
const OWNER_LABEL = 'kms:GenerateDataKey';

/**
 * The ways CloudTrail cannot use a key, in KMS's words (its error code, its key states, its
 * metadata fields), since each is fixed differently: a key policy cannot enable a key, and
 * nothing done to a key of the wrong kind or region makes it usable.
 */
const FAILURES = {
  NotFoundException: 'the key does not exist',
  Disabled: 'the key is disabled',
  PendingDeletion: 'the key is scheduled for deletion',
  PendingImport: 'the key waits for imported key material, never imported or since deleted or expired',
  Unavailable: 'the key is in a custom key store that is disconnected',
  KeyState: 'the key is in another state that is not Enabled, such as Creating or PendingReplicaDeletion',
  KeySpec: 'the key is not a symmetric encryption key: its KeySpec is not SYMMETRIC_DEFAULT, or its KeyUsage not ENCRYPT_DECRYPT',
  KeyRegion: "the key is in a region other than the bucket's and is not a multi-Region key",
  KeyPolicy: 'the key has no key policy, or its policy does not let CloudTrail use the key for this trail',
  AwsManaged: 'the key is an AWS managed key, whose key policy and state KMS lets no one change, and it is not usable as it is',
} as const;

type Failure = keyof typeof FAILURES;

/** Failures only another key cures: with one of them, fixing the key's state or policy is wasted work. */
const NEEDS_ANOTHER_KEY: readonly Failure[] = ['KeySpec', 'KeyRegion', 'AwsManaged'];

/** Key states with a failure of their own; any other state that is not Enabled is `KeyState`. */
const STATE_FAILURES: readonly string[] = ['Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable'];

/**
 * Key states other than Enabled that KMS still uses the key in: "While the key state is
 * Updating, you can use the keys in cryptographic operations" (KMS developer guide, key states;
 * a multi-Region key while its primary Region changes).
 */
const USABLE_STATES: readonly string[] = ['Updating'];

/** The built-in registered as `kms-key-usable`. */
export const kmsKeyUsable: TrailBuiltin = {
  name: 'kms-key-usable',
  scope: 'trail',
  reads: ['Trail', 'Key', 'Key.KeyMetadata', 'Key.Policy', 'Bucket.Region'],
  failures: FAILURES,
  judge,
};


/** Per key (shared by every trail that uses it), its parsed policy: parsed once however many trails there are. */
const parsedPolicies = new WeakMap<Key, ParseResult>();

function parsedPolicy(key: Key, policy: string | object): ParseResult {
  let p = parsedPolicies.get(key);
  if (p === undefined) parsedPolicies.set(key, (p = parsePolicy(policy)));
  return p;
}

/** What judging a trail's key finds: each failure with its reason, the reads that failed, and what no read gives. */
interface KeyFindings {
  evidence: Record<string, unknown>;
  /** The reasons of the failures, in the order found. */
  reasons: string[];
  failures: Set<Failure>;
  failed: FailedRead[];
  /** Why the key cannot be judged, though no read it needs failed. */
  problem: string | undefined;
  /** The failed read (DescribeOrganization) behind `problem`, when one was recorded. */
  problemRead: FailedRead | undefined;
  /** Why a request could not be judged when no read failed: what no inventory gives. */
  unknowable: string[];
  /** A state other than Enabled that KMS still uses the key in. */
  usableState: string | undefined;
}

/** The key's metadata as the inventory holds it. */
type KeyMetadata = NonNullable<Key['KeyMetadata']>;

/** A request's decision by the key policy, or undefined where it hangs on a value the inventory cannot give. */
type Decide = (r: KeyRequest) => BoundedDecision | undefined;

function judge(t: TrailSubject): BuiltinVerdict {
  const keyId = t.Trail.KmsKeyId;
  if (typeof keyId !== 'string' || keyId === '') return { status: 'skipped', message: 'not applicable: the trail has no KMS key' };
  const evidence: Record<string, unknown> = { kmsKeyId: keyId };
  const whole = t.read('Key');
  if (!whole.ok) {
    if (whole.failed.code === 'NotFoundException') {
      return { status: 'fail', message: `the KMS key ${keyId} of trail ${trailName(t)} does not exist, so CloudTrail cannot encrypt its logs`, evidence, failures: ['NotFoundException' satisfies Failure] };
    }
    // A key the inventory holds no entry for: the read's message says how to bring it in.
    return readErrorVerdict(`the KMS key ${keyId} of trail ${trailName(t)}`, [whole.failed], evidence);
  }
  const key = t.Key!;
  const found: KeyFindings = { evidence, reasons: [], failures: new Set(), failed: [], problem: undefined, problemRead: undefined, unknowable: [], usableState: undefined };

  const metaRead = presentRead(t.read('Key.KeyMetadata'), key.KeyMetadata, 'DescribeKey', keyId, `the KeyMetadata of key ${keyId}`);
  const meta = metaRead.ok ? key.KeyMetadata! : undefined;
  if (!metaRead.ok) found.failed.push(metaRead.failed);
  // Without the metadata's Arn, a bare key id still names one key ARN, which the key policy's Resource is matched against.
  const keyArn = meta?.Arn ?? namedKeyArn(t, keyId) ?? keyId;
  evidence.keyArn = keyArn;
  if (meta) judgeMetadata(t, meta, keyArn, found);

  const policyRead = presentRead(t.read('Key.Policy'), key.Policy, 'GetKeyPolicy', keyArn, `the Policy of key ${keyArn}`);
  if (!policyRead.ok) found.failed.push(policyRead.failed);
  else if (key.Policy === null || key.Policy === undefined) because(found, 'KeyPolicy', `key ${keyArn} has no key policy, so nothing allows CloudTrail to use it`);
  else judgeKeyPolicy(t, key, key.Policy, meta, keyArn, found);
  return keyVerdict(t, keyArn, meta, found);
}

/** Records a way CloudTrail cannot use the key, and why. */
function because(found: KeyFindings, failure: Failure, reason: string): void {
  found.failures.add(failure);
  found.reasons.push(reason);
}

/** Whether the key's metadata lets CloudTrail use it: its state, its kind and usage, its region beside the bucket's. */
function judgeMetadata(t: TrailSubject, meta: KeyMetadata, keyArn: string, found: KeyFindings): void {
  const state = meta.KeyState ?? (meta.Enabled === false ? 'Disabled' : meta.Enabled === true ? 'Enabled' : undefined);
  if (state !== undefined && USABLE_STATES.includes(state)) found.usableState = state;
  else if (state !== undefined && state !== 'Enabled') because(found, STATE_FAILURES.includes(state) ? (state as Failure) : 'KeyState', `the key is ${String(state)}, not Enabled`);
  if (state === undefined) found.problem = `the metadata of key ${keyArn} has neither KeyState nor Enabled, so whether the key is usable is unknown`;
  const spec = meta.KeySpec ?? meta.CustomerMasterKeySpec;
  if (typeof spec === 'string' && spec !== 'SYMMETRIC_DEFAULT') because(found, 'KeySpec', `the key is ${spec}, and CloudTrail needs a symmetric encryption key (SYMMETRIC_DEFAULT)`);
  const usage = meta.KeyUsage;
  if (typeof usage === 'string' && usage !== 'ENCRYPT_DECRYPT') because(found, 'KeySpec', `the key's usage is ${usage}, not ENCRYPT_DECRYPT`);
  // KMS gives multi-Region keys, and only them, ids that start with `mrk-`: the id answers when the field is missing.
  const regionCheck = sameRegion(t, keyArn, meta.MultiRegion ?? /(?:^|:key\/)mrk-/.test(keyArn));
  if (typeof regionCheck === 'string') because(found, 'KeyRegion', regionCheck);
  else if (regionCheck !== true) found.failed.push(regionCheck.failed);
}

/** Whether the key policy allows each request CloudTrail makes with the key for this trail, or where the inventory cannot say. */
function judgeKeyPolicy(t: TrailSubject, key: Key, policy: string | object, meta: KeyMetadata | undefined, keyArn: string, found: KeyFindings): void {
  const parsed = parsedPolicy(key, policy);
  if (!parsed.ok) {
    found.problem = `the policy of key ${keyArn} cannot be evaluated: ${parsed.problem}`;
    return;
  }
  const decided: string[] = [];
  const describing = describingKeys(meta);
  // Values CloudTrail's requests carry that the inventory cannot give: the time without
  // collectedAt, the key's own properties DescribeKey did not give, and what no read gives. A
  // request is judged only where every value they could have gives the same decision, as
  // bucket-delivery does.
  const bounds = boundsOf(parsed.policy, [...(collectedTime(t) === undefined ? TIME_KEYS : []), ...describing.unknown], [...describing.mayBeAbsent, ...keyOwnerKeys(t, keyArn).mayBeAbsent, ...sourceOwnerKeys(t)]);
  /** The first request of each action whose decision hangs on such a value, and what it hangs on. */
  const undecided = new Map<string, Undecided>();
  const decide: Decide = (r) => {
    const d = bounds ? bounded(bounds, r.request) : evaluate(parsed.policy, r.request, true);
    if (d === undefined && !undecided.has(r.request.action)) undecided.set(r.request.action, { label: r.label, hangs: hangsOn(bounds!, r.request) });
    return d;
  };
  const paths = keyRequests(t, keyArn, describing.context);
  for (const r of paths.requests) {
    const d = decide(r);
    if (d === undefined) continue;
    if (d.decision !== 'allow') because(found, 'KeyPolicy', denial(keyArn, r, d));
    else {
      const by = describeStatements(d.allows!);
      // Another log path allowed by the statement that allowed the owner's says nothing new.
      const sameAsOwnersPath = r.label !== OWNER_LABEL && r.label.startsWith(OWNER_LABEL) && decided.includes(`${OWNER_LABEL} allowed by ${by}`);
      if (!sameAsOwnersPath) decided.push(`${r.label} allowed by ${by}`);
    }
  }
  judgeOtherLogPaths(t, parsed.policy, paths, decide, keyArn, decided, found);
  found.evidence.allowed = decided;
  const unknown = unknownValues(t, keyArn, meta !== undefined, [...undecided.values()]);
  found.failed.push(...unknown.failed);
  found.unknowable.push(...unknown.unknowable);
}

/** Whether the key policy allows the log paths beyond the owner's home region that it tells apart: each member's folder, each other region's logs. */
function judgeOtherLogPaths(t: TrailSubject, policy: Policy, paths: KeyLogPaths, decide: Decide, keyArn: string, decided: string[], found: KeyFindings): void {
  // The log paths bucket-delivery checks beyond the owner's home region, when the policy can
  // tell them apart: each member's folder of an organization trail, and every other region's
  // logs of a multi-region trail. The first refused is named, and how many are; as in
  // bucket-delivery, only once the owner's own requests are allowed.
  const told = found.failures.has('KeyPolicy') ? { members: false, regions: false } : pathsTold(policy);
  if (told.members && paths.problem !== undefined && found.problem === undefined) {
    found.problem = paths.problem;
    found.problemRead = paths.problemRead;
  }
  const { members, memberRequest } = paths;
  if (told.members && members && members.length > 0 && memberRequest) {
    const { refused, allowedBy } = refusals(members, (m) => [memberRequest(m)], decide, keyArn, found);
    const n = members.length;
    found.evidence.organizationMembers = { checked: n, refused };
    if (refused > 1) because(found, 'KeyPolicy', `${someOf(refused, n, 'member accounts')} in the inventory are refused`);
    if (refused === 0 && allowedBy.length > 0) decided.push(`${OWNER_LABEL} (organization path) for ${n === 1 ? 'the 1 member account' : `all ${n} member accounts`} in the inventory allowed by ${allowedBy.join(', ')}`);
  }
  if (told.regions && t.otherRegions && !found.failures.has('KeyPolicy')) {
    const regions = t.otherRegions;
    const inRegion = (region: string): KeyRequest[] => requestsInRegion(region, paths.regionRequests, members, memberRequest);
    const { refused, allowedBy } = refusals(regions, inRegion, decide, keyArn, found);
    const n = regions.length;
    found.evidence.otherRegions = { checked: n, refused };
    if (refused > 1) because(found, 'KeyPolicy', `the logs of ${someOf(refused, n, 'other regions')} the trail covers are refused`);
    if (refused === 0 && allowedBy.length > 0) decided.push(`${OWNER_LABEL} for the logs of ${n === 1 ? 'the 1 other region' : `all ${n} other regions`} the trail covers allowed by ${allowedBy.join(', ')}`);
  }
}

/** How many of the members (or regions) have a request the key policy refuses, the first named as a failure, and the statements that allow the rest. */
function refusals<T>(items: readonly T[], requestsOf: (item: T) => KeyRequest[], decide: Decide, keyArn: string, found: KeyFindings): { refused: number; allowedBy: string[] } {
  let refused = 0;
  const allowedBy = new Set<string>();
  for (const item of items) {
    for (const r of requestsOf(item)) {
      const d = decide(r);
      if (d === undefined) continue;
      if (d.decision === 'allow') {
        allowedBy.add(describeStatement(d.statement!));
        continue;
      }
      if (refused++ === 0) because(found, 'KeyPolicy', denial(keyArn, r, d));
      break;
    }
  }
  return { refused, allowedBy: [...allowedBy].sort() };
}

/** The verdict from what was found: fail on any failure, else an error for a failed read or what no read gives, else pass. */
function keyVerdict(t: TrailSubject, keyArn: string, meta: KeyMetadata | undefined, found: KeyFindings): BuiltinVerdict {
  const { evidence, reasons, failures, failed, problem, problemRead, unknowable, usableState } = found;
  // KMS refuses put-key-policy, enable-key and the like for an AWS managed key: whatever is wrong
  // with it, only another key (a customer managed one) helps.
  const awsManaged = meta?.KeyManager === 'AWS';
  if (reasons.length > 0 && awsManaged) because(found, 'AwsManaged', "the key is an AWS managed key, and KMS lets no one change an AWS managed key's policy or state: move the trail to a customer managed key");
  if (reasons.length > 0) {
    const message = `CloudTrail cannot encrypt the logs of trail ${trailName(t)} with key ${keyArn}: ${reasons.join('; ')}`;
    const another = NEEDS_ANOTHER_KEY.filter((f) => failures.has(f));
    // In the order the fixes run: the key usable first (its state), then allowed (its policy).
    return { status: 'fail', message, evidence, failures: another.length > 0 ? another : [...failures] };
  }
  // Named as bucket-delivery names it: the read that failed, and the permission it needs (beside
  // any other failed read, as bucket-delivery lists them all), then what no read gives.
  const managedNote = awsManaged ? `; the key is an AWS managed key, whose policy KMS lets no one change: if CloudTrail cannot use it, move the trail to a customer managed key` : '';
  if (failed.length > 0) {
    // The organization trail's missing id may be named already: a condition on aws:ResourceOrgID of the owner's key hangs on the same read.
    const reads = problemRead && !failed.some((f) => sameRead(f, problemRead)) ? [...failed, problemRead] : failed;
    const v = readErrorVerdict(`whether CloudTrail can use key ${keyArn}`, reads, evidence);
    return { ...v, message: [v.message, ...unknowable].join('; ') + managedNote };
  }
  if (unknowable.length > 0) return { status: 'error', message: `cannot judge whether CloudTrail can use key ${keyArn}: ${unknowable.join('; ')}${managedNote}`, evidence };
  if (problem !== undefined && problemRead) return { status: 'error', message: `${problem}: ${describeFailedRead(problemRead)}`, evidence, failedReads: [problemRead] };
  if (problem !== undefined) return { status: 'error', message: problem, evidence };
  const state = usableState !== undefined ? ` (the key is ${usableState}, and KMS uses a key in cryptographic operations while it is ${usableState})` : '';
  return { status: 'pass', message: `CloudTrail can encrypt the logs of trail ${trailName(t)} with key ${keyArn}${state}: ${(evidence.allowed as string[]).join('; ')}`, evidence };
}

/**
 * true when the key is usable from the bucket's region; a reason when it is not; the read
 * that is missing when the bucket's region is unknown. A bucket that does not exist is
 * bucket-delivery's finding, not this rule's.
 */
function sameRegion(t: TrailSubject, keyArn: string, multiRegion: boolean): true | string | { failed: FailedRead } {
  // A key named by alias or bare id, whose metadata gives no Arn, is the one of that name in the
  // trail's home region (facts.keyRegion): not a key of no region that any bucket would do for.
  const keyRegion = arnRegion(keyArn) ?? (t.facts.keyRegion || undefined);
  if (multiRegion || keyRegion === undefined) return true;
  // The read fails for a trail entry without S3BucketName too (every trail names a bucket: trail-reads.ts).
  const whole = t.read('Bucket');
  if (!whole.ok) return { failed: whole.failed };
  const bucket = t.Trail.S3BucketName as string;
  if (t.Bucket?.Exists === false) return true;
  const region = presentRead(t.read('Bucket.Region'), t.Bucket?.Region, 'GetBucketLocation', bucket, `the Region of bucket ${bucket}`);
  if (!region.ok) return { failed: region.failed };
  return t.Bucket!.Region === keyRegion ? true : `the key is in ${keyRegion} but bucket ${bucket} is in ${String(t.Bucket!.Region)}, and CloudTrail needs them in the same region (or a multi-Region key)`;
}

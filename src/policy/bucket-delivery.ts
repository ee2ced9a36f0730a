/**
 * The `bucket-delivery` built-in: can CloudTrail actually write this trail's logs? The bucket
 * must exist, must not be Requester Pays, and its policy must let the CloudTrail service
 * principal make GetBucketAcl and PutObject (and, for an organization trail, PutObject under
 * the organization path). Any definite reason to fail wins; otherwise a read that is missing,
 * or a policy trailgate cannot read, makes the verdict `error`, never a pass.
 */
import type { BuiltinVerdict, TrailBuiltin } from '../engine/builtin-types.ts';
import { describeFailedRead, notCollected, type ReadState } from '../engine/reads.ts';
import type { FailedRead } from '../engine/result.ts';
import type { TrailSubject } from '../engine/subjects.ts';
import { trailName } from '../engine/trail-subject.ts';
import type { Bucket } from '../inventory/types.ts';
import { collectedTime, deliveryRequests, KMS_KEY_ID_KEY, REQUESTED_REGION, requestsInRegion, S3_MAYBE_ABSENT_KEYS, S3_UNKNOWN_KEYS, someOf, SOURCE_ORG_ID, sourceOrganizationUnread, TLS_VERSION, tellsRegionsApart, TIME_KEYS, timeNotCollected, type DeliveryRequest, type DeliveryRequests } from './delivery-requests.ts';
import { describeStatement, describeStatements, evaluate, type Decision, type StatementRef } from './evaluate.ts';
import { parsePolicy, type Policy } from './parse.ts';
import { bounded, hangsOn, keyBounds, mayAlsoDeny, settleWithin, statementsOn, whoseValueIn, type Bounds, type BoundedDecision, type Hang } from './unknown-keys.ts';

const READS = ['Trail', 'Status', 'Bucket', 'Bucket.Policy', 'Bucket.RequestPayer', 'Key'];

/**
 * What the evidence says about one request: every statement that applies, by Sid, or
 * `Statement[i]` without one, in naming order (evaluate.ts, byName), so that reordering the
 * policy's statements changes nothing here.
 */
interface RequestEvidence {
  request: string;
  resource: string;
  decision: Decision['decision'];
  allowedBy?: string[];
  deniedBy?: string[];
}

/**
 * The ways delivery fails, by S3's own names: each has its own fix (create the bucket, turn
 * Requester Pays off, change the bucket policy), so a rule can give each its command.
 */
const FAILURES = {
  NoSuchBucket: 'the bucket does not exist',
  // The key must be in the bucket's region (CloudTrail refuses it otherwise): a bucket made again
  // for a trail with a KMS key goes in the key's region, not the trail's.
  NoSuchBucketForKey: "the bucket does not exist, and the trail's KMS key is in another region than the trail, where the new bucket must be",
  RequesterPays: 'the bucket is Requester Pays',
  BucketPolicy: 'the bucket has no policy, or its policy refuses a request CloudTrail makes',
} as const;

type Failure = keyof typeof FAILURES;

/** The built-in registered as `bucket-delivery`. */
export const bucketDelivery: TrailBuiltin = {
  name: 'bucket-delivery',
  scope: 'trail',
  reads: READS,
  failures: FAILURES,
  judge: (t) => withDeliveryError(t, judge(t)),
};

/** What judging a trail's delivery finds: why it fails, what was allowed, the reads that failed, and what no read gives. */
interface DeliveryFindings {
  evidence: Record<string, unknown>;
  /** Why CloudTrail cannot deliver, in the order found. */
  reasons: string[];
  /** Each request allowed, and by what, for the pass. */
  passes: string[];
  failed: FailedRead[];
  /** Why delivery cannot be judged, though no read it needs failed. */
  problem: string | undefined;
  /** The failed read (DescribeOrganization) behind `problem`, when one was recorded. */
  problemRead: FailedRead | undefined;
  /** What a failed read leaves undecided, said after the reads. */
  notes: string[];
}

function judge(t: TrailSubject): BuiltinVerdict {
  const bucket = t.Trail.S3BucketName;
  if (bucket === undefined || bucket === '') {
    // Every trail names a bucket: the read says the entry lacks it (trail-reads.ts), as the other bucket rules say.
    const whole = t.read('Bucket');
    const failed = whole.ok ? [] : [whole.failed];
    return { status: 'error', message: `cannot judge delivery: ${failed.map(describeFailedRead).join('; ') || 'the trail names no bucket'}`, evidence: {}, failedReads: failed };
  }
  const evidence: Record<string, unknown> = { bucket, keyPrefix: t.Trail.S3KeyPrefix ?? null };

  const whole = t.read('Bucket');
  if (!whole.ok) {
    if (t.Bucket === undefined && whole.failed.code === 'NotCollected') {
      return {
        status: 'error',
        message:
          `bucket ${bucket} is not in the inventory: it probably lives in an account outside the scan (often a log-archive account). ` +
          `Take a snapshot of the account that owns it and scan both together: trailgate scan --snapshot <this>.json --snapshot <log-archive>.json`,
        evidence,
        failedReads: [whole.failed],
      };
    }
    return readError(bucket, [whole.failed], evidence);
  }
  const b = t.Bucket!;
  if (b.Exists === false) {
    // A key in the trail's own region asks nothing more of the new bucket than NoSuchBucket's command gives.
    const failure: Failure = t.facts.keyRegion !== undefined && t.facts.keyRegion !== t.region ? 'NoSuchBucketForKey' : 'NoSuchBucket';
    return { status: 'fail', message: `bucket ${bucket} does not exist, so CloudTrail has nowhere to deliver the logs of trail ${trailName(t)}`, evidence, failures: [failure] };
  }

  const found: DeliveryFindings = { evidence, reasons: [], passes: [], failed: [], problem: undefined, problemRead: undefined, notes: [] };
  const payer = present(t.read('Bucket.RequestPayer'), b.RequestPayer, 'GetBucketRequestPayment', bucket, 'RequestPayer');
  if (!payer.ok) found.failed.push(payer.failed);
  const requesterPays = payer.ok && b.RequestPayer === 'Requester';
  if (requesterPays) found.reasons.push(`bucket ${bucket} is Requester Pays, and CloudTrail cannot deliver to a Requester Pays bucket`);

  const policyRead = present(t.read('Bucket.Policy'), b.Policy, 'GetBucketPolicy', bucket, 'Policy');
  if (!policyRead.ok) found.failed.push(policyRead.failed);
  else if (b.Policy === null || b.Policy === undefined) {
    found.reasons.push(`bucket ${bucket} has no bucket policy, so no statement allows CloudTrail to write`);
  } else judgeBucketPolicy(t, b, b.Policy, bucket, found);
  return deliveryVerdict(t, bucket, requesterPays, found);
}

/** Whether the bucket policy allows each request CloudTrail makes to deliver this trail's logs, or where the inventory cannot say. */
function judgeBucketPolicy(t: TrailSubject, b: Bucket, written: string | object, bucket: string, found: DeliveryFindings): void {
  const built = deliveryRequests(t, bucket);
  if (built.keyArn !== undefined) found.evidence.kmsKeyArn = built.keyArn;
  found.problem = built.problem;
  found.problemRead = built.problemRead;
  const parsed = parsePolicy(written, b);
  if (!parsed.ok) {
    found.problem = `the policy of bucket ${bucket} cannot be evaluated: ${parsed.problem}`;
    found.problemRead = undefined;
    return;
  }
  const seen: RequestEvidence[] = [];
  // Values CloudTrail sends that the inventory cannot give: the key ARN behind an alias it does
  // not resolve (PutObject's header), and the time when it has no collectedAt. A request is
  // judged only where every value they could have gives the same decision.
  // The TLS version is 1.2 or 1.3: conditions both decide alike are no unknown.
  const policy = settleWithin(parsed.policy, TLS_VERSION, ['1.2', '1.3']);
  const timeKeys = collectedTime(t) === undefined ? TIME_KEYS : [];
  const regionKnown = typeof b.Region === 'string' && b.Region !== '';
  const s3Keys = [...S3_UNKNOWN_KEYS, ...(regionKnown ? [] : [REQUESTED_REGION])];
  // The owner's organization, when DescribeOrganization failed: sent with any value, or not at all.
  const organizationUnread = sourceOrganizationUnread(t);
  const options = { mayBeAbsent: organizationUnread ? [...S3_MAYBE_ABSENT_KEYS, SOURCE_ORG_ID] : S3_MAYBE_ABSENT_KEYS };
  const bounds = keyBounds(policy, [...(built.keyIdUnknown === true ? [KMS_KEY_ID_KEY] : []), ...timeKeys, ...s3Keys], options);
  const aclBounds = keyBounds(policy, [...timeKeys, ...s3Keys], options);
  const undecided: Undecided[] = [];
  for (const r of built.requests) {
    const b = r.request.action === 's3:PutObject' ? bounds : aclBounds;
    const d = b ? bounded(b, r.request) : evaluate(policy, r.request, true);
    if (d === undefined) {
      undecided.push({ r, hangs: hangsOn(b!, r.request) });
      continue;
    }
    seen.push(requestEvidence(r, d));
    if (d.decision === 'allow') found.passes.push(`${r.label} allowed by ${describeStatements(d.allows!)}`);
    else found.reasons.push(denial(bucket, r, d));
  }
  judgeOtherLogPaths(t, policy, bounds, built, bucket, seen, undecided, found);
  const { failed, notes } = found;
  failed.push(...unknownReads(t, undecided));
  // An organization trail whose id is missing says so already (problem), naming the same read.
  const organization = organizationUnread && built.problem === undefined ? organizationHang(t, organizationUnread, undecided) : undefined;
  if (organization) {
    failed.push(organization.read);
    notes.push(organization.note);
  }
  // The bucket's region is GetBucketLocation's: a decision that hangs on it names that read.
  if (!regionKnown && undecided.some((u) => u.hangs.some((h) => h.keys.some((k) => k.toLowerCase() === REQUESTED_REGION.toLowerCase())))) {
    const region = present(t.read('Bucket.Region'), b.Region, 'GetBucketLocation', bucket, 'Region');
    if (!region.ok) failed.push(region.failed);
  }
  const unknowable = unknowableHang(undecided);
  if (unknowable !== undefined && found.problem === undefined) found.problem = unknowable;
  found.evidence.requests = seen;
}

/** Whether the bucket policy allows the log paths beyond the owner's, once the owner's are: each member's folder, each other region's logs. */
function judgeOtherLogPaths(t: TrailSubject, policy: Policy, bounds: Bounds | undefined, built: DeliveryRequests, bucket: string, seen: RequestEvidence[], undecided: Undecided[], found: DeliveryFindings): void {
  const { evidence, reasons, passes } = found;
  if (reasons.length === 0 && built.members && built.members.length > 0 && built.memberRequest) {
    const { members, memberRequest } = built;
    const group = groupPolicy(policy, bounds, () => members.map((m) => memberRequest(m)));
    if ('policy' in group) {
      const policy = group.policy;
      // An organization trail delivers every member's logs under `AWSLogs/<org-id>/<account>/`:
      // a policy that allows only some of those folders loses the others' logs.
      const { refused, allowedBy } = judgeGroup(policy, members, (m) => [memberRequest(m)], bucket, seen, reasons);
      const n = members.length;
      evidence.organizationMembers = { checked: n, refused };
      if (refused > 1) reasons.push(`${someOf(refused, n, 'member accounts')} in the inventory are refused`);
      if (refused === 0) passes.push(`PutObject (organization path) for ${n === 1 ? 'the 1 member account' : `all ${n} member accounts`} in the inventory allowed by ${allowedBy.join(', ')}`);
    } else undecided.push(group.undecided);
  }
  if (reasons.length === 0 && t.otherRegions && namesRegion(policy)) {
    const regions = t.otherRegions;
    // An organization trail writes its members' logs of every region too, each in its folder.
    const { members, memberRequest } = built;
    const inRegion = (r: string): DeliveryRequest[] => requestsInRegion(r, built.regionRequests, members, memberRequest);
    const group = groupPolicy(policy, bounds, () => regions.flatMap(inRegion));
    if ('policy' in group) {
      const policy = group.policy;
      // A multi-region trail writes each region's logs under `.../CloudTrail/<region>/`: a policy
      // that allows only the home region's folder loses the others'.
      const { refused } = judgeGroup(policy, regions, inRegion, bucket, seen, reasons);
      const n = regions.length;
      evidence.otherRegions = { checked: n, refused };
      if (refused > 1) reasons.push(`the logs of ${someOf(refused, n, 'other regions')} the trail covers are refused`);
      if (refused === 0) passes.push(`PutObject for the logs of ${n === 1 ? 'the 1 other region' : `all ${n} other regions`} the trail covers allowed`);
    } else undecided.push(group.undecided);
  }
}

/** The verdict from what was found: fail on any reason, else an error for a failed read or what no read gives, else pass. */
function deliveryVerdict(t: TrailSubject, bucket: string, requesterPays: boolean, found: DeliveryFindings): BuiltinVerdict {
  const { evidence, reasons, passes, failed, problem, problemRead, notes } = found;
  if (reasons.length > 0) {
    // Every reason but Requester Pays is something the bucket policy refuses; with both, both fixes are needed.
    const policyRefuses = reasons.length > (requesterPays ? 1 : 0);
    const failures: Failure[] = [...(requesterPays ? ['RequesterPays' as const] : []), ...(policyRefuses ? ['BucketPolicy' as const] : [])];
    // Named as the pass names it: one bucket often serves several trails, and a report line may
    // show the message alone (an annotation, a JSON consumer).
    return { status: 'fail', message: `CloudTrail cannot deliver the logs of trail ${trailName(t)}: ${reasons.join('; ')}`, evidence, failures };
  }
  if (failed.length > 0) return readError(bucket, problemRead ? [...failed, problemRead] : failed, evidence, notes);
  // A value missing because its read failed names that read, and the permission it needs.
  if (problem !== undefined && problemRead) return { status: 'error', message: `${problem}: ${describeFailedRead(problemRead)}`, evidence, failedReads: [problemRead] };
  if (problem !== undefined) return { status: 'error', message: problem, evidence };
  return { status: 'pass', message: `CloudTrail can deliver the logs of trail ${trailName(t)} to bucket ${bucket}: ${passes.join('; ')}`, evidence };
}

/**
 * Checks the requests of each item of a group (member accounts, other regions) until one is
 * refused; the first refused request is named in the evidence and the reasons. The caller says
 * what the count means. Returns how many items were refused, and the statements that allowed.
 */
function judgeGroup<T>(
  policy: Policy,
  items: readonly T[],
  requestsOf: (item: T) => DeliveryRequest[],
  bucket: string,
  seen: RequestEvidence[],
  reasons: string[],
): { refused: number; allowedBy: string[] } {
  let refused = 0;
  const allowedBy = new Set<string>();
  for (const item of items) {
    for (const r of requestsOf(item)) {
      const d = evaluate(policy, r.request);
      if (d.decision === 'allow') {
        allowedBy.add(describeStatement(d.statement!));
        continue;
      }
      if (refused++ === 0) {
        // The evidence names every statement that applies, so the one refused request is judged again for them.
        seen.push(requestEvidence(r, evaluate(policy, r.request, true)));
        reasons.push(denial(bucket, r, d));
      }
      break;
    }
  }
  return { refused, allowedBy: [...allowedBy].sort() };
}

const regionNamed = new WeakMap<Policy, boolean>();

/**
 * Whether some Resource or NotResource of the policy is region-specific. Only then can the
 * policy answer one region's PutObject differently from another's (the request context is the
 * same for every region), so only then are the other regions of a multi-region trail checked:
 * most policies grant `AWSLogs/<account>/*`, and an organization of 10,000 accounts would pay 16
 * more evaluations per trail for nothing. Once per parsed policy.
 */
function namesRegion(policy: Policy): boolean {
  let named = regionNamed.get(policy);
  if (named === undefined) {
    named = policy.statements.some((st) => st.resourceText.some(tellsRegionsApart));
    regionNamed.set(policy, named);
  }
  return named;
}

/**
 * The policy to judge a group of PutObject requests (the members' folders, the other regions')
 * on. With no value unknown, the policy itself. Otherwise: refused whatever the values, judged on
 * the most they could allow; allowed whatever they are, on the least; else the first request
 * whose decision hangs on them, and the statements it hangs on.
 */
function groupPolicy(policy: Policy, bounds: Bounds | undefined, requests: () => DeliveryRequest[]): { policy: Policy } | { undecided: Undecided } {
  if (!bounds) return { policy };
  const all = requests();
  if (all.some((r) => evaluate(bounds.most, r.request).decision !== 'allow')) return { policy: bounds.most };
  const r = all.find((x) => evaluate(bounds.least, x.request).decision !== 'allow');
  return r === undefined ? { policy: bounds.least } : { undecided: { r, hangs: hangsOn(bounds, r.request) } };
}

/** A request whose decision hangs on a value the inventory cannot give. */
interface Undecided {
  r: DeliveryRequest;
  hangs: Hang[];
}

/**
 * The reads that would have decided the undecided requests: DescribeKey, for a statement on the
 * key ARN CloudTrail sends; collectedAt, for one on the time (named with the first request that
 * hangs on it).
 */
function unknownReads(t: TrailSubject, undecided: readonly Undecided[]): FailedRead[] {
  const on = (u: Undecided, keys: ReadonlySet<string>) => u.hangs.some((h) => h.keys.some((k) => keys.has(k.toLowerCase())));
  const out: FailedRead[] = [];
  if (undecided.some((u) => on(u, KEY_ID_KEYS))) out.push(keyArnRead(t));
  const onTime = undecided.find((u) => on(u, TIME_KEYS_LOWER));
  if (onTime) out.push(timeNotCollected(`${onTime.r.label} on ${onTime.r.request.resource}`, onTime.hangs, t.collectedAtAccount));
  return out;
}

/**
 * When a request hangs on aws:SourceOrgID, which the failed `read` (DescribeOrganization) would
 * have given: that read, and which statement conditions on the key.
 */
function organizationHang(t: TrailSubject, read: FailedRead, undecided: readonly Undecided[]): { read: FailedRead; note: string } | undefined {
  const of = (k: string) => k === SOURCE_ORG_ID_LOWER;
  for (const u of undecided) {
    const on = statementsOn(u.hangs, of);
    if (on !== '') return { read, note: `${on}, the organization of the trail owner's account ${t.accountId}, which that read gives, so whether CloudTrail ${u.r.label} on ${u.r.request.resource} is allowed is unknown` };
  }
  return undefined;
}

const SOURCE_ORG_ID_LOWER = SOURCE_ORG_ID.toLowerCase();

/**
 * Why a request could not be judged when it hangs on a value of CloudTrail's request that no
 * read gives (the TLS version, the bucket owner's account and organization, the organization path, the region
 * of a bucket whose location the inventory lacks), naming the statements; undefined otherwise.
 */
function unknowableHang(undecided: readonly Undecided[]): string | undefined {
  for (const u of undecided) {
    const of = (k: string) => UNKNOWABLE_LOWER.has(k);
    const on = statementsOn(u.hangs, of);
    if (on !== '') return `${on}, ${whoseValueIn(u.hangs, of)} no inventory gives, so whether CloudTrail ${u.r.label} on ${u.r.request.resource} is allowed is unknown`;
  }
  return undefined;
}

const UNKNOWABLE_LOWER: ReadonlySet<string> = new Set([...S3_UNKNOWN_KEYS, ...S3_MAYBE_ABSENT_KEYS].map((k) => k.toLowerCase()));
const KEY_ID_KEYS: ReadonlySet<string> = new Set([KMS_KEY_ID_KEY]);
const TIME_KEYS_LOWER: ReadonlySet<string> = new Set(TIME_KEYS.map((k) => k.toLowerCase()));

/**
 * The read that would have given the trail's key ARN (DescribeKey of the alias or key id it
 * names): the error recorded for it, or what was not collected.
 */
function keyArnRead(t: TrailSubject): FailedRead {
  const id = t.Trail.KmsKeyId ?? '';
  const key = t.read('Key');
  if (!key.ok && key.failed.code !== 'NotCollected') return key.failed;
  const what = `the ARN of KMS key ${id}, which the bucket policy's ${KMS_KEY_ID_KEY} condition compares,`;
  const missing = notCollected('DescribeKey', id, what);
  return missing.ok ? { operation: 'DescribeKey', resource: id, code: 'NotCollected' } : missing.failed;
}

/** A read the subject calls usable is still missing when its value is undefined (a key set to undefined in code). */
function present(state: ReadState, value: unknown, operation: string, bucket: string, field: string): ReadState {
  return state.ok && value === undefined ? notCollected(operation, bucket, `the ${field} of bucket ${bucket}`) : state;
}

function denial(bucket: string, r: DeliveryRequest, d: BoundedDecision): string {
  const on = `CloudTrail ${r.label} on ${r.request.resource}`;
  if (d.decision === 'deny') {
    const overrides = d.statement ? `, overriding the Allow in ${describeStatement(d.statement)}` : '';
    return `the policy of bucket ${bucket} denies ${on}: the Deny in statement ${describeStatement(d.denyStatement!)} applies${overrides}`;
  }
  // An implicit deny: nothing forbids the request, nothing allows it either.
  return `the policy of bucket ${bucket} does not allow ${on}: no statement allows it${mayAlsoDeny(d)}`;
}

/** The evidence of one request, from a decision made with `every` (evaluate.ts). */
function requestEvidence(r: DeliveryRequest, d: Decision): RequestEvidence {
  const e: RequestEvidence = { request: r.label, resource: r.request.resource, decision: d.decision };
  if (d.allows!.length > 0) e.allowedBy = d.allows!.map(statementName);
  if (d.denies!.length > 0) e.deniedBy = d.denies!.map(statementName);
  return e;
}

function statementName(ref: StatementRef): string {
  return ref.sid !== undefined && ref.sid !== '' ? ref.sid : `Statement[${ref.index}]`;
}

function readError(bucket: string, failed: FailedRead[], evidence: Record<string, unknown>, notes: readonly string[] = []): BuiltinVerdict {
  return {
    status: 'error',
    message: `cannot judge delivery to bucket ${bucket}: ${[...failed.map(describeFailedRead), ...notes].join('; ')}`,
    evidence,
    failedReads: failed,
  };
}

/** `Status.LatestDeliveryError` is what AWS itself saw: show it beside any verdict. */
function withDeliveryError(t: TrailSubject, v: BuiltinVerdict): BuiltinVerdict {
  const latest = t.Status?.LatestDeliveryError;
  if (typeof latest !== 'string' || latest === '') return v;
  return {
    ...v,
    message: `${v.message} (CloudTrail reports LatestDeliveryError: ${latest})`,
    evidence: { ...(v.evidence ?? {}), latestDeliveryError: latest },
  };
}

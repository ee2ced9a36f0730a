/**
 * The `bucket-delivery` built-in: can CloudTrail actually write this trail's logs? The bucket
 * must exist, must not be Requester Pays, and its policy must let the CloudTrail service
 * principal make GetBucketAcl and PutObject (and, for an organization trail, PutObject under
 * the organization path). Any definite reason to fail wins; otherwise a read that is missing,
 * or a policy trailgate cannot read, makes the verdict `error`, never a pass.
 * This module judges the owner's requests and gives the verdict; the members' and other regions'
 * log paths are other-log-paths.ts's part, the requests no read decides undecided-requests.ts's,
 * and what is found and its words delivery-findings.ts's.
 */
import type { BuiltinVerdict, TrailBuiltin } from '../engine/builtin-types.ts';
import { BUCKET_OPERATIONS, describeFailedRead } from '../engine/reads.ts';
import type { TrailSubject } from '../engine/subjects.ts';
import { trailName } from '../engine/trail-subject.ts';
import type { Bucket } from '../inventory/types.ts';
import { deliveryRequests, KMS_KEY_ID_KEY, REQUESTED_REGION, S3_MAYBE_ABSENT_KEYS, S3_UNKNOWN_KEYS, SOURCE_ORG_ID, sourceOrganizationUnread, TLS_VERSION } from './delivery-requests.ts';
import { collectedTime, TIME_KEYS } from './request-time.ts';
import { denial, present, readError, requestEvidence, type DeliveryFindings, type RequestEvidence } from './delivery-findings.ts';
import { describeStatements, evaluate } from './evaluate.ts';
import { judgeOtherLogPaths } from './other-log-paths.ts';
import { parsePolicy } from './parse.ts';
import { organizationHang, unknowableHang, unknownReads, type Undecided } from './undecided-requests.ts';
import { bounded, keyBounds, settleWithin } from './unknown-keys.ts';
import { hangsOn } from './hangs.ts';

const READS = ['Trail', 'Status', 'Bucket', 'Bucket.Policy', 'Bucket.RequestPayer', 'Key'];

/** The bucket's fields delivery is judged on. */
const DELIVERY_FIELDS = ['Policy', 'RequestPayer'] as const;

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
      // A failure recorded for the bucket's policy or Requester Pays setting (a hand-made
      // inventory; the collector always writes the entry) says it was looked at, and why delivery
      // cannot be judged.
      const needed = DELIVERY_FIELDS.map((f) => t.read(`Bucket.${f}`)).flatMap((s) => (!s.ok && s.failed.code !== 'NotCollected' ? [s.failed] : []));
      if (needed.length > 0) return readError(bucket, needed, evidence);
      // Another read of it recorded as failed (its ACL, say): it was looked at all the same, and
      // is no other account's bucket to bring in; the whole read says what is recorded.
      const other = Object.keys(BUCKET_OPERATIONS).some((f) => {
        const s = t.read(`Bucket.${f}`);
        return !s.ok && s.failed.code !== 'NotCollected';
      });
      if (other) return readError(bucket, [whole.failed], evidence);
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
